"""Courts: the federal CM/ECF court catalog and each court's NextGen go-live schedule."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CourtQuerySet(models.QuerySet):
    """Court queries in the database that must agree with :meth:`Court.status_on`."""

    @staticmethod
    def _nextgen_q(day: dt.date) -> models.Q:
        # The SQL form of Court.status_on: the go-live date when there is one, otherwise the
        # date a source shows the court on NextGen. Keep the two in step (a test checks).
        return models.Q(nextgen_date__lte=day) | models.Q(
            nextgen_date__isnull=True, nextgen_evidence_date__lte=day
        )

    def nextgen_on(self, day: dt.date) -> CourtQuerySet:
        """Courts on NextGen on ``day``."""
        return self.filter(self._nextgen_q(day))

    def currentgen_on(self, day: dt.date) -> CourtQuerySet:
        """Courts still on CurrentGen on ``day`` (every court not on NextGen, NULLs included)."""
        return self.exclude(self._nextgen_q(day))

    def with_status_on(self, status: str, day: dt.date) -> CourtQuerySet:
        """Courts whose :meth:`Court.status_on` ``day`` is ``status`` (a Generation value)."""
        if status == Court.Generation.NEXTGEN:
            return self.nextgen_on(day)
        if status == Court.Generation.CURRENTGEN:
            return self.currentgen_on(day)
        raise ValueError(f"unknown status {status!r}")


class Court(models.Model):
    """One CM/ECF court, identified by the PACER id its ECF host uses (``areb``, ``ca8``…)."""

    class CourtType(models.TextChoices):
        APPELLATE = "appellate", _("Appellate")
        DISTRICT = "district", _("District")
        BANKRUPTCY = "bankruptcy", _("Bankruptcy")
        NATIONAL = "national", _("National")

    class Generation(models.TextChoices):
        CURRENTGEN = "currentgen", _("CurrentGen")
        NEXTGEN = "nextgen", _("NextGen")

    id = models.CharField(
        _("court id"),
        primary_key=True,
        max_length=16,
        help_text=_("PACER court id as used by the court's ECF host, e.g. areb, ca8, bap9."),
    )
    feed_code = models.CharField(
        _("feed code"),
        max_length=16,
        unique=True,
        help_text=_("The court's code in PACER's Court CM/ECF Lookup feed, e.g. AREBK, 01BAP."),
    )
    name = models.CharField(_("name"), max_length=200)
    official_name = models.CharField(_("official name"), max_length=200, blank=True)
    court_type = models.CharField(_("type"), max_length=16, choices=CourtType.choices)
    circuit = models.CharField(
        _("circuit"), max_length=4, blank=True, help_text=_("01–11, DC or FC, as in the feed.")
    )
    state = models.CharField(
        _("state"), max_length=64, blank=True, help_text=_("Main state served, for filtering.")
    )
    web_url = models.URLField(_("court website"), max_length=500, blank=True)
    ecf_url = models.URLField(_("ECF site"), max_length=500, blank=True)
    rss_url = models.URLField(_("RSS feed"), max_length=500, blank=True)
    software_version = models.CharField(_("CM/ECF software version"), max_length=200, blank=True)
    cmecf_since = models.DateField(
        _("on CM/ECF since"), null=True, blank=True, help_text=_("Original CM/ECF go-live date.")
    )
    pdf_size_limit_mb = models.DecimalField(
        _("PDF size limit (MB)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    merge_doc_size_limit_mb = models.DecimalField(
        _("merged document size limit (MB)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    help_desk = models.JSONField(
        _("help desk"), default=list, blank=True, help_text=_("List of {phone, division}.")
    )
    locations = models.JSONField(
        _("office locations"),
        default=list,
        blank=True,
        help_text=_("List of {name, address, email, hours, phone}."),
    )
    # The schedule ------------------------------------------------------------------------
    nextgen_date = models.DateField(
        _("NextGen go-live date"),
        null=True,
        blank=True,
        help_text=_("Changed only through a schedule change (with history)."),
    )
    nextgen_date_confirmed = models.BooleanField(
        _("go-live date confirmed"),
        default=True,
        help_text=_("False when the only source is tentative (marked UNCONFIRMED)."),
    )
    nextgen_date_note = models.CharField(
        _("go-live note"),
        max_length=300,
        blank=True,
        help_text=_("The date as the source gave it, e.g. “~end of January 2022”."),
    )
    nextgen_source = models.CharField(_("go-live source"), max_length=500, blank=True)
    nextgen_evidence_date = models.DateField(
        _("NextGen seen on"),
        null=True,
        blank=True,
        help_text=_("A date by which a source shows the court on NextGen (e.g. the 2023 feed)."),
    )
    password_reset_deadline = models.DateField(
        _("CM/ECF password reset deadline"),
        null=True,
        blank=True,
        help_text=_("Last day to reset a forgotten court-issued password before go-live."),
    )
    required_local_form = models.CharField(
        _("required local form"),
        max_length=32,
        blank=True,
        help_text=_("A local registration form new attorneys must complete first, e.g. LF-95."),
    )
    filer_may_propose_login = models.BooleanField(
        _("filers may propose a CM/ECF login"),
        default=False,
        help_text=_(
            "CurrentGen registration: the filer may ask for a particular login (seed 002: "
            "“some courts allow you to request a particular login”)."
        ),
    )

    # Linking -----------------------------------------------------------------------------
    link_review_required = models.BooleanField(
        _("link requests need review"),
        default=True,
        help_text=_(
            "A clerk approves each link request. Off for appellate courts (our assumption: "
            "the real system links them at once)."
        ),
    )
    link_request_expiry_days = models.PositiveSmallIntegerField(
        _("link request expiry (days)"),
        default=14,
        help_text=_("A link request without a decision expires after this many days."),
    )

    objects = CourtQuerySet.as_manager()

    class Meta:
        ordering = ["court_type", "id"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")
        indexes = [models.Index(fields=["court_type", "circuit"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"

    def status_on(self, day: dt.date) -> str:
        """CurrentGen or NextGen on ``day`` — the one rule. On the go-live date it is NextGen.

        With no go-live date, a court that a source shows on NextGen is NextGen from that
        evidence date on (our assumption: we cannot claim it earlier); otherwise CurrentGen.
        """
        switch_date = self.nextgen_date or self.nextgen_evidence_date
        if switch_date is not None and day >= switch_date:
            return self.Generation.NEXTGEN
        return self.Generation.CURRENTGEN

    def is_nextgen_on(self, day: dt.date) -> bool:
        return self.status_on(day) == self.Generation.NEXTGEN

    @property
    def date_published(self) -> bool:
        return self.nextgen_date is not None

    def days_until_go_live(self, day: dt.date) -> int | None:
        """Days from ``day`` to the go-live date (negative once past); None without a date."""
        if self.nextgen_date is None:
            return None
        return (self.nextgen_date - day).days

    @property
    def link_wording(self) -> str:
        """The Utilities menu wording differs by court type (seed 002)."""
        if self.court_type == self.CourtType.APPELLATE:
            return _("Link my filer account to my PACER account")
        return _("Link a CM/ECF account to my PACER account")


class CourtCounty(models.Model):
    """A county a court serves ("find my court by county")."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="counties")
    name = models.CharField(max_length=100)
    state = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = _("court counties")
        constraints = [
            models.UniqueConstraint(fields=["court", "state", "name"], name="court_county_unique")
        ]
        indexes = [models.Index(fields=["state", "name"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.state}"


class GoLiveChange(models.Model):
    """One change of a court's NextGen go-live date: old, new, who, why, when."""

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="schedule_changes")
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for reference data loaded from published sources."),
    )
    reason = models.CharField(max_length=500)
    source = models.CharField(max_length=500, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["court", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.court_id}: {self.old_date} → {self.new_date}"

    @property
    def is_reschedule(self) -> bool:
        return self.old_date is not None and self.new_date != self.old_date


class CourtStaff(models.Model):
    """Ties a user to a court with a role, so clerk screens scope to "my courts"."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("Clerk")
        HELP_DESK = "help_desk", _("ECF help desk")

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="court_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLERK)
    since = models.DateTimeField()

    class Meta:
        verbose_name = _("court staff member")
        verbose_name_plural = _("court staff")
        constraints = [models.UniqueConstraint(fields=["court", "user"], name="court_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.court_id}"


class Subscription(models.Model):
    """Email updates for one court page (seed 003): double opt-in, no account needed.

    No token is stored: confirmation and unsubscribe links carry signed values (see
    ``courts.tokens``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(max_length=320)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "email"], name="subscription_unique_email")
        ]
        indexes = [models.Index(fields=["court", "status"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.court_id} ({self.status})"
