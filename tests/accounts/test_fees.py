"""Property tests of the PACER fee schedule (accounts/fees.py), plus the named examples."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import fees
from accounts.fees import Item

CAPPED_ITEMS = sorted(fees.CAPPED)
UNCAPPED_ITEMS = [Item.TRANSCRIPT, Item.NAME_SEARCH, Item.NON_CASE_REPORT, Item.SEARCH]
ALL_ITEMS = list(Item)

pages = st.integers(min_value=0, max_value=100_000)
money = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("100000"), allow_nan=False, allow_infinity=False
)
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


# The named examples (acceptance 4) -----------------------------------------------------------


def test_a_45_page_document_costs_the_cap():
    assert fees.fee(Item.DOCUMENT, 45) == Decimal("3.00")


def test_a_45_page_transcript_is_not_capped():
    assert fees.fee(Item.TRANSCRIPT, 45) == Decimal("4.50")


def test_a_5000_byte_html_docket_report_is_two_pages():
    assert fees.html_pages(5000) == 2
    assert fees.fee(Item.DOCKET_REPORT, fees.html_pages(5000)) == Decimal("0.20")


def test_a_search_that_finds_nothing_costs_one_page():
    assert fees.search_fee(matches=0, byte_count=0) == (1, Decimal("0.10"))


# The cap ------------------------------------------------------------------------------------


@given(item=st.sampled_from(CAPPED_ITEMS), n=pages)
def test_capped_items_never_cost_more_than_three_dollars(item, n):
    amount = fees.fee(item, n)
    assert Decimal("0") <= amount <= Decimal("3.00")
    assert amount == min(Decimal("0.10") * n, Decimal("3.00"))


@given(item=st.sampled_from(CAPPED_ITEMS), n=st.integers(min_value=30, max_value=100_000))
def test_capped_items_cost_exactly_the_cap_from_30_pages_on(item, n):
    assert fees.fee(item, n) == fees.CAP == Decimal("3.00")


@given(item=st.sampled_from(UNCAPPED_ITEMS), a=pages, b=pages)
def test_transcripts_searches_and_non_case_reports_are_uncapped_and_linear(item, a, b):
    assert fees.fee(item, a) == Decimal("0.10") * a
    assert fees.fee(item, a + b) == fees.fee(item, a) + fees.fee(item, b)


@given(item=st.sampled_from(sorted(fees.FREE)), n=pages)
def test_opinions_and_free_looks_cost_nothing(item, n):
    assert fees.fee(item, n) == Decimal("0.00")


@given(item=st.sampled_from(ALL_ITEMS), n=pages)
def test_more_pages_never_cost_less(item, n):
    assert fees.fee(item, n + 1) >= fees.fee(item, n)


@given(item=st.sampled_from(ALL_ITEMS), n=st.integers(max_value=-1))
def test_negative_pages_are_refused(item, n):
    with pytest.raises(ValueError, match="negative"):
        fees.fee(item, n)


# Rounding to cents --------------------------------------------------------------------------


@given(item=st.sampled_from(ALL_ITEMS), n=pages)
def test_every_fee_is_in_whole_cents(item, n):
    amount = fees.fee(item, n)
    assert amount == amount.quantize(Decimal("0.01"))
    assert amount.as_tuple().exponent == -2


@given(amount=money)
def test_cents_rounds_half_up_to_two_places(amount):
    rounded = fees.cents(amount)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - amount) <= Decimal("0.005")
    assert fees.cents(rounded) == rounded


def test_cents_rounds_a_half_cent_up():
    assert fees.cents(Decimal("0.125")) == Decimal("0.13")
    assert fees.cents(Decimal("0.124")) == Decimal("0.12")


# Page counting of HTML reports ----------------------------------------------------------------


@given(byte_count=st.integers(min_value=0, max_value=10**9))
def test_html_pages_is_one_page_per_4320_bytes_or_part(byte_count):
    assert fees.html_pages(byte_count) == max(1, math.ceil(byte_count / 4320))
    assert fees.html_pages(byte_count) >= 1


@given(k=st.integers(min_value=1, max_value=10**5))
def test_html_pages_boundaries(k):
    assert fees.html_pages(4320 * k) == k
    assert fees.html_pages(4320 * k + 1) == k + 1


def test_an_empty_report_is_still_one_page():
    assert fees.html_pages(0) == 1
    assert fees.html_pages(1) == 1


@given(byte_count=st.integers(max_value=-1))
def test_negative_bytes_are_refused(byte_count):
    with pytest.raises(ValueError, match="negative"):
        fees.html_pages(byte_count)


@given(matches=st.integers(min_value=1, max_value=10**4), byte_count=st.integers(0, 10**8))
def test_searches_with_results_bill_their_bytes_uncapped(matches, byte_count):
    pages_billed, amount = fees.search_fee(matches=matches, byte_count=byte_count)
    assert pages_billed == fees.html_pages(byte_count)
    assert amount == Decimal("0.10") * pages_billed


# Quarters -----------------------------------------------------------------------------------


@given(day=days)
def test_every_day_falls_in_exactly_the_quarter_quarter_of_names(day):
    year, quarter = fees.quarter_of(day)
    start, end = fees.quarter_bounds(year, quarter)
    assert start <= day < end
    others = [
        (y, q)
        for y in (year - 1, year, year + 1)
        for q in (1, 2, 3, 4)
        if (y, q) != (year, quarter)
        and fees.quarter_bounds(y, q)[0] <= day < fees.quarter_bounds(y, q)[1]
    ]
    assert others == []


@given(year=st.integers(min_value=1990, max_value=2099), quarter=st.integers(1, 4))
def test_quarters_tile_the_calendar(year, quarter):
    start, end = fees.quarter_bounds(year, quarter)
    assert start.day == 1
    assert fees.quarter_of(start) == (year, quarter)
    assert fees.quarter_of(end - dt.timedelta(days=1)) == (year, quarter)
    next_year, next_quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    assert fees.quarter_bounds(next_year, next_quarter)[0] == end
    assert fees.quarter_of(end) == (next_year, next_quarter)
    assert 90 <= (end - start).days <= 92


@given(year=st.integers(min_value=1990, max_value=2099))
def test_a_year_is_four_quarters_covering_each_day_once(year):
    covered = sum((e - s).days for s, e in (fees.quarter_bounds(year, q) for q in (1, 2, 3, 4)))
    assert covered == (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


@pytest.mark.parametrize(
    ("before", "after", "q_before", "q_after"),
    [
        (dt.date(2026, 3, 31), dt.date(2026, 4, 1), (2026, 1), (2026, 2)),
        (dt.date(2026, 6, 30), dt.date(2026, 7, 1), (2026, 2), (2026, 3)),
        (dt.date(2026, 9, 30), dt.date(2026, 10, 1), (2026, 3), (2026, 4)),
        (dt.date(2026, 12, 31), dt.date(2027, 1, 1), (2026, 4), (2027, 1)),
    ],
)
def test_quarter_boundaries_on_both_sides(before, after, q_before, q_after):
    assert fees.quarter_of(before) == q_before
    assert fees.quarter_of(after) == q_after
    assert fees.quarter_bounds(*q_before)[1] == after
    assert fees.quarter_bounds(*q_after)[0] == after


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_there_are_four_quarters(quarter):
    with pytest.raises(ValueError, match="quarter"):
        fees.quarter_bounds(2026, quarter)


def test_quarter_label():
    assert fees.quarter_label(2026, 4) == "Q4 2026"


# The quarterly waiver -----------------------------------------------------------------------


@given(total=st.decimals(min_value=Decimal("0"), max_value=Decimal("30.00"), places=2))
def test_nothing_is_owed_for_a_quarter_of_30_dollars_or_less(total):
    assert fees.owed_for_quarter(total) == Decimal("0.00")
    assert fees.waiver_left(total) == Decimal("30.00") - total


@given(total=st.decimals(min_value=Decimal("30.01"), max_value=Decimal("100000"), places=2))
def test_the_whole_total_is_owed_above_30_dollars(total):
    assert fees.owed_for_quarter(total) == total
    assert fees.waiver_left(total) == Decimal("0.00")


@given(total=money)
def test_owed_is_nothing_or_the_whole_total_in_cents(total):
    owed = fees.owed_for_quarter(total)
    assert owed in (Decimal("0.00"), fees.cents(total))
    assert owed.as_tuple().exponent == -2
    assert Decimal("0") <= fees.waiver_left(total) <= Decimal("30.00")


def test_the_waiver_edge():
    assert fees.owed_for_quarter(Decimal("30.00")) == Decimal("0.00")
    assert fees.owed_for_quarter(Decimal("30.01")) == Decimal("30.01")
    # A total that rounds to $30.00 is within the waiver.
    assert fees.owed_for_quarter(Decimal("30.004")) == Decimal("0.00")
