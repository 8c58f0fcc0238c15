"""Linking: court-issued CM/ECF accounts, link requests and their audit trail.

Every change of state here goes through ``linking.services``; the models hold the state and
its invariants (database constraints, not ``save()`` checks).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import hashers
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from courts.models import Court


class CmecfAccount(models.Model):
    """A court-issued CM/ECF filing login of one court (CurrentGen's second username).

    The court keeps only a password hash ("the court does not have access to your current
    login and password"). Once linked to a PACER account the login is retired: from then on
    only the PACER login works for that court.
    """

    class Role(models.TextChoices):
        ATTORNEY = "attorney", _("Attorney")
        TRUSTEE = "trustee", _("Trustee")
        NON_ATTORNEY = "non_attorney", _("Non-attorney filer")
        FILING_AGENT = "filing_agent", _("Filing agent")
        PRO_SE = "pro_se", _("Pro se filer")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOCKED = "locked", _("Locked by the court")
        RETIRED = "retired", _("Retired (linked or withdrawn)")

    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        related_name="cmecf_accounts",
        help_text=_("The court that issued the login."),
    )
    login = models.CharField(
        _("CM/ECF login"),
        max_length=64,
        help_text=_("Court-issued login; unique per court regardless of letter case."),
    )
    password = models.CharField(
        _("password hash"),
        max_length=128,
        help_text=_("A Django password hash of the court-issued password; never the clear value."),
    )
    holder_name = models.CharField(
        _("holder's name"), max_length=200, help_text=_("The filer's name as the court has it.")
    )
    email_of_record = models.EmailField(
        _("email of record"),
        max_length=320,
        help_text=_("Where the court sends notices (and CM/ECF password resets)."),
    )
    bar_id = models.CharField(
        _("bar id"), max_length=32, blank=True, help_text=_("Bar number, for attorneys.")
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Role.choices,
        default=Role.ATTORNEY,
        help_text=_("What the court registered the filer as."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.ACTIVE,
        help_text=_("Only active logins can be used (and linked)."),
    )
    linked_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cmecf_accounts",
        help_text=_("The PACER account this login was linked to, if any."),
    )
    linked_at = models.DateTimeField(
        _("linked at"), null=True, blank=True, help_text=_("When the link was approved.")
    )
    # Lockout of the link form (a credential-guessing oracle) -------------------------------
    failed_attempts = models.PositiveIntegerField(
        _("failed attempts"),
        default=0,
        help_text=_("Wrong passwords since the last success or lock."),
    )
    locked_until = models.DateTimeField(
        _("locked until"),
        null=True,
        blank=True,
        help_text=_("Linking with this login is refused until then (too many wrong passwords)."),
    )
    lock_count = models.PositiveSmallIntegerField(
        _("lock count"),
        default=0,
        help_text=_("Locks since the last success; each one lasts twice as long as the last."),
    )

    class Meta:
        verbose_name = _("CM/ECF account")
        verbose_name_plural = _("CM/ECF accounts")
        ordering = ["court_id", "login"]
        constraints = [
            models.UniqueConstraint(
                Lower("login"), "court", name="cmecf_login_unique_per_court_ci"
            ),
            # Seed 003: someone who held several logins in one court links only one of them.
            models.UniqueConstraint(
                fields=["court", "linked_account"],
                condition=models.Q(linked_account__isnull=False),
                name="cmecf_one_linked_login_per_court",
            ),
            models.CheckConstraint(
                condition=models.Q(linked_account__isnull=True, linked_at__isnull=True)
                | models.Q(linked_account__isnull=False, linked_at__isnull=False),
                name="cmecf_linked_has_linked_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.login} ({self.court_id})"

    def set_password(self, raw_password: str) -> None:
        """Store the hash of ``raw_password`` (not saved)."""
        self.password = hashers.make_password(raw_password)

    @property
    def is_linked(self) -> bool:
        return self.linked_account_id is not None


class ClerkDigest(models.Model):
    """One digest email round for one court's clerks.

    Why a model: a request reaching ``pending_review`` only records that it awaits a digest
    (``LinkRequest.clerk_digest`` is empty). ``send_clerk_digests`` takes those requests,
    creates one of these rows and points the requests at it in one transaction, so a
    re-run finds nothing left to report; the outbox dedupe key names this row (court and
    window), so no clerk is told twice about the same requests.
    """

    court = models.ForeignKey(
        Court,
        on_delete=models.CASCADE,
        related_name="link_digests",
        help_text=_("The court whose clerks were told."),
    )
    window_end = models.DateTimeField(
        _("window end"), help_text=_("Requests waiting for a digest up to this moment.")
    )
    request_count = models.PositiveIntegerField(
        _("requests"), default=0, help_text=_("New requests this digest reported.")
    )
    sent_at = models.DateTimeField(_("sent at"), help_text=_("When the emails were queued."))

    class Meta:
        ordering = ["-window_end", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["court", "window_end"], name="clerk_digest_unique")
        ]

    def __str__(self) -> str:
        return f"{self.court_id} digest {self.window_end:%Y-%m-%d %H:%M}"


class LinkRequest(models.Model):
    """A PACER account holder's request to link a court's CM/ECF login (a state machine).

    ``submitted → verified → pending_review → approved | rejected``, plus ``cancelled``,
    ``expired`` and ``failed``; courts needing no review go ``verified → approved``. Each
    move is a service in ``linking.services`` and writes a :class:`LinkEvent`.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        PENDING_REVIEW = "pending_review", _("Waiting for the court's review")
        APPROVED = "approved", _("Approved — linked")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    OPEN_STATUSES = (Status.SUBMITTED, Status.VERIFIED, Status.PENDING_REVIEW)

    class Flag(models.TextChoices):
        NAME_DIFFERS = "name_differs", _("PACER name differs from the CM/ECF name")
        EMAIL_DIFFERS = "email_differs", _("CM/ECF email of record is not on the PACER account")
        SEVERAL_REQUESTS_FOR_LOGIN = (
            "several_requests_for_login",
            _("Other open requests for this CM/ECF login"),
        )

    pacer_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="link_requests",
        help_text=_("The PACER account asking for the link."),
    )
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        related_name="link_requests",
        help_text=_("The court of the CM/ECF login."),
    )
    cmecf_account = models.ForeignKey(
        CmecfAccount,
        on_delete=models.PROTECT,
        related_name="link_requests",
        help_text=_("The court-issued login whose password the requester proved."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.SUBMITTED,
        help_text=_("Changed only by the linking services (each change is a LinkEvent)."),
    )
    flags = models.JSONField(
        _("flags"),
        default=list,
        blank=True,
        help_text=_("Short codes a clerk should look at (see LinkRequest.Flag)."),
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why it was rejected, cancelled or failed.")
    )
    submitted_at = models.DateTimeField(_("submitted at"), help_text=_("Training-clock time."))
    verified_at = models.DateTimeField(
        _("verified at"), null=True, blank=True, help_text=_("When the re-check passed.")
    )
    decided_at = models.DateTimeField(
        _("decided at"),
        null=True,
        blank=True,
        help_text=_("When it was approved, rejected, cancelled, expired or failed."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who decided; empty for the system (no-review courts, expiry)."),
    )
    expires_at = models.DateTimeField(
        _("expires at"), help_text=_("Without a decision by then the request expires.")
    )
    processing_enqueued_at = models.DateTimeField(
        _("processing queued at"),
        null=True,
        blank=True,
        help_text=_("Real time the processing task was last queued (for the sweeper)."),
    )
    clerk_digest = models.ForeignKey(
        ClerkDigest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        help_text=_("The clerk digest that reported this request; empty while awaiting one."),
    )

    class Meta:
        verbose_name = _("link request")
        verbose_name_plural = _("link requests")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pacer_account", "court"],
                condition=models.Q(status__in=["submitted", "verified", "pending_review"]),
                name="link_request_one_open_per_court",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "submitted_at"], name="link_request_queue"),
            models.Index(fields=["status", "processing_enqueued_at"], name="link_request_sweep"),
            models.Index(fields=["status", "expires_at"], name="link_request_expiry"),
        ]

    def __str__(self) -> str:
        return f"link #{self.pk} {self.cmecf_account_id} → {self.pacer_account_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class LinkEvent(models.Model):
    """One transition of a link request: from, to, who, why, when (the audit trail)."""

    request = models.ForeignKey(
        LinkRequest,
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("The request that moved."),
    )
    from_status = models.CharField(
        _("from"),
        max_length=16,
        choices=LinkRequest.Status.choices,
        blank=True,
        help_text=_("Empty for the creation of the request."),
    )
    to_status = models.CharField(_("to"), max_length=16, choices=LinkRequest.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who moved it; empty for the system (tasks, expiry)."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), help_text=_("Training-clock time."))

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.from_status or '—'} → {self.to_status}"


class CmecfResetToken(models.Model):
    """One emailed, single-use, expiring CM/ECF password reset (seed 003: "you can reset it
    during the linking process").

    No token is stored, hashed or clear: the emailed link carries a signature over this row's
    id (``linking.services.reset``), made when the email is rendered, so the outbox keeps
    only the id. ``used_at`` makes it single-use; ``expires_at`` (real time) bounds it.
    """

    cmecf_account = models.ForeignKey(
        CmecfAccount,
        on_delete=models.CASCADE,
        related_name="reset_tokens",
        help_text=_("The court-issued login whose password this resets."),
    )
    created_at = models.DateTimeField(_("created at"), help_text=_("Real time of the request."))
    expires_at = models.DateTimeField(
        _("expires at"), help_text=_("The link is refused after this moment (real time).")
    )
    used_at = models.DateTimeField(
        _("used at"),
        null=True,
        blank=True,
        help_text=_("When the link set a new password (or was voided by another reset)."),
    )

    class Meta:
        verbose_name = _("CM/ECF password reset")
        verbose_name_plural = _("CM/ECF password resets")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cmecf_account", "used_at"], name="cmecf_reset_open")]

    def __str__(self) -> str:
        return f"reset #{self.pk} of {self.cmecf_account_id}"
