"""Use cases of the operations plumbing. Every change of core state goes through here."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from email.utils import getaddresses

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F

from cso_portal.core import tasks
from cso_portal.core.models import Heartbeat, MailMessage, MailRecipient

logger = logging.getLogger(__name__)

# A pending heartbeat not done after this long is handed to the broker again by the sweeper.
HEARTBEAT_REDELIVER_AFTER = dt.timedelta(minutes=2)
# Done heartbeats are kept this long (enough to show recent worker activity).
HEARTBEAT_KEEP_FOR = dt.timedelta(days=1)


@transaction.atomic
def request_heartbeat(*, now: dt.datetime) -> Heartbeat:
    """Write a pending heartbeat and queue the worker task once the row is committed."""
    heartbeat = Heartbeat.objects.create(requested_at=now, enqueued_at=now)
    tasks.complete_heartbeat.delay_on_commit(heartbeat_id=heartbeat.pk)
    return heartbeat


def complete_heartbeat(*, heartbeat_id: int, worker: str, now: dt.datetime) -> bool:
    """Mark a heartbeat done. Returns False, changing nothing, if it was already done."""
    claimed = Heartbeat.objects.filter(pk=heartbeat_id, status=Heartbeat.Status.PENDING).update(
        status=Heartbeat.Status.DONE, completed_at=now, worker=worker[:255]
    )
    if not claimed:
        logger.info("heartbeat %s already done or gone; nothing to do", heartbeat_id)
    return bool(claimed)


@transaction.atomic
def sweep_heartbeats(*, now: dt.datetime) -> int:
    """Re-queue heartbeats stuck in pending (a lost message) and prune old done ones.

    Returns how many were re-queued.
    """
    stale = list(
        Heartbeat.objects.select_for_update(skip_locked=True)
        .filter(status=Heartbeat.Status.PENDING, enqueued_at__lt=now - HEARTBEAT_REDELIVER_AFTER)
        .values_list("pk", flat=True)[:500]
    )
    for heartbeat_id in stale:
        tasks.complete_heartbeat.delay_on_commit(heartbeat_id=heartbeat_id)
    if stale:
        Heartbeat.objects.filter(pk__in=stale).update(
            enqueued_at=now, enqueue_count=F("enqueue_count") + 1
        )
    Heartbeat.objects.filter(
        status=Heartbeat.Status.DONE, completed_at__lt=now - HEARTBEAT_KEEP_FOR
    ).delete()
    return len(stale)


def last_heartbeat() -> Heartbeat | None:
    """The most recently completed heartbeat, if any."""
    return Heartbeat.objects.filter(status=Heartbeat.Status.DONE).order_by("-completed_at").first()


@transaction.atomic
def keep_email(*, message: EmailMessage, now: dt.datetime) -> MailMessage:
    """Store an outgoing email for the demo mailbox instead of sending it."""
    html_body = ""
    if isinstance(message, EmailMultiAlternatives):
        html_body = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
        )
    kept = MailMessage.objects.create(
        from_email=message.from_email,
        subject=message.subject,
        body=message.body,
        html_body=html_body,
        sent_at=now,
    )
    MailRecipient.objects.bulk_create(
        MailRecipient(message=kept, address=address)
        for address in _addresses(message.to, message.cc, message.bcc)
    )
    return kept


def _addresses(*lists: Iterable[str]) -> list[str]:
    """Bare, lower-cased, de-duplicated addresses from "Name <addr>" strings."""
    seen: dict[str, None] = {}
    for _name, address in getaddresses([item for items in lists for item in items]):
        if address:
            seen[address.strip().lower()] = None
    return list(seen)
