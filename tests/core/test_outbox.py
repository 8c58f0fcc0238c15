"""The email outbox: one email per notice, however often it is queued or delivered; failures
retry and end as visible dead letters; a sweeper re-queues what was lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from cso_portal import clock
from cso_portal.core import services, tasks
from cso_portal.core.errors import EmailNotSent
from cso_portal.core.models import MailMessage, MailRecipient, OutboundEmail

pytestmark = pytest.mark.django_db

# A real SMTP connection to a port where nothing listens: the failure is genuine.
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,
    "EMAIL_TIMEOUT": 2,
}


def _queue(key="notice:1", to="avery@example.test"):
    return services.queue_email(
        dedupe_key=key,
        to=to,
        template="core/email/notice",
        context={"subject": "Your request", "body": "It was approved.", "path": "/mailbox/"},
    )


def test_an_email_is_handed_to_the_worker_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        email = _queue()
        assert callbacks == []
    assert len(callbacks) == 1
    assert email.status == OutboundEmail.Status.PENDING


def test_queueing_the_same_notice_twice_keeps_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = _queue()
        second = _queue()
    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1
    assert len(callbacks) == 1


def test_delivering_twice_sends_once(frozen_clock):
    email = _queue()
    tasks.deliver_email.apply(kwargs={"email_id": email.pk})
    tasks.deliver_email.apply(kwargs={"email_id": email.pk})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["avery@example.test"]
    assert message.subject == "[CSO Portal training] Your request"
    assert "It was approved." in message.body
    assert "http://127.0.0.1:8000/mailbox/" in message.body
    assert "training simulation" in message.body
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (
        OutboundEmail.Status.SENT,
        1,
        clock.now(),
    )


@override_settings(**DEAD_SMTP)
def test_a_failing_mail_server_is_retried_then_becomes_a_dead_letter():
    email = _queue()
    for attempt in range(1, services.EMAIL_MAX_ATTEMPTS):
        with pytest.raises(EmailNotSent):
            services.deliver_email(email_id=email.pk, now=clock.now())
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, attempt)
        assert "ConnectionRefusedError" in email.last_error

    assert services.deliver_email(email_id=email.pk, now=clock.now()) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED

    assert services.retry_failed_email(email_id=email.pk, now=clock.now()) is True
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 0)


def test_the_sweeper_requeues_lost_and_abandoned_emails(
    frozen_clock, django_capture_on_commit_callbacks
):
    now = clock.now()
    lost = _queue("lost")
    fresh = _queue("fresh")
    abandoned = _queue("abandoned")
    sent = _queue("sent")
    OutboundEmail.objects.filter(pk=lost.pk).update(enqueued_at=now - dt.timedelta(minutes=3))
    OutboundEmail.objects.filter(pk=abandoned.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=now - dt.timedelta(minutes=11)
    )
    OutboundEmail.objects.filter(pk=sent.pk).update(
        status=OutboundEmail.Status.SENT, enqueued_at=now - dt.timedelta(days=1)
    )

    with django_capture_on_commit_callbacks() as callbacks:
        requeued = services.sweep_outbox(now=now)

    assert requeued == 2
    assert len(callbacks) == 2
    rows = {e.dedupe_key: e for e in OutboundEmail.objects.all()}
    assert rows["lost"].status == rows["abandoned"].status == OutboundEmail.Status.PENDING
    assert rows["lost"].enqueued_at == rows["abandoned"].enqueued_at == now
    assert rows["fresh"].enqueued_at == fresh.enqueued_at
    assert rows["sent"].status == OutboundEmail.Status.SENT
    # What the re-queued messages do when a worker runs them: each goes out once.
    for key in ("lost", "abandoned"):
        tasks.deliver_email.apply(kwargs={"email_id": rows[key].pk})
    assert len(mail.outbox) == 2


def test_moving_the_training_clock_does_not_hide_a_lost_email(frozen_clock, staff):
    lost = _queue("lost")
    frozen_clock.shift(dt.timedelta(minutes=5))
    services.set_simulated_date(
        day=dt.date(2021, 3, 28), actor=staff, reason="rehearsal", now=clock.real_now()
    )
    assert services.sweep_outbox(now=clock.real_now()) == 1
    lost.refresh_from_db()
    assert lost.enqueued_at == clock.real_now()


@override_settings(EMAIL_BACKEND="cso_portal.core.mail.DatabaseEmailBackend")
def test_a_message_handed_over_again_after_a_crash_is_kept_once(frozen_clock):
    """A worker killed after the mail server took the message but before marking its row sent:
    the sweeper reclaims the row and delivers again, with the same Message-ID, and the
    mailbox keeps one message (PROOF scenario 23, fault drill pool-child)."""
    email = _queue()
    assert services.deliver_email(email_id=email.pk, now=clock.real_now())
    first = MailMessage.objects.get()
    # The crash: the row is back in "sending", as a worker left it, past the reclaim time.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING,
        claimed_at=clock.real_now() - services.EMAIL_RECLAIM_AFTER - dt.timedelta(minutes=1),
    )
    services.sweep_outbox(now=clock.real_now())
    assert services.deliver_email(email_id=email.pk, now=clock.real_now())

    assert MailMessage.objects.get() == first
    assert first.message_id == services.outbox_message_id(email)
    assert first.message_id.startswith(f"<outbox-{email.pk}@")
    assert MailRecipient.objects.filter(address="avery@example.test").count() == 1
    # Another outbox row is another message.
    other = _queue(key="notice:2")
    services.deliver_email(email_id=other.pk, now=clock.real_now())
    assert MailMessage.objects.count() == 2
