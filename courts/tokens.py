"""Signed values for subscription links. Nothing is stored, and a link carries no email
address: it names the subscription and a short keyed digest of what it must still match.

- A confirmation link is bound to the latest confirmation email (the time it was sent), so
  an older link stops working when a new one is sent, and it expires after a week.
- An unsubscribe link works for as long as the subscription keeps its address (every
  message carries one).
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

CONFIRM_SALT = "courts.subscription.confirm"
UNSUBSCRIBE_SALT = "courts.subscription.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=7)


class BadToken(Exception):
    """The link is malformed, tampered with, expired or used up (one message for all)."""


def _digest(salt: str, *parts: str) -> str:
    return salted_hmac(salt, "|".join(parts), algorithm="sha256").hexdigest()[:20]


def _confirm_parts(subscription) -> tuple[str, str]:
    sent_at = subscription.confirmation_sent_at
    return subscription.email, sent_at.isoformat() if sent_at else ""


def confirm_token(subscription) -> str:
    digest = _digest(CONFIRM_SALT, *_confirm_parts(subscription))
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscription.pk}.{digest}")


def unsubscribe_token(subscription) -> str:
    digest = _digest(UNSUBSCRIBE_SALT, subscription.email)
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{subscription.pk}.{digest}")


def _split(value: str) -> tuple[int, str]:
    subscription_id, _sep, digest = value.partition(".")
    if not subscription_id.isdigit() or not digest:
        raise BadToken
    return int(subscription_id), digest


def read_confirm_token(token: str) -> tuple[int, str]:
    """(subscription id, digest) from a confirmation link, or :class:`BadToken`."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise BadToken from None
    return _split(value)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        raise BadToken from None
    return _split(value)


def confirm_digest_matches(subscription, digest: str) -> bool:
    return constant_time_compare(_digest(CONFIRM_SALT, *_confirm_parts(subscription)), digest)


def unsubscribe_digest_matches(subscription, digest: str) -> bool:
    return constant_time_compare(_digest(UNSUBSCRIBE_SALT, subscription.email), digest)
