"""PROOF scenarios on operations and faults: the broker down when an approval commits (22),
a failing mail server (25), an exception inside a decision (26) and the audit log (28).

The decisions go through the clerks' console (the test client) and the services; the broker
outage is a broker URL where nothing listens (the shared Redis is never stopped), and the
recovery runs a real worker on Redis database 13.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
from collections.abc import Iterator
from unittest import mock

import pytest
from celery.app import autoretry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import override_settings

from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal import celery_app, clock
from cso_portal.core import services as core_services
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import MailMessage, OutboundEmail
from linking import services
from linking.models import CmecfAccount, LinkEvent, LinkRequest
from linking.signals import link_approved
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory, LinkRequestFactory
from tests.services import need, postgres_in_use, redis_reachable
from tests.workers import celery_worker, subprocess_env

S = LinkRequest.Status
QUEUE = "/console/linking/linkrequest/"
DEAD_BROKER = "redis://127.0.0.1:1/13"  # nothing listens on port 1
RECOVERED_BROKER = "redis://127.0.0.1:6379/13"  # this file's own Redis database
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,
    "EMAIL_TIMEOUT": 2,
}


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery producer at ``url`` (its pools are rebuilt for it)."""
    previous = celery_app.conf.broker_url

    def repoint(to: str) -> None:
        celery_app.conf.broker_url = to
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    repoint(url)
    try:
        yield
    finally:
        repoint(previous)


def make_pending(*, court_id: str = "azb") -> tuple[LinkRequest, CmecfAccount, object]:
    court = CourtFactory(id=court_id, name=f"Court {court_id}", nextgen=True)
    holder = UserFactory(attorney=True, username=f"holder{court_id}")
    cmecf = CmecfAccountFactory(court=court, login=f"login{court_id}", email_of_record=holder.email)
    request = LinkRequestFactory(
        pacer_account=holder, court=court, cmecf_account=cmecf, pending_review=True
    )
    clerk = UserFactory(username=f"clerk{court_id}1", with_totp=True)
    add_court_staff(court=court, user=clerk, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    return request, cmecf, clerk


def approve_in_console(client, request):
    return client.post(
        QUEUE,
        {"action": "approve_requests", "_selected_action": [str(request.pk)]},
        follow=True,
    )


# Scenario 22 --------------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_scenario_22_broker_down_at_approval_the_approval_stands_and_the_email_goes_later(
    client, tmp_path, caplog
):
    need("PostgreSQL", postgres_in_use())
    need("Redis", redis_reachable(RECOVERED_BROKER))
    import redis

    redis.Redis.from_url(RECOVERED_BROKER).flushdb()  # this file's own Redis database only
    request, _cmecf, clerk = make_pending()
    client.force_login(clerk)

    with broker(DEAD_BROKER):
        response = approve_in_console(client, request)

    # The clerk sees success; the approval, its event and its outbox rows are committed.
    assert response.status_code == 200
    assert f"Approved request #{request.pk}" in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.APPROVED
    assert LinkEvent.objects.filter(request=request, to_status=S.APPROVED).count() == 1
    emails = OutboundEmail.objects.filter(template="linking/email/linked")
    assert emails.count() == 1
    assert set(emails.values_list("status", flat=True)) == {OutboundEmail.Status.PENDING}
    assert "not queued now; its sweeper will queue it" in caplog.text

    # Redis is back: the sweeper (beat, every minute) re-queues what was not sent, and a
    # worker delivers it, once, even when the sweeper runs twice.
    later = clock.real_now() + core_services.EMAIL_REDELIVER_AFTER
    env = subprocess_env(broker_url=RECOVERED_BROKER, var_dir=tmp_path)
    env["CSO_TEST_EMAIL_BACKEND"] = "cso_portal.core.mail.DatabaseEmailBackend"
    with broker(RECOVERED_BROKER), celery_worker(env, tmp_path / "worker.log"):
        assert core_services.sweep_outbox(now=later) == 1
        assert core_services.sweep_outbox(now=later) == 0
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and emails.filter(status="sent").count() < 1:
            time.sleep(0.2)
    log = (tmp_path / "worker.log").read_text()
    assert set(emails.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}, log
    kept = MailMessage.objects.filter(subject__icontains="linked")
    assert kept.count() == 1, log
    assert list(kept.get().recipients.values_list("address", flat=True)) == [
        request.pacer_account.email
    ]


# Scenario 25 --------------------------------------------------------------------------------


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the first ``failures`` messages, then accepts."""

    failures = 3
    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def countdowns():
    """The countdown of each automatic retry of a task (Celery's backoff with jitter)."""
    seen: list[tuple[int, int]] = []
    real = autoretry.get_exponential_backoff_interval

    def recording(factor, retries, maximum, full_jitter=False):
        countdown = real(factor, retries, maximum, full_jitter)
        seen.append((retries, countdown, factor, full_jitter))
        return countdown

    with mock.patch.object(autoretry, "get_exponential_backoff_interval", recording):
        yield seen


@pytest.mark.django_db
def test_scenario_25_smtp_failing_3_times_is_retried_with_backoff_and_jitter_then_sent_once(
    countdowns, django_capture_on_commit_callbacks
):
    request, _cmecf, clerk = make_pending()
    with django_capture_on_commit_callbacks(execute=False):
        services.approve_link_request(request=request, actor=clerk, now=clock.now())
    email = OutboundEmail.objects.get(template="linking/email/linked")
    FlakyBackend.calls = 0

    with override_settings(EMAIL_BACKEND=f"{__name__}.FlakyBackend"):
        core_tasks.deliver_email.apply(kwargs={"email_id": email.pk})

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 4)
    assert len(mail.outbox) == 1
    # Three retries, each with an exponential ceiling (5 s, 10 s, 20 s) and full jitter.
    assert [(retries, factor, jitter) for retries, _c, factor, jitter in countdowns] == [
        (0, 5, True),
        (1, 5, True),
        (2, 5, True),
    ]
    assert all(0 <= c <= 5 * 2**r for r, c, _f, _j in countdowns)
    request.refresh_from_db()
    assert request.status == S.APPROVED


@pytest.mark.django_db
@override_settings(**DEAD_SMTP)
def test_scenario_25_a_dead_mail_server_ends_in_a_visible_dead_letter_and_keeps_the_approval(
    client, countdowns, django_capture_on_commit_callbacks
):
    request, cmecf, clerk = make_pending()
    with django_capture_on_commit_callbacks(execute=False):
        services.approve_link_request(request=request, actor=clerk, now=clock.now())
    email = OutboundEmail.objects.get(template="linking/email/linked")

    core_tasks.deliver_email.apply(kwargs={"email_id": email.pk})

    email.refresh_from_db()
    assert (email.status, email.attempts) == (
        OutboundEmail.Status.FAILED,
        core_services.EMAIL_MAX_ATTEMPTS,
    )
    assert "ConnectionRefusedError" in email.last_error
    assert len(countdowns) == core_services.EMAIL_MAX_ATTEMPTS - 1
    assert all(jitter for *_rest, jitter in countdowns)
    # The approval is not rolled back by the failing mail.
    request.refresh_from_db()
    cmecf.refresh_from_db()
    assert (request.status, cmecf.linked_account_id) == (S.APPROVED, request.pacer_account_id)
    # Staff see the dead letter in the console and can retry it.
    client.force_login(UserFactory(psc_staff=True, with_totp=True, username="pscstaff9"))
    page = client.get("/console/core/outboundemail/?status__exact=failed")
    assert page.status_code == 200
    assert request.pacer_account.email in page.content.decode()


# Scenario 26 --------------------------------------------------------------------------------


def _fail_inside_the_approval(sender, **kwargs):
    raise RuntimeError("disk quota exceeded in /srv/secret/internal/path")


@pytest.mark.django_db
def test_scenario_26_an_exception_inside_a_decision_shows_a_correlation_id_and_undoes_it_all(
    client, caplog, frozen_clock
):
    request, cmecf, clerk = make_pending()
    client.force_login(clerk)
    client.raise_request_exception = False
    link_approved.connect(_fail_inside_the_approval, dispatch_uid="scenario-26")
    try:
        response = approve_in_console(client, request)
    finally:
        link_approved.disconnect(dispatch_uid="scenario-26")

    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    for internal in ("Traceback", "RuntimeError", "/srv/secret", "disk quota", "File "):
        assert internal not in body
    correlation_id = re.search(r'id="correlation-id">([0-9a-f]{12})<', body).group(1)
    assert response["X-Correlation-ID"] == correlation_id
    logged = [r for r in caplog.records if correlation_id in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None  # the traceback is in the log, not the page
    # Nothing half-done: no approval, no event, no email, the login not linked.
    request.refresh_from_db()
    cmecf.refresh_from_db()
    assert request.status == S.PENDING_REVIEW
    assert (request.decided_at, request.decided_by) == (None, None)
    assert not LinkEvent.objects.filter(request=request).exists()
    assert not OutboundEmail.objects.exists()
    assert (cmecf.linked_account, cmecf.status) == (None, CmecfAccount.Status.ACTIVE)


@pytest.mark.django_db
def test_scenario_26_two_errors_get_two_correlation_ids(client, frozen_clock):
    request, _cmecf, clerk = make_pending()
    client.force_login(clerk)
    client.raise_request_exception = False
    link_approved.connect(_fail_inside_the_approval, dispatch_uid="scenario-26b")
    try:
        first = approve_in_console(client, request)
        second = approve_in_console(client, request)
    finally:
        link_approved.disconnect(dispatch_uid="scenario-26b")
    assert first["X-Correlation-ID"] != second["X-Correlation-ID"]


# Scenario 28 --------------------------------------------------------------------------------


@contextlib.contextmanager
def console_log() -> Iterator[io.StringIO]:
    """What the configured console handler (LOGGING in settings) writes, formatted."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


UTC_STAMP = r"^2026-11-16T15:\d\d:\d\d\.\d{3}Z (INFO|WARNING) "


@pytest.mark.django_db
def test_scenario_28_sign_ins_lockouts_links_and_decisions_are_logged_who_what_when_where(
    client, frozen_clock
):
    court = CourtFactory(id="azb", name="Court azb", nextgen=True)
    holder = UserFactory(attorney=True, username="logholder1")
    CmecfAccountFactory(court=court, login="loglogin", email_of_record=holder.email)
    clerk = UserFactory(username="logclerk01", with_totp=True)
    add_court_staff(court=court, user=clerk, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    other = LinkRequestFactory(court=court, pending_review=True)
    clerk_browser = type(client)()

    with console_log() as output:
        # Sign-in failure, lockout, success (from a given address).
        for _attempt in range(6):
            client.post(
                "/accounts/login/",
                {"login": "logholder1", "password": "wrong but long enough"},
                REMOTE_ADDR="203.0.113.50",
            )
        frozen_clock.shift(300 + 1)
        client.post(
            "/accounts/login/",
            {"login": "logholder1", "password": TEST_PASSWORD},
            REMOTE_ADDR="203.0.113.51",
        )
        client.post(
            "/accounts/reauthenticate/", {"password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.51"
        )
        # Link: the court-issued password, then the confirmation.
        client.post(
            f"/account/link/{court.pk}/",
            {"login": "loglogin", "password": CMECF_TEST_PASSWORD},
            REMOTE_ADDR="203.0.113.51",
        )
        token = client.get(f"/account/link/{court.pk}/verify/").context["form"].initial["token"]
        client.post(
            f"/account/link/{court.pk}/verify/", {"token": token}, REMOTE_ADDR="203.0.113.51"
        )
        mine = LinkRequest.objects.get(pacer_account=holder)
        services.process_link_request(request_id=mine.pk, now=clock.now())
        # The clerk approves one and rejects the other.
        clerk_browser.force_login(clerk)
        clerk_browser.post(
            QUEUE,
            {"action": "approve_requests", "_selected_action": [str(mine.pk)]},
            REMOTE_ADDR="198.51.100.7",
        )
        clerk_browser.post(
            QUEUE,
            {
                "action": "reject_requests",
                "_selected_action": [str(other.pk)],
                "confirm": "1",
                "reason": "Names differ.",
            },
            REMOTE_ADDR="198.51.100.7",
        )
    text = output.getvalue()
    lines = text.splitlines()

    def line_with(*parts: str) -> str:
        found = [line for line in lines if all(part in line for part in parts)]
        assert found, f"no log line with {parts}:\n{text}"
        assert re.match(UTC_STAMP, found[0]), found[0]  # when, in UTC
        return found[0]

    line_with("sign-in refused login=logholder1 ip=203.0.113.50 reason=username_password_mismatch")
    line_with("sign-in refused login=logholder1 ip=203.0.113.50 reason=too_many_login_attempts")
    line_with(f"sign-in password accepted user_id={holder.pk} ip=203.0.113.51")
    line_with(
        "CM/ECF credentials confirmed:", "login=loglogin", f"pacer_account={holder.pk}", "ip="
    )
    line_with(f"link request {mine.pk}: → submitted by {holder.pk} court=azb login=loglogin")
    line_with(f"link request {mine.pk} submitted by user={holder.pk} ip=203.0.113.51")
    line_with(f"link request {mine.pk}: pending_review → approved by {clerk.pk}")
    line_with(
        f"console decision: request={mine.pk} user={clerk.pk} ip=198.51.100.7 "
        "outcome=done: approved"
    )
    line_with(f"link request {other.pk}: pending_review → rejected by {clerk.pk}")
    line_with(
        f"console decision: request={other.pk} user={clerk.pk} ip=198.51.100.7 "
        "outcome=done: rejected"
    )
    # Never a password, a court credential or a session id.
    for secret in (
        TEST_PASSWORD,
        "wrong but long enough",
        CMECF_TEST_PASSWORD,
        client.cookies["sessionid"].value,
        clerk_browser.cookies["sessionid"].value,
    ):
        assert secret not in text
