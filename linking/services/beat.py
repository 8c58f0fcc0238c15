"""The link requests' beat work: expiry, the sweeper for lost messages, re-queueing, and the
clerk digest. Each run is one transaction that skips rows another run holds, so two beats
never act on the same request, and a re-run finds nothing left to do."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courts.models import Court, CourtStaff
from cso_portal.core.services import queue_email
from linking import tasks
from linking.models import ClerkDigest, LinkRequest
from linking.services.requests import (
    BATCH,
    DIGEST_LIST_LIMIT,
    OPEN,
    SWEEP_AFTER,
    TRANSITIONS,
    Status,
    _tell_requester,
    _transition,
)

logger = logging.getLogger(__name__)


@transaction.atomic(durable=True)
def expire_link_requests(*, now: dt.datetime) -> int:
    """Beat: open requests past ``expires_at`` become ``expired``; each requester is
    emailed. Returns how many (at most BATCH per run; locked rows are left for later)."""
    ids = list(
        LinkRequest.objects.select_for_update(skip_locked=True)
        .filter(status__in=OPEN, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    requests = LinkRequest.objects.filter(pk__in=ids).select_related(
        "court", "pacer_account", "cmecf_account"
    )
    for request in requests:
        days = request.court.link_request_expiry_days
        _transition(
            request,
            Status.EXPIRED,
            allowed_from=TRANSITIONS[Status.EXPIRED],
            actor=None,
            reason=_("No decision within %(days)s days.") % {"days": days},
            now=now,
            keep_reason=True,
            decided_at=now,
        )
        _tell_requester(request, "expired", expiry_days=days)
    return len(ids)


@transaction.atomic(durable=True)
def enqueue_link_processing(*, request_ids: Iterable[int], now: dt.datetime) -> int:
    """Queue the processing task (after commit) for these requests, whatever their state:
    the task itself does nothing for a request no longer ``submitted``. ``now`` is real
    time (it stamps ``processing_enqueued_at``). Returns how many were queued."""
    ids = sorted(set(request_ids))
    LinkRequest.objects.filter(pk__in=ids).update(processing_enqueued_at=now)
    for request_id in ids:
        tasks.process_link_request.delay_on_commit(request_id=request_id)
    return len(ids)


@transaction.atomic(durable=True)
def sweep_link_requests(*, now: dt.datetime, stale_after: dt.timedelta = SWEEP_AFTER) -> int:
    """Beat: queue processing again for requests still ``submitted`` ``stale_after`` (real
    time; ``now`` is ``clock.real_now()``) after it was last queued — a lost message or a
    dead worker. Returns how many."""
    stale = list(
        LinkRequest.objects.select_for_update(skip_locked=True)
        .filter(status=Status.SUBMITTED)
        .filter(
            Q(processing_enqueued_at__isnull=True)
            | Q(processing_enqueued_at__lte=now - stale_after)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: BATCH * 2]
    )
    if stale:
        LinkRequest.objects.filter(pk__in=stale).update(processing_enqueued_at=now)
    for request_id in stale:
        tasks.process_link_request.delay_on_commit(request_id=request_id)
    if stale:
        logger.info("re-queued %s link request(s) stuck in submitted", len(stale))
    return len(stale)


@transaction.atomic(durable=True)
def send_clerk_digests(*, now: dt.datetime) -> int:
    """Beat: tell each court's clerks, in one email each, about requests that reached
    ``pending_review`` since their last digest. Returns how many digests were made.

    A request awaiting a digest has no ``clerk_digest``. Per court, this takes those
    requests (skipping rows another run holds), records a :class:`ClerkDigest` for the
    window ending ``now`` and points the requests at it, then queues one outbox email per
    clerk (CourtStaff role clerk) keyed on court, window and clerk — so a re-run finds
    nothing new and sends nothing twice.
    """
    waiting = list(
        LinkRequest.objects.select_for_update(skip_locked=True)
        .filter(status=Status.PENDING_REVIEW, clerk_digest__isnull=True)
        .order_by("court_id", "submitted_at", "pk")
        .values_list("pk", "court_id")[: BATCH * 10]
    )
    by_court: dict[str, list[int]] = {}
    for pk, court_id in waiting:
        by_court.setdefault(court_id, []).append(pk)
    courts = Court.objects.in_bulk(list(by_court))
    for court_id, ids in by_court.items():
        court = courts[court_id]
        digest = ClerkDigest.objects.create(
            court=court, window_end=now, request_count=len(ids), sent_at=now
        )
        LinkRequest.objects.filter(pk__in=ids).update(clerk_digest=digest)
        oldest = (
            LinkRequest.objects.filter(court=court, status=Status.PENDING_REVIEW)
            .order_by("submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )
        pending_total = LinkRequest.objects.filter(
            court=court, status=Status.PENDING_REVIEW
        ).count()
        listed = (
            LinkRequest.objects.filter(pk__in=ids)
            .select_related("pacer_account", "cmecf_account")
            .order_by("submitted_at", "pk")[:DIGEST_LIST_LIMIT]
        )
        context = {
            "court_id": court.pk,
            "court_name": court.name,
            "digest_id": digest.pk,
            "console_path": "/" + settings.ADMIN_URL.lstrip("/"),
            "new_count": len(ids),
            "pending_total": pending_total,
            "oldest_submitted_on": timezone.localdate(oldest).isoformat() if oldest else "",
            "oldest_age_days": (now - oldest).days if oldest else 0,
            "requests": [
                {
                    "id": item.pk,
                    "holder_name": item.cmecf_account.holder_name,
                    "cmecf_login": item.cmecf_account.login,
                    "pacer_name": item.pacer_account.full_name,
                    "pacer_username": item.pacer_account.username,
                    "flags": list(item.flags),
                    "submitted_on": timezone.localdate(item.submitted_at).isoformat(),
                }
                for item in listed
            ],
        }
        clerks = CourtStaff.objects.filter(court=court, role=CourtStaff.Role.CLERK)
        clerks = clerks.select_related("user").order_by("user_id")
        told = 0
        for staff in clerks:
            if not staff.user.is_active or not staff.user.email:
                continue
            queue_email(
                dedupe_key=f"linking:digest:{court.pk}:{now.isoformat()}:{digest.pk}:{staff.user_id}",
                to=staff.user.email,
                template="linking/email/clerk_digest",
                context=context,
            )
            told += 1
        logger.info(
            "clerk digest %s for %s: %s new request(s), %s clerk(s) told",
            digest.pk,
            court.pk,
            len(ids),
            told,
        )
    return len(by_court)
