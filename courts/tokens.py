"""Signed values for subscription links: nothing is stored, so nothing can leak from the
database. A confirmation link expires; an unsubscribe link works for as long as the
subscription exists (every message carries one)."""

from __future__ import annotations

import datetime as dt

from django.core import signing

CONFIRM_SALT = "courts.subscription.confirm"
UNSUBSCRIBE_SALT = "courts.subscription.unsubscribe"
CONFIRM_MAX_AGE = dt.timedelta(days=7)


class BadToken(Exception):
    """The link is malformed, tampered with, or expired (one message for all of them)."""


def _payload(subscription_id: int, email: str) -> str:
    # The address is part of the signed value, so a link stops working if the row is reused.
    return f"{subscription_id}:{email.lower()}"


def confirm_token(subscription_id: int, email: str) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(_payload(subscription_id, email))


def unsubscribe_token(subscription_id: int, email: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(_payload(subscription_id, email))


def _parse(value: str) -> tuple[int, str]:
    subscription_id, _, email = value.partition(":")
    if not subscription_id.isdigit() or not email:
        raise BadToken
    return int(subscription_id), email


def read_confirm_token(token: str) -> tuple[int, str]:
    """(subscription id, email) from a confirmation link, or :class:`BadToken`."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise BadToken from None
    return _parse(value)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        raise BadToken from None
    return _parse(value)
