"""Signed values of the account flows. Nothing here is stored: a link or code is checked by
recomputing it.

- The "this wasn't me" link in every security notice names the account and the audit event
  it reports, signed with a salt of its own, and expires after a week.
- The upgrade wizard's email code: six digits sent by email; only a keyed digest of it is
  kept (in the wizard's session state), never the code itself.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

NOT_ME_SALT = "accounts.security.not_me"
NOT_ME_MAX_AGE = dt.timedelta(days=7)
EMAIL_CODE_SALT = "accounts.upgrade.email_code"
EMAIL_CODE_DIGITS = 6


class BadToken(Exception):
    """The link is malformed, tampered with or expired (one message for all)."""


def not_me_token(*, user_id: int, event_id: int) -> str:
    """The token of a "this wasn't me" link for one audit event of one account."""
    return signing.TimestampSigner(salt=NOT_ME_SALT).sign(f"{user_id}.{event_id}")


def read_not_me_token(token: str) -> tuple[int, int]:
    """(user id, event id) from a "this wasn't me" link, or :class:`BadToken`."""
    try:
        value = signing.TimestampSigner(salt=NOT_ME_SALT).unsign(token, max_age=NOT_ME_MAX_AGE)
    except signing.BadSignature:
        raise BadToken from None
    user_id, _sep, event_id = value.partition(".")
    if not user_id.isdigit() or not event_id.isdigit():
        raise BadToken
    return int(user_id), int(event_id)


def new_email_code() -> str:
    """A random six-digit code (leading zeros kept)."""
    return f"{secrets.randbelow(10**EMAIL_CODE_DIGITS):0{EMAIL_CODE_DIGITS}d}"


def email_code_digest(*, user_id: int, email: str, code: str) -> str:
    """A keyed digest of a code sent to ``email`` for account ``user_id`` (what is kept)."""
    value = f"{user_id}|{email.strip().lower()}|{code.strip()}"
    return salted_hmac(EMAIL_CODE_SALT, value, algorithm="sha256").hexdigest()


def email_code_matches(*, digest: str, user_id: int, email: str, code: str) -> bool:
    expected = email_code_digest(user_id=user_id, email=email, code=code)
    return constant_time_compare(expected, digest)
