"""The one clock of CSO Portal.

Go-live dates make "today" part of every rule, so nothing else asks the system for the time:
services take ``now``/``today`` from their caller, and callers get them here. Tests pin it
with ``time_machine``; the training clock (a later feature) moves it for a rehearsal.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the portal's time zone (``TIME_ZONE``)."""
    return timezone.localdate(now())
