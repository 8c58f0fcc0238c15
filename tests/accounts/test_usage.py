"""The Usage tab of Manage My Account: usage by quarter, the waiver, the meter and the
charges of a quarter, as the account holder sees them."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.fees import Item
from accounts.services.billing import record_charge

pytestmark = pytest.mark.django_db

USAGE = "/account/usage/"
CHICAGO = ZoneInfo("America/Chicago")  # the portal's time zone (TIME_ZONE)


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def charge(account, when, item=Item.DOCUMENT, pages=45, **extra):
    return record_charge(
        account=account,
        court_id=extra.pop("court_id", "flsb"),
        item=item,
        pages=pages,
        now=when,
        **{
            "description": "Docket entry view",
            "case_number": "1:26-bk-00012",
            "document": "entry 3",
            **extra,
        },
    )


@pytest.fixture
def two_quarters(attorney):
    """Q3 2026: eleven capped documents, $33.00 (over the waiver, owed). Q4 2026 (the pinned
    clock's quarter): a document, a 45-page transcript and a 5,000-byte docket report,
    $7.70 (waived)."""
    for day in range(1, 11):
        charge(attorney, dt.datetime(2026, 8, day, 10, 0, tzinfo=CHICAGO))
    # The last evening of Q3 in the portal's time zone (already Oct 1 in UTC).
    charge(attorney, dt.datetime(2026, 9, 30, 23, 30, tzinfo=CHICAGO), client_code="SMITH-01")
    # The first minutes of Q4.
    charge(attorney, dt.datetime(2026, 10, 1, 0, 30, tzinfo=CHICAGO))
    charge(attorney, dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO), item=Item.TRANSCRIPT)
    charge(
        attorney,
        dt.datetime(2026, 11, 3, 9, 0, tzinfo=CHICAGO),
        item=Item.DOCKET_REPORT,
        pages=2,
        description="Docket report",
    )
    return attorney


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(USAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/account/usage/")


def test_quarters_show_totals_and_what_the_waiver_leaves_owed(client, two_quarters, frozen_clock):
    client.force_login(two_quarters)

    response = client.get(USAGE)

    assert response.status_code == 200
    quarters = {q.label: q for q in response.context["quarters"]}
    assert set(quarters) == {"Q4 2026", "Q3 2026"}
    q3, q4 = quarters["Q3 2026"], quarters["Q4 2026"]
    assert (q3.views, q3.pages, str(q3.total), str(q3.owed)) == (11, 495, "33.00", "33.00")
    assert (q4.views, q4.pages, str(q4.total), str(q4.owed)) == (3, 92, "7.70", "0.00")
    page = text(response)
    assert "Q4 2026 3 92 $7.70 $0.00 waived" in page
    assert "Q3 2026 11 495 $33.00 $33.00" in page
    assert "Q3 2026 11 495 $33.00 $33.00 waived" not in page


def test_the_meter_shows_the_current_quarter_against_the_waiver(client, two_quarters, frozen_clock):
    client.force_login(two_quarters)

    response = client.get(USAGE)

    html = response.content.decode()
    meter = re.search(r"<meter [^>]+>", html)[0]
    assert 'min="0"' in meter
    assert 'max="30.00"' in meter
    assert 'value="7.70"' in meter
    assert 'aria-describedby="waiver-meter-text"' in meter
    assert '<label class="usa-label margin-top-0" for="waiver-meter">' in html
    assert "This quarter (Q4 2026)" in text(response)
    assert "$7.70 of the $30.00 waiver used (25%); $22.30 more and fees become owed" in text(
        response
    )


def test_the_meter_says_when_the_quarter_is_over_the_waiver(client, attorney, frozen_clock):
    for day in range(1, 12):
        charge(attorney, dt.datetime(2026, 11, day, 9, 0, tzinfo=CHICAGO))
    client.force_login(attorney)

    response = client.get(USAGE)

    assert 'value="33.00"' in response.content.decode()
    assert "$33.00 so far: over the $30.00 waiver" in text(response)


def test_the_charges_of_the_current_quarter_by_default(client, two_quarters, frozen_clock):
    client.force_login(two_quarters)

    response = client.get(USAGE)

    page = text(response)
    assert "Charges in Q4 2026" in page
    assert "3 views, 92 pages, total $7.70; owed $0.00." in page
    rows = [charge for charge, _what in response.context["rows"]]
    assert [str(c.amount) for c in rows] == ["0.20", "4.50", "3.00"]
    assert "Nov 3, 2026" in page
    assert "Docket report Docket report (entry 3) 1:26-bk-00012 2 $0.20" in page
    assert "Transcript Docket entry view (entry 3) 1:26-bk-00012 45 $4.50" in page


def test_a_chosen_quarter_lists_its_charges_with_the_client_code(
    client, two_quarters, frozen_clock
):
    client.force_login(two_quarters)

    response = client.get(USAGE, {"quarter": "2026-3"})

    page = text(response)
    assert "Charges in Q3 2026" in page
    assert "11 views, 495 pages, total $33.00; owed $33.00." in page
    rows = [charge for charge, _what in response.context["rows"]]
    assert len(rows) == 11
    assert rows[0].client_code == "SMITH-01"  # Sep 30, 23:30 Central: still Q3
    assert "SMITH-01" in page
    assert '<option value="2026-3" selected>Q3 2026</option>' in response.content.decode()


def test_a_quarter_without_charges_says_so(client, two_quarters, frozen_clock):
    client.force_login(two_quarters)

    response = client.get(USAGE, {"quarter": "2019-2"})

    assert "Charges in Q2 2019" in text(response)
    assert "No charges in this quarter." in text(response)


@pytest.mark.parametrize("bad", ["abc", "2026-5", "2026-0", "9999-4", "0000-1", "2026-3'--"])
def test_a_bad_quarter_gets_a_message_and_the_current_quarter(
    client, two_quarters, frozen_clock, bad
):
    client.force_login(two_quarters)

    response = client.get(USAGE, {"quarter": bad})

    assert response.status_code == 200
    assert "That is not a quarter; showing the current one." in text(response)
    assert "Charges in Q4 2026" in text(response)


def test_an_account_without_charges(client, attorney, frozen_clock):
    client.force_login(attorney)

    response = client.get(USAGE)

    page = text(response)
    assert "No charges yet." in page
    assert "$0.00 of the $30.00 waiver used (0%); $30.00 more" in page
    assert 'value="0.00"' in response.content.decode()


def test_charges_are_paginated_and_pages_keep_the_quarter(client, attorney, frozen_clock):
    for minute in range(30):
        charge(attorney, dt.datetime(2026, 8, 3, 9, minute, tzinfo=CHICAGO), pages=1)
    client.force_login(attorney)

    first = client.get(USAGE, {"quarter": "2026-3"})
    assert len(first.context["rows"]) == 25
    assert "Page 1 of 2" in text(first)
    assert 'href="?quarter=2026-3&amp;page=2"' in first.content.decode()

    second = client.get(USAGE, {"quarter": "2026-3", "page": "2"})
    assert len(second.context["rows"]) == 5
    assert "Page 2 of 2" in text(second)
    assert 'href="?quarter=2026-3&amp;page=1"' in second.content.decode()

    beyond = client.get(USAGE, {"quarter": "2026-3", "page": "99"})
    assert beyond.status_code == 200
    assert "Page 2 of 2" in text(beyond)


def test_only_your_own_charges(client, attorney, other_attorney, frozen_clock):
    charge(other_attorney, dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO), client_code="THEIRS")
    client.force_login(attorney)

    response = client.get(USAGE)

    assert "THEIRS" not in text(response)
    assert response.context["rows"] == []


def _queries_for(client, account, n: int) -> int:
    for i in range(n):
        charge(account, dt.datetime(2026, 10, 5, 9, 0, tzinfo=CHICAGO) + dt.timedelta(hours=i))
        if i % 2:
            charge(account, dt.datetime(2026, 7, 5, 9, 0, tzinfo=CHICAGO) + dt.timedelta(hours=i))
    client.force_login(account)
    client.get(USAGE)  # warm the training clock's cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(USAGE)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_charges(
    client, attorney, other_attorney, frozen_clock, django_assert_max_num_queries
):
    few = _queries_for(client, attorney, 5)
    many = _queries_for(client, other_attorney, 200)
    assert few == many
    # Seven: the session, the account, the meter, the quarters, the page's count and rows,
    # and the views billed to a PAA meanwhile.
    with django_assert_max_num_queries(7):
        client.get(USAGE, {"quarter": "2026-3"})


def test_views_billed_to_a_paa_are_on_its_statement_not_on_your_own_bill(
    client, attorney, frozen_clock
):
    from accounts.services import paa
    from tests.factories import PaaFactory, PaaMembershipFactory

    firm = PaaFactory(firm="Rivera & Okafor LLP")
    joined = dt.datetime(2026, 10, 1, 9, 0, tzinfo=CHICAGO)
    membership = PaaMembershipFactory(
        paa=firm, member=attorney, requested_at=joined, started_at=joined
    )
    for day in (2, 3, 4):
        charge(attorney, dt.datetime(2026, 11, day, 9, 0, tzinfo=CHICAGO))
    paa.leave_paa(membership=membership, now=dt.datetime(2026, 11, 10, 9, 0, tzinfo=CHICAGO))
    charge(attorney, dt.datetime(2026, 11, 12, 9, 0, tzinfo=CHICAGO), client_code="MINE")
    client.force_login(attorney)

    response = client.get(USAGE)

    page = text(response)
    assert "1 view, 45 pages, total $3.00; owed $0.00." in page
    assert "3 views billed to Rivera & Okafor LLP (PAA), $9.00: on the PAA's statement" in page
    assert [c.client_code for c, _what in response.context["rows"]] == ["MINE"]
    assert 'value="3.00"' in response.content.decode()  # the meter: your own bill only
