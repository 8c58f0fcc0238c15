"""Manage My Account: the tabs, the Settings facts (seed 002), profile editing, the account
history, the session list, the idle timeout and who may see which page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.models import AccountEvent, User
from accounts.services import events, profile, security
from cso_portal import clock
from tests.conftest import PINNED_NOW
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    "/account/",
    "/account/profile/",
    "/account/maintenance/",
    "/account/payments/",
    "/account/usage/",
    "/account/history/",
    "/account/upgrade/",
]
PROFILE_POST = {
    "first_name": "Avery",
    "last_name": "Attorney",
    "phone": "(501) 555-0100",
    "address_line1": "600 West Capitol Avenue",
    "address_line2": "",
    "city": "Little Rock",
    "region": "Arkansas",
    "postal_code": "72201",
    "country": "United States",
}


@pytest.fixture
def legacy(db):
    """The legacy demo attorney: registered 2012, 6-character username."""
    return UserFactory(legacy_2012=True, attorney=True, with_contact=True, username="lgcy12")


@pytest.fixture
def searcher(db):
    """A case-search account (no two-factor prompt after signing in)."""
    return UserFactory(username="searcher1")


@pytest.fixture
def inactive(db):
    return UserFactory(inactive=True, username="inactive1")


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words, without tags and extra whitespace."""
    return " ".join(re.sub(r"<[^>]+>", " ", html(response)).split())


def history_rows(response) -> list[list[str]]:
    """The history table's rows, as the text of their cells."""
    body = html(response).split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# Who may see which page ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert path in response.url


@pytest.mark.parametrize("path", ACCOUNT_PAGES[:-1])
def test_every_account_page_renders_for_its_holder(client, attorney, path):
    client.force_login(attorney)

    response = client.get(path)

    assert response.status_code == 200
    assert "Manage My Account" in html(response)


# Settings tab -------------------------------------------------------------------------------


def test_settings_shows_an_upgraded_account_plainly(client, attorney):
    client.force_login(attorney)

    response = client.get("/account/")

    words = text(response)
    assert f"Account number {attorney.account_number}" in words
    assert f"Username {attorney.username}" in words
    assert "Account Type Upgraded" in words
    assert 'href="/account/upgrade/"' not in html(response)
    assert "Case Search Status Active" in words
    assert "Account kind Attorney filer" in words


def test_settings_shows_legacy_with_an_upgrade_link_next_to_it(client, legacy):
    client.force_login(legacy)

    response = client.get("/account/")

    type_row = re.search(r'id="account-type">(.*?)</div>', html(response), re.S).group(1)
    assert "Legacy" in type_row
    assert '<a class="margin-left-1" href="/account/upgrade/">Upgrade</a>' in type_row


def test_settings_explains_an_inactive_case_search_status(client, inactive):
    client.force_login(inactive)

    words = text(client.get("/account/"))

    assert "Case Search Status Inactive" in words
    assert "You can still upgrade your account, but cannot search for case information." in words


def test_settings_links_to_every_setting(client, attorney):
    client.force_login(attorney)

    page = html(client.get("/account/"))

    for href in (
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/account/history/",
        "/account/profile/",
    ):
        assert f'href="{href}"' in page, href


@pytest.mark.parametrize(
    ("path", "tab"),
    [
        ("/account/", "Settings"),
        ("/account/maintenance/", "Maintenance"),
        ("/account/payments/", "Payments"),
        ("/account/usage/", "Usage"),
    ],
)
def test_tabs_mark_the_current_one(client, attorney, path, tab):
    client.force_login(attorney)

    page = html(client.get(path))

    current = re.findall(r'aria-current="page">([^<]+)</a>', page)
    assert current == [tab]


def test_maintenance_shows_only_what_works_now(client, legacy):
    client.force_login(legacy)

    response = client.get("/account/maintenance/")

    words = text(response)
    assert "Attorney Admissions / E-File Registration" in words
    assert "Upgrade your account first" in words  # the rule for legacy accounts
    main = html(response).split('id="main-content"')[1].split("</main>")[0]
    links = set(re.findall(r'href="([^"]+)"', main))
    assert links == {
        "/account/",
        "/account/maintenance/",
        "/account/payments/",
        "/account/usage/",
        "/account/link/",
        "/account/courts/",
        "/account/efile/new/attorney/",
        "/account/efile/new/non-attorney/",
        "/account/efile/",
        "/account/agents/",
        "/account/paa-membership/",
        "/account/readiness/",
    }


def test_payments_tab_pays_your_own_pacer_fees(client, attorney):
    """No longer a placeholder (issue 7): the tab offers a payment toward your own bill and
    lists your payments; tests/accounts/test_payments.py covers paying."""
    client.force_login(attorney)

    page = text(client.get("/account/payments/"))

    assert "not part of this simulation yet" not in page
    assert "Make a payment" in page
    assert "This pays PACER access fees only. Filing fees are paid by card when you file." in page
    assert "No payments yet." in page


# Profile ------------------------------------------------------------------------------------


def test_profile_change_is_saved_audited_and_notified_once(
    client, attorney, django_capture_on_commit_callbacks
):
    client.force_login(attorney)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/profile/", PROFILE_POST)

    assert response.status_code == 302
    assert response.url == "/account/"
    attorney.refresh_from_db()
    assert attorney.city == "Little Rock"
    assert attorney.phone == "(501) 555-0100"
    event = AccountEvent.objects.get(user=attorney, kind=AccountEvent.Kind.PROFILE_CHANGED)
    assert "city" in event.detail["fields"]
    assert "Little Rock" not in str(event.detail), "the history names fields, not values"
    assert [m.to for m in mail.outbox] == [[attorney.email]]
    body = mail.outbox[0].body
    assert "Your account information was changed" in body
    assert "/account/not-me/" in body
    assert "training simulation" in body


def test_profile_form_shows_current_values_and_labels(client, attorney):
    client.force_login(attorney)

    page = html(client.get("/account/profile/"))

    assert f'value="{attorney.first_name}"' in page
    assert 'autocomplete="postal-code"' in page
    assert 'type="tel"' in page


def test_profile_without_changes_saves_nothing(
    client, attorney, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=attorney.pk).update(**PROFILE_POST)
    client.force_login(attorney)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/profile/", PROFILE_POST, follow=True)

    assert "Nothing changed" in text(response)
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.PROFILE_CHANGED).exists()
    assert mail.outbox == []


def test_profile_errors_show_against_their_fields(client, attorney):
    client.force_login(attorney)

    response = client.post("/account/profile/", {**PROFILE_POST, "city": ""})

    assert response.status_code == 200
    assert 'id="id_city_error"' in html(response)
    attorney.refresh_from_db()
    assert attorney.city != "Little Rock"


def test_legacy_accounts_are_sent_to_upgrade_before_editing_their_profile(client, legacy):
    client.force_login(legacy)

    response = client.post("/account/profile/", PROFILE_POST)

    assert response.status_code == 302
    assert response.url.startswith("/account/upgrade/")
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.PROFILE_CHANGED).exists()


def test_update_profile_refuses_legacy_accounts_and_unknown_fields(rf, legacy, attorney):
    request = rf.post("/account/profile/")
    with pytest.raises(profile.UpgradeRequired):
        profile.update_profile(user=legacy, changes={"city": "X"}, request=request, now=clock.now())
    with pytest.raises(ValueError, match="not profile fields"):
        profile.update_profile(
            user=attorney, changes={"is_staff": True}, request=request, now=clock.now()
        )
    attorney.refresh_from_db()
    assert not attorney.is_staff


# History ------------------------------------------------------------------------------------


def _events(user: User, count: int, start: dt.datetime) -> None:
    for n in range(count):
        events.record_event(
            user=user, kind=AccountEvent.Kind.SIGNED_IN, now=start + dt.timedelta(minutes=n)
        )


def test_history_shows_own_events_newest_first(client, attorney, other_attorney):
    events.record_event(
        user=attorney, kind=AccountEvent.Kind.SIGNED_IN, now=PINNED_NOW - dt.timedelta(days=2)
    )
    events.record_event(user=attorney, kind=AccountEvent.Kind.PASSWORD_CHANGED, now=PINNED_NOW)
    events.record_event(user=other_attorney, kind=AccountEvent.Kind.EMAIL_CHANGED, now=PINNED_NOW)
    client.force_login(attorney)

    rows = history_rows(client.get("/account/history/"))

    assert [row[1] for row in rows] == ["Password changed", "Signed in"]


def test_history_shows_staff_actions_as_the_service_center(client, attorney, staff):
    profile.deactivate_case_search(user=attorney, actor=staff, now=clock.now())
    client.force_login(attorney)

    rows = history_rows(client.get("/account/history/"))

    assert [row[1:] for row in rows] == [["Case search deactivated", "—", "PACER Service Center"]]


@pytest.mark.parametrize("count", [3, 60])
def test_history_pages_take_a_constant_number_of_queries(
    client, attorney, count, django_assert_max_num_queries
):
    _events(attorney, count, PINNED_NOW - dt.timedelta(days=1))
    client.force_login(attorney)
    client.get("/account/")  # the session's first request writes its activity time

    with django_assert_max_num_queries(4):
        response = client.get("/account/history/")

    assert response.status_code == 200
    rows = html(response).count("<time ")
    assert rows == min(count, 25)


def test_history_paginates(client, attorney):
    _events(attorney, 30, PINNED_NOW - dt.timedelta(days=1))
    client.force_login(attorney)

    second = client.get("/account/history/?page=2")

    assert html(second).count("<time ") == 5
    assert "Page 2 of 2" in text(second)


# Staff services -----------------------------------------------------------------------------


def test_staff_reactivate_case_search_with_an_audit_row(inactive, staff):
    profile.activate_case_search(user=inactive, actor=staff, now=clock.now())

    inactive.refresh_from_db()
    assert inactive.case_search_status == User.CaseSearchStatus.ACTIVE
    event = AccountEvent.objects.get(user=inactive)
    assert (event.kind, event.actor) == (AccountEvent.Kind.CASE_SEARCH_ACTIVATED, staff)
    with pytest.raises(profile.CaseSearchStatusUnchanged):
        profile.activate_case_search(user=inactive, actor=staff, now=clock.now())


def test_staff_unlock_a_locked_account(attorney, staff):
    User.objects.filter(pk=attorney.pk).update(locked_at=clock.now())
    attorney.refresh_from_db()

    security.unlock_account(user=attorney, actor=staff, now=clock.now())

    attorney.refresh_from_db()
    assert attorney.locked_at is None
    assert AccountEvent.objects.get(user=attorney).kind == AccountEvent.Kind.UNLOCKED
    with pytest.raises(security.AccountNotLocked):
        security.unlock_account(user=attorney, actor=staff, now=clock.now())


# Sessions -----------------------------------------------------------------------------------


def sign_in(client, user) -> None:
    """Sign in through allauth's form (allauth tracks such sessions; force_login's it doesn't)."""
    response = client.post("/accounts/login/", {"login": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_session_list_renders_on_our_layout_and_offers_to_sign_out_elsewhere(client, searcher):
    other_browser = client.__class__()
    sign_in(other_browser, searcher)
    sign_in(client, searcher)

    response = client.get("/accounts/sessions/")

    assert response.status_code == 200
    page = html(response)
    assert "usa-table" in page
    assert "Sign Out Other Sessions" in page
    assert "Training simulation" in page


def test_sign_out_everywhere_else_ends_the_other_sessions(client, searcher):
    other_browser = client.__class__()
    sign_in(other_browser, searcher)
    sign_in(client, searcher)

    client.post("/accounts/sessions/")

    assert client.get("/account/").status_code == 200
    assert other_browser.get("/account/").status_code == 302


def test_idle_session_is_signed_out_with_a_message(client, attorney):
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        client.force_login(attorney)
        assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/account/").status_code == 200  # activity: the clock restarts
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(minutes=30))

        response = client.get("/account/history/")

        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=%2Faccount%2Fhistory%2F"
        words = text(client.get(response.url))
        assert "You were signed out after 30 minutes without activity." in words
        assert client.get("/account/").status_code == 302


def test_activity_is_written_at_most_once_a_minute(client, attorney):
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        client.force_login(attorney)
        first = client.session[LAST_ACTIVITY_KEY]
        traveller.shift(dt.timedelta(seconds=50))
        client.get("/account/")
        assert client.session[LAST_ACTIVITY_KEY] == first
        traveller.shift(dt.timedelta(seconds=20))
        client.get("/account/")
        assert client.session[LAST_ACTIVITY_KEY] == first + 70


def test_pages_carry_the_idle_warning_script(client, attorney):
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        client.force_login(attorney)
        traveller.shift(dt.timedelta(seconds=30))

        page = html(client.get("/account/"))

    assert "js/idle-warning.js" in page
    assert 'data-seconds-left="1770"' in page
    assert 'data-idle-seconds="1800"' in page
    assert "Stay signed in" in page


def test_signed_out_pages_have_no_idle_warning(client):
    assert "idle-warning.js" not in html(client.get("/accounts/login/"))


def test_sessions_of_a_locked_account_end_on_their_next_request(client, attorney):
    client.force_login(attorney)
    User.objects.filter(pk=attorney.pk).update(locked_at=clock.now())

    response = client.get("/account/")

    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/"
    assert "_auth_user_id" not in client.session


def test_profile_refuses_what_sign_up_refuses(client, attorney):
    client.force_login(attorney)
    response = client.post(
        "/account/profile/",
        {
            "first_name": "Avery",
            "last_name": "Attorney",
            "phone": "call me maybe",
            "address_line1": "1 Main Street",
            "city": "Phoenix",
            "region": "Arizona",
            "postal_code": "1",
            "country": "United States",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a phone number with its area code" in html
    assert "Enter a 5-digit ZIP code" in html
    attorney.refresh_from_db()
    assert attorney.phone != "call me maybe"


def test_an_active_session_still_ends_12_hours_after_sign_in(client, attorney):
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        client.force_login(attorney)
        for _ in range(11 * 3):  # busy every 20 minutes for 11 hours
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/account/").status_code == 200
        traveller.shift(dt.timedelta(hours=1))

        response = client.get("/account/")

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert "sessions last at most 12 hours" in text(client.get(response.url))


def test_sign_outs_and_wrong_passwords_appear_in_the_holders_history(client, attorney):
    from accounts.models import AccountEvent

    client.post("/accounts/login/", {"login": attorney.username, "password": "not it at all x"})
    client.post("/accounts/login/", {"login": "nobody-by-that-name", "password": "whatever it is"})
    client.force_login(attorney)
    client.post("/accounts/logout/")
    kinds = list(attorney.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == [AccountEvent.Kind.SIGN_IN_FAILED, AccountEvent.Kind.SIGNED_OUT]
    assert not AccountEvent.objects.exclude(user=attorney).exists()
