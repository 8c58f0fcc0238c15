"""Celery tasks of the operations plumbing: load ids, call one service."""

from __future__ import annotations

from celery import shared_task

from cso_portal import clock
from cso_portal.core import services
from cso_portal.core.errors import EmailNotSent


@shared_task(name="core.complete_heartbeat", bind=True)
def complete_heartbeat(self, *, heartbeat_id: int) -> None:
    """Mark the heartbeat done by this worker (a second run changes nothing)."""
    services.complete_heartbeat(
        heartbeat_id=heartbeat_id, worker=self.request.hostname or "unknown", now=clock.real_now()
    )


@shared_task(name="core.emit_heartbeat")
def emit_heartbeat() -> None:
    """Beat: start a heartbeat round trip, so /healthz can tell the worker is alive."""
    services.request_heartbeat(now=clock.real_now())


@shared_task(name="core.sweep_heartbeats")
def sweep_heartbeats() -> None:
    """Beat: re-queue heartbeats whose message was lost; prune old ones."""
    services.sweep_heartbeats(now=clock.real_now())


@shared_task(
    name="core.deliver_email",
    autoretry_for=(EmailNotSent,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def deliver_email(*, email_id: int) -> None:
    """Send one outbox email (claimed first, so a second run sends nothing)."""
    services.deliver_email(email_id=email_id, now=clock.real_now())


@shared_task(name="core.sweep_outbox")
def sweep_outbox() -> None:
    """Beat: re-queue outbox emails whose message was lost or whose worker died."""
    services.sweep_outbox(now=clock.real_now())
