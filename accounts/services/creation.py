"""Use cases of PACER accounts. Every change of account state goes through here."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from accounts.models import UPGRADE_CUTOFF, User


class AccountNumberExhausted(RuntimeError):
    """No free account number was found (practically impossible with 9,000,000 of them)."""


def new_account_number() -> str:
    """A random 7-digit account number that no account holds yet (no leading zero)."""
    for _attempt in range(20):
        candidate = str(1_000_000 + secrets.randbelow(9_000_000))
        if not User.objects.filter(account_number=candidate).exists():
            return candidate
    raise AccountNumberExhausted


def account_type_for(registered_on: dt.date) -> str:
    """Accounts registered before 11 Aug 2014 start legacy; later ones start upgraded."""
    if registered_on < UPGRADE_CUTOFF:
        return User.AccountType.LEGACY
    return User.AccountType.UPGRADED


def prepare_new_account(*, user: User, today: dt.date) -> User:
    """Give an unsaved account its number, registration date and account type."""
    user.registered_on = user.registered_on or today
    user.account_type = account_type_for(user.registered_on)
    if not user.account_number:
        user.account_number = new_account_number()
    return user


@transaction.atomic
def create_account(
    *,
    username: str,
    email: str,
    password: str | None,
    today: dt.date,
    first_name: str = "",
    last_name: str = "",
    registered_on: dt.date | None = None,
    account_kind: str = User.AccountKind.CASE_SEARCH,
    is_shared: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a PACER account (used by demo data, commands and tests; sign-up goes through
    allauth, whose adapter calls :func:`prepare_new_account`)."""
    for _attempt in range(3):
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            registered_on=registered_on,
            account_kind=account_kind,
            is_shared=is_shared,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        prepare_new_account(user=user, today=today)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Two registrations drew the same number at once: draw again.
            if User.objects.filter(username=username).exists():
                raise
            continue
        return user
    raise AccountNumberExhausted


@transaction.atomic
def ensure_demo_account(*, spec, password: str, today: dt.date) -> tuple[User, bool]:
    """Create a demo account with a verified email unless it exists. Returns (user, created)."""
    from allauth.account.models import EmailAddress

    existing = User.objects.filter(username=spec.username).first()
    if existing is not None:
        return existing, False
    user = create_account(
        username=spec.username,
        email=spec.email,
        password=password,
        today=today,
        first_name=spec.first_name,
        last_name=spec.last_name,
        registered_on=spec.registered_on,
        account_kind=spec.account_kind,
        is_shared=spec.is_shared,
        is_staff=spec.is_staff,
        is_superuser=spec.is_superuser,
    )
    EmailAddress.objects.create(user=user, email=spec.email, primary=True, verified=True)
    return user, True
