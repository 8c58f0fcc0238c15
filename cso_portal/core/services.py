"""Use cases of the operations plumbing. Every change of core state goes through here."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable
from email.utils import getaddresses

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import translation

from cso_portal import clock
from cso_portal.core import tasks
from cso_portal.core.errors import EmailNotSent
from cso_portal.core.models import (
    ClockChange,
    Heartbeat,
    MailMessage,
    MailRecipient,
    OutboundEmail,
)

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
    """Store an outgoing email for the demo mailbox instead of sending it. A message whose
    Message-ID is already kept (a repeated delivery of one outbox row) is kept once."""
    message_id = message.extra_headers.get("Message-ID", "")
    if message_id and (kept := MailMessage.objects.filter(message_id=message_id).first()):
        return kept
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
        message_id=message_id,
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


# The training clock -------------------------------------------------------------------------


@transaction.atomic
def set_simulated_date(*, day: dt.date | None, actor, reason: str, now: dt.datetime) -> ClockChange:
    """Set the training clock to ``day`` (None: back to the real date), with an audit row."""
    change = ClockChange.objects.create(
        simulated_date=day, actor=actor, reason=reason, changed_at=now
    )
    # Forget now (this request sees its change) and again after commit (a value another
    # process cached meanwhile is dropped); after a rollback a stale value lives 30 s at most.
    clock.forget_cached_date()
    transaction.on_commit(clock.forget_cached_date)
    return change


# The email outbox ---------------------------------------------------------------------------

# After this many failed attempts an email is a dead letter (visible in the console).
EMAIL_MAX_ATTEMPTS = 5
# A pending email not sent after this long is handed to the broker again (a lost message).
EMAIL_REDELIVER_AFTER = dt.timedelta(minutes=2)
# A claimed email not finished after this long belonged to a worker that died mid-send.
EMAIL_RECLAIM_AFTER = dt.timedelta(minutes=10)


def queue_email(
    *, dedupe_key: str, to: str, template: str, context: dict, language: str | None = None
) -> OutboundEmail | None:
    """Write an email to the outbox and deliver it after commit.

    Call inside the transaction of the change the email reports. Returns None (queueing
    nothing) when an email with the same ``dedupe_key`` exists: the same notice never goes
    out twice. ``context`` must be JSON (ids and plain values; no links or tokens — build
    those in the templates, at delivery). The outbox keeps real time, not the training
    clock's: the sweeper and retries must not jump when a trainer moves the date.

    The email is rendered at delivery in ``language``, by default the language active now (the
    one the user is reading the portal in).
    """
    now = clock.real_now()
    if language is None:
        language = translation.get_language() or ""
    email, created = OutboundEmail.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "to": to,
            "template": template,
            "context": context,
            "language": language,
            "created_at": now,
            "enqueued_at": now,
        },
    )
    if not created:
        return None
    tasks.deliver_email.delay_on_commit(email_id=email.pk)
    return email


def render_email(email: OutboundEmail) -> EmailMultiAlternatives:
    """Render an outbox row into a message (subject, text and, if present, HTML), in the
    recipient account's chosen language, else the one recorded when it was queued."""
    from django.conf import settings

    with translation.override(_language_for(email) or settings.LANGUAGE_CODE):
        return _render_email(email)


def _language_for(email: OutboundEmail) -> str:
    """The recipient account's chosen language, else the one active when the email was queued
    (so an email a clerk's action sends goes out in the holder's language, not the clerk's)."""
    from accounts.models import User

    chosen = (
        User.objects.filter(email__iexact=email.to)
        .exclude(preferred_language="")
        .values_list("preferred_language", flat=True)
        .first()
    )
    return chosen or email.language


def _render_email(email: OutboundEmail) -> EmailMultiAlternatives:
    from django.conf import settings
    from django.template import TemplateDoesNotExist
    from django.template.loader import render_to_string

    context = {**email.context, "site_url": settings.CSO_SITE_URL}
    subject = render_to_string(f"{email.template}_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    body = render_to_string(f"{email.template}.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[email.to])
    with contextlib.suppress(TemplateDoesNotExist):
        message.attach_alternative(render_to_string(f"{email.template}.html", context), "text/html")
    with contextlib.suppress(TemplateDoesNotExist):
        headers = render_to_string(f"{email.template}_headers.txt", context)
        for line in headers.splitlines():
            name, _sep, value = line.partition(":")
            if name.strip() and value.strip():
                # One header per line by construction: no CR/LF can reach a header.
                message.extra_headers[name.strip()] = value.strip()
    message.extra_headers["Message-ID"] = outbox_message_id(email)
    return message


def outbox_message_id(email: OutboundEmail) -> str:
    """The Message-ID of an outbox row: the same at every delivery attempt.

    Delivery is at least once: a worker killed after the mail server took the message but
    before the row was marked sent sends it again when the row is reclaimed, and no ordering
    of the two steps closes that gap without risking a loss instead. The stable Message-ID
    makes the repeat recognisable as the same message (RFC 5322 §3.6.4), so the mailbox keeps
    one copy — the demo mailbox does (``keep_email``), as mail stores do."""
    from django.conf import settings

    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "cso-portal.test"
    return f"<outbox-{email.pk}@{domain}>"


def deliver_email(*, email_id: int, now: dt.datetime) -> bool:
    """Send one outbox email. Returns False, sending nothing, if someone else has it or it
    was already sent. Raises :class:`EmailNotSent` on a failure worth retrying."""
    claimed = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        logger.info("outbox email %s already sent or claimed; nothing to do", email_id)
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        render_email(email).send()
    except Exception as error:
        dead = email.attempts >= EMAIL_MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.FAILED if dead else OutboundEmail.Status.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            enqueued_at=now,
        )
        logger.warning("outbox email %s failed (attempt %s): %s", email_id, email.attempts, error)
        if dead:
            return False
        raise EmailNotSent(str(error)) from error
    OutboundEmail.objects.filter(pk=email_id).update(status=OutboundEmail.Status.SENT, sent_at=now)
    return True


@transaction.atomic
def sweep_outbox(*, now: dt.datetime) -> int:
    """Re-queue outbox emails whose message was lost or whose worker died. Returns how many."""
    OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - EMAIL_RECLAIM_AFTER
    ).update(status=OutboundEmail.Status.PENDING, enqueued_at=now - EMAIL_REDELIVER_AFTER)
    stale = list(
        OutboundEmail.objects.select_for_update(skip_locked=True)
        .filter(status=OutboundEmail.Status.PENDING, enqueued_at__lte=now - EMAIL_REDELIVER_AFTER)
        .values_list("pk", flat=True)[:1000]
    )
    if stale:
        OutboundEmail.objects.filter(pk__in=stale).update(enqueued_at=now)
    for email_id in stale:
        tasks.deliver_email.delay_on_commit(email_id=email_id)
    return len(stale)


@transaction.atomic
def retry_failed_email(*, email_id: int, now: dt.datetime) -> bool:
    """Give a dead-letter email another round of attempts. Returns False if it wasn't dead."""
    revived = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, attempts=0, enqueued_at=now
    )
    if revived:
        tasks.deliver_email.delay_on_commit(email_id=email_id)
    return bool(revived)
