"""The task shape: the row is written first, the task is queued only after commit, and a
second run of the task changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from cso_portal import clock
from cso_portal.core import services, tasks
from cso_portal.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_heartbeat_is_queued_only_after_commit(django_capture_on_commit_callbacks, frozen_clock):
    with django_capture_on_commit_callbacks() as callbacks:
        heartbeat = services.request_heartbeat(now=clock.now())
        assert Heartbeat.objects.get().status == Heartbeat.Status.PENDING
    assert len(callbacks) == 1
    assert heartbeat.requested_at == clock.now()


def test_running_the_task_twice_completes_once(frozen_clock):
    heartbeat = Heartbeat.objects.create(requested_at=clock.now(), enqueued_at=clock.now())

    tasks.complete_heartbeat.apply(kwargs={"heartbeat_id": heartbeat.pk})
    heartbeat.refresh_from_db()
    first_completed_at = heartbeat.completed_at
    frozen_clock.shift(dt.timedelta(seconds=30))
    tasks.complete_heartbeat.apply(kwargs={"heartbeat_id": heartbeat.pk})
    heartbeat.refresh_from_db()

    assert heartbeat.status == Heartbeat.Status.DONE
    assert heartbeat.completed_at == first_completed_at


def test_task_for_a_vanished_row_does_nothing():
    assert services.complete_heartbeat(heartbeat_id=999_999, worker="w", now=clock.now()) is False


def test_sweeper_requeues_stuck_heartbeats_and_prunes_old_ones(
    django_capture_on_commit_callbacks, frozen_clock
):
    now = clock.now()
    stuck = Heartbeat.objects.create(requested_at=now, enqueued_at=now - dt.timedelta(minutes=5))
    fresh = Heartbeat.objects.create(requested_at=now, enqueued_at=now - dt.timedelta(seconds=10))
    old_done = Heartbeat.objects.create(
        requested_at=now - dt.timedelta(days=3),
        enqueued_at=now - dt.timedelta(days=3),
        status=Heartbeat.Status.DONE,
        completed_at=now - dt.timedelta(days=3),
    )

    with django_capture_on_commit_callbacks() as callbacks:
        requeued = services.sweep_heartbeats(now=now)

    assert requeued == 1
    assert len(callbacks) == 1
    stuck.refresh_from_db()
    assert (stuck.enqueue_count, stuck.enqueued_at) == (2, now)
    fresh.refresh_from_db()
    assert fresh.enqueue_count == 1
    assert not Heartbeat.objects.filter(pk=old_done.pk).exists()


def test_task_messages_are_json_with_ids_as_kwargs():
    from cso_portal import celery_app

    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert tasks.complete_heartbeat.retry_backoff
