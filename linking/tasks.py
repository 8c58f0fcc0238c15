"""Celery tasks of linking: load ids, call one service (which makes a second run a no-op)."""

from __future__ import annotations

from celery import shared_task

from cso_portal import clock
from linking import services


@shared_task(name="linking.process_link_request")
def process_link_request(*, request_id: int) -> None:
    """Verify a submitted request and put it before the court (or approve it, no review)."""
    services.process_link_request(request_id=request_id, now=clock.now())


@shared_task(name="linking.send_clerk_digests")
def send_clerk_digests() -> None:
    """Beat: one digest email per clerk of each court with newly reviewable requests."""
    services.send_clerk_digests(now=clock.now())


@shared_task(name="linking.expire_link_requests")
def expire_link_requests() -> None:
    """Beat: open requests past their expiry date expire; requesters are told."""
    services.expire_link_requests(now=clock.now())


@shared_task(name="linking.sweep_link_requests")
def sweep_link_requests() -> None:
    """Beat: queue processing again for requests stuck in submitted (real time)."""
    services.sweep_link_requests(now=clock.real_now())
