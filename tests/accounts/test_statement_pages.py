"""The PAA's statement page: what the administrator sees, who may see it (a PAA, its own
statement only), and a query count that does not grow with members or charges."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import fees
from accounts.models import Charge, PaaMembership, User
from accounts.services import billing
from tests.accounts.paa_billing import CHICAGO, make_billed_firm
from tests.factories import PaaFactory

pytestmark = pytest.mark.django_db

STATEMENT = "/account/paa/statement/"
PAA_URLS = [
    STATEMENT,
    "/account/paa/statement.csv",
    "/account/paa/usage.csv",
    "/account/paa/payments/",
]


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def firm():
    return make_billed_firm()


# Who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAA_URLS)
def test_signed_out_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PAA_URLS)
def test_an_individual_account_gets_a_404(client, firm, url):
    """Not even a member of the PAA sees the firm's statement."""
    _paa, people = firm
    client.force_login(people["ada"])
    assert client.get(url).status_code == 404


def test_another_paa_sees_only_its_own_statement(client, firm, frozen_clock):
    paa_account, _people = firm
    other = PaaFactory(firm="Okafor Legal")
    client.force_login(other)

    # There is no id to guess: a PAA's statement is always its own; extra parameters are
    # ignored.
    response = client.get(STATEMENT, {"paa": paa_account.pk, "account": paa_account.pk})

    assert response.status_code == 200
    page = text(response)
    assert "Okafor Legal" in page
    assert "Rivera & Okafor LLP" not in page
    assert "Ada Rivera" not in page
    assert response.context["statement"].usage == Decimal("0.00")
    assert client.get("/account/paa/statement.csv", {"paa": paa_account.pk}).content.decode(
        "utf-8-sig"
    ).splitlines()[1:] == ["TOTAL,,,0,0,0.00,0.00"]


def test_a_legacy_paa_may_view_its_statement_and_pay(client, frozen_clock):
    legacy = PaaFactory(legacy=True)
    client.force_login(legacy)
    assert client.get(STATEMENT).status_code == 200
    assert client.get("/account/paa/payments/").status_code == 200


# What it shows ------------------------------------------------------------------------------


def test_the_statement_itemizes_members_and_shows_the_balance(client, firm, frozen_clock):
    paa_account, _people = firm
    billing.record_payment(
        account=paa_account, amount=Decimal("20.00"), method="card",
        number="4242424242424242", year=2026, quarter=4, actor=paa_account,
        now=dt.datetime(2026, 11, 10, 9, 0, tzinfo=CHICAGO),
    )  # fmt: skip
    client.force_login(paa_account)

    response = client.get(STATEMENT)

    assert response.status_code == 200
    page = text(response)
    assert "Statement for Q4 2026" in page
    assert "Rivera & Okafor LLP, PACER Administrative Account" in page
    assert "from October 1, 2026 to December 31, 2026" in page
    assert "Ada Rivera Litigation 11 440 $33.00 $33.00" in page
    assert "Ben Okafor Bankruptcy 2 80 $6.00 $0.00 waived" in page
    assert "Cy Lee Litigation 12 480 $36.00 $36.00" in page
    assert "Dee Park — 0 0 $0.00 $0.00" in page
    assert "Total, all members 25 1000 $75.00 $69.00" in page
    assert "Usage $75.00 Waived $6.00 Owed $69.00 Payments $20.00 Credits $0.00 Balance $49.00" in (
        page
    )
    assert (
        "our reading of the fee schedule: no fee is owed for an account whose quarter total "
        "is $30.00 or less"
    ) in page
    assert "Filing fees stay on each member's individual account" in page
    # The groupings.
    assert "By cost center Cost center Views Pages Total Owed Bankruptcy 2 80 $6.00 $0.00" in page
    assert "By court Court Views Pages Total azb 4 160 $12.00 flsb 21 840 $63.00" in page
    assert "SMITH-01 4 160 $12.00 No client code 7 280 $21.00" in page
    assert "Card ending 4242 $20.00" in page
    # 24 months of history, each quarter a link to its statement.
    html = response.content.decode()
    assert f'href="{STATEMENT}?quarter=2026-3"' in html
    assert f'href="{STATEMENT}?quarter=2025-1"' in html
    assert "Q3 2026 $48.00 $33.00 $0.00 $0.00 $33.00" in page
    assert 'href="/account/paa/statement.csv?quarter=2026-4"' in html
    assert 'href="/account/paa/usage.csv?quarter=2026-4"' in html


def test_a_past_quarter_by_its_link(client, firm, frozen_clock):
    paa_account, _people = firm
    client.force_login(paa_account)

    response = client.get(STATEMENT, {"quarter": "2026-3"})

    page = text(response)
    assert "Statement for Q3 2026" in page
    assert "Ada Rivera Litigation 5 200 $15.00 $0.00 waived" in page
    assert '<option value="2026-3" selected>Q3 2026</option>' in response.content.decode()


@pytest.mark.parametrize("bad", ["abc", "2026-5", "0000-1", "2026-3'--", "99999-1"])
def test_a_bad_quarter_gets_a_message_and_the_current_one(client, firm, frozen_clock, bad):
    paa_account, _people = firm
    client.force_login(paa_account)

    response = client.get(STATEMENT, {"quarter": bad})

    assert response.status_code == 200
    assert "That is not a quarter; showing the current one." in text(response)
    assert "Statement for Q4 2026" in text(response)


# Many members -----------------------------------------------------------------------------


def _bulk_paa(members: int, charges: int) -> User:
    """A PAA with ``members`` members and ``charges`` charges in Q4 2026, written with
    bulk_create (then tallied, as record_charge would have, by rebuild_tallies)."""
    paa_account = PaaFactory()
    base = 3_000_000 + User.objects.count() * 1000
    people = User.objects.bulk_create(
        User(
            username=f"bulk{base + n}",
            account_number=f"{base + n:07d}",
            first_name=f"Member{n:04d}",
            last_name="Bulk",
            registered_on=dt.date(2020, 1, 6),
            password="!",
        )
        for n in range(members)
    )
    joined = dt.datetime(2026, 9, 1, 9, 0, tzinfo=CHICAGO)
    PaaMembership.objects.bulk_create(
        PaaMembership(
            paa=paa_account, member=person, status="active", requested_at=joined, started_at=joined
        )
        for person in people
    )
    start = dt.datetime(2026, 10, 1, 9, 0, tzinfo=CHICAGO)
    Charge.objects.bulk_create(
        (
            Charge(
                account=people[n % members],
                billed_to=paa_account,
                court_id=("flsb", "azb", "arb")[n % 3],
                item=fees.Item.DOCUMENT,
                pages=1 + n % 40,
                amount=fees.fee(fees.Item.DOCUMENT, 1 + n % 40),
                client_code=f"C{n % 7}" if n % 2 else "",
                created_at=start + dt.timedelta(minutes=n),
            )
            for n in range(charges)
        ),
        batch_size=2000,
    )
    billing.rebuild_tallies(payer=paa_account)
    return paa_account


def test_members_are_paginated_100_a_page_with_totals_over_all(client, frozen_clock):
    paa_account = _bulk_paa(150, 300)
    client.force_login(paa_account)

    first = client.get(STATEMENT)
    second = client.get(STATEMENT, {"quarter": "2026-4", "page": "2"})

    assert len(first.context["page"].object_list) == 100
    assert len(second.context["page"].object_list) == 50
    assert "Page 1 of 2" in text(first)
    assert 'href="?quarter=2026-4&amp;page=2"' in first.content.decode()
    statement = first.context["statement"]
    total = sum(line.total for line in statement.members)
    assert statement.usage == total
    assert f"Total, all members 300 {statement.pages} ${total}" in text(second)


def _statement_queries(client, paa_account) -> int:
    client.force_login(paa_account)
    client.get(STATEMENT)  # warm the session and the training clock's cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATEMENT)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_members_or_charges(
    client, frozen_clock, django_assert_max_num_queries
):
    few = _statement_queries(client, _bulk_paa(10, 100))
    big = _bulk_paa(200, 10_000)
    many = _statement_queries(client, big)

    assert few == many
    # The session, the account, seven for the statement (member sums, members, courts,
    # client codes, the quarter's payments, history of charges and of payments), the firm.
    with django_assert_max_num_queries(10):
        response = client.get(STATEMENT)
    assert response.context["statement"].views == 10_000
