"""The personal readiness checker (/account/readiness/…) and the NextGen preparation sheet:
each step's state and the next action, per persona, as the person sees them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.test import RequestFactory

from accounts.services.profile import upgrade_account
from cso_portal import clock
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.factories import EfileRegistrationFactory, FilingAgentFactory, FilingRightFactory
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory, LinkRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

INDEX = "/account/readiness/"
PINNED_DAY = dt.date(2026, 11, 16)


def page(client, user, court=None):
    client.force_login(user)
    response = client.get(f"{INDEX}{court.pk}/" if court else INDEX)
    assert response.status_code == 200
    return response


def states(response, court_id: str | None = None) -> dict[str, str]:
    """Step key → state, from the page's table (the first court's, or ``court_id``'s)."""
    rows = response.context.get("row")
    if rows is None:
        rows = next(r for r in response.context["rows"] if court_id in (None, r.court.pk))
    return {step.key: step.state for step in rows.steps}


def next_action(response) -> str:
    html = response.content.decode()
    match = re.search(r'<span data-step="(\w+)">', html)
    return match.group(1) if match else ""


@pytest.fixture
def live_court(db):
    return CourtFactory(
        id="flsb",
        name="U.S. Bankruptcy Court, Southern District of Florida",
        court_type="bankruptcy",
        nextgen_date=dt.date(2022, 4, 4),
        help_desk=[{"phone": "(305) 714-1800", "division": "Miami"}],
    )


@pytest.fixture
def upcoming_court(db):
    """Goes live 12 days after the pinned day; resets allowed until 4 days before."""
    return CourtFactory(
        id="azb",
        name="U.S. Bankruptcy Court, District of Arizona",
        court_type="bankruptcy",
        nextgen_date=dt.date(2026, 11, 28),
        password_reset_deadline=dt.date(2026, 11, 24),
        help_desk=[{"phone": "(602) 682-4000", "division": "Phoenix"}],
    )


def login_of(user, court, **kwargs):
    """A court-issued login whose email of record is the user's (verified) address."""
    return CmecfAccountFactory(court=court, email_of_record=user.email.upper(), **kwargs)


# Acceptance 2: the legacy demo attorney ---------------------------------------------------


def test_legacy_attorney_is_told_to_upgrade_then_to_link(client, live_court):
    legacy = UserFactory(legacy=True, attorney=True, with_totp=True, username="lee.legacy")
    login_of(legacy, live_court, login="llegacy")

    before = page(client, legacy)
    assert next_action(before) == "upgraded"
    assert "Upgrade your PACER account" in before.content.decode()
    assert 'href="/account/upgrade/"' in before.content.decode()
    assert states(before)["upgraded"] == "todo"

    request = RequestFactory().post("/account/upgrade/")
    request.user = legacy
    request.session = client.session
    upgrade_account(
        user=legacy,
        username="lee.legacy.2010",
        password_hash=make_password("A long new passphrase 42"),
        request=request,
        now=clock.now(),
    )
    legacy.refresh_from_db()

    after = page(client, legacy)
    assert states(after)["upgraded"] == "done"
    assert next_action(after) == "linked"
    html = after.content.decode()
    assert "Link CM/ECF login llegacy to your PACER account." in html
    assert f'href="/account/link/{live_court.pk}/"' in html


# Each step, per persona -------------------------------------------------------------------


def test_a_shared_account_must_get_an_individual_one_first(client, live_court):
    shared = UserFactory(shared=True, attorney=True, with_totp=True)
    login_of(shared, live_court)
    response = page(client, shared)
    assert states(response)["individual"] == "todo"
    assert next_action(response) == "individual"
    assert 'href="/account/register/"' in response.content.decode()


def test_an_upgraded_attorney_without_two_factor_sets_it_up_first(client, live_court):
    attorney = UserFactory(attorney=True)
    login_of(attorney, live_court)
    response = page(client, attorney)
    assert states(response)["mfa"] == "todo"
    assert next_action(response) == "mfa"  # enforced for filers since 6 Jan 2025


def test_before_go_live_the_link_is_blocked_until_the_date(client, upcoming_court):
    attorney = UserFactory(attorney=True, with_totp=True)
    login_of(attorney, upcoming_court, login="azfiler")
    response = page(client, attorney)
    html = response.content.decode()
    assert states(response)["linked"] == "blocked"
    assert "Blocked until November 28, 2026" in html
    assert "in 12 days" in html  # the go-live countdown


def test_the_reset_is_offered_until_the_deadline_then_the_help_desk(
    client, upcoming_court, frozen_clock
):
    attorney = UserFactory(attorney=True, with_totp=True)
    login_of(attorney, upcoming_court, login="azfiler")
    html = page(client, attorney).content.decode()
    assert "reset it before November 24, 2026" in html
    assert f'href="/account/link/{upcoming_court.pk}/reset/"' in html

    frozen_clock.move_to(dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC))
    html = page(client, attorney).content.decode()
    assert "reset it before" not in html
    assert f"/account/link/{upcoming_court.pk}/reset/" not in html
    assert "contact the court&#x27;s ECF help desk at (602) 682-4000" in html


def test_a_linked_attorney_with_rights_and_agents_is_ready(client, live_court):
    attorney = UserFactory(attorney=True, with_totp=True)
    CmecfAccountFactory(court=live_court, linked=True, linked_account=attorney)
    FilingRightFactory(holder=attorney, court=live_court)
    FilingAgentFactory(principal=attorney, court=live_court)
    response = page(client, attorney)
    assert states(response) == {
        "individual": "done",
        "upgraded": "done",
        "mfa": "done",
        "knows_login": "done",
        "linked": "done",
        "rights": "done",
        "agents": "done",
    }
    assert "every required step is done" in response.content.decode()


def test_without_a_login_of_record_the_next_action_is_the_efile_registration(client, live_court):
    attorney = UserFactory(attorney=True, with_totp=True)
    response = page(client, attorney, court=live_court)  # "check another court"
    assert states(response)["linked"] == "not_needed"
    assert next_action(response) == "rights"
    assert 'href="/account/efile/new/attorney/flsb/"' in response.content.decode()


def test_a_pending_registration_or_link_request_waits_for_the_court(client, live_court, db):
    attorney = UserFactory(attorney=True, with_totp=True)
    EfileRegistrationFactory(pacer_account=attorney, court=live_court)
    other = CourtFactory(nextgen=True, bankruptcy=True)
    LinkRequestFactory(pacer_account=attorney, court=other, pending_review=True)
    response = page(client, attorney)
    assert states(response, live_court.pk)["rights"] == "blocked"
    assert states(response, other.pk)["linked"] == "blocked"
    assert "Waiting for the court to decide your link request." in response.content.decode()


def test_without_agents_the_step_is_optional_and_not_the_next_action(client, live_court):
    attorney = UserFactory(attorney=True, with_totp=True)
    CmecfAccountFactory(court=live_court, linked=True, linked_account=attorney)
    FilingRightFactory(holder=attorney, court=live_court)
    response = page(client, attorney)
    assert states(response)["agents"] == "todo"
    assert next_action(response) == ""


def test_the_check_another_court_form_opens_that_courts_page(client, upcoming_court):
    attorney = UserFactory(attorney=True, with_totp=True)
    client.force_login(attorney)
    response = client.get(INDEX, {"court": upcoming_court.pk})
    assert response.status_code == 302
    assert response.url == f"{INDEX}{upcoming_court.pk}/"
    bad = client.get(INDEX, {"court": "nosuch"})
    assert bad.status_code == 200
    assert "There is no such court" in bad.content.decode()
    assert client.get(f"{INDEX}nosuch/").status_code == 404


def test_another_persons_login_is_not_shown(client, live_court):
    attorney = UserFactory(attorney=True, with_totp=True)
    CmecfAccountFactory(court=live_court, login="someoneelse")
    response = page(client, attorney)
    assert response.context["rows"] == []
    assert "someoneelse" not in page(client, attorney, live_court).content.decode()


# The preparation sheet --------------------------------------------------------------------


def test_the_sheet_records_the_court_issued_information_but_never_a_password(
    client, upcoming_court
):
    attorney = UserFactory(attorney=True, with_totp=True, username="sheet.attorney")
    login_of(attorney, upcoming_court, login="azfiler")
    client.force_login(attorney)
    response = client.get(f"{INDEX}{upcoming_court.pk}/sheet/")
    html = response.content.decode()
    assert response.status_code == 200
    for fact in ("azfiler", "sheet.attorney", attorney.account_number, "November 28, 2026"):
        assert fact in html
    assert "November 24, 2026" in html
    assert "(602) 682-4000" in html
    assert "do not write it here — keep it in a password manager" in html
    assert "<input" not in html
    assert 'type="password"' not in html
    assert CMECF_TEST_PASSWORD not in html
    assert "usa-header" not in html  # no header chrome
    assert "@media print" in html


# Signed out, query budget -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [INDEX, f"{INDEX}flsb/", f"{INDEX}flsb/sheet/"], ids=["index", "court", "sheet"]
)
def test_signed_out_is_sent_to_sign_in(client, live_court, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response.url


def _practise_in(attorney, courts: int) -> None:
    for _ in range(courts):
        court = CourtFactory(nextgen=True, bankruptcy=True)
        login_of(attorney, court)
        FilingRightFactory(holder=attorney, court=court)
        FilingAgentFactory(principal=attorney, court=court)
        EfileRegistrationFactory(pacer_account=attorney, court=court)


def test_the_query_count_does_not_grow_with_courts(client, django_assert_max_num_queries):
    few = UserFactory(attorney=True, with_totp=True)
    many = UserFactory(attorney=True, with_totp=True)
    _practise_in(few, 1)
    _practise_in(many, 8)
    counts = []
    for user in (few, many):
        client.force_login(user)
        assert client.get(INDEX).status_code == 200  # warm
        with django_assert_max_num_queries(10) as captured:
            response = client.get(INDEX)
        assert response.status_code == 200
        counts.append(len(captured))
    assert len(page(client, many).context["rows"]) == 8
    assert counts[0] == counts[1], counts
