"""The individual PACER account, which is also the sign-in user (Central Sign-On)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
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

    class FilerRole(models.TextChoices):
        """Roles of a non-attorney filer (PACER's non-attorney e-file registration)."""

        FILING_AGENT = "filing_agent", _("Filing agent")
        PRO_SE = "pro_se", _("Pro se party")
        CREDITOR = "creditor", _("Creditor")
        TRUSTEE = "trustee", _("Trustee")
        US_TRUSTEE = "us_trustee", _("U.S. Trustee")
        COURT_REPORTER = "court_reporter", _("Court reporter")
        INTERESTED_PARTY = "interested_party", _("Interested party")

    class RegistrationStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold for PACER Service Center review")
        REJECTED = "rejected", _("Rejected")

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

    # Contact details (PACER registration asks for all of them).
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (line 2)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state"), max_length=64, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=16, blank=True)
    country = models.CharField(_("country"), max_length=64, blank=True, default="United States")
    # The language the holder chose with the language switcher: emails to this account go out
    # in it, whoever triggers them (a clerk in the console, the system). Blank: not chosen.
    preferred_language = models.CharField(
        _("preferred language"), max_length=16, blank=True, choices=settings.LANGUAGES
    )
    # Filers.
    bar_number = models.CharField(_("bar number"), max_length=32, blank=True)
    bar_state = models.CharField(_("bar state"), max_length=64, blank=True)
    filer_role = models.CharField(
        _("filer role"), max_length=32, choices=FilerRole.choices, blank=True
    )
    # Sign-on state.
    registration_status = models.CharField(
        _("registration status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.ACTIVE,
        help_text=_("A registration that looks like a duplicate waits for staff review."),
    )
    locked_at = models.DateTimeField(
        _("locked at"),
        null=True,
        blank=True,
        help_text=_("Locked after the holder reported a change they did not make; a password "
                    "reset unlocks it."),
    )  # fmt: skip
    mfa_prompt_skips = models.PositiveSmallIntegerField(
        _("MFA prompts skipped"),
        default=0,
        help_text=_("How often a filer skipped the prompt to set up two-factor authentication."),
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True)

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

    @property
    def is_filer(self) -> bool:
        return self.account_kind in (
            self.AccountKind.ATTORNEY_FILER,
            self.AccountKind.NON_ATTORNEY_FILER,
        )

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class AccountEvent(models.Model):
    """The account's history: sign-ins, changes, decisions. Never holds a secret."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        REGISTRATION_HELD = "registration_held", _("Registration held for review")
        REGISTRATION_RELEASED = "registration_released", _("Registration released")
        REGISTRATION_REJECTED = "registration_rejected", _("Registration rejected")
        EMAIL_VERIFIED = "email_verified", _("Email address verified")
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGNED_OUT = "signed_out", _("Signed out")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        EMAIL_CHANGED = "email_changed", _("Email address changed")
        PROFILE_CHANGED = "profile_changed", _("Account information changed")
        UPGRADED = "upgraded", _("Account upgraded")
        MFA_ENABLED = "mfa_enabled", _("Two-factor authentication set up")
        MFA_DISABLED = "mfa_disabled", _("Two-factor authentication removed")
        MFA_PROMPT_SKIPPED = "mfa_prompt_skipped", _("Two-factor set-up skipped")
        RECOVERY_CODES_GENERATED = "recovery_codes_generated", _("New recovery codes")
        SESSIONS_ENDED = "sessions_ended", _("Other sessions signed out")
        REPORTED_NOT_ME = "reported_not_me", _("Holder reported a change they did not make")
        LOCKED = "locked", _("Account locked")
        UNLOCKED = "unlocked", _("Account unlocked")
        CASE_SEARCH_ACTIVATED = "case_search_activated", _("Case search activated")
        CASE_SEARCH_DEACTIVATED = "case_search_deactivated", _("Case search deactivated")
        PAA_JOINED = "paa_joined", _("Joined a PACER Administrative Account")
        PAA_LEFT = "paa_left", _("Left a PACER Administrative Account")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who did it, when not the holder (staff)."),
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text=_("Plain facts, no secrets."))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Charge(models.Model):
    """One billable view (the fee ledger): immutable, and a copy of what it bills.

    A row copies the court id, the case number, the document and the pages as they were, so
    a bill never changes when a case or document does, and ``accounts`` imports nothing from
    ``courts`` or ``filing``. The amount comes from :mod:`accounts.fees` at the time of the
    view. ``billed_to`` is the account itself, or its PACER Administrative Account while it
    is a member.
    """

    account = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="charges",
        help_text=_("The account that viewed."),
    )
    billed_to = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="billed_charges",
        help_text=_("Who pays: the account itself, or its PAA while it is a member."),
    )
    court_id = models.CharField(_("court"), max_length=16, help_text=_("PACER court id."))
    item = models.CharField(_("what"), max_length=16)
    description = models.CharField(_("description"), max_length=300, blank=True)
    case_number = models.CharField(_("case number"), max_length=64, blank=True)
    document = models.CharField(
        _("document"), max_length=64, blank=True, help_text=_("e.g. docket entry 12.")
    )
    pages = models.PositiveIntegerField(_("billable pages"))
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    client_code = models.CharField(_("client code"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("at"), help_text=_("Training-clock time."))

    class Meta:
        verbose_name = _("PACER charge")
        verbose_name_plural = _("PACER charges")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "created_at"], name="charge_account_time"),
            models.Index(fields=["billed_to", "created_at"], name="charge_payer_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="charge_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.court_id} {self.item} ${self.amount}"


# PACER Administrative Accounts (PAA) ------------------------------------------------------------


class PaaProfile(models.Model):
    """The firm details of a PACER Administrative Account (an account of kind PAA).

    The PAA's administrator is the account holder (their name, contact and billing address
    are the account's own fields); a PAA bills its members' PACER fees and has no case
    access and no filing rights (seed 004)."""

    account = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="paa_profile", primary_key=True
    )
    firm_name = models.CharField(_("firm name"), max_length=200)
    client_code_required = models.BooleanField(
        _("client codes mandatory"),
        default=False,
        help_text=_("Members must give a client code for every billable view."),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("PACER Administrative Account")
        verbose_name_plural = _("PACER Administrative Accounts")

    def __str__(self) -> str:
        return self.firm_name


class CostCenter(models.Model):
    """A group of a PAA's members, for the bill (e.g. an office or a practice group)."""

    paa = models.ForeignKey(User, on_delete=models.CASCADE, related_name="cost_centers")
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["paa_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["paa", "name"], name="cost_center_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PaaMembership(models.Model):
    """An individual account's membership of a PAA, by consent (a state machine).

    ``requested → active → ended``; a request may also end ``declined`` (by the holder) or
    ``withdrawn`` (by the administrator). Only ``active`` bills to the PAA, from
    ``started_at`` to ``ended_at``: the periods are kept, so a quarter split between two
    payers bills each for its own part. An account belongs to at most one PAA at a time.
    Each move is a service in ``accounts.services.paa`` and writes a
    :class:`PaaMembershipEvent`."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the account holder")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined by the account holder")
        WITHDRAWN = "withdrawn", _("Withdrawn by the administrator")
        ENDED = "ended", _("Ended")

    OPEN_STATUSES = (Status.REQUESTED, Status.ACTIVE)

    paa = models.ForeignKey(User, on_delete=models.PROTECT, related_name="paa_memberships")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    cost_center = models.ForeignKey(
        CostCenter, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("member since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="active"),
                name="paa_member_of_one_paa",
            ),
            models.UniqueConstraint(
                fields=["paa", "member"],
                condition=models.Q(status__in=["requested", "active"]),
                name="paa_one_open_membership",
            ),
            models.CheckConstraint(
                condition=~models.Q(paa=models.F("member")), name="paa_not_its_own_member"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "status"], name="paa_membership_member"),
            models.Index(fields=["paa", "status"], name="paa_membership_paa"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in PAA {self.paa_id} ({self.status})"


class PaaMembershipEvent(models.Model):
    """One transition of a membership: from, to, who, why, when."""

    membership = models.ForeignKey(PaaMembership, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=PaaMembership.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PaaMembership.Status.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.membership_id}: {self.from_status or '—'} → {self.to_status}"


class Payment(models.Model):
    """A simulated payment of PACER fees by an account (individual or PAA), credited toward
    a quarter's bill. Only the method's last four digits and a token are kept."""

    class Method(models.TextChoices):
        CARD = "card", _("Card")
        BANK = "bank", _("Bank account (ACH)")

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CREDIT = "credit", _("Credit")

    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PAYMENT)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices, blank=True)
    last4 = models.CharField(_("ending"), max_length=4, blank=True)
    token = models.CharField(_("token"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "year", "quarter"], name="payment_quarter")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="payment_quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ${self.amount} by {self.account_id}"


class ChargeTally(models.Model):
    """Running totals of the fee ledger: views, pages and amount per payer, account,
    quarter (in the portal's time zone), court and client code.

    ``accounts.services.billing.record_charge`` adds each charge to its tally in the same
    transaction, so a quarterly statement aggregates a few rows per member instead of every
    charge (P4: a PAA of 1,000 members and 1,000,000 charges). The charges stay the truth:
    ``accounts.services.statements.rebuild_tallies`` recomputes the tallies from them."""

    billed_to = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    court_id = models.CharField(max_length=16)
    client_code = models.CharField(max_length=32, blank=True)
    views = models.PositiveIntegerField(default=0)
    pages = models.PositiveBigIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("charge tally")
        verbose_name_plural = _("charge tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["billed_to", "year", "quarter", "account", "court_id", "client_code"],
                name="charge_tally_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.billed_to_id} Q{self.quarter} {self.year} {self.account_id}: ${self.total}"
