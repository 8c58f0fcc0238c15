"""Filing: e-file registration requests, filing rights, filing agents, cases, docket entries,
documents, notices of electronic filing (NEF) and their free looks.

Every change of state here goes through ``filing.services``; the models hold the state and
its invariants (database constraints).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courts.models import Court
from linking.models import CmecfAccount, LinkRequest


class RegistrationType(models.TextChoices):
    """What an e-file registration asks for (PACER's attorney and non-attorney forms)."""

    ATTORNEY_ADMISSION = "attorney_admission", _("Attorney admission")
    EFILE_ATTORNEY = "efile_attorney", _("E-file registration (admitted attorney)")
    PRO_HAC_VICE = "pro_hac_vice", _("Pro hac vice (one case)")
    FILING_AGENT = "filing_agent", _("Filing agent")
    PRO_SE = "pro_se", _("Pro se filer")
    CREDITOR = "creditor", _("Creditor")
    TRUSTEE = "trustee", _("Trustee")
    COURT_REPORTER = "court_reporter", _("Court reporter")
    INTERESTED_PARTY = "interested_party", _("Interested party")


ATTORNEY_TYPES = (
    RegistrationType.ATTORNEY_ADMISSION,
    RegistrationType.EFILE_ATTORNEY,
    RegistrationType.PRO_HAC_VICE,
)
NON_ATTORNEY_TYPES = tuple(t for t in RegistrationType if t not in ATTORNEY_TYPES)


class FilerRole(models.TextChoices):
    """The role a filing right gives in a court."""

    ATTORNEY = "attorney", _("Attorney")
    TRUSTEE = "trustee", _("Trustee")
    FILING_AGENT = "filing_agent", _("Filing agent")
    PRO_SE = "pro_se", _("Pro se filer")
    CREDITOR = "creditor", _("Creditor")
    COURT_REPORTER = "court_reporter", _("Court reporter")
    INTERESTED_PARTY = "interested_party", _("Interested party")
    NON_ATTORNEY = "non_attorney", _("Non-attorney filer")


# Roles that may designate filing agents (seed 003: attorneys and trustees).
PRINCIPAL_ROLES = (FilerRole.ATTORNEY, FilerRole.TRUSTEE)


class EfileRegistration(models.Model):
    """A request for filing rights in one court (a state machine).

    ``submitted → pending_review → approved | rejected``, plus ``cancelled`` by the requester
    while open. One open request per account and court. Approval grants a
    :class:`FilingRight` (NextGen court) or issues a court-assigned CM/ECF login (CurrentGen
    court, seed 002). Each move is a service in ``filing.services.registration`` and writes
    an :class:`EfileRegistrationEvent`.
    """

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Waiting for the court's review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING_REVIEW,)

    class Channel(models.TextChoices):
        MANAGE_MY_ACCOUNT = "pacer", _("Manage My Account (NextGen)")
        COURT_SITE = "court", _("The court's CM/ECF site (CurrentGen)")

    pacer_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="efile_registrations",
        help_text=_("The PACER account asking for filing rights."),
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="efile_registrations")
    registration_type = models.CharField(
        _("registration type"), max_length=24, choices=RegistrationType.choices
    )
    channel = models.CharField(
        _("asked through"), max_length=8, choices=Channel.choices, default=Channel.MANAGE_MY_ACCOUNT
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.PENDING_REVIEW,
        help_text=_("Changed only by the filing services (each change is an event)."),
    )
    # Additional filer information ---------------------------------------------------------
    case_number = models.CharField(
        _("case number"),
        max_length=64,
        blank=True,
        help_text=_("Pro hac vice only: the one case the rights are for."),
    )
    bar_number = models.CharField(_("bar number"), max_length=32, blank=True)
    bar_state = models.CharField(_("bar state"), max_length=64, blank=True)
    firm_name = models.CharField(_("firm or organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    notes = models.TextField(_("notes for the clerk"), blank=True, max_length=2000)
    # Court prerequisites (seed 004: S.D. Fla. bankruptcy's LF-95 for new attorneys).
    local_form = models.CharField(
        _("local form"),
        max_length=32,
        blank=True,
        help_text=_("The court's required local form at the time of the request, e.g. LF-95."),
    )
    local_form_completed_on = models.DateField(_("local form completed on"), null=True, blank=True)
    local_form_reference = models.CharField(_("local form reference"), max_length=64, blank=True)
    requested_login = models.CharField(
        _("requested CM/ECF login"),
        max_length=64,
        blank=True,
        help_text=_("CurrentGen courts that allow it: the login the filer proposes."),
    )
    terms_accepted_at = models.DateTimeField(_("e-filing terms accepted at"))
    # Lifecycle ---------------------------------------------------------------------------
    submitted_at = models.DateTimeField(_("submitted at"), help_text=_("Training-clock time."))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    issued_cmecf_account = models.ForeignKey(
        CmecfAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("CurrentGen: the court-assigned login issued on approval."),
    )

    class Meta:
        verbose_name = _("e-file registration request")
        verbose_name_plural = _("e-file registration requests")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pacer_account", "court"],
                condition=models.Q(status="pending_review"),
                name="efile_one_open_per_court",
            ),
            models.CheckConstraint(
                condition=~models.Q(registration_type="pro_hac_vice") | ~models.Q(case_number=""),
                name="efile_pro_hac_vice_names_case",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "submitted_at"], name="efile_queue"),
        ]

    def __str__(self) -> str:
        return f"e-file #{self.pk} {self.pacer_account_id} in {self.court_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class EfileRegistrationEvent(models.Model):
    """One transition of an e-file registration request (the audit trail)."""

    registration = models.ForeignKey(
        EfileRegistration, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=EfileRegistration.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=EfileRegistration.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.registration_id}: {self.from_status or '—'} → {self.to_status}"


class Case(models.Model):
    """A case in one court (demo data; opened by a case-opening filing)."""

    class Kind(models.TextChoices):
        CIVIL = "cv", _("Civil")
        BANKRUPTCY = "bk", _("Bankruptcy")
        ADVERSARY = "ap", _("Adversary proceeding")
        APPEAL = "appeal", _("Appeal")

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=64, help_text=_("e.g. 2:21-bk-01234"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    chapter = models.CharField(_("chapter"), max_length=4, blank=True)
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    filed_on = models.DateField(_("filed on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    last_entry_number = models.PositiveIntegerField(
        _("last docket entry"),
        default=0,
        help_text=_("Numbering of docket entries (incremented under a row lock)."),
    )

    class Meta:
        ordering = ["court_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["court", "number"], name="case_number_unique_per_court")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Party(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=64, help_text=_("Plaintiff, Debtor, Creditor…"))

    class Meta:
        ordering = ["case_id", "pk"]
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class AttorneyOfRecord(models.Model):
    """A filer who appears in a case (and so receives its NEFs)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attorneys")
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appearances"
    )
    party = models.ForeignKey(
        Party, on_delete=models.SET_NULL, null=True, blank=True, related_name="attorneys"
    )
    since = models.DateTimeField(_("appeared on"))

    class Meta:
        ordering = ["case_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "attorney"], name="one_appearance_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.attorney_id} in {self.case_id}"


class FilingRight(models.Model):
    """Permission to e-file in one court (seed 000: "courts where you have permission to
    file"), in a role, since a date, obtained by linking a court-issued login or by an
    approved e-file registration. Pro hac vice rights name their one case."""

    class Source(models.TextChoices):
        LINK = "link", _("Linked CM/ECF account")
        REGISTRATION = "registration", _("E-file registration")

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filing_rights"
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="filing_rights")
    role = models.CharField(_("role"), max_length=24, choices=FilerRole.choices)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Pro hac vice: the only case these rights are for."),
    )
    source = models.CharField(_("obtained by"), max_length=16, choices=Source.choices)
    link_request = models.ForeignKey(
        LinkRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registration = models.ForeignKey(
        EfileRegistration, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    since = models.DateTimeField(_("since"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["court_id", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "court"],
                condition=models.Q(revoked_at__isnull=True, case__isnull=True),
                name="filing_right_one_per_court",
            ),
            models.UniqueConstraint(
                fields=["holder", "court", "case"],
                condition=models.Q(revoked_at__isnull=True, case__isnull=False),
                name="filing_right_one_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(source="link", link_request__isnull=False)
                | models.Q(source="registration", registration__isnull=False),
                name="filing_right_names_its_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} files in {self.court_id} as {self.role}"


class FilingAgent(models.Model):
    """An attorney's (or trustee's) designation of a filing agent in one court (seed 003).

    The agent files *as* the principal: the docket shows the principal, the entry records the
    agent. Removing it (``removed_at``) takes effect on the agent's next request."""

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filing_agents"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agent_for"
    )
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="filing_agents")
    may_pay_fees = models.BooleanField(_("may pay fees online"), default=False)
    created_at = models.DateTimeField(_("designated at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["court_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "agent", "court"],
                condition=models.Q(removed_at__isnull=True),
                name="filing_agent_one_active",
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("agent")), name="filing_agent_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} for {self.principal_id} in {self.court_id}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class DocketEntry(models.Model):
    """One entry of a case's docket. ``filer`` is who the docket shows (the attorney);
    ``submitted_by`` who actually filed (the attorney, or their agent)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveIntegerField(_("number"))
    event = models.CharField(_("event"), max_length=48)
    text = models.TextField(_("docket text"))
    filed_at = models.DateTimeField(_("filed at"))
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="docket_entries",
        help_text=_("Whom the docket shows; empty for entries by the court."),
    )
    filer_name = models.CharField(_("filer's name"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_entries",
        help_text=_("Who filed it: the filer, or their filing agent."),
    )
    submitted_with_login = models.ForeignKey(
        CmecfAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("CurrentGen: the court-issued login it was filed with."),
    )

    class Meta:
        ordering = ["case_id", "number"]
        verbose_name_plural = _("docket entries")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="docket_number_unique")
        ]
        indexes = [
            models.Index(fields=["submitted_by", "filed_at"], name="docket_entry_submitter"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number} {self.event}"


class Document(models.Model):
    """The PDF of a docket entry (its bytes in :class:`DocumentContent`)."""

    entry = models.OneToOneField(DocketEntry, on_delete=models.CASCADE, related_name="document")
    filename = models.CharField(_("file name"), max_length=200)
    page_count = models.PositiveIntegerField(_("pages"))
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_transcript = models.BooleanField(_("transcript"), default=False)
    is_opinion = models.BooleanField(_("judicial opinion"), default=False)

    def __str__(self) -> str:
        return f"{self.filename} ({self.page_count} p.)"


class DocumentContent(models.Model):
    """The bytes of a document, apart so that listing documents never loads them. In the
    database, so a rejected or interrupted filing leaves nothing behind (one transaction)."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="content"
    )
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"content of document {self.document_id}"


class FeePayment(models.Model):
    """A simulated filing-fee payment: only the card's last four digits and a token."""

    entry = models.OneToOneField(DocketEntry, on_delete=models.PROTECT, related_name="payment")
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fee_payments"
    )
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=2)
    card_last4 = models.CharField(_("card ending"), max_length=4)
    token = models.CharField(
        _("payment token"), max_length=64, help_text=_("The processor's token, not the card.")
    )
    paid_at = models.DateTimeField(_("paid at"))

    def __str__(self) -> str:
        return f"${self.amount} for {self.entry_id} (…{self.card_last4})"


class NefRecipient(models.Model):
    """An extra address a filer wants NEFs at, in one court (up to 5 per filer and court)."""

    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nef_recipients"
    )
    court = models.ForeignKey(Court, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"), max_length=320)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["filer", "court", "email"], name="nef_recipient_once")
        ]

    def __str__(self) -> str:
        return self.email


class Nef(models.Model):
    """One Notice of Electronic Filing to one address, with its free look.

    The free look: the first view of the document through the NEF's link is free, within 15
    days (``free_look_until``); ``free_look_used_at`` (claimed by a conditional UPDATE)
    makes it once. No token is stored: the emailed link is signed over this row's id when
    the email is rendered.
    """

    entry = models.ForeignKey(DocketEntry, on_delete=models.CASCADE, related_name="nefs")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nefs",
        help_text=_("The attorney of record this notice is for (extra addresses: theirs)."),
    )
    email = models.EmailField(_("sent to"), max_length=320)
    created_at = models.DateTimeField(_("created at"))
    free_look_until = models.DateTimeField(_("free look until"))
    free_look_used_at = models.DateTimeField(_("free look used at"), null=True, blank=True)

    class Meta:
        ordering = ["entry_id", "pk"]
        verbose_name = _("notice of electronic filing")
        constraints = [
            models.UniqueConstraint(fields=["entry", "email"], name="nef_once_per_address")
        ]

    def __str__(self) -> str:
        return f"NEF {self.entry_id} → {self.email}"
