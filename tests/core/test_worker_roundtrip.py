"""A task's full round trip through a real broker to a real worker process and back to the
database: the shape every later workflow (link requests, decision emails) relies on."""

from __future__ import annotations

import pytest

from cso_portal.core.models import Heartbeat
from tests.services import REDIS_TEST_URL, need, postgres_in_use, redis_reachable
from tests.workers import celery_worker, manage, subprocess_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _round_trip(env, tmp_path):
    with celery_worker(env, tmp_path / "worker.log") as worker_name:
        result = manage(env, "heartbeat", "--wait", "45")
    log = (tmp_path / "worker.log").read_text()
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n--- worker log ---\n{log}"
    heartbeat = Heartbeat.objects.get()
    assert heartbeat.status == Heartbeat.Status.DONE
    assert heartbeat.worker.startswith(worker_name)
    assert heartbeat.completed_at >= heartbeat.requested_at
    return heartbeat, log


@pytest.mark.postgres
@pytest.mark.redis
def test_task_goes_through_real_redis_to_a_worker_that_writes_postgresql(tmp_path):
    need("PostgreSQL", postgres_in_use())
    need("Redis", redis_reachable())
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()  # the suite's own Redis database only
    env = subprocess_env(broker_url=REDIS_TEST_URL, var_dir=tmp_path)

    _heartbeat, log = _round_trip(env, tmp_path)

    assert "redis://" in log
    assert "Task core.complete_heartbeat" in log


def test_task_goes_through_the_embedded_filesystem_broker(tmp_path):
    env = subprocess_env(broker_url="filesystem://", var_dir=tmp_path)

    _heartbeat, log = _round_trip(env, tmp_path)

    assert "filesystem://" in log
    assert (tmp_path / "broker" / "queue").is_dir()
