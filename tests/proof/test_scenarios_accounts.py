"""PROOF scenarios on accounts and sessions: pre-hijacking (16), email changes (17), old
cookies and password changes (19), session ids and cookie flags (20) and reset links (29).

Every step goes through the public pages with the test client (allauth's own sign-in,
re-authentication and reset flows); the clock is moved with ``frozen_clock``.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import override_settings

from accounts.models import User
from linking.models import LinkRequest
from tests.accounts.test_signin_security import signup_data
from tests.core.test_settings import STRONG_KEY, run_manage
from tests.factories import TEST_PASSWORD, UserFactory
from tests.linking.factories import LinkRequestFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase for the holder"
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/key/(\w+)-(\S+)/)")
THE_VICTIM = "victim.holder@example.test"


def sign_in(client, login: str, password: str = TEST_PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password}, **extra)


def signed_in(client) -> bool:
    """Whether the client's session is signed in, asked of a page that needs it."""
    return client.get("/account/").status_code == 200


def request_reset(client, email: str) -> str:
    """Ask for a reset link and return its path (the last email sent)."""
    client.post("/accounts/password/reset/", {"email": email})
    found = RESET_LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def reset_password(client, path: str, password: str = NEW_PASSWORD):
    """Follow an emailed reset link and set ``password``; returns the final POST's response."""
    form_page = client.get(path, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": password, "password2": password},
    )


@pytest.fixture
def holder(frozen_clock):
    """An upgraded attorney (signs in without a second factor before linking)."""
    return UserFactory(attorney=True, username="victimholder", email=THE_VICTIM)


# Scenario 16: pre-hijacking ------------------------------------------------------------------


def test_scenario_16_an_unverified_account_holding_the_victims_email_cannot_sign_in_or_link(
    client, frozen_clock
):
    """Scenario 16: an attacker registers first with the victim's address; without the
    mailbox the account never signs in, so it reaches neither linking nor any account page."""
    response = client.post("/accounts/signup/", signup_data(email=THE_VICTIM, username="squatter1"))
    squatter = User.objects.get(username="squatter1")
    assert response.status_code == 302
    assert not EmailAddress.objects.get(user=squatter, email=THE_VICTIM).verified

    client.logout()
    attempt = sign_in(client, "squatter1", "a long fresh passphrase for sam")
    assert attempt.status_code == 302
    assert attempt["Location"] == "/accounts/confirm-email/"
    assert not signed_in(client)
    link = client.get("/account/link/")
    assert link.status_code == 302
    assert link["Location"].startswith("/accounts/login/")
    assert not LinkRequest.objects.exists()


def test_scenario_16_the_victims_reset_ends_sessions_pending_email_changes_and_link_requests(
    client, holder
):
    """Scenario 16: whoever holds a session or started changes with the old password loses
    them all when the holder resets it."""
    intruder = type(client)()
    assert sign_in(intruder, "victimholder").status_code == 302
    assert signed_in(intruder)
    # The intruder (who knows the password, so re-authenticates too) adds their own address
    # and starts a link request in the holder's name.
    assert (
        intruder.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD}).status_code == 302
    )
    added = intruder.post("/accounts/email/", {"action_add": "", "email": "intruder@example.test"})
    assert added.status_code == 302, added.content.decode()[-3000:]
    assert added["Location"] == "/accounts/email/", added["Location"]
    pending_address = EmailAddress.objects.get(email="intruder@example.test")
    assert not pending_address.verified
    confirmation = next(m for m in mail.outbox if m.to == ["intruder@example.test"])
    confirm_path = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", confirmation.body)
    assert confirm_path
    open_request = LinkRequestFactory(pacer_account=holder, pending_review=True)

    reset_done = reset_password(client, request_reset(client, THE_VICTIM))
    assert reset_done.status_code == 302

    assert not signed_in(intruder)
    assert not EmailAddress.objects.filter(email="intruder@example.test").exists()
    # The confirmation link the intruder holds now leads nowhere.
    intruder.post(confirm_path.group(1))
    assert not EmailAddress.objects.filter(email="intruder@example.test").exists()
    open_request.refresh_from_db()
    assert open_request.status == LinkRequest.Status.CANCELLED
    assert open_request.reason == "Cancelled: the account's password was reset."
    # The holder's own verified address is untouched, and the new password works.
    assert EmailAddress.objects.get(email=THE_VICTIM).verified
    assert sign_in(client, "victimholder", NEW_PASSWORD).status_code == 302


# Scenario 17: email changes -----------------------------------------------------------------


def test_scenario_17_an_email_change_needs_reauthentication(client, holder, frozen_clock):
    """Scenario 17: adding an address asks for the password again, even right after signing
    in; nothing is added until it is given."""
    sign_in(client, "victimholder")
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.test"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="new@example.test").exists()

    assert client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD}).status_code == 302
    client.post("/accounts/email/", {"action_add": "", "email": "new@example.test"})
    assert EmailAddress.objects.filter(email="new@example.test", user=holder).exists()
    # Making some address primary and removing one ask again once the window has passed.
    frozen_clock.shift(dt.timedelta(minutes=10))
    for action in ("action_primary", "action_remove"):
        response = client.post("/accounts/email/", {action: "", "email": "new@example.test"})
        assert response["Location"].startswith("/accounts/reauthenticate/")
    assert EmailAddress.objects.filter(email="new@example.test", primary=False).exists()


def test_scenario_17_a_password_reset_before_confirmation_cancels_the_email_change(client, holder):
    sign_in(client, "victimholder")
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    client.post("/accounts/email/", {"action_add": "", "email": "moving@example.test"})
    confirmation = next(m for m in mail.outbox if m.to == ["moving@example.test"])
    confirm_path = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", confirmation.body)
    client.logout()

    reset_password(client, request_reset(client, THE_VICTIM))
    client.post(confirm_path.group(1))

    assert not EmailAddress.objects.filter(email="moving@example.test").exists()
    assert list(EmailAddress.objects.filter(user=holder).values_list("email", flat=True)) == [
        THE_VICTIM
    ]


# Scenario 19: sign-out and password changes --------------------------------------------------


def test_scenario_19_an_old_cookie_after_sign_out_fails(client, holder):
    sign_in(client, "victimholder")
    cookie_name = settings.SESSION_COOKIE_NAME
    old_cookie = client.cookies[cookie_name].value
    assert client.post("/accounts/logout/").status_code == 302

    replay = type(client)()
    replay.cookies[cookie_name] = old_cookie
    response = replay.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_scenario_19_a_password_change_ends_the_other_sessions(client, holder):
    other_device = type(client)()
    sign_in(other_device, "victimholder")
    sign_in(client, "victimholder")
    assert signed_in(other_device)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert signed_in(client), "the session that changed the password stays signed in"
    assert not signed_in(other_device)


# Scenario 20: session id rotation and cookie flags --------------------------------------------


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_scenario_20_the_session_id_rotates_on_sign_in_and_on_reauthentication(
    client, holder, frozen_clock
):
    # A session that exists before sign-in (a planted or pre-sign-in cookie).
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = _session_key(client)

    assert sign_in(client, "victimholder").status_code == 302
    signed_in_key = _session_key(client)
    assert signed_in_key != before

    planted = type(client)()
    planted.cookies[settings.SESSION_COOKIE_NAME] = before
    assert not signed_in(planted), "the pre-sign-in id is not a signed-in session"

    frozen_clock.shift(dt.timedelta(minutes=10))
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert _session_key(client) != signed_in_key
    assert signed_in(client)
    stale = type(client)()
    stale.cookies[settings.SESSION_COOKIE_NAME] = signed_in_key
    assert not signed_in(stale)


PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "cso-portal.example.test",
}
COOKIE_SETTINGS = (
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
)


def production_cookie_settings() -> dict:
    """The cookie settings as production loads them (a separate process: DJANGO_ENV)."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {COOKIE_SETTINGS!r}}}))"
    )
    result = run_manage("shell", "-c", script, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_scenario_20_cookies_are_secure_httponly_and_samesite_under_production_settings(
    client, holder
):
    production = production_cookie_settings()
    assert production["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production["CSRF_COOKIE_SECURE"] is True

    # The cookies a real sign-in sets with those settings.
    with override_settings(**production):
        page = client.get("/accounts/login/", secure=True)
        assert page.status_code == 200
        response = client.post(
            "/accounts/login/",
            {"login": "victimholder", "password": TEST_PASSWORD},
            secure=True,
        )
        assert response.status_code == 302
    # As the browser receives them (the Set-Cookie headers).
    session = response.cookies["__Host-sessionid"].OutputString()
    csrf = page.cookies["__Host-csrftoken"].OutputString()
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in session, session
    for flag in ("Secure", "SameSite=Lax", "Path=/"):
        assert flag in csrf, csrf
    assert "Domain" not in session + csrf, "a __Host- cookie has no Domain"


# Scenario 29: reset links ---------------------------------------------------------------------


def test_scenario_29_a_reset_link_older_than_its_lifetime_is_refused(client, holder, frozen_clock):
    path = request_reset(client, THE_VICTIM)
    frozen_clock.shift(dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    page = client.get(path, follow=True)
    assert "Bad Token" in page.content.decode() or "invalid" in page.content.decode().lower()
    reset_password(client, path)
    holder.refresh_from_db()
    assert holder.check_password(TEST_PASSWORD)


def test_scenario_29_a_used_reset_link_is_refused(client, holder):
    path = request_reset(client, THE_VICTIM)
    assert reset_password(client, path).status_code == 302
    second = reset_password(client, path, "another new passphrase entirely")
    assert second.status_code == 200
    holder.refresh_from_db()
    assert holder.check_password(NEW_PASSWORD)
    assert not holder.check_password("another new passphrase entirely")


def test_scenario_29_guessing_a_reset_key_1000_times_is_refused_and_throttled(client, holder):
    path = request_reset(client, THE_VICTIM)
    uidb36, real_key = RESET_LINK.search(mail.outbox[-1].body).group(2, 3)
    statuses = []
    for guess in range(1000):
        fake = f"{real_key[:-6]}{guess:06d}"
        method = client.get if guess % 2 else client.post
        response = method(
            f"/accounts/password/reset/key/{uidb36}-{fake}/",
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        statuses.append(response.status_code)
        assert response.status_code in (200, 429)
    assert statuses.index(429) <= 20, statuses[:30]
    assert statuses.count(200) <= 20
    holder.refresh_from_db()
    assert holder.check_password(TEST_PASSWORD)
    # The real link from another address still works: the limit is per address.
    assert reset_password(client, path, NEW_PASSWORD) is not None


def test_scenario_29_the_reset_key_throttle_is_per_address(client, holder):
    path = request_reset(client, THE_VICTIM)
    uidb36, real_key = RESET_LINK.search(mail.outbox[-1].body).group(2, 3)
    for guess in range(60):
        client.get(f"/accounts/password/reset/key/{uidb36}-{real_key[:-3]}{guess:03d}/")
    elsewhere = type(client)()
    form_page = elsewhere.get(path, follow=True, REMOTE_ADDR="198.51.100.44")
    response = elsewhere.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR="198.51.100.44",
    )
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.check_password(NEW_PASSWORD)
