"""Sign-in, reset and sign-up against guessing and account enumeration (PROOF scenarios 3-7).

Rate limits live in the cache (locmem here, one process; Redis or the database in a
deployment) and use ``time.time``, which ``time_machine`` moves. Hashing is counted by
wrapping the test hasher's ``encode`` (each password check or dummy hash calls it once).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from accounts.models import User
from tests.accounts.test_allauth_pages import assert_on_our_layout
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
WRONG = "not the right password at all"
THROTTLED = "Too many failed login attempts. Try again later."
MISMATCH = "The username and/or password you specified are not correct."


@pytest.fixture
def victim(frozen_clock):
    """A search-only account (never sent to the MFA prompt)."""
    return UserFactory(username="victim01", email="victim01@example.test")


@pytest.fixture
def hashes():
    """Counts password hash computations (checks and the dummy hash for unknown accounts)."""
    with mock.patch.object(
        MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode
    ) as encode:
        yield encode


def sign_in(client, login: str, password: str, ip: str = "192.0.2.10"):
    return client.post(LOGIN_URL, {"login": login, "password": password}, REMOTE_ADDR=ip)


def signed_in(response) -> bool:
    return response.status_code == 302 and not response["Location"].startswith(LOGIN_URL)


def rotating_ip(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


def normalized(response, *typed: str) -> str:
    """The page with its CSRF token and whatever the visitor typed taken out."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    for text in typed:
        html = html.replace(text, "TYPED")
    return html


# Throttling one account ---------------------------------------------------------------------


def test_wrong_passwords_for_one_account_are_throttled_then_the_right_one_works_later(
    client, victim, frozen_clock, hashes
):
    for attempt in range(5):
        response = sign_in(client, "victim01", WRONG, ip=rotating_ip(attempt))
        assert MISMATCH in response.content.decode()
    hashes.reset_mock()

    # The sixth attempt, even with the right password and from a new address, is refused
    # with a clear message, and no password is hashed for it.
    response = sign_in(client, "victim01", TEST_PASSWORD, ip=rotating_ip(99))
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert hashes.call_count == 0

    frozen_clock.shift(dt.timedelta(minutes=5, seconds=1))
    assert signed_in(sign_in(client, "victim01", TEST_PASSWORD, ip=rotating_ip(100)))


def test_101_guesses_from_rotating_addresses_are_throttled_by_attempt_50(client, victim, hashes):
    """Scenario 4: alternating the username and the email (two counters) still stops the
    guessing early; the password is checked for only a handful of the attempts."""
    first_throttled = None
    for attempt in range(1, 102):
        login = "victim01" if attempt % 2 else "victim01@example.test"
        response = sign_in(client, login, f"guess number {attempt} is wrong", rotating_ip(attempt))
        assert response.status_code == 200
        if first_throttled is None and THROTTLED in response.content.decode():
            first_throttled = attempt
    assert first_throttled is not None
    assert first_throttled <= 50
    # 5 per counter per 5 minutes: at most 10 guesses reached the hasher, one hash each.
    assert hashes.call_count <= 10


def test_the_right_password_resets_the_accounts_failure_count(client, victim, frozen_clock):
    for attempt in range(4):
        sign_in(client, "victim01", WRONG, ip=rotating_ip(attempt))
    assert signed_in(sign_in(client, "victim01", TEST_PASSWORD))
    client.logout()
    for attempt in range(4):
        response = sign_in(client, "victim01", WRONG, ip=rotating_ip(10 + attempt))
        assert THROTTLED not in response.content.decode()
    assert signed_in(sign_in(client, "victim01", TEST_PASSWORD))


def test_a_flood_against_a_victim_never_locks_them_out_for_good(client, victim, frozen_clock):
    """Scenario 6: the windows slide, and a password reset ends the wait at once."""
    for minute in range(30):
        for attempt in range(10):
            sign_in(client, "victim01", WRONG, ip=rotating_ip(minute * 10 + attempt))
        frozen_clock.shift(dt.timedelta(minutes=1))
    assert THROTTLED in sign_in(client, "victim01", TEST_PASSWORD).content.decode()

    # Once the flood stops, the daily cap (100) is what remains; it too runs out.
    frozen_clock.shift(dt.timedelta(days=1, seconds=1))
    assert signed_in(sign_in(client, "victim01", TEST_PASSWORD, ip="203.0.113.5"))


def test_a_password_reset_ends_the_wait_for_the_victim(client, victim, frozen_clock):
    """allauth clears the failure counts of the account's email addresses on a reset, so
    the holder signs in with their email address at once (the count kept under the username
    runs out with its window)."""
    for attempt in range(6):
        sign_in(client, "victim01@example.test", WRONG, ip=rotating_ip(attempt))
    throttled = sign_in(client, "victim01@example.test", TEST_PASSWORD)
    assert THROTTLED in throttled.content.decode()

    client.post("/accounts/password/reset/", {"email": "victim01@example.test"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase for victim"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert signed_in(sign_in(client, "victim01@example.test", new_password, ip="203.0.113.9"))


# Throttling one address ---------------------------------------------------------------------


def test_one_address_trying_many_accounts_is_stopped_before_hashing(client, frozen_clock, hashes):
    """Scenario 5: 10 failures a minute per address, then every sign-in POST beyond 30 a
    minute is answered 429 without looking at the password; other visitors are unaffected."""
    UserFactory(username="bystander1")
    hashes.reset_mock()
    responses = [sign_in(client, f"account{n:04d}", WRONG, ip="192.0.2.66") for n in range(1, 41)]
    assert all(MISMATCH in r.content.decode() for r in responses[:10])
    assert all(THROTTLED in r.content.decode() for r in responses[10:30])
    assert all(r.status_code == 429 for r in responses[30:])
    assert "Too many attempts" in responses[-1].content.decode()
    responses[-1].status_code = 200  # the layout check expects a rendered page
    assert_on_our_layout(responses[-1])
    # Only the first 10 attempts reached the hasher (one dummy hash each).
    assert hashes.call_count == 10

    assert signed_in(sign_in(client, "bystander1", TEST_PASSWORD, ip="192.0.2.67"))


def test_the_429_for_an_address_is_logged(client, frozen_clock, caplog):
    for n in range(31):
        response = sign_in(client, f"account{n:04d}", WRONG, ip="192.0.2.77")
    assert response.status_code == 429
    assert any(
        record.name == "django.request" and "Too Many Requests" in record.getMessage()
        for record in caplog.records
    )


# Enumeration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "unknown"),
    [
        ("victim01", "nobody001"),
        ("victim01@example.test", "nobody001@example.test"),
    ],
)
def test_a_wrong_password_looks_the_same_for_existing_and_unknown_accounts(
    client, victim, hashes, existing, unknown
):
    """Scenario 7: same status, same page, and the same number of hash computations (so the
    same time) whether or not the account exists, by username and by email."""
    hashes.reset_mock()
    known = sign_in(client, existing, WRONG, ip="192.0.2.1")
    known_hashes = hashes.call_count
    hashes.reset_mock()
    stranger = sign_in(client, unknown, WRONG, ip="192.0.2.2")
    assert known.status_code == stranger.status_code == 200
    assert normalized(known, existing) == normalized(stranger, unknown)
    assert known_hashes == hashes.call_count


def test_a_throttled_sign_in_looks_the_same_for_existing_and_unknown_accounts(client, victim):
    for attempt in range(5):
        sign_in(client, "victim01", WRONG, ip=rotating_ip(attempt))
        sign_in(client, "nobody001", WRONG, ip=rotating_ip(attempt))
    known = sign_in(client, "victim01", WRONG, ip="192.0.2.3")
    stranger = sign_in(client, "nobody001", WRONG, ip="192.0.2.4")
    assert THROTTLED in known.content.decode()
    assert known.status_code == stranger.status_code
    assert normalized(known, "victim01") == normalized(stranger, "nobody001")


def test_a_reset_request_looks_the_same_for_existing_and_unknown_addresses(client, victim):
    """The page is the same; the mailbox owner learns which it was (a link, or "no account
    uses this address"): ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS is on."""
    known = client.post("/accounts/password/reset/", {"email": "victim01@example.test"})
    stranger = client.post("/accounts/password/reset/", {"email": "nobody001@example.test"})
    assert known.status_code == stranger.status_code == 302
    assert known["Location"] == stranger["Location"] == "/accounts/password/reset/done/"
    assert [m.to for m in mail.outbox] == [["victim01@example.test"], ["nobody001@example.test"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[1].body


@pytest.mark.parametrize("email", ["victim01@example.test", "nobody001@example.test"])
def test_reset_requests_for_one_address_are_limited_alike(client, victim, email):
    """Three mails per address per 15 minutes, known or not, then 429 (no mail-bombing)."""
    ips = ("192.0.2.20", "192.0.2.21", "192.0.2.22", "192.0.2.23")
    responses = [
        client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=ip) for ip in ips
    ]
    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


def signup_data(**overrides) -> dict:
    """Step 2 of registration for a case-search account."""
    return {
        "kind": User.AccountKind.CASE_SEARCH,
        "first_name": "Sam",
        "last_name": "Newcomer",
        "email": "sam.newcomer@example.test",
        "phone": "(602) 555-0199",
        "address_line1": "401 West Washington Street",
        "city": "Phoenix",
        "region": "Arizona",
        "postal_code": "85003",
        "country": "United States",
        "username": "samnewcomer",
        "password1": "a long fresh passphrase for sam",
        "password2": "a long fresh passphrase for sam",
        **overrides,
    }


def test_signing_up_with_a_taken_email_looks_like_a_fresh_sign_up(client, victim):
    """The page goes on to "check your email" either way; the address's owner is told by
    mail that an account already exists. No second account is made."""
    fresh = client.post("/accounts/signup/", signup_data())
    client.logout()
    taken = client.post(
        "/accounts/signup/",
        signup_data(
            email="victim01@example.test",
            username="someoneelse",
            first_name="Other",
            last_name="Person",
            phone="(520) 555-0177",
            address_line1="1 Other Street",
        ),
    )
    assert fresh.status_code == taken.status_code == 302, (
        taken.context and taken.context["form"].errors
    )
    assert fresh["Location"] == taken["Location"]
    assert not User.objects.filter(username="someoneelse").exists()
    assert mail.outbox[-1].to == ["victim01@example.test"]


# Oversized and malformed input (scenario 3) -------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x" * 1_000_000, "Passwords are at most 256 characters"),
        ("correct horse\x00battery staple", "Null characters are not allowed"),
    ],
    ids=["1,000,000 characters", "NUL byte"],
)
def test_an_oversized_or_nul_password_is_refused_fast_without_hashing(
    client, victim, hashes, password, message
):
    started = time.perf_counter()
    response = sign_in(client, "victim01", password)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert message in response.content.decode()
    assert hashes.call_count == 0
    assert elapsed < 1.0, f"took {elapsed:.3f} s"


def test_an_oversized_login_is_refused_without_hashing(client, hashes):
    response = sign_in(client, "a" * 100_000, WRONG)
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert hashes.call_count == 0


def test_invalid_utf8_is_a_form_error_not_a_server_error(client, victim):
    response = client.post(
        LOGIN_URL,
        b"login=victim01&password=%FF%FE%FDbroken",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()


def test_an_oversized_password_at_sign_up_is_refused_fast(client):
    huge = "y" * 1_000_000
    started = time.perf_counter()
    response = client.post("/accounts/signup/", signup_data(password1=huge, password2=huge))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert "This password is too long. Use at most 256 characters." in response.content.decode()
    assert not User.objects.filter(username="samnewcomer").exists()
    assert elapsed < 1.0, f"took {elapsed:.3f} s"
