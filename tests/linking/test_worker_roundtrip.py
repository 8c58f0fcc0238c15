"""A link request processed by a real Celery worker process through Redis on PostgreSQL; a
second enqueue of the same request changes nothing."""

from __future__ import annotations

import time

import pytest

from linking.models import LinkEvent, LinkRequest
from tests.linking.factories import LinkRequestFactory
from tests.services import REDIS_TEST_URL, need, postgres_in_use, redis_reachable
from tests.workers import celery_worker, manage, subprocess_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TASK = "linking.process_link_request"


def _wait_for(predicate, *, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_processes_a_submitted_request_once(tmp_path):
    need("PostgreSQL", postgres_in_use())
    need("Redis", redis_reachable())
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()  # the suite's own Redis database only
    request = LinkRequestFactory()  # submitted, committed (transaction=True)
    env = subprocess_env(broker_url=REDIS_TEST_URL, var_dir=tmp_path)
    log_path = tmp_path / "worker.log"

    def succeeded():
        if not log_path.exists():
            return 0
        lines = log_path.read_text().splitlines()
        return sum(f"Task {TASK}[" in line and "succeeded" in line for line in lines)

    def status():
        return LinkRequest.objects.values_list("status", flat=True).get(pk=request.pk)

    with celery_worker(env, log_path):
        queued = manage(env, "linking_process_pending")
        assert queued.returncode == 0, queued.stderr
        assert "queued processing for 1 link request(s)" in queued.stdout
        reached = _wait_for(lambda: status() == LinkRequest.Status.PENDING_REVIEW)
        assert reached, log_path.read_text()
        events = list(LinkEvent.objects.filter(request=request).values_list("pk", "to_status"))

        again = manage(env, "linking_process_pending", "--id", str(request.pk))
        assert again.returncode == 0, again.stderr
        assert _wait_for(lambda: succeeded() == 2), log_path.read_text()
    log = log_path.read_text()
    assert "redis://" in log
    assert status() == LinkRequest.Status.PENDING_REVIEW
    assert list(LinkEvent.objects.filter(request=request).values_list("pk", "to_status")) == (
        events
    )
    assert f"link request {request.pk} is not waiting for processing; nothing to do" in log
