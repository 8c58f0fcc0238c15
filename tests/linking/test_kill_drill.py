"""The SIGKILL drill (issue 5, acceptance 6, second half): 200 submitted link requests, a
real worker (prefork, 2 children) on Redis and PostgreSQL; mid-batch its pool children are
killed with SIGKILL, then the whole worker once; a new worker and the sweeper
(``manage.py linking_process_pending``) finish the job. All 200 reach ``pending_review``,
each transition is recorded once, and the clerks' digest goes out once per clerk.

Figures of a run are in bench/kill_drill.md (run with ``-s`` to see the timings)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.db.models import Count

from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal import clock
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from linking import services
from linking.models import ClerkDigest, LinkEvent, LinkRequest
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.linking.factories import LinkRequestFactory
from tests.services import need, postgres_in_use, redis_reachable
from tests.workers import celery_worker_process, manage, subprocess_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# Its own Redis database: other worker tests use the suite's (15) and may run meanwhile.
DRILL_REDIS_URL = os.environ.get("CSO_DRILL_REDIS_URL", "redis://127.0.0.1:6379/14")
BATCH = 200
Status = LinkRequest.Status


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _counts() -> dict[str, int]:
    rows = LinkRequest.objects.values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def _done() -> int:
    return LinkRequest.objects.exclude(status=Status.SUBMITTED).count()


def _until(predicate, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.02)


def _ready(log_path, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log_path.exists() and " ready." in log_path.read_text():
            return True
        time.sleep(0.1)
    return False


def _say(line: str) -> None:
    sys.stdout.write(f"[kill drill] {line}\n")


def test_sigkill_mid_batch_loses_nothing_and_duplicates_nothing(tmp_path):
    need("PostgreSQL", postgres_in_use())
    need("Redis", redis_reachable(DRILL_REDIS_URL))
    import redis

    redis.Redis.from_url(DRILL_REDIS_URL).flushdb()  # the drill's own Redis database only
    court = CourtFactory(nextgen=True)
    clerks = [UserFactory(username=f"drillclerk{i}") for i in range(2)]
    for clerk in clerks:
        add_court_staff(court=court, user=clerk, role=CourtStaff.Role.CLERK, now=clock.now())
    t0 = time.monotonic()
    requests = [LinkRequestFactory(court=court) for _ in range(BATCH)]
    ids = {r.pk for r in requests}
    _say(f"created {BATCH} submitted requests in {time.monotonic() - t0:.1f} s")

    env = subprocess_env(broker_url=DRILL_REDIS_URL, var_dir=tmp_path)
    killed_children: list[int] = []
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"

    with celery_worker_process(env, first_log, concurrency=2) as (_name, worker):
        assert _ready(first_log), first_log.read_text()
        t_enqueue = time.monotonic()
        queued = manage(env, "linking_process_pending")
        assert queued.returncode == 0, queued.stderr
        assert f"queued processing for {BATCH} link request(s)" in queued.stdout
        t_queued = time.monotonic()
        _say(f"enqueued {BATCH} in {t_queued - t_enqueue:.1f} s (a manage.py subprocess)")

        # Kill at ~1 s, or sooner if a quarter of the batch is already done: mid-batch.
        _until(lambda: _done() >= BATCH // 4, timeout=1.0)
        children = _children(worker.pid)
        assert children, "the worker has no pool children"
        _kill(children)
        killed_children += children
        at_first_kill = _counts()
        _say(
            f"+{time.monotonic() - t_queued:.1f} s: SIGKILL pool children {children}; "
            f"{at_first_kill}"
        )

        # The worker replaces its children and carries on; kill it ~0.7 s on (sooner if
        # another eighth of the batch is done, so that some of it is still left).
        first_done = _done()
        _until(lambda: _done() >= first_done + BATCH // 8, timeout=0.7)
        os.kill(worker.pid, signal.SIGSTOP)  # hold it still: no new child between the two
        children = _children(worker.pid)
        _kill(children)
        killed_children += children
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        at_main_kill = _counts()
        _say(
            f"+{time.monotonic() - t_queued:.1f} s: SIGKILL worker {worker.pid} "
            f"and its children {children}; {at_main_kill}"
        )
    first = first_log.read_text()
    assert at_main_kill.get(Status.SUBMITTED, 0) > 0, f"not mid-batch: {at_main_kill}\n{first}"

    sweeps = 0
    t_restart = time.monotonic()
    with celery_worker_process(env, second_log, concurrency=2) as (_name, worker):
        assert _ready(second_log), second_log.read_text()
        _say(f"restarted the worker in {time.monotonic() - t_restart:.1f} s")
        deadline = time.monotonic() + 90
        last, still_since = None, time.monotonic()
        while time.monotonic() < deadline:
            waiting = LinkRequest.objects.filter(status=Status.SUBMITTED).count()
            if waiting == 0:
                break
            if waiting != last:
                last, still_since = waiting, time.monotonic()
            elif time.monotonic() - still_since > 2.0:
                # Stalled: what the killed worker had reserved waits for Redis's visibility
                # timeout; the sweeper re-queues what is still submitted (a no-op twice).
                swept = manage(env, "linking_process_pending")
                assert swept.returncode == 0, swept.stderr
                sweeps += 1
                _say(f"sweep {sweeps}: {swept.stdout.strip()} ({waiting} still submitted)")
                still_since = time.monotonic()
            time.sleep(0.2)
        t_done = time.monotonic()
    second = second_log.read_text()
    _say(
        f"all {BATCH} out of submitted {t_done - t_queued:.1f} s after enqueue "
        f"({t_done - t_restart:.1f} s after the restart); pool children killed: "
        f"{len(killed_children)}; main worker killed: 1; sweeps: {sweeps}"
    )

    counts = _counts()
    assert counts == {Status.PENDING_REVIEW: BATCH}, (counts, first[-3000:], second[-3000:])

    # Exactly one event per transition per request: no double processing survived.
    per_transition = (
        LinkEvent.objects.filter(request_id__in=ids)
        .values_list("request_id", "from_status", "to_status")
        .annotate(n=Count("pk"))
    )
    transitions = {(pk, f, t): n for pk, f, t, n in per_transition}
    assert all(n == 1 for n in transitions.values()), [k for k, n in transitions.items() if n > 1]
    assert len(transitions) == 2 * BATCH
    assert {(f, t) for _pk, f, t in transitions} == {
        (Status.SUBMITTED, Status.VERIFIED),
        (Status.VERIFIED, Status.PENDING_REVIEW),
    }

    # The clerks' digest: one per clerk, however often the beat runs.
    now = clock.now()
    assert services.send_clerk_digests(now=now) == 1
    assert services.send_clerk_digests(now=now + dt.timedelta(minutes=5)) == 0
    digest = ClerkDigest.objects.get()
    assert digest.request_count == BATCH
    emails = OutboundEmail.objects.filter(template="linking/email/clerk_digest")
    assert sorted(emails.values_list("to", flat=True)) == sorted(c.email for c in clerks)
    for pk in emails.values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(c.email for c in clerks)
    _say(f"total {time.monotonic() - t0:.1f} s")
