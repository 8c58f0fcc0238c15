"""The individual PACER account, which is also the sign-in user (Central Sign-On)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Individual accounts created before this date are legacy until their holder upgrades them
# (seeds 000, 002, 003, 004: "before August 11, 2014").
UPGRADE_CUTOFF = dt.date(2014, 8, 11)

account_number_validator = RegexValidator(r"^\d{7}\Z", _("An account number is 7 digits."))


class User(AbstractUser):
    """An individual PACER account: the one identity of Central Sign-On."""

    class AccountType(models.TextChoices):
        LEGACY = "legacy", _("Legacy")
        UPGRADED = "upgraded", _("Upgraded")

    class AccountKind(models.TextChoices):
        CASE_SEARCH = "case_search", _("Case search only")
        ATTORNEY_FILER = "attorney_filer", _("Attorney filer")
        NON_ATTORNEY_FILER = "non_attorney_filer", _("Non-attorney filer")
        PAA = "paa", _("PACER Administrative Account")

    class CaseSearchStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    account_number = models.CharField(
        _("account number"),
        max_length=7,
        unique=True,
        validators=[account_number_validator],
        help_text=_("The 7-digit PACER account number, quoted to the PACER Service Center."),
    )
    account_type = models.CharField(
        _("account type"),
        max_length=16,
        choices=AccountType.choices,
        default=AccountType.UPGRADED,
        help_text=_(
            "Legacy accounts (registered before 11 Aug 2014) must upgrade to link or file."
        ),
    )
    registered_on = models.DateField(
        _("registered on"), help_text=_("The date the PACER account was registered.")
    )
    upgraded_at = models.DateTimeField(_("upgraded at"), null=True, blank=True)
    account_kind = models.CharField(
        _("account kind"),
        max_length=32,
        choices=AccountKind.choices,
        default=AccountKind.CASE_SEARCH,
    )
    case_search_status = models.CharField(
        _("case search status"),
        max_length=16,
        choices=CaseSearchStatus.choices,
        default=CaseSearchStatus.ACTIVE,
        help_text=_("Inactive accounts can still upgrade, but cannot search for case information."),
    )
    is_shared = models.BooleanField(
        _("shared account"),
        default=False,
        help_text=_(
            "One login shared by a firm: may search, never link a CM/ECF account or e-file."
        ),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("PACER account")
        verbose_name_plural = _("PACER accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account_number__regex=r"^[0-9]{7}$"),
                name="account_number_is_7_digits",
            ),
            models.CheckConstraint(
                condition=~models.Q(account_type="upgraded", registered_on__lt=UPGRADE_CUTOFF)
                | models.Q(upgraded_at__isnull=False),
                name="pre_cutoff_upgraded_has_upgraded_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} ({self.account_number})"

    @property
    def is_upgraded(self) -> bool:
        return self.account_type == self.AccountType.UPGRADED
