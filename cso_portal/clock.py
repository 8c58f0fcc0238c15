"""The one clock of CSO Portal.

Go-live dates make "today" part of every rule, so nothing else asks the system for the time:
services take ``now``/``today`` from their caller, and callers get them here. Tests pin the
real time with ``time_machine``. In demo mode staff may set a simulated date (the training
clock, ``core.ClockChange``); the time of day stays real, the date moves.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CACHE_KEY = "cso:clock:simulated-date"
_REAL = "real"
CACHE_SECONDS = 30


def real_now() -> dt.datetime:
    """The real current moment (UTC), whatever the training clock says."""
    return timezone.now()


def real_today() -> dt.date:
    """The real date in the portal's time zone."""
    return timezone.localdate(real_now())


def simulated_date() -> dt.date | None:
    """The date staff set on the training clock, or None when the clock runs real."""
    if not settings.CSO_DEMO_MODE:
        return None
    cached = cache.get(CACHE_KEY)
    if cached is None:
        from cso_portal.core.models import ClockChange

        latest = ClockChange.objects.order_by("-changed_at", "-pk").first()
        day = latest.simulated_date if latest else None
        cached = day.isoformat() if day else _REAL
        # A short life bounds how long a value cached around a change can linger.
        cache.set(CACHE_KEY, cached, timeout=CACHE_SECONDS)
    return None if cached == _REAL else dt.date.fromisoformat(cached)


def forget_cached_date() -> None:
    """Drop the cached simulated date (called when the training clock changes)."""
    cache.delete(CACHE_KEY)


def now() -> dt.datetime:
    """The current moment, timezone-aware: real, or on the simulated date in training."""
    real = real_now()
    day = simulated_date()
    if day is None:
        return real
    return real + dt.timedelta(days=(day - timezone.localdate(real)).days)


def today() -> dt.date:
    """Today's date in the portal's time zone (``TIME_ZONE``), simulated in training."""
    return timezone.localdate(now())
