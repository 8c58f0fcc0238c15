"""Firm readiness (issue 7): the PAA administrator sees each member's NextGen steps — and
only the firm's current members, and only these facts (no cases, documents or charges)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services.billing import record_charge
from filing.services.rights import grant_rights_from_link
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory
from tests.filing.factories import (
    AttorneyOfRecordFactory,
    CaseFactory,
    DocketEntryFactory,
    EfileRegistrationFactory,
    FilingAgentFactory,
    FilingRightFactory,
    document_for,
)
from tests.linking.factories import LinkRequestFactory

pytestmark = pytest.mark.django_db

URL = "/account/paa/readiness/"


def _text(response) -> str:
    """The page's text, tags stripped and spaces collapsed (what a reader sees)."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _row(response, username: str) -> str:
    """The text of the table row of ``username``."""
    html = response.content.decode()
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        if f"{username} ·" in row:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
    raise AssertionError(f"no row for {username}")


def _shows(response, username: str, *texts: str, not_: str = "") -> None:
    """The row of ``username`` shows each of ``texts`` (and not ``not_``)."""
    row = _row(response, username)
    for text in texts:
        assert text in row, (username, text, row)
    if not_:
        assert not_ not in row, (username, row)


def _member(paa, username, last_name, **traits):
    user = UserFactory(username=username, last_name=last_name, first_name="Pat", **traits)
    PaaMembershipFactory(paa=paa, member=user)
    return user


@pytest.fixture
def firm(frozen_clock, flsb, other_court):
    """A PAA whose members are in different states (other_court is azb, on NextGen)."""
    azb = other_court
    paa = PaaFactory(with_totp=True, username="firmadmin")
    _member(paa, "adams", "Adams", attorney=True, legacy=True)
    _member(paa, "baker", "Baker", attorney=True, mfa_prompt_skips=1)
    linked = _member(paa, "clark", "Clark", attorney=True, with_totp=True)
    grant_rights_from_link(
        link_request=LinkRequestFactory(pacer_account=linked, court=azb, approved=True),
        now=PINNED_NOW,
    )
    pending_link = _member(paa, "davis", "Davis", attorney=True, with_totp=True)
    LinkRequestFactory(pacer_account=pending_link, court=flsb, pending_review=True)
    pending_efile = _member(paa, "evans", "Evans", attorney=True, with_totp=True)
    EfileRegistrationFactory(pacer_account=pending_efile, court=azb)
    with_agent = _member(paa, "foster", "Foster", attorney=True, with_totp=True)
    FilingRightFactory(holder=with_agent, court=azb)
    FilingAgentFactory.create_batch(2, principal=with_agent, court=azb)
    FilingAgentFactory(principal=with_agent, court=azb, removed=True)
    _member(paa, "green", "Green")  # search only: files nowhere, two-factor not required
    # Not the firm's: a member who left, a request not accepted, another PAA's member.
    for username, traits in (("gone", {"ended": True}), ("asked", {"requested": True})):
        PaaMembershipFactory(
            paa=paa, member=UserFactory(username=username, attorney=True), **traits
        )
    PaaMembershipFactory(member=UserFactory(username="elsewhere", attorney=True))
    return {"paa": paa, "azb": azb, "flsb": flsb, "with_agent": with_agent, "linked": linked}


def test_each_member_shows_its_facts_and_first_missing_step(client, firm):
    client.force_login(firm["paa"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "4 of 7 members not ready." in _text(response)

    _shows(response, "adams", "Not ready", "Next: Upgrade the account", "Legacy")
    _shows(response, "baker", "Next: Set up two-factor", "Not set up: 2 prompt skips left")
    _shows(response, "clark", "Ready", "Enrolled", not_="Not ready")
    assert _row(response, "clark").count("azb") == 2  # linked, and the right the link carries
    _shows(response, "davis", "Link: flsb", "Next: Wait for flsb to approve")
    _shows(response, "evans", "E-file registration: azb", "Next: Wait for azb to approve")
    _shows(response, "foster", "azb: 2", "Ready", not_="Not ready")
    _shows(response, "green", "Search only", "Not set up (not required)", not_="Not ready")
    for username in ("gone", "asked", "elsewhere"):
        assert f"{username} ·" not in response.content.decode()
    # Members are listed by name.
    order = [response.content.decode().index(f"{u} ·") for u in ("adams", "baker", "clark")]
    assert order == sorted(order)


def test_not_ready_only(client, firm):
    client.force_login(firm["paa"])
    response = client.get(URL, {"not_ready": "on"})
    html = response.content.decode()
    shown = {u for u in ("adams", "baker", "clark", "davis", "evans", "foster", "green")
             if f"{u} ·" in html}  # fmt: skip
    assert shown == {"adams", "baker", "davis", "evans"}


def test_readiness_for_one_live_court(client, firm):
    client.force_login(firm["paa"])
    response = client.get(URL, {"court": "azb"})
    text = _text(response)
    assert "On NextGen CM/ECF since March 29, 2021" in text
    assert "Next: Link or register in azb" in _row(response, "davis")  # flsb is not azb
    assert "Link: flsb" not in _row(response, "davis")
    assert "Next: Wait for azb to approve" in _row(response, "evans")
    assert "Not ready" not in _row(response, "clark")
    assert "Not ready" not in _row(response, "foster")
    assert "4 of 7 members not ready." in text


def test_readiness_before_a_courts_go_live_counts_down(client, firm):
    CourtFactory(id="nysb", name="U.S. Bankruptcy Court, S.D. New York", upcoming=True)
    client.force_login(firm["paa"])
    response = client.get(URL, {"court": "nysb"})
    text = _text(response)
    assert "Goes live on NextGen CM/ECF on November 28, 2026: in 12 days." in text
    # Before go-live nobody can link there yet: ready means the account steps are done.
    assert "Not ready" not in _row(response, "davis")
    assert "Next: Set up two-factor" in _row(response, "baker")
    assert "2 of 7 members not ready." in text


def test_an_unknown_court_is_explained_and_the_table_stays(client, firm):
    client.force_login(firm["paa"])
    response = client.get(URL, {"court": "nowhere", "not_ready": "on"})
    assert response.status_code == 200
    assert "There is no such court. Choose one from the list." in _text(response)
    assert "adams ·" in response.content.decode()


def test_the_paa_sees_no_case_document_or_charge(client, firm):
    member = firm["with_agent"]
    case = CaseFactory(court=firm["azb"], title="In re Confidential Debtor", number="2:26-bk-77777")
    AttorneyOfRecordFactory(case=case, attorney=member)
    document_for(DocketEntryFactory(case=case, number=1, text="Sealed motion text."))
    record_charge(
        account=member,
        court_id="azb",
        item="document",
        pages=7,
        now=PINNED_NOW,
        description="Docket report",
        case_number=case.number,
        document="entry 1",
    )
    client.force_login(firm["paa"])
    html = client.get(URL, {"court": "azb"}).content.decode()
    for secret in ("Confidential Debtor", "2:26-bk-77777", "Sealed motion", "entry-1.pdf",
                   "Docket report", "0.70"):  # fmt: skip
        assert secret not in html


@pytest.mark.parametrize("traits", [{"attorney": True}, {"psc_staff": True, "with_totp": True}])
def test_any_other_account_gets_404(client, frozen_clock, traits):
    client.force_login(UserFactory(**traits))
    assert client.get(URL).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, frozen_clock):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_legacy_paa_is_asked_to_upgrade_first(client, frozen_clock):
    paa = PaaFactory(legacy=True, with_totp=True)
    _member(paa, "hidden", "Hidden", attorney=True)
    client.force_login(paa)
    response = client.get(URL)
    assert response.status_code == 200
    text = _text(response)
    assert "Upgrade it before you add, remove or list members" in text
    assert "Upgrade your account" in text
    assert "hidden ·" not in response.content.decode()


def test_a_paa_past_its_two_factor_skips_is_asked_to_set_it_up(client, frozen_clock):
    paa = PaaFactory(mfa_prompt_skips=4)
    _member(paa, "hidden", "Hidden", attorney=True)
    client.force_login(paa)
    text = _text(client.get(URL))
    assert "Set up two-factor authentication before you manage the PAA" in text
    assert "hidden ·" not in text


def _members_in_every_state(paa, count, azb, flsb, start=0):
    """``count`` members, each with every fact the page lists (one query each per kind)."""
    for n in range(start, start + count):
        user = _member(paa, f"m{n:03d}", f"Member{n:03d}", attorney=True, with_totp=True)
        FilingRightFactory(holder=user, court=azb)
        FilingAgentFactory(principal=user, court=azb)
        LinkRequestFactory(pacer_account=user, court=flsb, pending_review=True)
        EfileRegistrationFactory(pacer_account=user, court=flsb)
        from tests.linking.factories import CmecfAccountFactory

        CmecfAccountFactory(court=azb, linked_account=user, linked_at=PINNED_NOW)


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_members(
    client, frozen_clock, flsb, other_court, django_assert_max_num_queries
):
    paa = PaaFactory(with_totp=True)
    _members_in_every_state(paa, 3, other_court, flsb)
    client.force_login(paa)
    client.get(URL)  # warm the session and the clock's cache
    few = _queries(client)
    few_for_court = _queries(client, {"court": "flsb", "not_ready": "on"})
    _members_in_every_state(paa, 27, other_court, flsb, start=3)
    with django_assert_max_num_queries(few):
        response = client.get(URL)
    assert response.content.decode().count(" ·") >= 30
    assert _queries(client) == few
    assert _queries(client, {"court": "flsb", "not_ready": "on"}) == few_for_court


def test_fifty_members_a_page(client, frozen_clock, flsb, other_court):
    paa = PaaFactory(with_totp=True)
    _members_in_every_state(paa, 52, other_court, flsb)
    client.force_login(paa)
    first = client.get(URL).content.decode()
    assert "Page 1 of 2" in first
    assert ("m049 ·" in first, "m050 ·" in first) == (True, False)
    second = client.get(URL, {"page": 2}).content.decode()
    assert ("m050 ·" in second, "m051 ·" in second, "m000 ·" in second) == (True, True, False)
