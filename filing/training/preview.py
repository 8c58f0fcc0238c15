"""What moving the training clock changes (the staff "clock" page): read-only.

Between today (the training clock) and the new date — the days after today up to and
including the new date — courts go live on NextGen, CM/ECF password-reset deadlines pass,
open link requests expire, fee quarters close; and e-file registrations still waiting for
their court are listed with their age on the new date. A fixed number of queries whatever the
number of rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from accounts.fees import quarter_bounds, quarter_label
from courts.models import Court
from filing.models import EfileRegistration
from linking.models import LinkRequest

# Lists on the page show at most this many rows each (counts are exact).
PREVIEW_ROWS = 50


@dataclasses.dataclass
class QuarterClose:
    label: str
    last_day: dt.date


@dataclasses.dataclass
class ClockPreview:
    today: dt.date
    new_date: dt.date
    courts_going_live: list[Court]
    reset_deadlines_passing: list[Court]
    expiring_requests: list[LinkRequest]
    expiring_count: int
    waiting_registrations: list[EfileRegistration]
    waiting_count: int
    quarters_closing: list[QuarterClose]

    @property
    def backwards(self) -> bool:
        """The new date is before today: nothing "happens", courts go back in time."""
        return self.new_date < self.today

    @property
    def days(self) -> int:
        return (self.new_date - self.today).days


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def quarters_closing(first: dt.date, last: dt.date) -> list[QuarterClose]:
    """The fee quarters whose last day is in ``first``…``last`` (inclusive)."""
    closing = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while True:
        _start, next_start = quarter_bounds(year, quarter)
        last_day = next_start - dt.timedelta(days=1)
        if last_day > last:
            return closing
        if last_day >= first:
            closing.append(QuarterClose(quarter_label(year, quarter), last_day))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def preview_clock_change(*, today: dt.date, new_date: dt.date) -> ClockPreview:
    """What happens on the days after ``today`` up to and including ``new_date`` (moving back,
    the same span the other way: what would be undone). Six queries."""
    first, last = sorted((today, new_date))
    first += dt.timedelta(days=1)
    courts_going_live = list(
        Court.objects.filter(nextgen_date__gte=first, nextgen_date__lte=last).order_by(
            "nextgen_date", "id"
        )
    )
    # A reset deadline is the last day resets work: it "passes" the day after it.
    reset_deadlines = list(
        Court.objects.filter(
            password_reset_deadline__gte=first - dt.timedelta(days=1),
            password_reset_deadline__lt=last,
        ).order_by("password_reset_deadline", "id")
    )
    expiring = LinkRequest.objects.filter(
        status__in=LinkRequest.OPEN_STATUSES,
        expires_at__gte=_midnight(first),
        expires_at__lt=_midnight(last + dt.timedelta(days=1)),
    )
    waiting = EfileRegistration.objects.filter(status__in=EfileRegistration.OPEN_STATUSES)
    return ClockPreview(
        today=today,
        new_date=new_date,
        courts_going_live=courts_going_live,
        reset_deadlines_passing=reset_deadlines,
        expiring_requests=list(
            expiring.select_related("court", "pacer_account").order_by("expires_at", "pk")[
                :PREVIEW_ROWS
            ]
        ),
        expiring_count=expiring.count(),
        waiting_registrations=list(
            waiting.select_related("court", "pacer_account").order_by("submitted_at", "pk")[
                :PREVIEW_ROWS
            ]
        ),
        waiting_count=waiting.count(),
        quarters_closing=quarters_closing(first, last),
    )
