"""Acceptance 2 (issue 7): a PACER Administrative Account has no case access and no filing
rights (seed 004), so a signed-in PAA is refused (403 or 404) on every case, docket,
document and filing URL — enumerated from the URL resolver, not typed by hand — on GET and
POST, with no charge written and nothing filed.

Every ``filing:*`` URL name and every court ECF page of ``linking`` (``ecf/…``) must be
classified in ``CLASSIFIED`` below: a new page fails the classification test until someone
decides whether a PAA is refused there.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Charge
from filing.models import (
    AttorneyOfRecord,
    Case,
    DocketEntry,
    Document,
    EfileRegistration,
    FeePayment,
    FilingAgent,
    FilingRight,
    Nef,
    NefRecipient,
)
from linking.models import LinkRequest
from tests.courts.factories import CourtFactory
from tests.factories import PaaFactory
from tests.filing.ecf_support import card_fields, pdf_upload
from tests.filing.factories import CaseFactory, DocketEntryFactory, PartyFactory, document_for

pytestmark = pytest.mark.django_db

# A PAA must get 403 or 404 here (case information, dockets, documents, filing).
REFUSED = "refused"
# Refused on a NextGen court's site (the Central Sign-On session opens it); on a CurrentGen
# court the same URL is the court-issued CM/ECF login page (another credential).
REFUSED_ON_NEXTGEN = "refused on NextGen"
# Manage My Account pages about the holder's own filing rights, agents or NEF look: they
# explain that a PAA has none (200 allowed) and must write nothing and show no case.
EXPLAINS = "explains"
# Not a PAA-session page: the emailed link (free look) or the court-issued CM/ECF login of a
# CurrentGen court is the credential, not the Central Sign-On session.
OTHER_CREDENTIAL = "other credential"
# The PAA's own page.
PAA_PAGE = "paa page"

CLASSIFIED: dict[str, str] = {
    # Query: case search, docket report, documents (billable).
    "filing:search": REFUSED,
    "filing:docket": REFUSED,
    "filing:document": REFUSED,
    # Filing: a document into a case, a new case, NEF addresses, Change User.
    "filing:file": REFUSED,
    "filing:open_case": REFUSED,
    "filing:nef_addresses": REFUSED,
    "filing:change_user": REFUSED,
    # Each court's ECF site (linking): its NextGen home is the gateway to Query and Filing.
    "linking:ecf_home": REFUSED_ON_NEXTGEN,
    "linking:ecf_legacy": OTHER_CREDENTIAL,
    "linking:ecf_sign_out": OTHER_CREDENTIAL,
    "filing:free_look": OTHER_CREDENTIAL,
    # Manage My Account → e-file registration and filing agents: a PAA is told it has no
    # filing privileges; nothing is submitted or designated.
    "filing:registrations": EXPLAINS,
    "filing:register": EXPLAINS,
    "filing:register_in_court": EXPLAINS,
    "filing:registration": EXPLAINS,
    "filing:registration_cancel": EXPLAINS,
    "filing:court_register": EXPLAINS,
    "filing:agents": EXPLAINS,
    "filing:agent": EXPLAINS,
    "filing:agent_remove": EXPLAINS,
    "filing:agent_log": EXPLAINS,
    "filing:paa_readiness": PAA_PAGE,
    # The personal readiness checker: it explains the steps (a PAA's first step says it has
    # no filing privileges) and shows no case.
    "filing:my_readiness": EXPLAINS,
    "filing:my_court_readiness": EXPLAINS,
    "filing:preparation_sheet": EXPLAINS,
}


def _walk(patterns, prefix: str = "", namespace: str = ""):
    """(full name, route) of every named URL pattern, resolving includes recursively."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def ecf_and_filing_urls() -> dict[str, str]:
    """Every ``filing:*`` URL and every ``linking:*`` URL of a court's ECF site (``ecf/…``)."""
    return {
        name: route
        for name, route in _walk(get_resolver().url_patterns)
        if name.startswith("filing:") or (name.startswith("linking:") and route.startswith("ecf/"))
    }


def _kwarg_names(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def test_every_ecf_and_filing_url_is_classified():
    """A new filing or ECF page joins this table (and so the PAA refusal) deliberately."""
    found = ecf_and_filing_urls()
    assert set(found) - set(CLASSIFIED) == set(), "classify the new URL names in CLASSIFIED"
    assert set(CLASSIFIED) - set(found) == set(), "CLASSIFIED names a URL that is gone"
    # The list of query and filing views is all refused.
    for name in ("search", "docket", "document", "file", "open_case", "nef_addresses"):
        assert CLASSIFIED[f"filing:{name}"] == REFUSED


@pytest.fixture
def world(frozen_clock):
    """A NextGen court and a CurrentGen one, each with a case, a party and a 3-page
    document; a signed-in PAA with an authenticator app."""
    nextgen = CourtFactory(id="azb", nextgen=True, bankruptcy=True)
    currentgen = CourtFactory(id="arb", currentgen=True, bankruptcy=True)
    cases = []
    for court in (nextgen, currentgen):
        case = CaseFactory(court=court, title=f"In re Secret Debtor {court.pk}",
                           last_entry_number=1)  # fmt: skip
        PartyFactory(case=case, name=f"Secret Party {court.pk}")
        document_for(DocketEntryFactory(case=case, number=1, text="Secret motion."), pages=3)
        cases.append(case)
    paa = PaaFactory(with_totp=True, username="firmadmin")
    return {"courts": (nextgen, currentgen), "cases": cases, "paa": paa}


def _urls(name: str, route: str, court, case) -> list[str]:
    values = {
        "court_id": court.pk,
        "pk": case.pk,
        "number": 1,
        "audience": "attorney",
        "token": "not-a-token",
        "legacy_path": "login.pl",
    }
    url = reverse(name, kwargs={key: values[key] for key in _kwarg_names(route)})
    # The query strings that make each page act: a search, a case number to file in, an event.
    return [
        url,
        f"{url}?q={case.number}&client_code=firm",
        f"{url}?purpose=file&number={case.number}",
        f"{url}?event=motion",
        f"{url}?client_code=firm",
    ]


def _post_data(case) -> dict:
    return {
        "q": case.number,
        "client_code": "firm",
        "number": case.number,
        "email_1": "admin@firm.example.test",
        "file_as": "myself",
        "event": "voluntary_petition",
        "title": "In re New Debtor",
        "text": "Filed by the PAA.",
        "party_name_1": "New Debtor",
        "document": pdf_upload(2),
        "agent_username": "someone",
        **card_fields(),
    }


def _written() -> dict[str, int]:
    """Rows a query or a filing would write (all must stay as they were)."""
    models = (Charge, Case, DocketEntry, Document, FeePayment, Nef, NefRecipient,
              AttorneyOfRecord, EfileRegistration, FilingRight, FilingAgent,
              LinkRequest)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def _assert_reveals_no_case(response, cases) -> None:
    body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
    for case in cases:
        assert case.title not in body
        assert "Secret Party" not in body
        assert "Secret motion." not in body
    assert response.get("Content-Type", "").startswith("text/html") or response.status_code in (
        302,
        404,
        405,
    )


def _refused(response, method: str) -> bool:
    """403 or 404; a POST to a page nobody may post to (405, ``Allow`` without POST) is
    refused for everyone alike."""
    if response.status_code in (403, 404):
        return True
    return (
        method == "post" and response.status_code == 405 and "POST" not in response.get("Allow", "")
    )


@pytest.mark.parametrize(
    "name", sorted(n for n, kind in CLASSIFIED.items() if kind in (REFUSED, REFUSED_ON_NEXTGEN))
)
def test_a_paa_is_refused_on_every_case_and_filing_url(client, world, name):
    client.force_login(world["paa"])
    route = ecf_and_filing_urls()[name]
    courts = list(zip(world["courts"], world["cases"], strict=True))
    if CLASSIFIED[name] == REFUSED_ON_NEXTGEN:
        courts = courts[:1]
    before = _written()
    for court, case in courts:
        for url in _urls(name, route, court, case):
            for method in ("get", "post"):
                if method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, _post_data(case))
                assert _refused(response, method), (method.upper(), url, response.status_code)
                _assert_reveals_no_case(response, world["cases"])
    assert _written() == before  # no charge, no filing, no NEF address, no request


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, kind in CLASSIFIED.items()
        if kind in (EXPLAINS, OTHER_CREDENTIAL, REFUSED_ON_NEXTGEN)
    ),
)
def test_the_other_filing_pages_write_nothing_and_show_no_case_to_a_paa(client, world, name):
    """The pages that may answer a PAA (explaining it has no filing privileges) never show a
    case, never charge and never file, whatever is posted."""
    client.force_login(world["paa"])
    route = ecf_and_filing_urls()[name]
    before = _written()
    for court, case in zip(world["courts"], world["cases"], strict=True):
        for url in _urls(name, route, court, case):
            for method in ("get", "post"):
                if method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, _post_data(case))
                assert response.status_code in (200, 302, 403, 404, 405, 410), (method, url)
                _assert_reveals_no_case(response, world["cases"])
    assert _written() == before


def test_the_refusal_says_why(client, world):
    """The 403 page names the reason (no case access), not a bare error."""
    client.force_login(world["paa"])
    court, case = world["courts"][0], world["cases"][0]
    response = client.get(f"/ecf/{court.pk}/cases/{case.pk}/")
    assert response.status_code == 403
    assert "A PACER Administrative Account has no case access." in response.content.decode()
