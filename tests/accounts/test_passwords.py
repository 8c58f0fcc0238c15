"""Password rules (NIST SP 800-63B; PROOF scenarios 1-3): length, blocklists, no composition.

The rules are checked through ``validate_password`` (what every allauth form calls) and
through allauth's own password-change page, with the account's MFA state deciding the minimum.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE_64 = "my cat 🐈 naps on the tax forms every April 🌧️ — then it rains 42!"


@pytest.fixture
def user():
    return UserFactory(
        username="jdoe2024x",
        first_name="Jordan",
        last_name="Whitfield",
        email="jordan.whitfield@example.test",
    )


@pytest.fixture
def mfa_user():
    return UserFactory(username="mfauser01", with_totp=True)


def refusal(password: str, user=None) -> list[str]:
    """The reasons a password is refused ([] when accepted)."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


# Length -------------------------------------------------------------------------------------


def test_14_characters_are_refused_with_the_reason_and_15_are_accepted(user):
    assert refusal("tulip ferry kn", user) == [
        "This password is too short. It must contain at least 15 characters."
    ]
    assert refusal("tulip ferry kno", user) == []


def test_a_64_character_passphrase_with_spaces_and_emoji_is_accepted(user):
    assert len(PASSPHRASE_64) >= 64
    assert refusal(PASSPHRASE_64, user) == []


def test_up_to_256_characters_are_accepted_and_longer_is_refused_not_truncated(user):
    long_phrase = ("seven quiet herons cross the marsh at dawn " * 7)[:256]
    assert refusal(long_phrase, user) == []
    assert refusal(long_phrase + "x", user) == [
        "This password is too long. Use at most 256 characters."
    ]


def test_a_million_characters_are_refused_in_well_under_a_second(user):
    started = time.perf_counter()
    reasons = refusal("z" * 1_000_000, user)
    elapsed = time.perf_counter() - started
    assert "This password is too long. Use at most 256 characters." in reasons
    assert elapsed < 1.0, f"took {elapsed:.3f} s"


def test_with_mfa_8_characters_are_enough(mfa_user):
    assert refusal("kq7!vmz2", mfa_user) == []
    assert refusal("kq7!vmz", mfa_user) == [
        "This password is too short. It must contain at least 8 characters."
    ]


def test_without_mfa_8_characters_are_not_enough(user):
    assert "password_too_short" in codes("kq7!vmz2", user)


def test_a_registration_not_yet_saved_needs_15(user):
    newcomer = User(username="newcomer99", email="newcomer99@example.test")
    assert "password_too_short" in codes("kq7!vmz2zz", newcomer)
    assert refusal("kq7!vmz2zz ok then", newcomer) == []


# Blocklists ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["1q2w3e4r5t6y7u8i9o0p", "123456789987654321", "1qaz2wsx3edc4rfv"],
)
def test_common_and_breached_passwords_are_refused_with_the_reason(user, password):
    assert "This password is too common." in refusal(password, user)


@pytest.mark.parametrize(
    "password",
    [
        "pacer-training-2025!",
        "PACERaccount for filing",
        "P4C3R is where I search",
        "CM/ECF filing password",
        "cmecf2025cmecf2025",
        "NextGen go-live spring",
        "uscourts.gov sign in please",
        "my pacer PACER Pacer",
    ],
)
def test_passwords_built_on_the_service_name_are_refused_with_the_reason(user, password):
    reasons = refusal(password, user)
    assert any("name of this service" in reason for reason in reasons), reasons


def test_mentioning_the_service_inside_a_real_passphrase_is_fine(user):
    assert refusal("filing on the pacer site beats paper forms", user) == []


def test_the_username_name_and_email_are_refused_with_the_reason(user):
    assert "The password is too similar to the username." in refusal("jdoe2024x.jdoe24", user)
    assert "This password contains your username." in refusal("hello jdoe2024x my old friend", user)
    assert "The password is too similar to the email address." in refusal(
        "jordan.whitfield@example", user
    )
    assert "The password is too similar to the last name." in refusal("Whitfield!Jord1", user)


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaaaaaa", "abababababababab", "1234123412341234", "abcdefghijklmnop"]
)
def test_repetitive_and_sequential_passwords_are_refused(user, password):
    assert codes(password, user) & {"password_repetitive", "password_sequential"}


# No composition rules, no rotation ----------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "only lowercase words here",  # no capitals, digits or symbols
        "ALL CAPITALS ARE FINE TOO",
        "839204857392018475",  # digits only
        "ñandú corre por la pampa",  # not English, not ASCII
    ],
)
def test_no_composition_rules(user, password):
    assert refusal(password, user) == []


def test_no_rule_forces_rotation_or_composition():
    names = {type(v).__name__ for v in get_default_password_validators()}
    assert names == {
        "MaximumLengthValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "UserAttributeSimilarityValidator",
        "ContextSpecificWordsValidator",
        "RepetitionValidator",
    }
    help_text = " ".join(password_validators_help_texts())
    assert "at least 15 characters" in help_text
    assert "uppercase" not in help_text.lower()


# Through allauth's pages --------------------------------------------------------------------


def change_password(client, password: str):
    return client.post(
        "/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": password, "password2": password},
    )


def test_the_change_password_page_shows_the_reason(client, user):
    client.force_login(user)
    response = change_password(client, "short but ok?")
    assert response.status_code == 200
    assert "at least 15 characters" in response.content.decode()
    assert change_password(client, "seven quiet herons at dawn").status_code == 302


def test_the_change_password_page_accepts_8_characters_once_mfa_is_on(client, mfa_user):
    client.force_login(mfa_user)
    response = change_password(client, "kq7!vmz2")
    assert response.status_code == 302
    mfa_user.refresh_from_db()
    assert mfa_user.check_password("kq7!vmz2")
    # Never truncated: a prefix of the password is not the password.
    assert not mfa_user.check_password("kq7!vmz")
