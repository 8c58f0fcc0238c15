"""Firm readiness for NextGen CM/ECF (beyond PACER: PACER's PAA only bills).

For each active member of a PACER Administrative Account: the account type, two-factor
authentication, the courts linked, the requests waiting (links, e-file registrations), the
filing rights and the filing agents designated, and the first step still missing. Only these
facts: never a case, a document or a charge.

Read-only. The whole report is a fixed number of queries whatever the number of members:
readiness is computed in the database (``Exists`` annotations, so "not ready only" pages
correctly), and each page's lists come from one filtered ``Prefetch`` per kind of fact, which
works on PostgreSQL and on the embedded SQLite alike.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts import rules
from accounts.models import PaaMembership, User
from courts.models import Court
from filing.models import EfileRegistration, FilingAgent, FilingRight
from linking.models import CmecfAccount, LinkRequest

PAGE_SIZE = 50
FILER_KINDS = (User.AccountKind.ATTORNEY_FILER, User.AccountKind.NON_ATTORNEY_FILER)
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


@dataclass(frozen=True)
class MemberReadiness:
    """One member's NextGen readiness: the facts, and the first step still missing
    (``missing_step``; empty when ready)."""

    membership_id: int
    name: str
    username: str
    account_number: str
    upgraded: bool
    shared: bool
    files: bool  # a filer (attorney or non-attorney); search-only accounts file nowhere
    mfa_enrolled: bool
    mfa_required: bool  # two-factor is enforced for this account today
    mfa_skips_left: int | None  # sign-ins left without two-factor, when it is due
    linked_courts: tuple[str, ...]
    pending_link_courts: tuple[str, ...]
    pending_registration_courts: tuple[str, ...]
    right_courts: tuple[str, ...]  # court-wide filing rights
    one_case_right_courts: tuple[str, ...]  # pro hac vice rights (the case is not shown)
    agents_by_court: tuple[tuple[str, int], ...]  # (court id, active agents designated)
    missing_step: str

    @property
    def ready(self) -> bool:
        return not self.missing_step


@dataclass(frozen=True)
class GoLive:
    """The filtered court's go-live date and the countdown on the training clock."""

    court_id: str
    name: str
    date: dt.date | None
    days_left: int | None  # None: no date announced; 0 or less: live
    live: bool


@dataclass(frozen=True)
class ReadinessReport:
    """A page of members (``rows``, with ``page`` for the pagination) and the firm's totals."""

    rows: list[MemberReadiness]
    page: Page
    members: int
    not_ready: int
    go_live: GoLive | None
    not_ready_only: bool


def _mfa_enforced(today: dt.date) -> bool:
    """Two-factor is enforced for filers from the enforcement date (``accounts.rules``)."""
    enforcement = settings.CSO_MFA_FILER_ENFORCEMENT_DATE
    return enforcement is not None and today >= enforcement


def _court_step_required(court: Court | None, today: dt.date) -> bool:
    """A filer needs filing rights in the court once it is on NextGen (linking opens on
    go-live day; before it the court registers filers itself). Without a court: rights in
    some court."""
    return court is None or court.is_nextgen_on(today)


def _annotated(memberships: QuerySet, court: Court | None) -> QuerySet:
    member = OuterRef("member")
    in_court = {"court": court} if court is not None else {}
    return memberships.annotate(
        has_mfa=Exists(Authenticator.objects.filter(user=member, type__in=MFA_TYPES)),
        has_right=Exists(
            FilingRight.objects.filter(
                holder=member, revoked_at__isnull=True, case__isnull=True, **in_court
            )
        ),
        is_linked=Exists(CmecfAccount.objects.filter(linked_account=member, **in_court)),
    )


def _not_ready_q(*, court: Court | None, today: dt.date) -> Q:
    """The database's version of :func:`_missing_step` (same order, same facts)."""
    filer = Q(member__account_kind__in=FILER_KINDS)
    q = Q(member__is_shared=True) | Q(member__account_type=User.AccountType.LEGACY)
    if _mfa_enforced(today):
        q |= filer & Q(has_mfa=False)
    if _court_step_required(court, today):
        q |= filer & Q(has_right=False) & Q(is_linked=False)
    return q


def _prefetches(court: Court | None) -> list[Prefetch]:
    in_court = {"court": court} if court is not None else {}
    return [
        Prefetch(
            "member__cmecf_accounts",
            queryset=CmecfAccount.objects.filter(**in_court)
            .only("pk", "court_id", "linked_account_id")
            .order_by("court_id"),
            to_attr="readiness_linked",
        ),
        Prefetch(
            "member__link_requests",
            queryset=LinkRequest.objects.filter(status__in=LinkRequest.OPEN_STATUSES, **in_court)
            .only("pk", "court_id", "pacer_account_id")
            .order_by("court_id"),
            to_attr="readiness_links",
        ),
        Prefetch(
            "member__efile_registrations",
            queryset=EfileRegistration.objects.filter(
                status=EfileRegistration.Status.PENDING_REVIEW, **in_court
            )
            .only("pk", "court_id", "pacer_account_id")
            .order_by("court_id"),
            to_attr="readiness_registrations",
        ),
        Prefetch(
            "member__filing_rights",
            queryset=FilingRight.objects.filter(revoked_at__isnull=True, **in_court)
            .only("pk", "court_id", "case_id", "holder_id")
            .order_by("court_id"),
            to_attr="readiness_rights",
        ),
        Prefetch(
            "member__filing_agents",
            queryset=FilingAgent.objects.filter(removed_at__isnull=True, **in_court)
            .only("pk", "court_id", "principal_id")
            .order_by("court_id"),
            to_attr="readiness_agents",
        ),
    ]


def _courts(rows) -> tuple[str, ...]:
    return tuple(sorted({row.court_id for row in rows}))


def _missing_step(
    *,
    member: User,
    files: bool,
    mfa_enrolled: bool,
    court_ready: bool,
    pending: tuple[str, ...],
    court: Court | None,
    today: dt.date,
) -> str:
    """The first step the member still has to take (empty when none), in the order NextGen
    asks for them: an individual account, upgraded, two-factor, then filing rights."""
    if member.is_shared:
        return _("Get an individual PACER account")
    if not member.is_upgraded:
        return _("Upgrade the account")
    if files and _mfa_enforced(today) and not mfa_enrolled:
        return _("Set up two-factor")
    if files and _court_step_required(court, today) and not court_ready:
        if pending:
            return _("Wait for %(court)s to approve") % {"court": pending[0]}
        if court is not None:
            return _("Link or register in %(court)s") % {"court": court.pk}
        return _("Link or register in a court")
    return ""


def _row(membership: PaaMembership, *, court: Court | None, today: dt.date) -> MemberReadiness:
    member = membership.member
    files = member.account_kind in FILER_KINDS
    mfa_required = files and _mfa_enforced(today)
    rights = member.readiness_rights
    pending_links = _courts(member.readiness_links)
    pending_registrations = _courts(member.readiness_registrations)
    agents = Counter(agent.court_id for agent in member.readiness_agents)
    return MemberReadiness(
        membership_id=membership.pk,
        name=member.full_name or member.username,
        username=member.username,
        account_number=member.account_number,
        upgraded=member.is_upgraded,
        shared=member.is_shared,
        files=files,
        mfa_enrolled=membership.has_mfa,
        mfa_required=mfa_required,
        mfa_skips_left=(
            max(0, rules.MFA_PROMPT_SKIPS_ALLOWED - member.mfa_prompt_skips)
            if mfa_required and not membership.has_mfa
            else None
        ),
        linked_courts=_courts(member.readiness_linked),
        pending_link_courts=pending_links,
        pending_registration_courts=pending_registrations,
        right_courts=_courts(r for r in rights if r.case_id is None),
        one_case_right_courts=_courts(r for r in rights if r.case_id is not None),
        agents_by_court=tuple(sorted(agents.items())),
        missing_step=_missing_step(
            member=member,
            files=files,
            mfa_enrolled=membership.has_mfa,
            court_ready=membership.has_right or membership.is_linked,
            pending=tuple(sorted(set(pending_links) | set(pending_registrations))),
            court=court,
            today=today,
        ),
    )


def go_live_of(court: Court, today: dt.date) -> GoLive:
    return GoLive(
        court_id=court.pk,
        name=court.name,
        date=court.nextgen_date,
        days_left=court.days_until_go_live(today),
        live=court.is_nextgen_on(today),
    )


def firm_readiness(
    *,
    memberships: QuerySet,
    today: dt.date,
    court: Court | None = None,
    not_ready_only: bool = False,
    page_number: int | str | None = None,
    per_page: int = PAGE_SIZE,
) -> ReadinessReport:
    """The readiness of the members in ``memberships`` (a PAA's active memberships, from
    ``filing.access.paa_members``), for NextGen in general or for ``court``, one page of
    ``per_page`` members ordered by name. ``not_ready_only`` keeps those with a step
    missing. A fixed number of queries: the totals (which count the pages too), the page,
    and one query per kind of fact."""
    annotated = _annotated(memberships, court)
    not_ready_q = _not_ready_q(court=court, today=today)
    totals = annotated.aggregate(members=Count("pk"), not_ready=Count("pk", filter=not_ready_q))
    listed = annotated.filter(not_ready_q) if not_ready_only else annotated
    listed = listed.prefetch_related(*_prefetches(court)).order_by(
        "member__last_name", "member__first_name", "member__pk"
    )
    paginator = Paginator(listed, per_page)
    # The totals above counted the listed members already: spare the paginator's COUNT.
    paginator.count = totals["not_ready"] if not_ready_only else totals["members"]
    page = paginator.get_page(page_number)
    return ReadinessReport(
        rows=[_row(membership, court=court, today=today) for membership in page.object_list],
        page=page,
        members=totals["members"],
        not_ready=totals["not_ready"],
        go_live=go_live_of(court, today) if court is not None else None,
        not_ready_only=not_ready_only,
    )
