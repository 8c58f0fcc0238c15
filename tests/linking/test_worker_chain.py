"""Acceptance 1 of linking: through a real Redis broker, a real Celery worker process and
PostgreSQL — submit → verified → pending_review → the clerk approves → exactly one "linked"
email per verified address; then the court-issued login is refused at the court's legacy
login and the PACER session opens the court's filing menu."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from kombu import pools as kombu_pools

from cso_portal import clock
from cso_portal.celery import app as celery_app
from cso_portal.core.models import MailMessage, OutboundEmail
from linking import services
from linking.models import CmecfAccount, LinkRequest
from tests.linking.factories import CMECF_TEST_PASSWORD
from tests.services import REDIS_TEST_URL, need, postgres_in_use, redis_reachable
from tests.workers import celery_worker, subprocess_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _wait_for(predicate, *, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@contextmanager
def _publishing_to(broker_url: str):
    """Send this process's ``delay_on_commit`` tasks to ``broker_url`` (the worker's broker)
    for the block, instead of the test settings' in-memory broker."""
    previous = celery_app.conf.broker_url

    def reset_pools():
        # Close and forget every pool, kombu's shared registry included: a closed pool left
        # in the registry would be handed to later tests ("Acquire on closed pool").
        celery_app.pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        kombu_pools.reset()

    reset_pools()
    celery_app.conf.broker_url = broker_url
    try:
        yield
    finally:
        reset_pools()
        celery_app.conf.broker_url = previous


def _linked_emails() -> list[tuple[str, str]]:
    return sorted(
        (recipient, subject)
        for subject, recipient in MailMessage.objects.filter(
            subject__contains="Your account has been linked"
        ).values_list("subject", "recipients__address")
    )


def test_submit_review_approve_email_and_the_logins_afterwards(
    tmp_path, court, clerk, holder, cmecf, client
):
    need("PostgreSQL", postgres_in_use())
    need("Redis", redis_reachable())
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()  # the suite's own Redis database only
    assert court.link_review_required
    verified = sorted(
        EmailAddress.objects.filter(user=holder, verified=True).values_list("email", flat=True)
    )
    assert len(verified) == 2
    env = subprocess_env(broker_url=REDIS_TEST_URL, var_dir=tmp_path)
    # The worker keeps mail in the database (MailMessage), which this process can read.
    env.update(
        EMAIL_URL="",
        DJANGO_SETTINGS_MODULE="cso_portal.settings.test",
        CSO_TEST_EMAIL_BACKEND="cso_portal.core.mail.DatabaseEmailBackend",
    )
    log_path = tmp_path / "worker.log"

    def status(request):
        return LinkRequest.objects.values_list("status", flat=True).get(pk=request.pk)

    with celery_worker(env, log_path), _publishing_to(REDIS_TEST_URL):
        request = services.submit_link_request(
            pacer_account=holder, cmecf_account=cmecf, now=clock.now()
        )
        assert _wait_for(lambda: status(request) == LinkRequest.Status.PENDING_REVIEW), (
            log_path.read_text()
        )
        to_states = list(request.events.values_list("to_status", flat=True))
        assert to_states == ["submitted", "verified", "pending_review"]

        request.refresh_from_db()
        services.approve_link_request(request=request, actor=clerk, now=clock.now())
        assert status(request) == LinkRequest.Status.APPROVED
        expected = [
            (address, f"Your account has been linked — {court.name}") for address in verified
        ]

        def all_delivered():
            return len(_linked_emails()) >= len(verified)

        assert _wait_for(all_delivered), log_path.read_text()
        time.sleep(3)  # anything sent twice would show by now
        assert [(to, subject.split("] ", 1)[-1]) for to, subject in _linked_emails()] == expected
        linked_outbox = OutboundEmail.objects.filter(template="linking/email/linked")
        assert sorted(linked_outbox.values_list("to", flat=True)) == verified
        assert set(linked_outbox.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}

    cmecf.refresh_from_db()
    assert cmecf.status == CmecfAccount.Status.RETIRED
    assert cmecf.linked_account == holder

    # The court-issued login no longer opens the court's ECF site …
    refused = client.post(
        f"/ecf/{court.pk}/", {"login": cmecf.login, "password": CMECF_TEST_PASSWORD}
    )
    assert refused.status_code == 403
    assert "This court has moved to NextGen CM/ECF" in refused.content.decode()
    # … the PACER session does, with the filing menu.
    client.force_login(holder)
    home = client.get(f"/ecf/{court.pk}/")
    assert home.status_code == 200
    assert "Filing" in home.content.decode()
    assert f'href="/ecf/{court.pk}/file/new-case/"' in home.content.decode()
