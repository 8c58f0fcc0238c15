"""The PACER fee schedule: the one place for its numbers, as pure functions.

From the published Electronic Public Access fee schedule (and DESIGN.md): $0.10 per page;
an HTML report counts one page per 4,320 bytes; a document or a case-specific report costs
at most $3.00 (30 pages), except transcripts, name searches and reports not about one case;
a search that finds nothing costs one page; the NEF free look and judicial opinions are
free; no fee is owed for a quarter whose total is $30 or less.

Nothing here reads the clock or the database: callers pass what they know.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

PER_PAGE = Decimal("0.10")
BYTES_PER_PAGE = 4320
CAP_PAGES = 30
CAP = PER_PAGE * CAP_PAGES  # $3.00
QUARTERLY_WAIVER = Decimal("30.00")
CENT = Decimal("0.01")


class Item(models.TextChoices):
    """What a billable view was (copied onto each charge row)."""

    DOCUMENT = "document", _("Document")
    DOCKET_REPORT = "docket_report", _("Docket report")
    CASE_REPORT = "case_report", _("Other case-specific report")
    TRANSCRIPT = "transcript", _("Transcript")
    SEARCH = "search", _("Case search")
    NAME_SEARCH = "name_search", _("Name search")
    NON_CASE_REPORT = "non_case_report", _("Report not about one case")
    OPINION = "opinion", _("Judicial opinion")
    FREE_LOOK = "free_look", _("NEF free look")


# The $3.00 cap applies to these only.
CAPPED = frozenset({Item.DOCUMENT, Item.DOCKET_REPORT, Item.CASE_REPORT})
# These never cost anything.
FREE = frozenset({Item.OPINION, Item.FREE_LOOK})


def cents(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent (half up, as a bill is)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def html_pages(byte_count: int) -> int:
    """Billable pages of an HTML report of ``byte_count`` bytes: one per 4,320 bytes or part
    of them, at least one."""
    if byte_count < 0:
        raise ValueError("byte_count must not be negative")
    return max(1, math.ceil(byte_count / BYTES_PER_PAGE))


def fee(item: str, pages: int) -> Decimal:
    """The fee for viewing ``pages`` pages of ``item`` (an :class:`Item` value)."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    item = Item(item)
    if item in FREE:
        return Decimal("0.00")
    billable = min(pages, CAP_PAGES) if item in CAPPED else pages
    return cents(PER_PAGE * billable)


def search_fee(*, matches: int, byte_count: int, name_search: bool = False) -> tuple[int, Decimal]:
    """(pages, fee) of a search: one page when nothing matched, else the results' bytes,
    never capped (a search is not about one case)."""
    if matches == 0:
        return 1, cents(PER_PAGE)
    pages = html_pages(byte_count)
    item = Item.NAME_SEARCH if name_search else Item.SEARCH
    return pages, fee(item, pages)


# Quarters -----------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(year, quarter 1–4) of ``day``."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First day of the quarter and first day of the next one (half-open)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1 to 4")
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


def quarter_label(year: int, quarter: int) -> str:
    """ "Q4 2026"."""
    return f"Q{quarter} {year}"


def owed_for_quarter(total: Decimal) -> Decimal:
    """What a quarter's usage ``total`` makes owed: nothing when $30.00 or less."""
    total = cents(total)
    return Decimal("0.00") if total <= QUARTERLY_WAIVER else total


def waiver_left(total: Decimal) -> Decimal:
    """How much more usage fits under the quarterly waiver (never negative)."""
    return max(Decimal("0.00"), cents(QUARTERLY_WAIVER - cents(total)))
