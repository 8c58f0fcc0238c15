"""The account rules other apps ask about (pure functions of an account and a date).

Later issues call these (linking, e-filing, search) so that a rule lives in one place.
Each ``refusal_*`` function returns None when allowed, else a short reason to show.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# A filer due to set up two-factor authentication may sign in this many times without it
# (each sign-in is one "skip" of the prompt, pressed or not); from the next sign-in on,
# linking and filing wait until they set it up (PACER's phased enforcement).
MFA_PROMPT_SKIPS_ALLOWED = 3


def has_mfa(user: User) -> bool:
    """True when the account has TOTP or a security key (recovery codes alone don't count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def mfa_enforced_for(user: User, today: dt.date) -> bool:
    """Filers and PACER Administrative Accounts must enrol from the enforcement date on;
    search-only accounts never must."""
    enforcement = settings.CSO_MFA_FILER_ENFORCEMENT_DATE
    must = user.is_filer or user.account_kind == User.AccountKind.PAA
    return must and enforcement is not None and today >= enforcement


def mfa_prompt_due(user: User, today: dt.date) -> bool:
    """Sign-in should prompt this account to set up two-factor authentication."""
    return mfa_enforced_for(user, today) and not has_mfa(user)


def mfa_skip_allowed(user: User) -> bool:
    """The current sign-in is still within the allowed sign-ins without two-factor."""
    return user.mfa_prompt_skips <= MFA_PROMPT_SKIPS_ALLOWED


def refusal_to_search(user: User) -> str | None:
    """Why the account may not search case information now, or None."""
    if user.account_kind == User.AccountKind.PAA:
        return _("A PACER Administrative Account has no case access.")
    if user.registration_status != User.RegistrationStatus.ACTIVE:
        return _("Your registration is waiting for PACER Service Center review.")
    if user.case_search_status != User.CaseSearchStatus.ACTIVE:
        return _(
            "Your case search status is inactive. Contact the PACER Service Center to "
            "activate it; you can still upgrade your account."
        )
    return None


def refusal_to_link_or_file(user: User, today: dt.date) -> str | None:
    """Why the account may not link a CM/ECF account or e-file now, or None (seeds 000-004)."""
    if user.is_shared:
        return _("Shared PACER accounts cannot be used to link or e-file. Get your own.")
    if user.account_kind == User.AccountKind.PAA:
        return _("A PACER Administrative Account has no filing privileges.")
    if user.registration_status != User.RegistrationStatus.ACTIVE:
        return _("Your registration is waiting for PACER Service Center review.")
    if not user.is_upgraded:
        return _("Only upgraded PACER accounts work with NextGen. Upgrade your account first.")
    if mfa_prompt_due(user, today) and not mfa_skip_allowed(user):
        return _("Set up two-factor authentication before you link or e-file.")
    return None


def must_upgrade_before_changes(user: User) -> bool:
    """Legacy accounts are sent to the upgrade before changing account information (seed
    002: 'you will be prompted to upgrade … with the exception of making a payment')."""
    return not user.is_upgraded
