"""CM/ECF password reset during linking (seed 003), closed after the court's reset deadline
(seed 004: S.D. Fla. "reset your password before March 26, 2022"; after it, only the court's
help desk can reset).

The emailed link is a :class:`~django.core.signing.TimestampSigner` signature over the
:class:`CmecfResetToken` row's id, made by a template tag when the email is rendered: the
outbox context holds the row id only and no column anywhere holds a token (ADR 0002). The
signature's age (one hour) and the row's ``expires_at`` bound the link; the row's ``used_at``,
claimed with a conditional UPDATE, makes it work once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import hashers
from django.core import signing
from django.db import transaction
from django.db.models.functions import Lower

from courts.models import Court
from cso_portal.core.services import queue_email
from linking.errors import LinkingError
from linking.models import CmecfAccount, CmecfResetToken
from linking.services.credentials import MAX_LOGIN_LENGTH, MAX_PASSWORD_LENGTH

logger = logging.getLogger(__name__)

# An emailed reset link works for this long (real time) …
RESET_VALID_FOR = dt.timedelta(hours=1)
# … and is signed with this salt (a signature made for anything else never verifies here).
RESET_SALT = "linking.cmecf-reset"
# The new court-issued password: at least this long.
MIN_PASSWORD_LENGTH = 8


class ResetLinkInvalid(LinkingError):
    """The reset link is forged, expired, already used, or its login can no longer be used."""


def reset_open(court: Court, today: dt.date) -> bool:
    """True while the court lets holders reset a court-issued password themselves: it set no
    deadline, or ``today`` is not past it."""
    deadline = court.password_reset_deadline
    return deadline is None or today <= deadline


def reset_link_token(token_id: int) -> str:
    """The value the emailed link carries for reset row ``token_id`` (signed now)."""
    return signing.TimestampSigner(salt=RESET_SALT).sign(str(token_id))


@transaction.atomic
def request_cmecf_reset(
    *, court: Court, login: str, now: dt.datetime, today: dt.date
) -> CmecfResetToken | None:
    """Email a reset link to the email of record of ``court``'s active login ``login``.

    Returns the new reset row, or None — for an unknown, retired or court-locked login and
    after the court's reset deadline alike (callers show one answer, so nothing tells which
    logins exist; :func:`reset_open` says whether the deadline passed). ``now`` is real time
    (``clock.real_now()``), ``today`` the training clock's date (the deadline is a court
    date). Rate limits are the caller's (per IP and per login, before calling).
    """
    if not reset_open(court, today):
        logger.info("CM/ECF reset refused after the deadline: court=%s", court.pk)
        return None
    login = (login or "").strip()
    if not login or len(login) > MAX_LOGIN_LENGTH:
        return None
    account = (
        CmecfAccount.objects.alias(login_lower=Lower("login"))
        .filter(court=court, login_lower=login.lower(), status=CmecfAccount.Status.ACTIVE)
        .first()
    )
    if account is None:
        logger.info("CM/ECF reset requested for no usable login: court=%s", court.pk)
        return None
    token = CmecfResetToken.objects.create(
        cmecf_account=account, created_at=now, expires_at=now + RESET_VALID_FOR
    )
    queue_email(
        dedupe_key=f"linking:cmecf-reset:{token.pk}",
        to=account.email_of_record,
        template="linking/email/cmecf_reset",
        context={"token_id": token.pk},
    )
    logger.info(
        "CM/ECF reset emailed: court=%s login=%s reset=%s", court.pk, account.login, token.pk
    )
    return token


def _token_row(token: str) -> CmecfResetToken:
    try:
        token_id = signing.TimestampSigner(salt=RESET_SALT).unsign(
            token or "", max_age=RESET_VALID_FOR
        )
        return CmecfResetToken.objects.select_related("cmecf_account__court").get(pk=int(token_id))
    except (signing.BadSignature, ValueError, CmecfResetToken.DoesNotExist) as error:
        raise ResetLinkInvalid from error


def usable_reset(*, token: str, now: dt.datetime) -> CmecfResetToken:
    """The reset row the link ``token`` names, if it can still set a password (for the GET of
    the form). Raises :class:`ResetLinkInvalid` otherwise."""
    row = _token_row(token)
    account = row.cmecf_account
    if (
        row.used_at is not None
        or row.expires_at <= now
        or account.status != CmecfAccount.Status.ACTIVE
    ):
        raise ResetLinkInvalid
    return row


@transaction.atomic
def reset_cmecf_password(*, token: str, new_password: str, now: dt.datetime) -> CmecfAccount:
    """Set the CM/ECF password of the login the link ``token`` names, once.

    Raises :class:`ResetLinkInvalid` for a forged or expired link, a used one (the claim of
    ``used_at`` is one conditional UPDATE: of two concurrent uses one wins) and a login no
    longer active. Lifts the link form's lockout of the login and voids its other open
    reset links. ``now`` is real time.
    """
    if not new_password or len(new_password) > MAX_PASSWORD_LENGTH:
        raise ValueError("new_password must be 1 to MAX_PASSWORD_LENGTH characters")
    row = _token_row(token)
    claimed = CmecfResetToken.objects.filter(
        pk=row.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        raise ResetLinkInvalid
    account = CmecfAccount.objects.select_for_update().get(pk=row.cmecf_account_id)
    if account.status != CmecfAccount.Status.ACTIVE:
        raise ResetLinkInvalid  # rolls the claim back with the rest
    CmecfAccount.objects.filter(pk=account.pk).update(
        password=hashers.make_password(new_password),
        failed_attempts=0,
        lock_count=0,
        locked_until=None,
    )
    CmecfResetToken.objects.filter(cmecf_account=account, used_at__isnull=True).update(used_at=now)
    account.refresh_from_db()
    logger.info(
        "CM/ECF password reset: court=%s login=%s reset=%s",
        account.court_id,
        account.login,
        row.pk,
    )
    return account
