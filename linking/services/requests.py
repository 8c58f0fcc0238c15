"""The link request workflow: a state machine, one service per transition.

``submitted → verified → pending_review → approved | rejected``, plus ``cancelled`` (by the
requester while open), ``expired`` (no decision in the court's number of days) and
``failed`` (a precondition stopped holding before review). Courts that need no review go
``verified → approved``. Every transition locks the row (or claims it with a conditional
UPDATE), checks the state it starts from, raises :class:`IllegalTransition` otherwise,
writes a :class:`LinkEvent` and queues follow-up work (tasks, outbox emails) for after the
commit. Business stamps take ``now`` from the caller (the training clock, ``clock.now()``);
``processing_enqueued_at`` is operational and keeps real time (``clock.real_now()``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import refusal_to_link_or_file
from courts.models import Court
from cso_portal import clock
from cso_portal.core.services import queue_email
from linking import tasks
from linking.errors import IllegalTransition, LinkRefused, ReasonRequired
from linking.models import CmecfAccount, LinkEvent, LinkRequest
from linking.signals import link_approved

logger = logging.getLogger(__name__)

Status = LinkRequest.Status
OPEN = tuple(LinkRequest.OPEN_STATUSES)

# A request still ``submitted`` this long (real time) after its task was queued lost its
# message or its worker: the sweeper queues it again.
SWEEP_AFTER = dt.timedelta(minutes=2)
# Rows handled per beat run (the next run takes the rest).
BATCH = 500
# Requests listed in one clerk digest email (the count covers them all).
DIGEST_LIST_LIMIT = 50

# Where each move may start from (the public services; the processor's internal moves use
# the same table).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.VERIFIED: (Status.SUBMITTED,),
    Status.PENDING_REVIEW: (Status.VERIFIED,),
    Status.APPROVED: (Status.PENDING_REVIEW,),  # and VERIFIED for no-review courts (processor)
    Status.REJECTED: (Status.PENDING_REVIEW,),
    Status.CANCELLED: OPEN,
    Status.EXPIRED: OPEN,
    Status.FAILED: (Status.VERIFIED,),
}

# Seed 003: several logins in one court become filing agents, not several links.
ALREADY_LINKED_IN_COURT = (
    "Your PACER account is already linked to a CM/ECF login in this court, and a PACER "
    "account links only one. If you held several filing logins here, use filing agents — "
    "each with their own upgraded PACER account — for the others."
)
OPEN_REQUEST_EXISTS = (
    "You already have a link request for this court waiting. Wait for the court's decision, "
    "or cancel that request first."
)


# Preconditions ------------------------------------------------------------------------------


def _verified_addresses(user) -> list[str]:
    """The account's verified email addresses (primary first), without duplicates."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk")
    seen: dict[str, str] = {}
    for address in addresses.values_list("email", flat=True):
        seen.setdefault(address.strip().lower(), address.strip())
    return list(seen.values())


def _format_day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def link_refusal(
    *,
    pacer_account,
    cmecf_account: CmecfAccount,
    now: dt.datetime,
    exclude_request_id: int | None = None,
) -> str | None:
    """Why ``pacer_account`` may not link ``cmecf_account`` at ``now``, or None.

    The checks, each with its own message: the account rules (shared, legacy, MFA…), a
    verified email address, the court on NextGen today, the CM/ECF login not linked (to
    anyone) and usable, the PACER account not linked in that court already, and no other
    open request of this account in that court (``exclude_request_id`` leaves one out: the
    processor re-checks a request against everything but itself).
    """
    today = timezone.localdate(now)
    refusal = refusal_to_link_or_file(pacer_account, today)
    if refusal:
        return str(refusal)
    if not _verified_addresses(pacer_account):
        return _("Verify your email address before you link a CM/ECF account.")
    court: Court = cmecf_account.court
    if not court.is_nextgen_on(today):
        if court.nextgen_date:
            return _("Linking opens on %(day)s, when %(court)s goes live on NextGen CM/ECF.") % {
                "day": _format_day(court.nextgen_date),
                "court": court.name,
            }
        return _(
            "%(court)s has not announced its NextGen CM/ECF go-live date; linking opens on "
            "that date."
        ) % {"court": court.name}
    if cmecf_account.linked_account_id == pacer_account.pk:
        return _("This CM/ECF account is already linked to your PACER account.")
    if cmecf_account.linked_account_id is not None:
        return _(
            "This CM/ECF account is already linked to a PACER account. If it is yours, "
            "contact the court's ECF help desk."
        )
    if cmecf_account.status != CmecfAccount.Status.ACTIVE:
        return _("This CM/ECF login can no longer be used. Contact the court's ECF help desk.")
    if CmecfAccount.objects.filter(court=court, linked_account=pacer_account).exists():
        return _(ALREADY_LINKED_IN_COURT)
    open_requests = LinkRequest.objects.filter(
        pacer_account=pacer_account, court=court, status__in=OPEN
    )
    if exclude_request_id is not None:
        open_requests = open_requests.exclude(pk=exclude_request_id)
    if open_requests.exists():
        return _(OPEN_REQUEST_EXISTS)
    return None


# Flags for the clerk ------------------------------------------------------------------------

_NAME_NOISE = {"jr", "sr", "ii", "iii", "iv", "esq", "mr", "mrs", "ms", "dr"}


def _name_tokens(name: str) -> frozenset[str]:
    """A name as a set of words: accents, case, punctuation, order, initials and suffixes
    don't count ("Smith, John A., Esq." and "John Smith" are the same name)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    return frozenset(word for word in words if len(word) > 1 and word not in _NAME_NOISE)


def compute_flags(*, request: LinkRequest) -> list[str]:
    """What a clerk should look at: a different name, an email of record not on the PACER
    account, other open requests for the same CM/ECF login."""
    from allauth.account.models import EmailAddress

    pacer = request.pacer_account
    cmecf = request.cmecf_account
    flags = []
    if _name_tokens(pacer.full_name) != _name_tokens(cmecf.holder_name):
        flags.append(LinkRequest.Flag.NAME_DIFFERS.value)
    emails = {pacer.email.strip().lower()} | {
        address.strip().lower()
        for address in EmailAddress.objects.filter(user=pacer).values_list("email", flat=True)
    }
    if cmecf.email_of_record.strip().lower() not in emails:
        flags.append(LinkRequest.Flag.EMAIL_DIFFERS.value)
    others = LinkRequest.objects.filter(cmecf_account=cmecf, status__in=OPEN).exclude(pk=request.pk)
    if others.exists():
        flags.append(LinkRequest.Flag.SEVERAL_REQUESTS_FOR_LOGIN.value)
    return flags


# Transition plumbing ------------------------------------------------------------------------


def _lock(request: LinkRequest | int) -> LinkRequest:
    """The request, re-read and locked for this transaction (with what emails need)."""
    pk = request if isinstance(request, int) else request.pk
    return (
        LinkRequest.objects.select_for_update(of=("self",))
        .select_related("court", "pacer_account", "cmecf_account")
        .get(pk=pk)
    )


def _transition(
    request: LinkRequest,
    to_status: str,
    *,
    allowed_from: Iterable[str],
    actor,
    reason: str,
    now: dt.datetime,
    keep_reason: bool = False,
    **fields,
) -> LinkRequest:
    """Move a locked request to ``to_status`` with its event; raise if it may not.

    ``keep_reason`` also stores the reason on the request (decisions the holder sees)."""
    from_status = request.status
    if from_status not in tuple(allowed_from):
        raise IllegalTransition(from_status, to_status)
    if keep_reason:
        fields["reason"] = reason
    request.status = to_status
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", *fields])
    LinkEvent.objects.create(
        request=request,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        created_at=now,
    )
    logger.info(
        "link request %s: %s → %s by %s",
        request.pk,
        from_status,
        to_status,
        getattr(actor, "pk", "system"),
    )
    return request


def _email_context(request: LinkRequest) -> dict:
    """Plain values every linking email may show (no links, no secrets)."""
    court = request.court
    return {
        "request_id": request.pk,
        "court_id": court.pk,
        "court_name": court.name,
        "court_type": court.court_type,
        "cmecf_login": request.cmecf_account.login,
        "holder_name": request.cmecf_account.holder_name,
        "username": request.pacer_account.username,
        "help_desk": [
            {"phone": str(item.get("phone", "")), "division": str(item.get("division", ""))}
            for item in (court.help_desk or [])
            if isinstance(item, dict) and item.get("phone")
        ],
    }


def _tell_requester(request: LinkRequest, kind: str, **context) -> None:
    """Queue the ``kind`` email (rejected, expired, failed) to the requester, once."""
    queue_email(
        dedupe_key=f"linking:{kind}:{request.pk}",
        to=request.pacer_account.email,
        template=f"linking/email/{kind}",
        context={**_email_context(request), **context},
    )


# Submit and process -------------------------------------------------------------------------


@transaction.atomic(durable=True)
def submit_link_request(*, pacer_account, cmecf_account: CmecfAccount, now: dt.datetime):
    """Create a ``submitted`` request to link ``cmecf_account`` to ``pacer_account``.

    Call after :func:`check_cmecf_credentials` proved the password and the holder confirmed
    the two accounts. Raises :class:`LinkRefused` with the message to show when a
    precondition fails (see :func:`link_refusal`). The request expires after the court's
    ``link_request_expiry_days``; processing is queued after commit (and re-queued by the
    sweeper if that message is lost).
    """
    cmecf = CmecfAccount.objects.select_for_update(of=("self",)).select_related("court")
    cmecf = cmecf.get(pk=cmecf_account.pk)
    refusal = link_refusal(pacer_account=pacer_account, cmecf_account=cmecf, now=now)
    if refusal:
        raise LinkRefused(refusal)
    court = cmecf.court
    try:
        with transaction.atomic():
            request = LinkRequest.objects.create(
                pacer_account=pacer_account,
                court=court,
                cmecf_account=cmecf,
                status=Status.SUBMITTED,
                submitted_at=now,
                expires_at=now + dt.timedelta(days=court.link_request_expiry_days),
                processing_enqueued_at=clock.real_now(),
            )
    except IntegrityError:  # a concurrent submit for the same court won the race
        raise LinkRefused(_(OPEN_REQUEST_EXISTS)) from None
    LinkEvent.objects.create(
        request=request,
        from_status="",
        to_status=Status.SUBMITTED,
        actor=pacer_account,
        reason="",
        created_at=now,
    )
    logger.info(
        "link request %s: → submitted by %s court=%s login=%s",
        request.pk,
        pacer_account.pk,
        court.pk,
        cmecf.login,
    )
    tasks.process_link_request.delay_on_commit(request_id=request.pk)
    return request


@transaction.atomic(durable=True)
def process_link_request(*, request_id: int, now: dt.datetime) -> LinkRequest | None:
    """The task behind a submitted request: verify it and put it before the court.

    Claims ``submitted → verified`` with a conditional UPDATE; when another run did (or is
    doing) it, returns None and changes nothing. Then re-checks the preconditions (no
    longer holding → ``failed`` and the requester is emailed), records the flags, and moves
    to ``pending_review`` — awaiting the next clerk digest, no email per request — or, in a
    court that needs no review, straight to ``approved`` (actor None). All in one
    transaction: a crash leaves the request ``submitted`` for the sweeper.
    """
    claimed = LinkRequest.objects.filter(pk=request_id, status=Status.SUBMITTED).update(
        status=Status.VERIFIED, verified_at=now
    )
    if not claimed:
        logger.info("link request %s is not waiting for processing; nothing to do", request_id)
        return None
    request = _lock(request_id)
    # Lock the CM/ECF login too: the re-check and the approval must see the same row.
    request.cmecf_account = (
        CmecfAccount.objects.select_for_update(of=("self",))
        .select_related("court")
        .get(pk=request.cmecf_account_id)
    )
    LinkEvent.objects.create(
        request=request,
        from_status=Status.SUBMITTED,
        to_status=Status.VERIFIED,
        actor=None,
        reason="",
        created_at=now,
    )
    refusal = link_refusal(
        pacer_account=request.pacer_account,
        cmecf_account=request.cmecf_account,
        now=now,
        exclude_request_id=request.pk,
    )
    if refusal:
        return _fail(request, reason=refusal, now=now)
    request.flags = compute_flags(request=request)
    request.save(update_fields=["flags"])
    if request.court.link_review_required:
        return _transition(
            request,
            Status.PENDING_REVIEW,
            allowed_from=TRANSITIONS[Status.PENDING_REVIEW],
            actor=None,
            reason="",
            now=now,
        )
    return _approve(request, actor=None, now=now, allowed_from=(Status.VERIFIED,))


def _fail(request: LinkRequest, *, reason: str, now: dt.datetime) -> LinkRequest:
    """A verified request whose preconditions stopped holding: ``failed``, requester told."""
    _transition(
        request,
        Status.FAILED,
        allowed_from=TRANSITIONS[Status.FAILED],
        actor=None,
        reason=reason,
        now=now,
        keep_reason=True,
        decided_at=now,
    )
    _tell_requester(request, "failed", reason=reason)
    return request


# Decisions ----------------------------------------------------------------------------------


def _approve(
    request: LinkRequest, *, actor, now: dt.datetime, allowed_from: Iterable[str]
) -> LinkRequest:
    """Link and retire the CM/ECF login, approve the locked request, email every verified
    address of the PACER account (once each)."""
    if request.status not in tuple(allowed_from):
        raise IllegalTransition(request.status, Status.APPROVED)
    linked = CmecfAccount.objects.filter(
        pk=request.cmecf_account_id,
        linked_account__isnull=True,
        status=CmecfAccount.Status.ACTIVE,
    )
    already_in_court = CmecfAccount.objects.filter(
        court_id=request.court_id, linked_account_id=request.pacer_account_id
    ).exists()
    if already_in_court:
        raise LinkRefused(_(ALREADY_LINKED_IN_COURT))
    try:
        with transaction.atomic():
            changed = linked.update(
                linked_account_id=request.pacer_account_id,
                linked_at=now,
                status=CmecfAccount.Status.RETIRED,
                failed_attempts=0,
                locked_until=None,
            )
    except IntegrityError:  # linked in this court meanwhile (one link per court)
        raise LinkRefused(_(ALREADY_LINKED_IN_COURT)) from None
    if not changed:
        raise LinkRefused(
            _("This CM/ECF account is already linked, or the court no longer lets it be used.")
        )
    request.cmecf_account.refresh_from_db()
    _transition(
        request,
        Status.APPROVED,
        allowed_from=allowed_from,
        actor=actor,
        reason="" if actor else _("This court links accounts without review."),
        now=now,
        decided_at=now,
        decided_by=actor,
    )
    # The login's filing rights in this court move to the PACER account (filing's receiver).
    link_approved.send(sender=LinkRequest, link_request=request, now=now)
    context = _email_context(request)
    for address in _verified_addresses(request.pacer_account):
        queue_email(
            dedupe_key=f"linking:linked:{request.pk}:{address.lower()}",
            to=address,
            template="linking/email/linked",
            context=context,
        )
    return request


@transaction.atomic(durable=True)
def approve_link_request(*, request: LinkRequest, actor, now: dt.datetime) -> LinkRequest:
    """The court approves: in one transaction the CM/ECF login is linked to the PACER
    account and retired as a login, the request is ``approved`` (decided_at/by), and every
    verified address of the PACER account gets one "your account has been linked" email.

    Legal only from ``pending_review`` (raises :class:`IllegalTransition`); raises
    :class:`LinkRefused` if the login or the account was linked meanwhile. The caller
    authorizes ``actor`` (``linking.access.get_link_request_for_clerk``).
    """
    return _approve(_lock(request), actor=actor, now=now, allowed_from=(Status.PENDING_REVIEW,))


@transaction.atomic(durable=True)
def reject_link_request(
    *, request: LinkRequest, actor, reason: str, now: dt.datetime
) -> LinkRequest:
    """The court rejects, saying why (:class:`ReasonRequired` without a reason). The
    requester is emailed the reason and what to do next (seed 002): try again, call the
    court's help desk, or submit an e-file registration request. From ``pending_review``."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    request = _transition(
        _lock(request),
        Status.REJECTED,
        allowed_from=TRANSITIONS[Status.REJECTED],
        actor=actor,
        reason=reason,
        now=now,
        keep_reason=True,
        decided_at=now,
        decided_by=actor,
    )
    _tell_requester(request, "rejected", reason=reason)
    return request


@transaction.atomic(durable=True)
def cancel_link_request(*, request: LinkRequest, actor, now: dt.datetime) -> LinkRequest:
    """The requester withdraws an open request (submitted, verified or pending review).
    The caller gets the request through ``linking.access.get_link_request_for_holder``."""
    return _transition(
        _lock(request),
        Status.CANCELLED,
        allowed_from=TRANSITIONS[Status.CANCELLED],
        actor=actor,
        reason=_("Cancelled by the requester."),
        now=now,
        keep_reason=True,
        decided_at=now,
        decided_by=actor,
    )


@transaction.atomic
def cancel_open_requests_after_password_reset(*, user, now: dt.datetime) -> int:
    """A password reset withdraws the account's open link requests (allauth's
    ``password_reset`` signal): whoever knew the old password may have started them, and the
    holder starts again if the request was theirs. Returns how many were cancelled."""
    ids = list(
        LinkRequest.objects.filter(pacer_account=user, status__in=OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for request_id in ids:
        _transition(
            _lock(request_id),
            Status.CANCELLED,
            allowed_from=TRANSITIONS[Status.CANCELLED],
            actor=user,
            reason=_("Cancelled: the account's password was reset."),
            now=now,
            keep_reason=True,
            decided_at=now,
            decided_by=user,
        )
    return len(ids)
