"""Legacy → upgraded (seeds 000-004): the registration-date rule, the upgrade-first rule for
legacy accounts, the upgrade wizard and the upgrade service."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import AccountEvent, User
from accounts.services import profile
from cso_portal import clock
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet harbor lantern ninety"
PERSON = {
    "first_name": "Lee",
    "last_name": "Legacy",
    "phone": "(602) 555-0143",
    "address_line1": "230 North First Avenue",
    "address_line2": "Suite 101",
    "city": "Phoenix",
    "region": "Arizona",
    "postal_code": "85003",
    "country": "United States",
}


@pytest.fixture
def legacy(db):
    """The legacy demo attorney: registered 2012, 6-character username."""
    return UserFactory(legacy_2012=True, attorney=True, with_contact=True, username="lgcy12")


@pytest.fixture
def legacy_long_name(db):
    """A legacy account whose username is long enough already."""
    return UserFactory(legacy=True, with_contact=True, username="longlegacy1")


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def current_step(response) -> str:
    return re.search(r'name="step" value="(\w+)"', response.content.decode()).group(1)


def emailed_code(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.M).group(1)


def walk_to_email_step(client, *, username: str | None = "lee.legacy.2012") -> None:
    response = client.post("/account/upgrade/", {"step": "person", **PERSON})
    assert response.status_code == 302, text(response)
    if username is not None:
        response = client.post("/account/upgrade/", {"step": "username", "username": username})
        assert response.status_code == 302, text(response)
    response = client.post(
        "/account/upgrade/",
        {"step": "password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, text(response)


def verify_email(client, address: str) -> None:
    client.post("/account/upgrade/", {"step": "email", "action": "send"})
    code = emailed_code(address)
    response = client.post("/account/upgrade/", {"step": "email", "action": "verify", "code": code})
    assert response.status_code == 302, text(response)


# The registration-date rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # The portal's "today" is Central Time: 03:00 UTC on the 11th is still the 10th.
        (dt.datetime(2014, 8, 11, 3, 0, tzinfo=dt.UTC), User.AccountType.LEGACY),
        (dt.datetime(2014, 8, 10, 12, 0, tzinfo=dt.UTC), User.AccountType.LEGACY),
        (dt.datetime(2014, 8, 11, 5, 30, tzinfo=dt.UTC), User.AccountType.UPGRADED),
        (dt.datetime(2014, 8, 11, 18, 0, tzinfo=dt.UTC), User.AccountType.UPGRADED),
    ],
)
def test_registrations_before_11_august_2014_central_time_are_legacy(moment, expected):
    with time_machine.travel(moment, tick=False):
        user = services.create_account(
            username="newfiler1", email="new@example.test", password=None, today=clock.today()
        )

    assert user.account_type == expected
    assert user.is_upgraded == (expected == User.AccountType.UPGRADED)


# Upgrade first ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/password/set/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/webauthn/add/",
        "/account/profile/",
    ],
)
def test_legacy_accounts_are_sent_to_upgrade_before_changing_account_information(
    client, legacy, path
):
    client.force_login(legacy)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/account/upgrade/?next={path.replace('/', '%2F')}"
    follow = client.get(response.url)
    assert "Upgrade it before you change your account information." in text(follow)


@pytest.mark.parametrize(
    "path",
    [
        "/account/",
        "/account/history/",
        "/account/payments/",
        "/accounts/sessions/",
        "/account/upgrade/",
    ],
)
def test_legacy_accounts_may_still_see_their_account_and_pay(client, legacy, path):
    client.force_login(legacy)

    assert client.get(path).status_code == 200


def test_upgraded_accounts_change_their_information_freely(client, attorney):
    client.force_login(attorney)

    assert client.get("/accounts/email/").status_code == 200
    assert client.get("/accounts/password/change/").status_code == 200


# The wizard ---------------------------------------------------------------------------------


def test_legacy_attorney_upgrades_on_changing_their_email(
    client, legacy, django_capture_on_commit_callbacks
):
    """Acceptance 2: sees "Legacy", is sent to the wizard on changing their email, completes
    it (re-verifying the email through the mail outbox) and is upgraded."""
    client.force_login(legacy)
    assert "Account Type Legacy Upgrade" in text(client.get("/account/"))

    response = client.get("/accounts/email/")
    assert response.url == "/account/upgrade/?next=%2Faccounts%2Femail%2F"
    first = client.get(response.url)
    assert current_step(first) == "person"
    assert "Step 1 of 5" in text(first)
    assert 'value="401 West Washington Street"' in first.content.decode()  # prefilled

    walk_to_email_step(client)
    email_page = client.get("/account/upgrade/")
    assert "Step 4 of 5" in text(email_page)
    assert legacy.email in text(email_page)
    verify_email(client, legacy.email)
    terms = client.get("/account/upgrade/")
    assert current_step(terms) == "terms"
    assert "You will sign in as lee.legacy.2012" in text(terms)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/account/upgrade/", {"step": "terms", "accept": "on"})

    assert done.status_code == 302
    assert done.url == "/accounts/email/"
    legacy.refresh_from_db()
    assert legacy.account_type == User.AccountType.UPGRADED
    assert legacy.upgraded_at == legacy.terms_accepted_at is not None
    assert legacy.username == "lee.legacy.2012"
    assert legacy.address_line2 == "Suite 101"
    assert legacy.check_password(NEW_PASSWORD)
    event = AccountEvent.objects.get(user=legacy, kind=AccountEvent.Kind.UPGRADED)
    assert event.detail["username_changed"] is True
    assert {"address_line1", "address_line2"} <= set(event.detail["profile_fields"])
    assert [m.to for m in mail.outbox] == [[legacy.email]]
    body = mail.outbox[0].body
    assert "Your new username is lee.legacy.2012." in body
    assert "/account/not-me/" in body
    assert NEW_PASSWORD not in body
    # Still signed in (the password changed, the session was kept), and now allowed in.
    assert client.get("/accounts/email/").status_code == 200
    assert "Account Type Upgraded" in text(client.get("/account/"))
    assert "cso_upgrade" not in client.session


def test_wizard_keeps_neither_the_password_nor_the_code_in_the_session(client, legacy):
    client.force_login(legacy)
    walk_to_email_step(client)
    client.post("/account/upgrade/", {"step": "email", "action": "send"})
    code = emailed_code(legacy.email)

    state = str(dict(client.session))

    assert NEW_PASSWORD not in state
    assert code not in state


def test_username_step_is_skipped_when_the_username_is_long_enough(
    client, legacy_long_name, django_capture_on_commit_callbacks
):
    client.force_login(legacy_long_name)
    assert "Step 1 of 4" in text(client.get("/account/upgrade/"))

    walk_to_email_step(client, username=None)
    verify_email(client, legacy_long_name.email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/upgrade/", {"step": "terms", "accept": "on"})

    legacy_long_name.refresh_from_db()
    assert legacy_long_name.is_upgraded
    assert legacy_long_name.username == "longlegacy1"


def test_new_username_follows_allauths_rules(client, legacy, other_attorney):
    client.force_login(legacy)
    client.post("/account/upgrade/", {"step": "person", **PERSON})

    short = client.post("/account/upgrade/", {"step": "username", "username": "lee12"})
    taken = client.post(
        "/account/upgrade/", {"step": "username", "username": other_attorney.username.upper()}
    )

    for response in (short, taken):
        assert current_step(response) == "username"
        assert 'id="id_username_error"' in response.content.decode()
    assert "at least 8 characters (it has 5)" in text(short)
    assert "already" in text(taken).lower()


def test_new_password_must_meet_todays_rules(client, legacy):
    client.force_login(legacy)
    client.post("/account/upgrade/", {"step": "person", **PERSON})
    client.post("/account/upgrade/", {"step": "username", "username": "lee.legacy.2012"})

    short = client.post(
        "/account/upgrade/",
        {"step": "password", "password1": "tooshort1", "password2": "tooshort1"},
    )
    like_the_name = client.post(
        "/account/upgrade/",
        {"step": "password", "password1": "lee.legacy.2012!", "password2": "lee.legacy.2012!"},
    )
    mismatch = client.post(
        "/account/upgrade/",
        {"step": "password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )

    for response in (short, like_the_name, mismatch):
        assert current_step(response) == "password"
        assert 'id="id_password' in response.content.decode()
        assert "usa-error-message" in response.content.decode()


def test_wrong_expired_and_overused_codes_are_refused(client, legacy):
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        client.force_login(legacy)
        walk_to_email_step(client)
        client.post("/account/upgrade/", {"step": "email", "action": "send"})
        code = emailed_code(legacy.email)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"

        response = client.post(
            "/account/upgrade/", {"step": "email", "action": "verify", "code": wrong}
        )
        assert "That code is not right." in text(response)

        traveller.shift(dt.timedelta(minutes=16))
        response = client.post(
            "/account/upgrade/", {"step": "email", "action": "verify", "code": code}
        )
        assert "That code has expired." in text(response)

        client.post("/account/upgrade/", {"step": "email", "action": "send"})
        code = emailed_code(legacy.email)
        for _ in range(5):
            client.post("/account/upgrade/", {"step": "email", "action": "verify", "code": wrong})
        response = client.post(
            "/account/upgrade/", {"step": "email", "action": "verify", "code": code}
        )
        assert "Too many tries with this code." in text(response)
        assert current_step(client.get("/account/upgrade/")) == "email"


def test_steps_cannot_be_skipped(client, legacy):
    client.force_login(legacy)

    response = client.post("/account/upgrade/", {"step": "terms", "accept": "on"})

    assert current_step(response) == "person"
    legacy.refresh_from_db()
    assert not legacy.is_upgraded


def test_going_back_and_changing_a_step_reopens_the_later_ones(client, legacy):
    client.force_login(legacy)
    walk_to_email_step(client)

    back = client.get("/account/upgrade/?step=username")
    assert current_step(back) == "username"
    client.post("/account/upgrade/", {"step": "username", "username": "lee.legacy.2013"})

    assert current_step(client.get("/account/upgrade/")) == "password"
    assert current_step(client.get("/account/upgrade/?step=terms")) == "password"


def test_an_inactive_legacy_account_can_still_upgrade(client):
    user = UserFactory(legacy=True, inactive=True, username="inactive2")
    client.force_login(user)

    response = client.get("/account/upgrade/")

    assert response.status_code == 200
    assert current_step(response) == "person"


def test_upgraded_accounts_are_told_so(client, attorney):
    client.force_login(attorney)

    response = client.get("/account/upgrade/", follow=True)

    assert response.redirect_chain == [("/account/", 302)]
    assert "already upgraded" in text(response)


def test_an_unsafe_next_address_is_ignored(client, legacy_long_name):
    client.force_login(legacy_long_name)
    client.get("/account/upgrade/?next=https://evil.example/")
    walk_to_email_step(client, username=None)
    verify_email(client, legacy_long_name.email)

    done = client.post("/account/upgrade/", {"step": "terms", "accept": "on"})

    assert done.url == "/account/"


# The service --------------------------------------------------------------------------------


def test_upgrade_account_validates_a_raw_password(rf, legacy):
    request = rf.post("/account/upgrade/")

    with pytest.raises(ValidationError):
        profile.upgrade_account(
            user=legacy,
            username="lee.legacy.2012",
            password="short",
            request=request,
            now=clock.now(),
        )
    legacy.refresh_from_db()
    assert not legacy.is_upgraded


def test_upgrade_account_refuses_what_it_must(
    rf, legacy, attorney, django_capture_on_commit_callbacks
):
    request = rf.post("/account/upgrade/")
    request.user = legacy
    hashed = make_password(NEW_PASSWORD)

    with pytest.raises(profile.UsernameTooShort):
        profile.upgrade_account(
            user=legacy, username="lgcy12", password_hash=hashed, request=request, now=clock.now()
        )
    with pytest.raises(profile.UsernameTaken):
        profile.upgrade_account(
            user=legacy,
            username=attorney.username,
            password_hash=hashed,
            request=request,
            now=clock.now(),
        )
    with pytest.raises(TypeError):
        profile.upgrade_account(
            user=legacy, username="lee.legacy.2012", request=request, now=clock.now()
        )
    with pytest.raises(ValueError, match="Unknown password hashing algorithm"):
        profile.upgrade_account(
            user=legacy,
            username="lee.legacy.2012",
            password_hash=NEW_PASSWORD,
            request=request,
            now=clock.now(),
        )
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.UPGRADED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        profile.upgrade_account(
            user=legacy,
            username="lee.legacy.2012",
            password_hash=hashed,
            request=request,
            now=clock.now(),
        )
    with pytest.raises(profile.AlreadyUpgraded):
        profile.upgrade_account(
            user=legacy,
            username="lee.legacy.2012",
            password_hash=hashed,
            request=request,
            now=clock.now(),
        )
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.UPGRADED).count() == 1
    assert len(mail.outbox) == 1


def test_code_limits_hold_across_sessions(client, legacy):
    """Tries and sends are counted on the shared cache, not in the session: a second browser
    (or parallel requests racing one session) gets no fresh allowance."""
    with time_machine.travel(PINNED_NOW, tick=False):
        client.force_login(legacy)
        walk_to_email_step(client)
        client.post("/account/upgrade/", {"step": "email", "action": "send"})
        code = emailed_code(legacy.email)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(3):
            client.post("/account/upgrade/", {"step": "email", "action": "verify", "code": wrong})

        # Tries from another tab on the same session count toward the same limit.
        other = client.__class__()
        other.cookies = client.cookies
        for _ in range(2):
            other.post("/account/upgrade/", {"step": "email", "action": "verify", "code": wrong})
        response = client.post(
            "/account/upgrade/", {"step": "email", "action": "verify", "code": code}
        )
        assert "Too many tries with this code." in text(response)

        for _ in range(4):  # 1 sent above + 4 = the cap of 5 sends an hour
            client.post("/account/upgrade/", {"step": "email", "action": "send"})
        second_browser = client.__class__()
        second_browser.force_login(legacy)
        walk_to_email_step(second_browser)
        refused = second_browser.post(
            "/account/upgrade/", {"step": "email", "action": "send"}, follow=True
        )
        assert "We sent you the most codes we can for one upgrade." in text(refused)
