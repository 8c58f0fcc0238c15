"""The PAA's quarterly statement, computed in the database: each payer billed its own part
of a split quarter, the $30 waiver per member, the groupings, payments, credits, balance
and history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Charge, ChargeTally
from accounts.services import billing, statements
from tests.accounts.paa_billing import CHICAGO, TODAY, make_billed_firm

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    return make_billed_firm()


def _q4(payer):
    return statements.statement_for(payer, year=2026, quarter=4, today=TODAY)


def test_each_payer_is_billed_its_own_part_of_a_split_quarter(firm):
    paa_account, people = firm
    cy = people["cy"]

    on_firm = {line.name: line for line in _q4(paa_account).members}
    own = _q4(cy)

    assert (on_firm["Cy Lee"].views, on_firm["Cy Lee"].total) == (12, Decimal("36.00"))
    assert [(line.name, line.views, line.total) for line in own.members] == [
        ("Cy Lee", 5, Decimal("15.00"))
    ]
    # Each part has the waiver on its own: $15 on Cy's own bill is not owed.
    assert own.owed == Decimal("0.00")
    assert Charge.objects.filter(account=cy).count() == 17


def test_members_are_itemized_with_the_waiver_per_member(firm):
    paa_account, _people = firm

    statement = _q4(paa_account)

    lines = [
        (line.account_number != "", line.name, line.cost_center, line.views, line.pages,
         str(line.total), str(line.owed), line.waived)
        for line in statement.members
    ]  # fmt: skip
    assert lines == [
        (True, "Ada Rivera", "Litigation", 11, 440, "33.00", "33.00", False),
        (True, "Ben Okafor", "Bankruptcy", 2, 80, "6.00", "0.00", True),
        (True, "Cy Lee", "Litigation", 12, 480, "36.00", "36.00", False),
        (True, "Dee Park", "", 0, 0, "0.00", "0.00", False),
    ]
    assert (statement.views, statement.pages) == (25, 1000)
    assert (statement.usage, statement.waived, statement.owed) == (
        Decimal("75.00"),
        Decimal("6.00"),
        Decimal("69.00"),
    )
    assert statement.members_billed == 3


def test_the_quarter_follows_the_portal_time_zone(firm):
    paa_account, _people = firm

    q3 = statements.statement_for(paa_account, year=2026, quarter=3, today=TODAY)

    ada = next(line for line in q3.members if line.name == "Ada Rivera")
    assert (ada.views, ada.total, ada.owed) == (5, Decimal("15.00"), Decimal("0.00"))
    assert (q3.usage, q3.owed) == (Decimal("48.00"), Decimal("33.00"))
    # Cy was a member in Q3 too (no views): listed at zero.
    assert [line.name for line in q3.members] == ["Ada Rivera", "Ben Okafor", "Cy Lee", "Dee Park"]


def test_groupings_by_court_client_code_and_cost_center(firm):
    paa_account, _people = firm

    statement = _q4(paa_account)

    def rows(usages):
        return [(u.label, u.views, str(u.total)) for u in usages]

    assert rows(statement.by_court) == [("azb", 4, "12.00"), ("flsb", 21, "63.00")]
    assert rows(statement.by_client_code) == [
        ("=HYPERLINK(1)", 2, "6.00"),
        ("LEE-7", 12, "36.00"),
        ("SMITH-01", 4, "12.00"),
        ("No client code", 7, "21.00"),
    ]
    assert [(u.label, u.views, str(u.total), str(u.owed)) for u in statement.by_cost_center] == [
        ("Bankruptcy", 2, "6.00", "0.00"),
        ("Litigation", 23, "69.00", "69.00"),
        ("No cost center", 0, "0.00", "0.00"),
    ]


def test_payments_and_credits_make_the_balance(firm):
    paa_account, _people = firm
    now = dt.datetime(2026, 11, 16, 9, 0, tzinfo=CHICAGO)
    billing.record_payment(
        account=paa_account,
        amount=Decimal("20.00"),
        method="card",
        number="4242 4242 4242 4242",
        year=2026,
        quarter=4,
        actor=paa_account,
        now=now,
    )
    billing.record_payment(
        account=paa_account,
        amount=Decimal("10.00"),
        method="bank",
        number="011000015:000123456789",
        year=2026,
        quarter=4,
        actor=paa_account,
        now=now,
    )
    billing.record_credit(
        account=paa_account, amount=Decimal("5.00"), year=2026, quarter=4,
        note="Billing correction", actor=None, now=now,
    )  # fmt: skip

    statement = _q4(paa_account)

    assert (statement.owed, statement.paid, statement.credited) == (
        Decimal("69.00"),
        Decimal("30.00"),
        Decimal("5.00"),
    )
    assert statement.balance == Decimal("34.00")
    assert [(p.kind, p.method, p.last4) for p in statement.payments] == [
        ("payment", "card", "4242"),
        ("payment", "bank", "6789"),
        ("credit", "", ""),
    ]
    assert statements.balance_of(paa_account, year=2026, quarter=4) == Decimal("34.00")


def test_a_payment_may_not_be_more_than_the_balance(firm):
    paa_account, _people = firm
    with pytest.raises(billing.PaymentRefused, match=r"Q4 2026 has a balance of \$69.00"):
        billing.record_payment(
            account=paa_account, amount=Decimal("69.01"), method="card",
            number="4242424242424242", year=2026, quarter=4, actor=paa_account,
            now=dt.datetime(2026, 11, 16, 9, 0, tzinfo=CHICAGO),
        )  # fmt: skip
    with pytest.raises(billing.PaymentRefused, match="Nothing is owed for Q2 2026"):
        billing.record_payment(
            account=paa_account, amount=Decimal("1.00"), method="card",
            number="4242424242424242", year=2026, quarter=2, actor=paa_account,
            now=dt.datetime(2026, 11, 16, 9, 0, tzinfo=CHICAGO),
        )  # fmt: skip


def test_history_has_eight_quarters_of_owed_paid_and_balance(firm):
    paa_account, _people = firm
    billing.record_payment(
        account=paa_account, amount=Decimal("33.00"), method="card",
        number="4242424242424242", year=2026, quarter=3, actor=paa_account,
        now=dt.datetime(2026, 10, 2, 9, 0, tzinfo=CHICAGO),
    )  # fmt: skip

    history = _q4(paa_account).history

    assert [row.label for row in history] == [
        "Q4 2026", "Q3 2026", "Q2 2026", "Q1 2026", "Q4 2025", "Q3 2025", "Q2 2025", "Q1 2025",
    ]  # fmt: skip
    q4, q3 = history[0], history[1]
    assert (q4.usage, q4.owed, q4.paid, q4.balance) == (
        Decimal("75.00"), Decimal("69.00"), Decimal("0.00"), Decimal("69.00"),
    )  # fmt: skip
    assert (q3.usage, q3.owed, q3.paid, q3.balance) == (
        Decimal("48.00"), Decimal("33.00"), Decimal("33.00"), Decimal("0.00"),
    )  # fmt: skip
    assert all(row.owed == row.balance == Decimal("0.00") for row in history[2:])


def test_an_individual_accounts_own_bill(firm):
    _paa_account, people = firm

    statement = _q4(people["cy"])

    assert statement.by_client_code[0].label == "LEE-7"
    assert statement.history[0].usage == Decimal("15.00")
    assert statement.history[0].owed == Decimal("0.00")


def test_the_statement_runs_a_fixed_number_of_queries(firm, django_assert_num_queries):
    paa_account, _people = firm
    with django_assert_num_queries(7):
        _q4(paa_account)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-4", (2026, 4)), ("2026-Q3", (2026, 3)), (" 2025-1 ", (2025, 1)),
     ("2026-5", None), ("0000-1", None), ("abc", None), ("", None), ("2026-4'--", None)],
)  # fmt: skip
def test_quarters_are_parsed_strictly(value, expected):
    assert statements.parse_quarter(value) == expected


def test_quarter_ranges_are_local_midnights():
    start, end = statements.quarter_range(2026, 4)
    assert start == dt.datetime(2026, 10, 1, tzinfo=CHICAGO)
    assert end == dt.datetime(2027, 1, 1, tzinfo=CHICAGO)
    assert start.utcoffset() == dt.timedelta(hours=-5)  # CDT
    assert end.utcoffset() == dt.timedelta(hours=-6)  # CST


def _tallies():
    return sorted(
        ChargeTally.objects.values_list(
            "billed_to", "account", "year", "quarter", "court_id", "client_code",
            "views", "pages", "total",
        )
    )  # fmt: skip


def test_the_running_tallies_match_the_charges(firm):
    """record_charge keeps the tallies up one charge at a time; recomputing them from the
    charges gives the same rows (quarters in the portal's time zone)."""
    kept = _tallies()
    assert sum(row[6] for row in kept) == Charge.objects.count() == 46

    assert billing.rebuild_tallies() == len(kept)

    assert _tallies() == kept
    ada = firm[1]["ada"]
    q3 = [row for row in kept if row[1] == ada.pk and row[3] == 3]
    assert [(row[6], str(row[8])) for row in q3] == [(5, "15.00")]  # Sep 30, 23:30 is Q3
