"""Manage My Account: profile changes, the legacy → upgraded upgrade, case search status.

Each change writes an AccountEvent in its transaction and, for the holder's own changes, a
security notice after commit (:func:`accounts.services.security.send_notice`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import password_changed, validate_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts import rules, tokens
from accounts.models import AccountEvent, User
from accounts.services import security
from accounts.services.events import record_event

Kind = AccountEvent.Kind

# What the holder may change on the profile page (and confirms in the upgrade wizard).
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
)
PROFILE_CHANGED_NOTICE = "accounts/security/email/profile_changed"
UPGRADED_NOTICE = "accounts/email/upgraded"
EMAIL_CODE_TEMPLATE = "accounts/upgrade/email/verification_code"
EMAIL_CODE_VALID_MINUTES = 15


class ProfileError(Exception):
    """A change of account information that cannot be made (the view says why)."""


class UpgradeRequired(ProfileError):
    """Legacy accounts upgrade before changing account information (seed 002)."""


class NothingChanged(ProfileError):
    """Every value given is the one the account has."""


class AlreadyUpgraded(ProfileError):
    """The account is upgraded already."""


class UsernameTaken(ProfileError):
    """Another account has this username."""


class UsernameTooShort(ProfileError):
    """Upgraded accounts have usernames of at least ACCOUNT_USERNAME_MIN_LENGTH characters."""


class CaseSearchStatusUnchanged(ProfileError):
    """Case search is already in the status asked for."""


def _changed_values(user: User, changes: dict) -> dict:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    return {name: value for name, value in changes.items() if getattr(user, name) != value}


def _field_labels(names) -> list[str]:
    return [str(User._meta.get_field(name).verbose_name) for name in names]


@transaction.atomic(durable=True)
def update_profile(*, user: User, changes: dict, request: HttpRequest, now: dt.datetime) -> User:
    """Change the holder's name, phone or postal address (``changes``: field → new value,
    fields from :data:`PROFILE_FIELDS`; unchanged values are ignored). Writes a
    PROFILE_CHANGED event naming the fields (not their values) and sends a security notice.
    Raises :class:`UpgradeRequired` for a legacy account and :class:`NothingChanged`."""
    if rules.must_upgrade_before_changes(user):
        raise UpgradeRequired
    changed = _changed_values(user, changes)
    if not changed:
        raise NothingChanged
    User.objects.filter(pk=user.pk).update(**changed)
    for name, value in changed.items():
        setattr(user, name, value)
    event = record_event(
        user=user,
        kind=Kind.PROFILE_CHANGED,
        now=now,
        request=request,
        detail={"fields": sorted(changed), **security.trusted_address_detail(user)},
    )
    security.send_notice(
        event=event,
        template_prefix=PROFILE_CHANGED_NOTICE,
        request=request,
        context={"changed_fields": _field_labels(sorted(changed))},
    )
    return user


def send_upgrade_email_code(*, user: User, email: str, request: HttpRequest) -> str:
    """Email a fresh six-digit code to ``email`` (the account's address) for the upgrade
    wizard's re-verification, through allauth's mailer. Returns the keyed digest the wizard
    keeps; the code itself is not kept anywhere."""
    from allauth.account.adapter import get_adapter
    from allauth.core import context as allauth_context

    code = tokens.new_email_code()
    with allauth_context.request_context(request):
        get_adapter(request).send_mail(
            EMAIL_CODE_TEMPLATE,
            email,
            {"user": user, "code": code, "minutes": EMAIL_CODE_VALID_MINUTES},
        )
    return tokens.email_code_digest(user_id=user.pk, email=email, code=code)


@transaction.atomic(durable=True)
def upgrade_account(
    *,
    user: User,
    username: str,
    request: HttpRequest,
    now: dt.datetime,
    password: str | None = None,
    password_hash: str | None = None,
    profile_changes: dict | None = None,
) -> User:
    """Upgrade a legacy account: the holder confirmed their details (``profile_changes``),
    chose a username of at least 8 characters, set a password that meets today's rules and
    re-verified their email, and accepts the terms now.

    Give the new password either raw (``password``: validated here with Django's validators)
    or as ``password_hash`` (from ``make_password``, validated when it was chosen — the
    wizard keeps only the hash between its steps). Sets account_type, upgraded_at and
    terms_accepted_at, writes an UPGRADED event and sends one email. Raises
    :class:`AlreadyUpgraded`, :class:`UsernameTooShort`, :class:`UsernameTaken`, and
    ``ValidationError`` for a password that fails the rules.
    """
    if (password is None) == (password_hash is None):
        raise TypeError("give either password or password_hash")
    if user.is_upgraded:
        raise AlreadyUpgraded
    if len(username) < settings.ACCOUNT_USERNAME_MIN_LENGTH:
        raise UsernameTooShort
    username_changed = username != user.username
    if (
        username_changed
        and User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists()
    ):
        raise UsernameTaken
    changed = _changed_values(user, profile_changes or {})
    if password is not None:
        prospective = User(**{**_identity(user), **changed, "username": username})
        validate_password(password, user=prospective)
        password_hash = make_password(password)
    identify_hasher(password_hash)  # a hash of a configured hasher, never a raw password
    values = {
        **changed,
        "username": username,
        "password": password_hash,
        "account_type": User.AccountType.UPGRADED,
        "upgraded_at": now,
        "terms_accepted_at": now,
    }
    try:
        with transaction.atomic():
            legacy = User.objects.filter(pk=user.pk, account_type=User.AccountType.LEGACY)
            upgraded = legacy.update(**values)
    except IntegrityError:
        raise UsernameTaken from None
    if not upgraded:
        raise AlreadyUpgraded
    user.refresh_from_db()
    if password is not None:
        password_changed(password, user=user)
    event = record_event(
        user=user,
        kind=Kind.UPGRADED,
        now=now,
        request=request,
        detail={
            "username_changed": username_changed,
            "profile_fields": sorted(changed),
            **security.trusted_address_detail(user),
        },
    )
    security.send_notice(
        event=event,
        template_prefix=UPGRADED_NOTICE,
        request=request,
        context={"username": user.username, "username_changed": username_changed},
    )
    return user


def _identity(user: User) -> dict:
    """What the password similarity check compares against."""
    return {
        "pk": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
    }


# Staff --------------------------------------------------------------------------------------


@transaction.atomic
def activate_case_search(*, user: User, actor: User, now: dt.datetime) -> User:
    """PACER Service Center staff reactivate case search for an inactive account (the
    holder asked, seed 002). Writes a CASE_SEARCH_ACTIVATED event with the staff member as
    actor. Raises :class:`CaseSearchStatusUnchanged` if it is active already."""
    return _set_case_search(
        user=user,
        actor=actor,
        now=now,
        status=User.CaseSearchStatus.ACTIVE,
        kind=Kind.CASE_SEARCH_ACTIVATED,
    )


@transaction.atomic
def deactivate_case_search(*, user: User, actor: User, now: dt.datetime) -> User:
    """PACER Service Center staff make an account's case search inactive (it can still sign
    in and upgrade, but not search). Writes a CASE_SEARCH_DEACTIVATED event with the staff
    member as actor. Raises :class:`CaseSearchStatusUnchanged` if it is inactive already."""
    return _set_case_search(
        user=user,
        actor=actor,
        now=now,
        status=User.CaseSearchStatus.INACTIVE,
        kind=Kind.CASE_SEARCH_DEACTIVATED,
    )


def _set_case_search(*, user: User, actor: User, now: dt.datetime, status: str, kind: str) -> User:
    updated = (
        User.objects.filter(pk=user.pk)
        .exclude(case_search_status=status)
        .update(case_search_status=status)
    )
    if not updated:
        raise CaseSearchStatusUnchanged
    user.case_search_status = status
    record_event(user=user, kind=kind, now=now, actor=actor)
    return user


@transaction.atomic
def set_preferred_language(*, user: User, language: str) -> bool:
    """Record the language the holder chose with the language switcher; emails to the account
    go out in it from then on (``cso_portal.core.services.render_email``). Returns whether it
    changed. An unknown code is ignored: the switcher validates it, this is a second guard."""
    if language not in dict(settings.LANGUAGES):
        return False
    return bool(
        User.objects.filter(pk=user.pk)
        .exclude(preferred_language=language)
        .update(preferred_language=language)
    )
