"""Security notices, the "this wasn't me" flow, locking and unlocking.

Every change of account information is audited (an AccountEvent) and followed by a notice to
the account's address with a "this wasn't me" link (a signed token over the account and the
event; never stored). That link leads to :func:`report_not_me`: the account is locked, all
its sessions end, and a password-reset link goes out; a successful reset unlocks it.

Two kinds of notice, one template base (``account/email/base_notification.txt``):

- allauth's own (password changed/set/reset, email changed/removed, two-factor changes): the
  adapter's ``send_notification_mail`` asks :func:`notification_context`, which records the
  matching event and adds the link.
- the portal's (profile changed, email added, account upgraded, and "email changed" for the
  new address): :func:`send_notice`, after commit, through allauth's ``adapter.send_mail``.

Why not the email outbox (``cso_portal.core.services.queue_email``): its rows keep the email's
context in the database, and the link is a bearer token. Rendered at sending, it is never
stored — the same way allauth sends its notices.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accounts import tokens
from accounts.models import AccountEvent, User
from accounts.services.events import record_event

logger = logging.getLogger(__name__)

Kind = AccountEvent.Kind

# allauth's notices (template_prefix) and the event each one reports.
NOTICE_EVENTS: dict[str, tuple[str, dict]] = {
    "account/email/password_changed": (Kind.PASSWORD_CHANGED, {}),
    "account/email/password_set": (Kind.PASSWORD_CHANGED, {"change": "set"}),
    "account/email/password_reset": (Kind.PASSWORD_RESET, {}),
    "account/email/email_changed": (Kind.EMAIL_CHANGED, {"change": "primary"}),
    "account/email/email_deleted": (Kind.EMAIL_CHANGED, {"change": "removed"}),
    "mfa/email/totp_activated": (Kind.MFA_ENABLED, {"method": "totp"}),
    "mfa/email/totp_deactivated": (Kind.MFA_DISABLED, {"method": "totp"}),
    "mfa/email/recovery_codes_generated": (Kind.RECOVERY_CODES_GENERATED, {}),
    "mfa/email/webauthn_added": (Kind.MFA_ENABLED, {"method": "webauthn"}),
    "mfa/email/webauthn_removed": (Kind.MFA_DISABLED, {"method": "webauthn"}),
}
EMAIL_CHANGED_NOTICE = "account/email/email_changed"
EMAIL_ADDED_NOTICE = "accounts/security/email/email_added"

# The events of one request, by (account, notice): one change is one event, however many
# addresses are told about it (allauth tells the old address of an email change, we the new).
_REQUEST_EVENTS = "_cso_notice_events"


class SecurityError(Exception):
    """A security action that cannot be done (the view says why)."""


class NotMeEventUnknown(SecurityError):
    """The reported event is not one of this account's."""


class NotMeAlreadyReported(SecurityError):
    """This event was reported already (a "this wasn't me" link works once)."""


class AccountNotLocked(SecurityError):
    """Staff tried to unlock an account that is not locked."""


@dataclass(frozen=True)
class NotMeReport:
    user: User
    sessions_ended: int
    reset_sent_to: str | None


# Notices ------------------------------------------------------------------------------------


def not_me_url(event: AccountEvent) -> str:
    """The absolute "this wasn't me" link for an event (valid for 7 days)."""
    token = tokens.not_me_token(user_id=event.user_id, event_id=event.pk)
    return settings.CSO_SITE_URL + reverse("accounts:not_me", kwargs={"token": token})


def _notice_links(event: AccountEvent) -> dict:
    return {"not_me_url": not_me_url(event), "not_me_days": tokens.NOT_ME_MAX_AGE.days}


def _event_for_notice(
    *, user: User, template_prefix: str, request, now: dt.datetime, detail: dict | None = None
) -> AccountEvent:
    """The event a notice reports: recorded once per request, then reused."""
    key = (user.pk, template_prefix)
    seen = getattr(request, _REQUEST_EVENTS, None) if request is not None else None
    if seen is not None and key in seen:
        return seen[key]
    kind, base_detail = NOTICE_EVENTS.get(template_prefix, (None, {}))
    if kind is None:
        # A notice allauth added after this mapping was written: still audited and linked.
        logger.warning(
            "security notice %s has no event kind; recorded as a change", template_prefix
        )
        kind, base_detail = Kind.PROFILE_CHANGED, {"notice": template_prefix}
    event = record_event(
        user=user,
        kind=kind,
        now=now,
        request=request,
        detail={**base_detail, **(detail or {}), **trusted_address_detail(user)},
    )
    if request is not None:
        if seen is None:
            seen = {}
            setattr(request, _REQUEST_EVENTS, seen)
        seen[key] = event
    return event


@transaction.atomic
def notification_context(*, user: User, template_prefix: str, request, now: dt.datetime) -> dict:
    """Context for one of allauth's security notices (called by the adapter's
    ``send_notification_mail``): records the event it reports and adds the "this wasn't me"
    link. allauth's own context (addresses, IP, browser, time) is merged over this."""
    event = _event_for_notice(user=user, template_prefix=template_prefix, request=request, now=now)
    return _notice_links(event)


def send_notice(
    *,
    event: AccountEvent,
    template_prefix: str,
    request: HttpRequest,
    to: str | None = None,
    context: dict | None = None,
) -> None:
    """Send a security notice about ``event`` once the current transaction commits: to ``to``,
    else to the account's primary address. Templates ``<template_prefix>_subject.txt`` and
    ``_message.txt`` extend ``account/email/base_notification.txt``. A failed send is logged,
    not raised: the change it reports is committed already."""
    from allauth.account.models import EmailAddress

    address = to or EmailAddress.objects.get_primary_email(event.user)
    if not address:
        logger.warning("account %s has no address for notice %s", event.user_id, template_prefix)
        return
    full_context = {
        "user": event.user,
        "timestamp": event.created_at,
        "ip": event.ip_address or "",
        "user_agent": event.user_agent or "",
        **(context or {}),
        **_notice_links(event),
    }
    transaction.on_commit(
        partial(_send_mail, template_prefix, address, full_context, request), robust=True
    )


def _send_mail(template_prefix: str, address: str, context: dict, request) -> None:
    """Render and send through allauth (its subject prefix, sender and request context)."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context as allauth_context

    with allauth_context.request_context(request):
        get_adapter(request).send_mail(template_prefix, address, context)


@transaction.atomic
def record_email_change(
    *, user: User, from_email: str | None, to_email: str, request, now: dt.datetime
) -> AccountEvent:
    """allauth made ``to_email`` the primary address (its ``email_changed`` signal, sent just
    before allauth's notice to the old address). Record the change once, with both addresses
    (a "this wasn't me" report sends the reset link to the old one), and tell the new address
    too: each address gets exactly one notice."""
    event = _event_for_notice(
        user=user,
        template_prefix=EMAIL_CHANGED_NOTICE,
        request=request,
        now=now,
        detail={"from_email": from_email or "", "to_email": to_email},
    )
    send_notice(
        event=event,
        template_prefix=EMAIL_CHANGED_NOTICE,
        request=request,
        to=to_email,
        context={"from_email": from_email or "", "to_email": to_email},
    )
    return event


@transaction.atomic
def record_email_added(*, user: User, email: str, request, now: dt.datetime) -> AccountEvent:
    """An address was added (allauth's ``email_added`` signal; allauth sends the new address
    its confirmation, but tells the account nothing). Record it and notify the primary
    address: an added address can receive password resets once verified."""
    from allauth.account.models import EmailAddress

    event = record_event(
        user=user,
        kind=Kind.EMAIL_CHANGED,
        now=now,
        request=request,
        detail={"change": "added", "email": email},
    )
    primary = EmailAddress.objects.get_primary_email(user)
    if primary and primary.lower() != email.lower():
        send_notice(
            event=event,
            template_prefix=EMAIL_ADDED_NOTICE,
            request=request,
            to=primary,
            context={"added_email": email},
        )
    return event


# "This wasn't me" ---------------------------------------------------------------------------


def event_for_not_me(token: str) -> AccountEvent:
    """The event a "this wasn't me" link reports: the one way views get it. Raises
    :class:`accounts.tokens.BadToken` for a malformed, tampered, expired or unknown link."""
    user_id, event_id = tokens.read_not_me_token(token)
    event = AccountEvent.objects.select_related("user").filter(pk=event_id, user_id=user_id).first()
    if event is None:
        raise tokens.BadToken
    return event


def was_reported(event: AccountEvent) -> bool:
    """True once the holder has reported this event."""
    return AccountEvent.objects.filter(
        user_id=event.user_id, kind=Kind.REPORTED_NOT_ME, detail__event_id=event.pk
    ).exists()


@transaction.atomic(durable=True)
def report_not_me(*, user: User, event_id: int, request, now: dt.datetime) -> NotMeReport:
    """The holder says they did not make the change of event ``event_id``: lock the account
    (sign-in is refused while locked), end all its sessions, and email a password-reset link
    (allauth's reset flow); the reset unlocks it (:func:`unlock_after_password_reset`).

    The reset link goes to the address the account had before the change: for an email
    change the old address (if still on the account; else none — the PACER Service Center
    unlocks), otherwise the primary address. Raises :class:`NotMeEventUnknown` and
    :class:`NotMeAlreadyReported`.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    event = AccountEvent.objects.filter(user=user, pk=event_id).first()
    if event is None:
        raise NotMeEventUnknown
    if was_reported(event):
        raise NotMeAlreadyReported
    record_event(
        user=user,
        kind=Kind.REPORTED_NOT_ME,
        now=now,
        request=request,
        detail={"event_id": event.pk, "event_kind": event.kind},
    )
    sessions_ended = _end_all_sessions(user)
    if user.locked_at is None:
        user.locked_at = now
        user.save(update_fields=["locked_at"])
        record_event(
            user=user,
            kind=Kind.LOCKED,
            now=now,
            request=request,
            detail={"reason": "reported_not_me", "sessions_ended": sessions_ended},
        )
    reset_to = _reset_address(user, event)
    if reset_to:
        transaction.on_commit(partial(_send_password_reset, reset_to, request), robust=True)
    return NotMeReport(user=user, sessions_ended=sessions_ended, reset_sent_to=reset_to)


def _end_all_sessions(user: User) -> int:
    """End every session allauth tracks for the account (it tracks each signed-in session).
    A session it does not know ends on its next request: the session middleware signs out
    locked accounts."""
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


def trusted_address_detail(user: User) -> dict:
    """The primary address when a security event happens, kept in the event's detail: a
    "this wasn't me" reset goes there, never to an address an intruder made primary later.
    (An address is not a secret; the account's own history shows it to its holder.)"""
    from allauth.account.models import EmailAddress

    primary = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return {"primary_email": primary.email} if primary else {}


def _reset_address(user: User, event: AccountEvent) -> str | None:
    """Where the reset link of a "this wasn't me" report goes: the address the account had
    before the change — if it is still one of its verified addresses; else nowhere (the
    PACER Service Center unlocks the account)."""
    from allauth.account.models import EmailAddress

    if event.kind == Kind.EMAIL_CHANGED and event.detail.get("from_email"):
        trusted = event.detail["from_email"]
    else:
        trusted = event.detail.get("primary_email")
    if not trusted:
        return None
    still_ours = EmailAddress.objects.filter(
        user=user, email__iexact=trusted, verified=True
    ).exists()
    return trusted if still_ours else None


def _send_password_reset(email: str, request) -> None:
    """allauth's own reset request (its form, key and email), as the "forgot password" page
    would send it."""
    from allauth.account.forms import ResetPasswordForm
    from allauth.core import context as allauth_context

    with allauth_context.request_context(request):
        form = ResetPasswordForm(data={"email": email})
        if form.is_valid():
            form.save(request)
        else:
            logger.warning("password reset after a not-me report was refused: %s", form.errors)


# Unlocking ----------------------------------------------------------------------------------


@transaction.atomic
def unlock_after_password_reset(*, user: User, request, now: dt.datetime) -> bool:
    """A successful password reset unlocks a locked account (allauth's ``password_reset``
    signal). Returns False, changing nothing, when the account was not locked."""
    if not User.objects.filter(pk=user.pk, locked_at__isnull=False).update(locked_at=None):
        return False
    user.locked_at = None
    record_event(
        user=user, kind=Kind.UNLOCKED, now=now, request=request, detail={"by": "password_reset"}
    )
    return True


@transaction.atomic
def drop_pending_email_changes(*, user: User) -> int:
    """A password reset cancels every address change still waiting for its confirmation
    (allauth's ``password_reset`` signal): someone who knew the old password may have added
    their own address; its confirmation link stops working. Returns how many were dropped."""
    from allauth.account.models import EmailAddress

    _total, by_model = EmailAddress.objects.filter(
        user=user, verified=False, primary=False
    ).delete()
    return by_model.get(EmailAddress._meta.label, 0)


@transaction.atomic
def unlock_account(*, user: User, actor: User, now: dt.datetime) -> User:
    """PACER Service Center staff unlock a locked account (for example after the holder
    proved who they are on the phone). The password stays as it is: tell the holder to
    reset it if it may be known to someone else. Raises :class:`AccountNotLocked`."""
    if not User.objects.filter(pk=user.pk, locked_at__isnull=False).update(locked_at=None):
        raise AccountNotLocked
    user.locked_at = None
    record_event(user=user, kind=Kind.UNLOCKED, now=now, actor=actor, detail={"by": "staff"})
    return user


# History ------------------------------------------------------------------------------------


def history_of(user: User) -> QuerySet[AccountEvent]:
    """The account's history as its holder sees it, newest first: the only way views get
    AccountEvents."""
    return AccountEvent.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
