"""PROOF scenarios 23 and 24 on real worker processes: a pool child SIGKILLed while it sends
a decision email (exactly one email arrives), and retries that never outlive the broker's
visibility timeout (so a task is not handed out twice behind a worker's back).

The drill runs a real Celery worker (prefork, one child) on Redis database 13 and PostgreSQL,
sending through SMTP to a small mail server in this process that can hold a message's
"250 OK": the child is killed while the server holds it, so the message was never accepted.
The whole-worker kill is tests/linking/test_kill_drill.py's drill.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socketserver
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from django.conf import settings

from cso_portal import celery_app, clock
from cso_portal.core import services as core_services
from cso_portal.core.models import OutboundEmail
from cso_portal.settings.base import broker_config
from linking import services
from tests.proof.test_scenarios_faults import RECOVERED_BROKER, broker, make_pending
from tests.services import need, postgres_in_use, redis_reachable
from tests.workers import celery_worker_process, subprocess_env


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SmtpStub = self.server.stub  # type: ignore[attr-defined]
        self.reply(b"220 stub ESMTP")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                self.reply(b"250-stub")
                self.reply(b"250 8BITMIME")
            elif command == b"DATA":
                self.reply(b"354 go ahead")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                if server.holding.is_set():
                    # Hold the answer until the sender goes away: without "250" the message
                    # was not accepted (RFC 5321 4.1.1.4), and is dropped.
                    server.held.set()
                    while self.rfile.read(1):
                        pass
                    return
                server.accepted.append(data)
                self.reply(b"250 OK: queued")
            elif command == b"QUIT":
                self.reply(b"221 bye")
                return
            else:
                self.reply(b"250 OK")


class SmtpStub:
    """A mail server on 127.0.0.1 recording what it accepts; ``holding`` makes it sit on
    each message's DATA without answering (``held`` is set when one arrives)."""

    def __init__(self) -> None:
        self.accepted: list[bytes] = []
        self.holding = threading.Event()
        self.held = threading.Event()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
        self.server.daemon_threads = True
        self.server.stub = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]

    @contextlib.contextmanager
    def running(self) -> Iterator[SmtpStub]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def _until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_scenario_23_sigkill_of_the_pool_child_mid_send_delivers_the_decision_email_once(
    tmp_path,
):
    need("PostgreSQL", postgres_in_use())
    need("Redis", redis_reachable(RECOVERED_BROKER))
    import redis

    redis.Redis.from_url(RECOVERED_BROKER).flushdb()  # this file's own Redis database only
    request, _cmecf, clerk = make_pending()
    stub = SmtpStub()
    stub.holding.set()
    env = subprocess_env(broker_url=RECOVERED_BROKER, var_dir=tmp_path)
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{stub.port}"
    env["CSO_TEST_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    log_path = tmp_path / "worker.log"

    def log() -> str:
        return log_path.read_text() if log_path.exists() else ""

    with (
        stub.running(),
        broker(RECOVERED_BROKER),
        celery_worker_process(env, log_path, concurrency=1) as (_name, worker),
    ):
        assert _until(lambda: " ready." in log(), 30), log()
        services.approve_link_request(request=request, actor=clerk, now=clock.now())
        email = OutboundEmail.objects.get(template="linking/email/linked")

        # The child is in the middle of the SMTP conversation: SIGKILL it there.
        assert stub.held.wait(30), log()
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutboundEmail.Status.SENDING, 1)
        children = _children(worker.pid)
        assert children, "the worker has no pool child"
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        stub.holding.clear()

        # acks_late + reject_on_worker_lost: the message comes back to a new child, which
        # finds the email claimed and sends nothing.
        assert _until(lambda: f"outbox email {email.pk} already sent or claimed" in log(), 30), (
            log()
        )
        assert stub.accepted == []

        # The claim of the dead child is taken back by the sweeper once it is older than
        # EMAIL_RECLAIM_AFTER (the beat runs it every minute): run it as it would run then.
        later = clock.real_now() + core_services.EMAIL_RECLAIM_AFTER + dt.timedelta(minutes=1)
        assert core_services.sweep_outbox(now=later) == 1
        assert _until(lambda: OutboundEmail.objects.get(pk=email.pk).status == "sent", 30), log()
        assert core_services.sweep_outbox(now=later + dt.timedelta(minutes=5)) == 0
        time.sleep(1.0)  # time for a duplicate to show up, if there were one

    assert len(stub.accepted) == 1, log()
    assert request.pacer_account.email.encode() in stub.accepted[0]
    assert b"linked" in stub.accepted[0].lower()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)


PORTAL_PACKAGES = ("accounts", "courts", "cso_portal", "filing", "linking")


def test_scenario_24_no_countdown_outlives_the_visibility_timeout():
    """Scenario 24: on Redis a task whose countdown outlasts the visibility timeout is handed
    out twice. No task of the portal sets a countdown of its own, and every automatic retry
    waits at most ``retry_backoff_max`` — all well under the production timeout; and late
    acknowledgement with rejection on a lost worker is on (a killed child's task comes back).
    A task run twice anyway does nothing the second time (the tests listed with this
    scenario in tests/proof/scenarios.py)."""
    _url, options = broker_config("redis://127.0.0.1:6379/0")
    visibility = options["visibility_timeout"]
    assert visibility == 3600
    ours = {
        name: task
        for name, task in celery_app.tasks.items()
        if task.__module__.split(".")[0]
        in ("accounts", "courts", "cso_portal", "filing", "linking")
    }
    assert {"core.deliver_email", "linking.process_link_request"} <= set(ours)
    for name, task in ours.items():
        longest = task.retry_backoff_max if task.retry_backoff else task.default_retry_delay
        assert longest * 2 < visibility, name  # twice: with room for the queue's own wait
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
