"""Query through a court's ECF pages: case search, docket report, documents, the PACER fee
of each view (a charge row with account, court, what, pages, amount, client code, time) and
the refusals of accounts that may not search."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import fees
from accounts.models import Charge, User
from filing.models import DocketEntry
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.filing.ecf_support import text
from tests.filing.factories import (
    AttorneyOfRecordFactory,
    CaseFactory,
    DocketEntryFactory,
    PartyFactory,
    document_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def searcher(db):
    """An active case-search account (no filing rights needed to search)."""
    return UserFactory(username="searcher1")


@pytest.fixture
def case(flsb):
    case = CaseFactory(court=flsb, number="1:22-bk-11234", title="In re Coral Gables Marine")
    PartyFactory(case=case, name="Coral Gables Marine Repair, Inc.", role="Debtor")
    AttorneyOfRecordFactory(case=case)
    return case


def _docket_url(case) -> str:
    return f"/ecf/{case.court_id}/cases/{case.pk}/"


def _doc_url(entry) -> str:
    return f"/ecf/{entry.case.court_id}/cases/{entry.case_id}/doc/{entry.number}/"


def test_signed_out_is_sent_to_sign_in(client, case, frozen_clock):
    entry = DocketEntryFactory(case=case, number=1)
    document_for(entry)
    for url in ("/ecf/flsb/search/?q=coral", _docket_url(case), _doc_url(entry)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"inactive": True}, "Your case search status is inactive. Contact the PACER Service"),
        ({"account_kind": User.AccountKind.PAA}, "A PACER Administrative Account has no case"),
    ],
    ids=["inactive-search-status", "paa"],
)
def test_accounts_that_may_not_search_are_refused(client, case, frozen_clock, traits, message):
    entry = DocketEntryFactory(case=case, number=1)
    document_for(entry)
    client.force_login(UserFactory(**traits))
    for url in ("/ecf/flsb/search/?q=coral", _docket_url(case), _doc_url(entry)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert message in text(response)
    assert client.post(_doc_url(entry)).status_code == 403
    assert Charge.objects.count() == 0


# Search -----------------------------------------------------------------------------------


def test_search_bills_the_results_and_shows_the_receipt(client, searcher, case, frozen_clock):
    client.force_login(searcher)
    form = client.get("/ecf/flsb/search/")
    assert form.status_code == 200
    assert Charge.objects.count() == 0  # showing the form costs nothing
    response = client.get("/ecf/flsb/search/", {"q": "coral gables", "client_code": "ACME-7"})
    assert response.status_code == 200
    page = text(response)
    assert "1:22-bk-11234" in page
    assert f"/ecf/flsb/cases/{case.pk}/" in page
    charge = Charge.objects.get()
    assert (charge.account, charge.court_id, charge.item) == (searcher, "flsb", "search")
    assert charge.pages == 1
    assert charge.amount == Decimal("0.10")
    assert charge.client_code == "ACME-7"
    assert charge.created_at == PINNED_NOW
    assert "Transaction Receipt" in page
    assert "ACME-7" in page
    assert "$0.10" in page
    # By a party's name too; the client code stays for the session.
    client.get("/ecf/flsb/search/", {"q": "Marine Repair"})
    assert Charge.objects.latest("pk").client_code == "ACME-7"


def test_a_search_with_no_match_costs_one_page(client, searcher, case, frozen_clock):
    client.force_login(searcher)
    response = client.get("/ecf/flsb/search/", {"q": "nobody by that name"})
    assert "No case matches" in text(response)
    charge = Charge.objects.get()
    assert (charge.pages, charge.amount) == (1, Decimal("0.10"))


def test_search_is_bounded_in_queries(
    client, searcher, flsb, frozen_clock, django_assert_max_num_queries
):
    client.force_login(searcher)
    CaseFactory.create_batch(3, court=flsb, title="In re Dolphin Holdings")
    client.get("/ecf/flsb/search/", {"q": "dolphin"})  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/ecf/flsb/search/", {"q": "dolphin"})
    CaseFactory.create_batch(40, court=flsb, title="In re Dolphin Holdings")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/ecf/flsb/search/", {"q": "dolphin"})
    assert "43 cases found" in text(response)
    assert len(many) == len(few)
    # Issue 7: + the charge's running tally (accounts.models.ChargeTally).
    with django_assert_max_num_queries(11):
        client.get("/ecf/flsb/search/", {"q": "dolphin"})


# Docket report ----------------------------------------------------------------------------


def test_fees_count_html_reports_at_4320_bytes_a_page():
    assert fees.html_pages(5000) == 2
    assert fees.fee(fees.Item.DOCKET_REPORT, fees.html_pages(5000)) == Decimal("0.20")
    assert fees.html_pages(4320) == 1
    assert fees.html_pages(0) == 1
    assert fees.fee(fees.Item.DOCKET_REPORT, 200) == Decimal("3.00")
    assert fees.fee(fees.Item.TRANSCRIPT, 45) == Decimal("4.50")
    assert fees.fee(fees.Item.NAME_SEARCH, 45) == Decimal("4.50")
    assert fees.fee(fees.Item.OPINION, 45) == Decimal("0.00")


def _report_bytes(client, case) -> int:
    return client.get(_docket_url(case)).context["byte_count"]


def test_a_5000_byte_docket_report_costs_twenty_cents(client, searcher, case, frozen_clock):
    client.force_login(searcher)
    base = _report_bytes(client, case)
    entry = DocketEntryFactory(case=case, number=1, text="x")
    row = _report_bytes(client, case) - base - 1
    DocketEntry.objects.filter(pk=entry.pk).update(text="x" * (5000 - base - row))
    response = client.get(_docket_url(case), {"client_code": "ACME-7"})
    assert response.context["byte_count"] == 5000
    charge = Charge.objects.latest("pk")
    assert (charge.item, charge.pages, charge.amount) == ("docket_report", 2, Decimal("0.20"))
    assert (charge.case_number, charge.client_code) == (case.number, "ACME-7")
    page = text(response)
    assert "5000 bytes" in page
    assert "$0.20" in page
    assert "Coral Gables Marine Repair, Inc." in page  # parties
    assert case.attorneys.get().attorney.email in page  # attorneys of record


def _docket_with(case, entries: int) -> None:
    DocketEntry.objects.bulk_create(
        DocketEntry(
            case=case,
            number=n,
            event="motion",
            text=f"Motion number {n} filed.",
            filed_at=PINNED_NOW,
            filer_name="Clerk's Office",
        )
        for n in range(1, entries + 1)
    )
    for entry in DocketEntry.objects.filter(case=case).order_by("number")[:3]:
        document_for(entry, pages=2)


def test_docket_queries_do_not_grow_with_its_length(client, searcher, flsb, frozen_clock):
    short, long = CaseFactory(court=flsb), CaseFactory(court=flsb)
    _docket_with(short, 20)
    _docket_with(long, 2000)
    client.force_login(searcher)
    client.get(_docket_url(short))  # warm the session
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(_docket_url(short)).status_code == 200
    with CaptureQueriesContext(connection) as two_thousand:
        response = client.get(_docket_url(long))
    # Issue 7: + who pays (the account or its PAA) + the charge's running tally.
    assert len(two_thousand) == len(twenty) <= 14
    assert f"/ecf/flsb/cases/{long.pk}/doc/3/" in text(response)
    charge = Charge.objects.latest("pk")
    assert (charge.pages, charge.amount) == (fees.html_pages(response.context["byte_count"]),
                                             Decimal("3.00"))  # fmt: skip


# Documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transcript", "cost", "item"),
    [(False, "$3.00", "document"), (True, "$4.50", "transcript")],
    ids=["document-capped", "transcript-not-capped"],
)
def test_a_45_page_document(client, searcher, case, frozen_clock, transcript, cost, item):
    entry = DocketEntryFactory(case=case, number=1, event="transcript" if transcript else "motion")
    document_for(entry, pages=45, transcript=transcript)
    client.force_login(searcher)
    confirm = client.get(_doc_url(entry))
    assert f"This document is 45 pages; cost {cost}." in text(confirm)
    assert Charge.objects.count() == 0
    response = client.post(_doc_url(entry), {"client_code": "ACME-7"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")
    charge = Charge.objects.get()
    assert (charge.item, charge.pages, charge.amount) == (item, 45, Decimal(cost[1:]))
    assert (charge.court_id, charge.case_number, charge.client_code) == (
        "flsb",
        case.number,
        "ACME-7",
    )


def test_a_judicial_opinion_is_free(client, searcher, case, frozen_clock):
    entry = DocketEntryFactory(case=case, number=1, event="opinion")
    document = document_for(entry, pages=14)
    document.is_opinion = True
    document.save(update_fields=["is_opinion"])
    client.force_login(searcher)
    assert "Judicial opinions are free" in text(client.get(_doc_url(entry)))
    response = client.post(_doc_url(entry))  # no client code at all
    assert response["Content-Type"] == "application/pdf"
    assert Charge.objects.count() == 0


def test_a_missing_document_is_404(client, searcher, case, frozen_clock):
    client.force_login(searcher)
    DocketEntryFactory(case=case, number=1)  # an entry without a document
    assert client.get(f"/ecf/flsb/cases/{case.pk}/doc/1/").status_code == 404
    assert client.get(f"/ecf/flsb/cases/{case.pk}/doc/9/").status_code == 404
    assert client.get("/ecf/flsb/cases/999999/").status_code == 404


def test_document_pages_have_a_fixed_query_budget(
    client, searcher, case, frozen_clock, django_assert_max_num_queries
):
    entry = DocketEntryFactory(case=case, number=1)
    document_for(entry, pages=45)
    client.force_login(searcher)
    client.get(_doc_url(entry))  # warm the session
    with django_assert_max_num_queries(6):
        assert client.get(_doc_url(entry)).status_code == 200
    with django_assert_max_num_queries(13):  # issue 7: + the charge's running tally
        assert client.post(_doc_url(entry))["Content-Type"] == "application/pdf"
    assert Charge.objects.get().amount == Decimal("3.00")
