"""The link form's credential check: one generic error, lockout per CM/ECF login, limits per
PACER account and IP — every refusal answered before a password hash is computed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import hashers

from linking import services
from linking.errors import BadCredentials, CmecfLoginLocked, TooManyAttempts
from linking.models import CmecfAccount
from linking.services import credentials
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory

pytestmark = pytest.mark.django_db

NOW = PINNED_NOW
IP = "203.0.113.7"


@pytest.fixture
def hashes(monkeypatch):
    """Counts password hash checks (a thin wrapper around Django's check_password)."""
    calls = []
    real = hashers.check_password

    def counting(password, encoded, *args, **kwargs):
        calls.append(encoded)
        return real(password, encoded, *args, **kwargs)

    monkeypatch.setattr(hashers, "check_password", counting)
    return calls


def _check(court, login, password, *, account, ip=IP, now=NOW):
    return services.check_cmecf_credentials(
        court=court, login=login, password=password, pacer_account=account, ip=ip, now=now
    )


def test_the_right_password_returns_the_login_case_insensitively(court, holder, cmecf):
    assert _check(court, "ALawson ", CMECF_TEST_PASSWORD, account=holder) == cmecf


def test_the_password_is_stored_only_as_a_hash(cmecf):
    assert CMECF_TEST_PASSWORD not in cmecf.password
    assert hashers.check_password(CMECF_TEST_PASSWORD, cmecf.password)


def test_unknown_login_and_wrong_password_give_the_same_error_and_one_hash_each(
    court, holder, cmecf, hashes
):
    with pytest.raises(BadCredentials) as unknown:
        _check(court, "nobody", CMECF_TEST_PASSWORD, account=holder)
    with pytest.raises(BadCredentials) as wrong:
        _check(court, "alawson", "wrong password", account=holder)
    assert type(unknown.value) is type(wrong.value) is BadCredentials
    assert str(unknown.value) == str(wrong.value)
    assert len(hashes) == 2  # the unknown login cost a (dummy) hash too
    assert hashes[0] == credentials._dummy_hash()


def test_a_login_of_another_court_is_unknown_here(holder, cmecf):
    from tests.courts.factories import CourtFactory

    with pytest.raises(BadCredentials):
        _check(CourtFactory(nextgen=True), "alawson", CMECF_TEST_PASSWORD, account=holder)


@pytest.mark.parametrize("trait", ["retired", "court_locked", "linked"])
def test_unusable_logins_give_the_generic_error_even_with_the_right_password(
    court, holder, trait, hashes
):
    CmecfAccountFactory(court=court, login="gone", **{trait: True})
    with pytest.raises(BadCredentials):
        _check(court, "gone", CMECF_TEST_PASSWORD, account=holder)
    assert hashes == [credentials._dummy_hash()]


def test_five_wrong_passwords_lock_the_login_and_the_right_one_is_refused_unhashed(
    court, holder, cmecf, hashes
):
    for _attempt in range(4):
        with pytest.raises(BadCredentials):
            _check(court, "alawson", "guess", account=holder)
    cmecf.refresh_from_db()
    assert (cmecf.failed_attempts, cmecf.locked_until) == (4, None)
    with pytest.raises(BadCredentials):
        _check(court, "alawson", "guess", account=holder)
    cmecf.refresh_from_db()
    assert cmecf.locked_until == NOW + dt.timedelta(minutes=15)
    assert (cmecf.failed_attempts, cmecf.lock_count) == (0, 1)

    hashes.clear()
    with pytest.raises(CmecfLoginLocked) as locked:
        _check(court, "alawson", CMECF_TEST_PASSWORD, account=holder)
    assert locked.value.until == NOW + dt.timedelta(minutes=15)
    assert hashes == []  # refused before any hash was computed

    after = NOW + dt.timedelta(minutes=15, seconds=1)
    assert _check(court, "alawson", CMECF_TEST_PASSWORD, account=holder, now=after) == cmecf
    cmecf.refresh_from_db()
    assert (cmecf.failed_attempts, cmecf.lock_count, cmecf.locked_until) == (0, 0, None)


def test_failures_count_per_login_across_pacer_accounts(court, cmecf):
    """PROOF 8: wrong court passwords for one login from two PACER accounts lock it."""
    first, second = UserFactory(attorney=True), UserFactory(attorney=True)
    for account in (first, second, first, second, first):
        with pytest.raises(BadCredentials):
            _check(court, "alawson", "guess", account=account, ip=None)
    with pytest.raises(CmecfLoginLocked):
        _check(court, "alawson", "guess", account=second, ip=None)


def test_each_repeat_lock_lasts_twice_as_long(court, holder, cmecf):
    now = NOW
    expected = [15, 30, 60]
    for minutes in expected:
        for _attempt in range(5):
            with pytest.raises(BadCredentials):
                _check(court, "alawson", "guess", account=holder, ip=None, now=now)
        cmecf.refresh_from_db()
        assert cmecf.locked_until == now + dt.timedelta(minutes=minutes)
        now = cmecf.locked_until + dt.timedelta(seconds=1)
    assert cmecf.lock_count == 3
    assert services.lock_duration(20) == dt.timedelta(hours=24)  # capped, never permanent


def test_the_pacer_account_limit_answers_before_hashing(court, holder, cmecf, hashes):
    for _attempt in range(credentials.PACER_ACCOUNT_LIMIT):
        with pytest.raises(BadCredentials):
            _check(court, "nobody", "guess", account=holder, ip=None)
    hashes.clear()
    with pytest.raises(TooManyAttempts) as throttled:
        _check(court, "alawson", CMECF_TEST_PASSWORD, account=holder, ip=None)
    assert throttled.value.scope == "pacer_account"
    assert hashes == []


def test_the_ip_limit_answers_before_hashing(court, cmecf, hashes):
    for _attempt in range(credentials.IP_LIMIT):
        with pytest.raises(BadCredentials):
            _check(court, "nobody", "guess", account=UserFactory())
    hashes.clear()
    with pytest.raises(TooManyAttempts) as throttled:
        _check(court, "alawson", CMECF_TEST_PASSWORD, account=UserFactory())
    assert throttled.value.scope == "ip"
    assert hashes == []


def test_oversized_input_is_refused_without_hashing(court, holder, cmecf, hashes):
    with pytest.raises(BadCredentials):
        _check(court, "alawson", "x" * 1_000_000, account=holder)
    assert hashes == []


def test_the_password_is_never_logged(court, holder, cmecf, caplog):
    caplog.set_level("DEBUG", logger="linking")
    for _attempt in range(5):
        with pytest.raises(BadCredentials):
            _check(court, "alawson", "s3cret-guess", account=holder)
    assert caplog.records
    assert "s3cret-guess" not in caplog.text
    assert "locked until" in caplog.text


def test_the_login_is_unique_per_court_whatever_the_case(court):
    from django.db import IntegrityError, transaction

    CmecfAccountFactory(court=court, login="JSmith")
    with pytest.raises(IntegrityError), transaction.atomic():
        CmecfAccountFactory(court=court, login="jsmith")


def test_one_linked_login_per_court_and_pacer_account(court, holder):
    from django.db import IntegrityError, transaction

    CmecfAccountFactory(court=court, linked=True, linked_account=holder)
    with pytest.raises(IntegrityError), transaction.atomic():
        CmecfAccountFactory(court=court, linked=True, linked_account=holder)
    assert CmecfAccount.objects.filter(linked_account=holder).count() == 1
