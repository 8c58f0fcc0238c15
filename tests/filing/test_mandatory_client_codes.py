"""Mandatory client codes (issue 7, acceptance 3): a member of a PAA that requires them is
asked for a code before a billable view — nothing is billed until one is given — and the
PAA's statement groups the charges by it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import Charge
from accounts.services import paa, statements
from tests.conftest import PINNED_NOW
from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory
from tests.filing.ecf_support import text
from tests.filing.factories import CaseFactory, DocketEntryFactory, document_for

pytestmark = pytest.mark.django_db

ASKS = "requires a client code for every billable view"


@pytest.fixture
def case(flsb):
    return CaseFactory(court=flsb, number="1:22-bk-11234", title="In re Coral Gables Marine")


@pytest.fixture
def firm():
    firm = PaaFactory(firm="Rivera & Okafor LLP")
    paa.set_client_code_required(paa=firm, required=True)
    return firm


@pytest.fixture
def member(firm):
    """An attorney, member of the firm's PAA since the pinned moment."""
    return PaaMembershipFactory(paa=firm, member=UserFactory(attorney=True)).member


def _docket_url(case) -> str:
    return f"/ecf/{case.court_id}/cases/{case.pk}/"


def test_a_docket_without_a_code_asks_for_one_and_bills_nothing(client, member, case, frozen_clock):
    client.force_login(member)

    response = client.get(_docket_url(case))

    assert response.status_code == 200
    page = text(response)
    assert "Client code needed" in page
    assert ASKS in page
    assert 'name="client_code"' in page
    assert "In re Coral Gables Marine" not in page  # no report shown without a charge
    assert Charge.objects.count() == 0
    # An empty code is asked for again.
    again = client.get(_docket_url(case), {"client_code": "  "})
    assert ASKS in text(again)
    assert Charge.objects.count() == 0


def test_with_a_code_the_docket_bills_it_and_the_statement_groups_by_it(
    client, firm, member, case, frozen_clock
):
    client.force_login(member)

    response = client.get(_docket_url(case), {"client_code": "SMITH-01"})

    assert response.status_code == 200
    assert "Transaction Receipt" in text(response)
    charge = Charge.objects.get()
    assert (charge.account, charge.billed_to, charge.client_code) == (member, firm, "SMITH-01")
    # The code stays for the session: the next billable view needs no new one.
    client.get(_docket_url(case))
    assert list(Charge.objects.values_list("client_code", flat=True)) == ["SMITH-01"] * 2
    statement = statements.statement_for(firm, year=2026, quarter=4, today=PINNED_NOW.date())
    assert [(u.label, u.views) for u in statement.by_client_code] == [("SMITH-01", 2)]
    # And the PAA's statement page shows the grouping.
    client.force_login(firm)
    page = text(client.get("/account/paa/statement/"))
    assert "By client code" in page
    assert "SMITH-01" in page


def test_a_search_without_a_code_asks_and_bills_nothing(client, member, case, frozen_clock):
    client.force_login(member)

    form = client.get("/ecf/flsb/search/")
    assert "Required by your firm" in text(form)
    response = client.get("/ecf/flsb/search/", {"q": "coral", "client_code": ""})

    assert response.status_code == 200
    assert ASKS in text(response)
    assert "1:22-bk-11234" not in text(response)
    assert Charge.objects.count() == 0
    client.get("/ecf/flsb/search/", {"q": "coral", "client_code": "SMITH-01"})
    assert Charge.objects.get().client_code == "SMITH-01"


def test_a_document_view_without_a_code_shows_the_form_again(client, member, case, frozen_clock):
    entry = DocketEntryFactory(case=case, number=1)
    document_for(entry, pages=4)
    url = f"/ecf/flsb/cases/{case.pk}/doc/1/"
    client.force_login(member)

    response = client.post(url, {"client_code": ""})

    assert response.status_code == 200
    assert ASKS in text(response)
    assert Charge.objects.count() == 0
    pdf = client.post(url, {"client_code": "SMITH-01"})
    assert pdf["Content-Type"] == "application/pdf"
    assert Charge.objects.get().amount == Decimal("0.40")


def test_codes_stay_optional_for_others(client, case, frozen_clock, firm):
    """An account outside the PAA, and a member once the PAA makes codes optional again."""
    outsider = UserFactory(attorney=True)
    client.force_login(outsider)
    assert "Transaction Receipt" in text(client.get(_docket_url(case)))
    member = PaaMembershipFactory(paa=firm).member
    paa.set_client_code_required(paa=firm, required=False)
    client.force_login(member)
    assert "Transaction Receipt" in text(client.get(_docket_url(case)))
    assert Charge.objects.count() == 2
