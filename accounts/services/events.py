"""The account history. Called by the other account services in their own transaction."""

from __future__ import annotations

import datetime as dt

from accounts.models import AccountEvent, User

__all__ = ["AccountEvent", "client_ip", "record_event"]

USER_AGENT_MAX = 200


def client_ip(request) -> str | None:
    """The client's address as Django sees it (behind a proxy, configure the proxy to set
    REMOTE_ADDR; never trust a client-sent header here)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    user: User,
    kind: str,
    now: dt.datetime,
    actor: User | None = None,
    request=None,
    detail: dict | None = None,
) -> AccountEvent:
    """Append one row to the account's history. ``detail`` holds plain facts only — never a
    password, code, token or secret."""
    return AccountEvent.objects.create(
        user=user,
        kind=kind,
        actor=actor,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:USER_AGENT_MAX],
        detail=detail or {},
        created_at=now,
    )
