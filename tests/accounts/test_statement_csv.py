"""CSV exports of the PAA's statement and of its raw usage (issue 7, acceptance 5): a file a
spreadsheet opens (UTF-8 with a BOM, a header row), with the same numbers as the page, and
no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from accounts import fees
from accounts.models import Charge
from accounts.services import billing, paa
from tests.accounts.paa_billing import CHICAGO, make_billed_firm
from tests.factories import PaaMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STATEMENT = "/account/paa/statement/"
STATEMENT_CSV = "/account/paa/statement.csv"
USAGE_CSV = "/account/paa/usage.csv"
HEADER = ["Account number", "Name", "Cost center", "Views", "Pages", "Total", "Owed"]


@pytest.fixture
def firm():
    return make_billed_firm()


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte order mark
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("quarter", ["2026-4", "2026-3"])
def test_the_statement_csv_has_the_pages_numbers(client, firm, frozen_clock, quarter):
    paa_account, _people = firm
    client.force_login(paa_account)
    page = client.get(STATEMENT, {"quarter": quarter}).context["statement"]

    response = client.get(STATEMENT_CSV, {"quarter": quarter})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    year, q = quarter.split("-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="paa-{paa_account.account_number}-statement-{year}-Q{q}.csv"'
    )
    rows = _rows(response.content)
    assert rows[0] == HEADER
    members, total = rows[1:-1], rows[-1]
    assert [
        [r[0], r[1], r[2], int(r[3]), int(r[4]), Decimal(r[5]), Decimal(r[6])] for r in members
    ] == [
        [m.account_number, m.name, m.cost_center, m.views, m.pages, m.total, m.owed]
        for m in page.members
    ]
    assert total[:3] == ["TOTAL", "", ""]
    assert (int(total[3]), int(total[4]), Decimal(total[5]), Decimal(total[6])) == (
        page.views,
        page.pages,
        page.usage,
        page.owed,
    )
    # The sums of the member rows are the TOTAL row.
    assert sum(Decimal(r[6]) for r in members) == Decimal(total[6])


def test_the_total_row_matches_the_page_footer(client, firm, frozen_clock):
    paa_account, _people = firm
    client.force_login(paa_account)
    page = client.get(STATEMENT).content.decode()
    total = _rows(client.get(STATEMENT_CSV).content)[-1]
    assert total == ["TOTAL", "", "", "25", "1000", "75.00", "69.00"]
    assert "$75.00" in page
    assert "$69.00" in page


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, frozen_clock):
    firm_account = make_billed_firm()[0]
    evil = UserFactory(attorney=True, first_name="=cmd|' /C calc'!A0", last_name="@SUM(A1)")
    membership = PaaMembershipFactory(paa=firm_account, member=evil)
    center = paa.create_cost_center(paa=firm_account, name="+Sales", now=membership.started_at)
    paa.assign_cost_center(paa=firm_account, memberships=[membership], cost_center=center)
    billing.record_charge(
        account=evil, court_id="flsb", item=fees.Item.DOCUMENT, pages=3,
        now=dt.datetime(2026, 11, 17, 9, 0, tzinfo=CHICAGO), client_code="-2+3",
        description="=HYPERLINK(\"http://evil.test\")",
    )  # fmt: skip
    client.force_login(firm_account)

    statement = _rows(client.get(STATEMENT_CSV).content)
    usage = _rows(b"".join(client.get(USAGE_CSV).streaming_content))

    row = next(r for r in statement if r[0] == evil.account_number)
    assert row[1] == "'=cmd|' /C calc'!A0 @SUM(A1)"
    assert row[2] == "'+Sales"
    line = next(r for r in usage if r[1] == evil.account_number)
    assert line[2] == "'=cmd|' /C calc'!A0 @SUM(A1)"
    assert line[5] == '\'=HYPERLINK("http://evil.test")'
    assert line[10] == "'-2+3"
    # Ben's code "=HYPERLINK(1)" too; no cell anywhere starts with a formula character.
    for cells in statement + usage:
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells), cells


def test_the_raw_usage_csv_streams_every_charge_of_the_quarter(client, firm, frozen_clock):
    paa_account, people = firm
    client.force_login(paa_account)

    response = client.get(USAGE_CSV, {"quarter": "2026-4"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "usage-2026-Q4.csv" in response["Content-Disposition"]
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0] == [
        "Date and time", "Account number", "Name", "Court", "What", "Description", "Case",
        "Document", "Pages", "Amount", "Client code",
    ]  # fmt: skip
    charges = rows[1:]
    assert len(charges) == 25  # Cy's 5 views after he left are on his own bill
    assert sum(Decimal(r[9]) for r in charges) == Decimal("75.00")
    assert charges[0][:5] == [
        "2026-10-01 00:30:00",  # the portal's time zone: the first half hour of Q4
        people["ada"].account_number,
        "Ada Rivera",
        "flsb",
        "Document",
    ]
    assert Charge.objects.filter(billed_to=paa_account).count() == 41  # Q3 and Q4


def test_the_raw_usage_csv_of_a_quarter_without_charges_is_a_header(client, firm, frozen_clock):
    paa_account, _people = firm
    client.force_login(paa_account)
    rows = _rows(b"".join(client.get(USAGE_CSV, {"quarter": "2019-1"}).streaming_content))
    assert len(rows) == 1


@pytest.mark.parametrize("url", [STATEMENT_CSV, USAGE_CSV])
def test_a_bad_quarter_goes_back_to_the_statement_with_a_message(client, firm, frozen_clock, url):
    paa_account, _people = firm
    client.force_login(paa_account)

    response = client.get(url, {"quarter": "2026-9"}, follow=True)

    assert response.redirect_chain == [(STATEMENT, 302)]
    assert "That is not a quarter" in response.content.decode()
