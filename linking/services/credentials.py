"""Checking a court-issued CM/ECF login and password (step 2 of linking), with lockout.

The link form is a credential-guessing oracle and a password check costs ~150 ms of CPU
(PROOF.md), so everything that can refuse an attempt — the per-IP and per-PACER-account
limits and the per-login lock — answers *before* any hash is computed. An unknown or unusable
login costs one dummy hash, so timing does not reveal which logins exist. The password is
never logged or stored.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.contrib.auth import hashers
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower

from courts.models import Court
from cso_portal.core import ratelimit
from linking.errors import BadCredentials, CmecfLoginLocked, TooManyAttempts
from linking.models import CmecfAccount

logger = logging.getLogger(__name__)

# After this many wrong passwords in a row a CM/ECF login is locked…
LOCK_AFTER_FAILURES = 5
# …for this long, doubling with each further lock (lock_count), up to LOCK_MAX.
LOCK_FIRST = dt.timedelta(minutes=15)
# A cap, so a flood of failures never locks the holder out for good (PROOF scenario 6).
LOCK_MAX = dt.timedelta(hours=24)
# Link attempts (right or wrong) per PACER account and per IP, per window.
PACER_ACCOUNT_LIMIT = 20
IP_LIMIT = 50
LIMIT_WINDOW_SECONDS = 60 * 60
# Longer input than this is not a court-issued credential; refused without hashing it.
MAX_LOGIN_LENGTH = 64
MAX_PASSWORD_LENGTH = 1024


@functools.cache
def _dummy_hash() -> str:
    """A fixed hash made once with the current hasher, checked against for unknown logins."""
    return hashers.make_password("cso-portal: no such CM/ECF login")


def lock_duration(lock_count: int) -> dt.timedelta:
    """How long the ``lock_count``-th lock (1, 2, …) lasts: 15 min, 30 min, 1 h … 24 h."""
    return min(LOCK_FIRST * (2 ** max(lock_count - 1, 0)), LOCK_MAX)


def _throttle(*, pacer_account, ip: str | None) -> None:
    """Count this attempt per PACER account and per IP; raise once over either limit."""
    if not ratelimit.hit(
        "link-pacer",
        str(pacer_account.pk),
        limit=PACER_ACCOUNT_LIMIT,
        window_seconds=LIMIT_WINDOW_SECONDS,
    ):
        logger.warning("link attempt throttled: pacer_account=%s ip=%s", pacer_account.pk, ip)
        raise TooManyAttempts(scope="pacer_account", retry_after_seconds=LIMIT_WINDOW_SECONDS)
    if ip and not ratelimit.hit("link-ip", ip, limit=IP_LIMIT, window_seconds=LIMIT_WINDOW_SECONDS):
        logger.warning("link attempt throttled: ip=%s pacer_account=%s", ip, pacer_account.pk)
        raise TooManyAttempts(scope="ip", retry_after_seconds=LIMIT_WINDOW_SECONDS)


@transaction.atomic
def _record_failure(*, account: CmecfAccount, now: dt.datetime) -> dt.datetime | None:
    """Count one wrong password on the row; lock the login at the limit. Returns the new
    lock's end when this failure locked it.

    The increment is one UPDATE; the lock is claimed with a conditional UPDATE, so among
    concurrent failures exactly one locks (the row stays locked until commit, so the others
    wait and then see the reset counter).
    """
    CmecfAccount.objects.filter(pk=account.pk).update(failed_attempts=F("failed_attempts") + 1)
    claimed = CmecfAccount.objects.filter(
        pk=account.pk, failed_attempts__gte=LOCK_AFTER_FAILURES
    ).update(failed_attempts=0, lock_count=F("lock_count") + 1)
    if not claimed:
        return None
    lock_count = CmecfAccount.objects.values_list("lock_count", flat=True).get(pk=account.pk)
    until = now + lock_duration(lock_count)
    CmecfAccount.objects.filter(pk=account.pk).update(locked_until=until)
    return until


def check_cmecf_credentials(
    *, court: Court, login: str, password: str, pacer_account, ip: str | None, now: dt.datetime
) -> CmecfAccount:
    """Return the court's active CM/ECF account for ``login`` if ``password`` is its password.

    Raises, in this order and before any hash is computed: :class:`TooManyAttempts` when the
    PACER account or the IP is over its hourly limit (every attempt counts),
    :class:`CmecfLoginLocked` while the login is locked (even with the right password).
    Then :class:`BadCredentials` — one exception for an unknown login (after a dummy hash),
    a login that is retired or locked by the court, and a wrong password (counted on the
    row: the 5th in a row locks the login for 15 minutes, doubling with each repeat lock).
    Success resets the counters.

    ``now`` should be the real moment (``clock.real_now()``): a lock is operational, and a
    trainer moving the simulated date must not lift it.
    """
    _throttle(pacer_account=pacer_account, ip=ip)
    login = (login or "").strip()
    password = password or ""
    if not login or len(login) > MAX_LOGIN_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        raise BadCredentials
    account = (
        CmecfAccount.objects.alias(login_lower=Lower("login"))
        .filter(court=court, login_lower=login.lower())
        .first()
    )
    if account is not None and account.locked_until is not None and account.locked_until > now:
        logger.info(
            "link attempt on locked CM/ECF login: court=%s login=%s pacer_account=%s ip=%s",
            court.pk,
            account.login,
            pacer_account.pk,
            ip,
        )
        raise CmecfLoginLocked(until=account.locked_until)
    if account is None or account.status != CmecfAccount.Status.ACTIVE:
        hashers.check_password(password, _dummy_hash())
        logger.info(
            "link attempt failed (no usable login): court=%s pacer_account=%s ip=%s",
            court.pk,
            pacer_account.pk,
            ip,
        )
        raise BadCredentials
    if not hashers.check_password(password, account.password):
        locked_until = _record_failure(account=account, now=now)
        logger.info(
            "link attempt failed (wrong password): court=%s login=%s pacer_account=%s ip=%s%s",
            court.pk,
            account.login,
            pacer_account.pk,
            ip,
            f" — login locked until {locked_until.isoformat()}" if locked_until else "",
        )
        raise BadCredentials
    if account.failed_attempts or account.lock_count or account.locked_until:
        CmecfAccount.objects.filter(pk=account.pk).update(
            failed_attempts=0, lock_count=0, locked_until=None
        )
        account.failed_attempts, account.lock_count, account.locked_until = 0, 0, None
    logger.info(
        "CM/ECF credentials confirmed: court=%s login=%s pacer_account=%s ip=%s",
        court.pk,
        account.login,
        pacer_account.pk,
        ip,
    )
    return account
