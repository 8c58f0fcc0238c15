"""The fee ledger: recording a billable view, and reading usage back by quarter.

``record_charge`` is the one door for a charge (filing calls it for every billable view);
the usage reads aggregate in the database, never by looping rows in Python.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from accounts import fees
from accounts.models import Charge, User


def payer_for(account: User, *, now: dt.datetime) -> User:
    """Who pays ``account``'s charges at ``now``: the account itself (a PAA member's charges
    go to the PAA once PAA membership exists; this is that seam)."""
    return account


@transaction.atomic
def record_charge(
    *,
    account: User,
    court_id: str,
    item: str,
    pages: int,
    now: dt.datetime,
    description: str = "",
    case_number: str = "",
    document: str = "",
    client_code: str = "",
) -> Charge | None:
    """Write one charge row for a view of ``pages`` pages of ``item`` (an
    :class:`accounts.fees.Item`) by ``account`` and return it; None for a free item (a free
    look or an opinion writes no row). The amount is :func:`accounts.fees.fee`'s."""
    amount = fees.fee(item, pages)
    if fees.Item(item) in fees.FREE:
        return None
    return Charge.objects.create(
        account=account,
        billed_to=payer_for(account, now=now),
        court_id=court_id,
        item=item,
        description=description[:300],
        case_number=case_number[:64],
        document=document[:64],
        pages=pages,
        amount=amount,
        client_code=client_code.strip()[:32],
        created_at=now,
    )


@dataclasses.dataclass(frozen=True)
class QuarterUsage:
    year: int
    quarter: int
    pages: int
    views: int
    total: Decimal

    @property
    def label(self) -> str:
        return fees.quarter_label(self.year, self.quarter)

    @property
    def owed(self) -> Decimal:
        return fees.owed_for_quarter(self.total)

    @property
    def waived(self) -> bool:
        return self.total > 0 and self.owed == 0

    @property
    def waiver_left(self) -> Decimal:
        return fees.waiver_left(self.total)

    @property
    def waiver_used_percent(self) -> int:
        """How much of the $30 waiver the quarter has used, 0–100 (for the meter)."""
        used = min(self.total, fees.QUARTERLY_WAIVER) / fees.QUARTERLY_WAIVER
        return int(used * 100)


def usage_by_quarter(account: User, *, limit: int = 8) -> list[QuarterUsage]:
    """``account``'s own usage per quarter, newest first (one aggregate query).

    Quarters follow the portal's time zone (``USE_TZ``: the extraction happens in the
    current time zone)."""
    rows = (
        Charge.objects.filter(account=account)
        .annotate(year=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
        .values("year", "quarter")
        .annotate(pages=Sum("pages"), views=Count("pk"), total=Sum("amount"))
        .order_by("-year", "-quarter")[:limit]
    )
    return [
        QuarterUsage(
            year=row["year"],
            quarter=row["quarter"],
            pages=row["pages"] or 0,
            views=row["views"],
            total=fees.cents(row["total"] or Decimal("0")),
        )
        for row in rows
    ]


def current_quarter_usage(account: User, *, today: dt.date) -> QuarterUsage:
    """The running meter: ``account``'s usage in ``today``'s quarter (zero when none)."""
    year, quarter = fees.quarter_of(today)
    start, end = fees.quarter_bounds(year, quarter)
    totals = Charge.objects.filter(
        account=account, created_at__date__gte=start, created_at__date__lt=end
    ).aggregate(pages=Sum("pages"), views=Count("pk"), total=Sum("amount"))
    return QuarterUsage(
        year=year,
        quarter=quarter,
        pages=totals["pages"] or 0,
        views=totals["views"],
        total=fees.cents(totals["total"] or Decimal("0")),
    )


def charges_in_quarter(account: User, *, year: int, quarter: int):
    """The rows of one quarter of ``account``'s usage, newest first (a queryset)."""
    start, end = fees.quarter_bounds(year, quarter)
    return Charge.objects.filter(
        account=account, created_at__date__gte=start, created_at__date__lt=end
    ).order_by("-created_at", "-pk")
