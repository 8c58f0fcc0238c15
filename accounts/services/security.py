"""Security notices and the "this wasn't me" flow."""

from __future__ import annotations

import datetime as dt

from accounts.models import User


def notification_context(*, user: User, template_prefix: str, request, now: dt.datetime) -> dict:
    """Extra context for allauth's security notices (placeholder: the security flow adds the
    audit event and the "this wasn't me" link)."""
    return {}
