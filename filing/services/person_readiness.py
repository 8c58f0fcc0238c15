"""Personal readiness for NextGen CM/ECF (/account/readiness/): for the signed-in person,
per court they practise in, each step of the seeds with its state and the exact next action.

The steps, in the order the seeds ask for them (seed 004 "DO THIS NOW" first): an individual
account, upgraded, two-factor, knowing the court-issued login, the link on or after go-live,
e-file rights, then filing agents (attorneys and trustees, optional). They are the same facts
the firm readiness (``filing.services.readiness``) checks for a PAA's members, and reuse its
rules (two-factor enforcement, the court step from go-live on, the go-live countdown).

Courts "practised in": those where the person has a CM/ECF login of record (linked to them,
or whose email of record is one of their verified addresses), a link request, an e-file
registration, a filing right or a filing agent — plus a court they ask about. Read-only, and
a fixed number of queries whatever the number of courts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from courts.models import Court
from filing.models import EfileRegistration, FilingAgent, FilingRight
from filing.services.readiness import FILER_KINDS, MFA_TYPES, GoLive, _mfa_enforced, go_live_of
from linking.models import CmecfAccount, LinkRequest
from linking.services.reset import reset_open

DONE, TODO, BLOCKED, NOT_NEEDED = "done", "todo", "blocked", "not_needed"

# The steps (keys), in order.
INDIVIDUAL, UPGRADED, MFA, KNOWS_LOGIN, LINKED, RIGHTS, AGENTS = (
    "individual",
    "upgraded",
    "mfa",
    "knows_login",
    "linked",
    "rights",
    "agents",
)
STEPS = (INDIVIDUAL, UPGRADED, MFA, KNOWS_LOGIN, LINKED, RIGHTS, AGENTS)
# Roles that may designate filing agents (seed 003: attorneys and trustees).
PRINCIPAL_ROLES = (CmecfAccount.Role.ATTORNEY, CmecfAccount.Role.TRUSTEE)


def _day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@dataclass(frozen=True)
class Step:
    """One step: its key, title, state (done / todo / blocked / not_needed), what to do
    (``action``, with ``url`` when a page does it) and whether it may be skipped."""

    key: str
    title: str
    state: str
    action: str = ""
    url: str = ""
    optional: bool = False


@dataclass
class CourtReadiness:
    """The steps for one court, the login of record there and the go-live countdown."""

    court: Court
    go_live: GoLive
    steps: list[Step] = field(default_factory=list)
    login: CmecfAccount | None = None

    @property
    def next_step(self) -> Step | None:
        """The first required step to do; else the first blocked one; None when ready."""
        for state in (TODO, BLOCKED):
            for step in self.steps:
                if step.state == state and not step.optional:
                    return step
        return None

    @property
    def ready(self) -> bool:
        return self.next_step is None

    @property
    def help_desk_phone(self) -> str:
        return _help_desk_phone(self.court)


def _help_desk_phone(court: Court) -> str:
    """The court's first ECF help desk phone number ('' without one)."""
    desks = court.help_desk or []
    return next((desk.get("phone", "") for desk in desks if isinstance(desk, dict)), "")


@dataclass
class _Facts:
    """Everything about the person, loaded once (one query per kind of fact)."""

    mfa: bool
    logins: dict[str, CmecfAccount]  # per court: the linked login, else one of record
    open_requests: dict[str, LinkRequest]
    pending_registrations: set[str]
    rights: set[str]  # courts with a court-wide right
    agents: Counter
    courts: dict[str, Court]


def _facts(user: User) -> _Facts:
    addresses = {
        email.strip().lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    courts: dict[str, Court] = {}
    logins: dict[str, CmecfAccount] = {}
    accounts = (
        CmecfAccount.objects.annotate(email_lower=Lower("email_of_record"))
        .filter(
            Q(linked_account=user)
            | Q(email_lower__in=addresses, linked_account__isnull=True)
            & ~Q(status=CmecfAccount.Status.RETIRED)
        )
        .select_related("court")
        .order_by("court_id", "linked_account_id", "pk")
    )
    for account in accounts:
        courts[account.court_id] = account.court
        current = logins.get(account.court_id)
        if current is None or (account.linked_account_id and not current.linked_account_id):
            logins[account.court_id] = account
    open_requests: dict[str, LinkRequest] = {}
    for link_request in LinkRequest.objects.filter(pacer_account=user).select_related("court"):
        courts[link_request.court_id] = link_request.court
        if link_request.status in LinkRequest.OPEN_STATUSES:
            open_requests[link_request.court_id] = link_request
    pending: set[str] = set()
    for registration in EfileRegistration.objects.filter(pacer_account=user).select_related(
        "court"
    ):
        courts[registration.court_id] = registration.court
        if registration.status == EfileRegistration.Status.PENDING_REVIEW:
            pending.add(registration.court_id)
    rights: set[str] = set()
    for right in FilingRight.objects.filter(holder=user, revoked_at__isnull=True).select_related(
        "court"
    ):
        courts[right.court_id] = right.court
        if right.case_id is None:
            rights.add(right.court_id)
    agents: Counter = Counter()
    for agent in FilingAgent.objects.filter(principal=user, removed_at__isnull=True).select_related(
        "court"
    ):
        courts[agent.court_id] = agent.court
        agents[agent.court_id] += 1
    return _Facts(
        mfa=Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists(),
        logins=logins,
        open_requests=open_requests,
        pending_registrations=pending,
        rights=rights,
        agents=agents,
        courts=courts,
    )


def _account_steps(user: User, facts: _Facts, today: dt.date) -> list[Step]:
    """The steps that do not depend on the court."""
    files = user.account_kind in FILER_KINDS
    steps = [
        Step(INDIVIDUAL, _("Individual PACER account (not shared)"), DONE)
        if not user.is_shared
        else Step(
            INDIVIDUAL,
            _("Individual PACER account (not shared)"),
            TODO,
            _("Register for your own individual PACER account: shared accounts cannot e-file."),
            reverse("accounts:register"),
        ),
        Step(UPGRADED, _("Upgraded PACER account"), DONE)
        if user.is_upgraded
        else Step(
            UPGRADED,
            _("Upgraded PACER account"),
            TODO,
            _("Upgrade your PACER account: only upgraded accounts work with NextGen."),
            reverse("accounts:upgrade"),
        ),
    ]
    if facts.mfa:
        steps.append(Step(MFA, _("Two-factor authentication"), DONE))
    else:
        steps.append(
            Step(
                MFA,
                _("Two-factor authentication"),
                TODO,
                _("Set up two-factor authentication."),
                reverse("mfa_index"),
                optional=not (files and _mfa_enforced(today)),
            )
        )
    return steps


def _court_steps(
    user: User, court: Court, facts: _Facts, today: dt.date
) -> tuple[list[Step], CmecfAccount | None]:
    login = facts.logins.get(court.pk)
    linked = login is not None and login.linked_account_id == user.pk
    live = court.is_nextgen_on(today)
    open_request = facts.open_requests.get(court.pk)
    steps: list[Step] = []
    # Knowing the court-issued login (seed 004: "you must know your current CM/ECF login and
    # password"; reset it before the deadline, after it only the help desk can).
    title = _("Know your court-issued CM/ECF login and password")
    if linked:
        steps.append(Step(KNOWS_LOGIN, title, DONE))
    elif login is None:
        steps.append(
            Step(
                KNOWS_LOGIN,
                title,
                NOT_NEEDED,
                _("No court-issued CM/ECF login of record: ask for e-file rights instead."),
            )
        )
    elif reset_open(court, today):
        deadline = court.password_reset_deadline
        action = (
            _("Check you know the password of login %(login)s; if not, reset it before %(day)s.")
            % {"login": login.login, "day": _day(deadline)}
            if deadline
            else _("Check you know the password of login %(login)s; if not, reset it.")
            % {"login": login.login}
        )
        steps.append(
            Step(
                KNOWS_LOGIN,
                title,
                TODO,
                action,
                reverse("linking:reset", args=[court.pk]),
                optional=True,
            )
        )
    else:
        phone = _help_desk_phone(court)
        action = (
            _("The reset deadline has passed: contact the court's ECF help desk at %(phone)s.")
            % {"phone": phone}
            if phone
            else _("The reset deadline has passed: contact the court's ECF help desk.")
        )
        steps.append(Step(KNOWS_LOGIN, title, TODO, action, optional=True))
    # The link, on or after go-live.
    title = _("Link your CM/ECF account to your PACER account")
    if linked:
        steps.append(Step(LINKED, title, DONE))
    elif login is None and open_request is None:
        steps.append(Step(LINKED, title, NOT_NEEDED, _("No court-issued login to link.")))
    elif open_request is not None:
        steps.append(
            Step(
                LINKED,
                title,
                BLOCKED,
                _("Waiting for the court to decide your link request."),
                reverse("linking:request", args=[open_request.pk]),
            )
        )
    elif not live:
        action = (
            _("Blocked until %(day)s: link on or after go-live day.")
            % {"day": _day(court.nextgen_date)}
            if court.nextgen_date
            else _("Blocked until the court announces its go-live date.")
        )
        steps.append(Step(LINKED, title, BLOCKED, action))
    else:
        steps.append(
            Step(
                LINKED,
                title,
                TODO,
                _("Link CM/ECF login %(login)s to your PACER account.") % {"login": login.login},
                reverse("linking:credentials", args=[court.pk]),
            )
        )
    # E-file rights.
    title = _("E-file rights in the court")
    audience = (
        "attorney" if user.account_kind == User.AccountKind.ATTORNEY_FILER else "non-attorney"
    )
    if court.pk in facts.rights:
        steps.append(Step(RIGHTS, title, DONE))
    elif court.pk in facts.pending_registrations:
        steps.append(
            Step(
                RIGHTS,
                title,
                BLOCKED,
                _("Waiting for the court to decide your e-file registration."),
                reverse("filing:registrations"),
            )
        )
    elif login is not None or open_request is not None:
        steps.append(
            Step(RIGHTS, title, BLOCKED, _("Linking your CM/ECF account gives you e-file rights."))
        )
    elif not live:
        steps.append(
            Step(
                RIGHTS,
                title,
                TODO,
                _("Before go-live the court registers filers itself: register on its ECF site."),
                reverse("filing:court_register", args=[court.pk]),
            )
        )
    else:
        steps.append(
            Step(
                RIGHTS,
                title,
                TODO,
                _("Ask the court for e-file rights (e-file registration)."),
                reverse("filing:register_in_court", args=[audience, court.pk]),
            )
        )
    # Filing agents (attorneys and trustees; optional).
    if user.account_kind == User.AccountKind.ATTORNEY_FILER:
        count = facts.agents.get(court.pk, 0)
        title = _("Filing agents set up")
        if count:
            steps.append(
                Step(
                    AGENTS,
                    title,
                    DONE,
                    _("%(count)s active filing agent(s).") % {"count": count},
                    reverse("filing:agents"),
                    optional=True,
                )
            )
        else:
            steps.append(
                Step(
                    AGENTS,
                    title,
                    TODO,
                    _("Designate the staff who file for you as filing agents."),
                    reverse("filing:agents"),
                    optional=True,
                )
            )
    return steps, login


def _for_court(user: User, court: Court, facts: _Facts, today: dt.date) -> CourtReadiness:
    steps, login = _court_steps(user, court, facts, today)
    return CourtReadiness(
        court=court,
        go_live=go_live_of(court, today),
        steps=_account_steps(user, facts, today) + steps,
        login=login,
    )


def person_readiness(*, user: User, today: dt.date) -> list[CourtReadiness]:
    """``user``'s readiness in every court they practise in, by court name. Seven queries
    whatever the number of courts."""
    facts = _facts(user)
    courts = sorted(facts.courts.values(), key=lambda court: (court.name, court.pk))
    return [_for_court(user, court, facts, today) for court in courts]


def court_readiness(*, user: User, court: Court, today: dt.date) -> CourtReadiness:
    """``user``'s readiness in ``court`` (one they practise in or any other they ask about)."""
    return _for_court(user, court, _facts(user), today)
