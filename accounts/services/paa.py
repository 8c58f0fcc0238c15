"""PACER Administrative Accounts: the firm's PAA, membership by consent, and its settings.

Membership is a state machine (``requested → active → ended``, or ``declined`` /
``withdrawn``): each move locks the row, checks where it starts from
(:class:`IllegalTransition` otherwise), writes a :class:`PaaMembershipEvent`, and emails both
sides through the outbox. While ``active``, the member's new PACER charges bill to the PAA
(``accounts.services.billing.payer_for``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from accounts.models import CostCenter, PaaMembership, PaaMembershipEvent, PaaProfile, User
from cso_portal import clock
from cso_portal.core import ratelimit
from cso_portal.core.services import queue_email

logger = logging.getLogger(__name__)

Status = PaaMembership.Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.ACTIVE: (Status.REQUESTED,),
    Status.DECLINED: (Status.REQUESTED,),
    Status.WITHDRAWN: (Status.REQUESTED,),
    Status.ENDED: (Status.ACTIVE,),
}

# Add-member attempts per PAA (and per IP) per hour: the pair (last name, account number)
# must not become an oracle for which accounts exist.
ADD_ATTEMPTS_PER_HOUR = 20
# One message for every pair that cannot be added (no enumeration).
NO_MATCH = (
    "No individual PACER account matches that last name and account number, or that account "
    "cannot be added. Check both with the account holder."
)


class PaaError(Exception):
    """Base of the PAA services' refusals; carries the message to show."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class PaaRefused(PaaError):
    """The PAA change may not be made (wrong pair, legacy PAA, already a member…)."""


class TooManyAttempts(PaaError):
    """Too many add-member attempts: try again later."""


class IllegalTransition(PaaError):
    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"{from_status} → {to_status} is not allowed")
        self.from_status = from_status
        self.to_status = to_status


def is_paa(user) -> bool:
    return getattr(user, "account_kind", None) == User.AccountKind.PAA


def refusal_to_manage_members(paa: User) -> str | None:
    """Why ``paa`` may not add, remove or list members now, or None. A legacy PAA must
    upgrade first (viewing usage and paying are allowed before)."""
    if not is_paa(paa):
        return _("Only a PACER Administrative Account manages members.")
    if not paa.is_upgraded:
        return _(
            "Your PAA is a legacy account. Upgrade it before you add, remove or list members; "
            "you can still view usage and pay."
        )
    if rules.mfa_prompt_due(paa, timezone.localdate(clock.now())) and not rules.mfa_skip_allowed(
        paa
    ):
        return _("Set up two-factor authentication before you manage the PAA's members.")
    return None


@transaction.atomic
def create_paa_profile(*, account: User, firm_name: str, now: dt.datetime) -> PaaProfile:
    """The firm details of a newly registered PAA (called by the registration service)."""
    return PaaProfile.objects.create(
        account=account, firm_name=(firm_name or "").strip()[:200], created_at=now
    )


# Membership ---------------------------------------------------------------------------------


def _lock(membership: PaaMembership | int) -> PaaMembership:
    pk = membership if isinstance(membership, int) else membership.pk
    return (
        PaaMembership.objects.select_for_update(of=("self",))
        .select_related("paa", "member", "paa__paa_profile")
        .get(pk=pk)
    )


def _transition(
    membership: PaaMembership, to_status: str, *, actor, reason: str, now: dt.datetime, **fields
) -> PaaMembership:
    from_status = membership.status
    if from_status not in TRANSITIONS[to_status]:
        raise IllegalTransition(from_status, to_status)
    membership.status = to_status
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save(update_fields=["status", *fields])
    PaaMembershipEvent.objects.create(
        membership=membership,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason[:500],
        created_at=now,
    )
    logger.info(
        "PAA membership %s: %s → %s by %s",
        membership.pk,
        from_status,
        to_status,
        getattr(actor, "pk", "system"),
    )
    return membership


def _tell_both(membership: PaaMembership, kind: str, **context) -> None:
    """Email the member and the PAA's administrator about ``kind`` (once each)."""
    profile = getattr(membership.paa, "paa_profile", None)
    base = {
        "membership_id": membership.pk,
        "firm_name": profile.firm_name if profile else membership.paa.username,
        "paa_account_number": membership.paa.account_number,
        "member_name": membership.member.full_name or membership.member.username,
        "member_account_number": membership.member.account_number,
        "remark": membership.remark,
        **context,
    }
    for side, user in (("member", membership.member), ("paa", membership.paa)):
        if user.email:
            queue_email(
                dedupe_key=f"paa:{kind}:{membership.pk}:{side}",
                to=user.email,
                template=f"accounts/email/paa_{kind}_{side}",
                context=base,
            )


@transaction.atomic(durable=True)
def request_membership(
    *, paa: User, last_name: str, account_number: str, ip: str | None, now: dt.datetime
) -> PaaMembership:
    """The administrator asks the holder of account ``account_number`` (whose last name is
    ``last_name``) to join the PAA. Nothing changes for the holder until they accept.

    Every pair that cannot be added — unknown, another last name, a PAA, the PAA itself, a
    pending or active membership — gets one generic :class:`PaaRefused` (no enumeration);
    attempts are limited per PAA and per IP (:class:`TooManyAttempts`), counted before any
    lookup."""
    refusal = refusal_to_manage_members(paa)
    if refusal:
        raise PaaRefused(refusal)
    for scope, key in (("paa-add", str(paa.pk)), ("paa-add-ip", ip or "unknown")):
        if not ratelimit.hit(scope, key, limit=ADD_ATTEMPTS_PER_HOUR, window_seconds=3600):
            raise TooManyAttempts(_("Too many attempts to add members. Try again in an hour."))
    number = re.sub(r"\D", "", account_number or "")
    name = (last_name or "").strip().casefold()
    member = User.objects.filter(account_number=number).first() if len(number) == 7 else None
    if (
        member is None
        or not name
        or member.last_name.strip().casefold() != name
        or member.pk == paa.pk
        or is_paa(member)
        or not member.is_active
    ):
        raise PaaRefused(_(NO_MATCH))
    try:
        with transaction.atomic():
            membership = PaaMembership.objects.create(
                paa=paa, member=member, status=Status.REQUESTED, requested_at=now
            )
    except IntegrityError:
        raise PaaRefused(_(NO_MATCH)) from None
    PaaMembershipEvent.objects.create(
        membership=membership,
        from_status="",
        to_status=Status.REQUESTED,
        actor=paa,
        created_at=now,
    )
    _tell_both(membership, "requested")
    return membership


@transaction.atomic(durable=True)
def accept_membership(*, membership: PaaMembership, now: dt.datetime) -> PaaMembership:
    """The holder accepts: from now on their new PACER charges bill to the PAA. Refused
    (:class:`PaaRefused`) while they are an active member of another PAA — they leave it
    first. The caller fetched ``membership`` as the holder's."""
    membership = _lock(membership)
    if (
        PaaMembership.objects.filter(member=membership.member, status=Status.ACTIVE)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise PaaRefused(
            _("You are a member of another PAA. Leave it first, then accept this request.")
        )
    try:
        with transaction.atomic():
            _transition(
                membership,
                Status.ACTIVE,
                actor=membership.member,
                reason="",
                now=now,
                started_at=now,
            )
    except IntegrityError:  # joined another PAA meanwhile
        raise PaaRefused(
            _("You are a member of another PAA. Leave it first, then accept this request.")
        ) from None
    _tell_both(membership, "joined")
    return membership


@transaction.atomic(durable=True)
def decline_membership(*, membership: PaaMembership, now: dt.datetime) -> PaaMembership:
    """The holder declines the request; nothing changes for their account."""
    locked = _lock(membership)
    membership = _transition(
        locked, Status.DECLINED, actor=locked.member, reason="", now=now, ended_at=now
    )
    _tell_both(membership, "declined")
    return membership


@transaction.atomic(durable=True)
def withdraw_membership(*, membership: PaaMembership, now: dt.datetime) -> PaaMembership:
    """The administrator withdraws a request the holder has not answered."""
    locked = _lock(membership)
    membership = _transition(
        locked, Status.WITHDRAWN, actor=locked.paa, reason="", now=now, ended_at=now
    )
    _tell_both(membership, "withdrawn")
    return membership


@transaction.atomic(durable=True)
def remove_members(
    *, paa: User, memberships: Iterable[PaaMembership], remark: str, now: dt.datetime
) -> list[PaaMembership]:
    """PAA Maintenance → "Remove PACER Account(s) from My PAA": end these active
    memberships of ``paa`` now, with the administrator's remark (required). From now on
    each account's new charges bill to the account again."""
    refusal = refusal_to_manage_members(paa)
    if refusal:
        raise PaaRefused(refusal)
    remark = (remark or "").strip()
    if not remark:
        raise PaaRefused(_("Give a remark: it is emailed to each account holder."))
    ended = []
    for membership in memberships:
        locked = _lock(membership)
        if locked.paa_id != paa.pk:
            raise PaaRefused(_(NO_MATCH))
        _transition(
            locked,
            Status.ENDED,
            actor=paa,
            reason=remark,
            now=now,
            ended_at=now,
            remark=remark[:500],
        )
        _tell_both(locked, "removed")
        ended.append(locked)
    return ended


@transaction.atomic(durable=True)
def leave_paa(*, membership: PaaMembership, now: dt.datetime) -> PaaMembership:
    """The member leaves the PAA themself; new charges bill to their own account again."""
    locked = _lock(membership)
    membership = _transition(
        locked,
        Status.ENDED,
        actor=locked.member,
        reason=_("Left by the account holder."),
        now=now,
        ended_at=now,
    )
    _tell_both(membership, "left")
    return membership


# Settings -----------------------------------------------------------------------------------


@transaction.atomic
def set_client_code_required(*, paa: User, required: bool) -> PaaProfile:
    """Make client codes mandatory (or optional) for the PAA's members' billable views."""
    profile = PaaProfile.objects.select_for_update().get(account=paa)
    profile.client_code_required = required
    profile.save(update_fields=["client_code_required"])
    return profile


@transaction.atomic
def create_cost_center(*, paa: User, name: str, now: dt.datetime) -> CostCenter:
    name = (name or "").strip()[:100]
    if not name:
        raise PaaRefused(_("Give the cost center a name."))
    try:
        with transaction.atomic():
            return CostCenter.objects.create(paa=paa, name=name, created_at=now)
    except IntegrityError:
        raise PaaRefused(_("The PAA has a cost center of that name already.")) from None


@transaction.atomic
def assign_cost_center(
    *, paa: User, memberships: Iterable[PaaMembership], cost_center: CostCenter | None
) -> int:
    """Put these active memberships of ``paa`` in ``cost_center`` (None: in none)."""
    if cost_center is not None and cost_center.paa_id != paa.pk:
        raise PaaRefused(_("That cost center is not this PAA's."))
    ids = [m.pk for m in memberships]
    return PaaMembership.objects.filter(pk__in=ids, paa=paa, status=Status.ACTIVE).update(
        cost_center=cost_center
    )


def client_code_required_for(account: User) -> bool:
    """True when ``account`` is an active member of a PAA that made client codes mandatory."""
    return PaaMembership.objects.filter(
        member=account, status=Status.ACTIVE, paa__paa_profile__client_code_required=True
    ).exists()
