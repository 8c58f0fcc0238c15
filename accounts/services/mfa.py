"""Two-factor authentication: the phased enforcement prompt for filers, and enrolment outside
allauth's pages (demo personas). Enrolment by the holder goes through allauth's MFA pages."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import rules
from accounts.models import AccountEvent, User
from accounts.services.events import record_event


class MFAPromptError(Exception):
    """The prompt to set up two-factor authentication cannot be skipped."""


class MFAPromptNotDue(MFAPromptError):
    """This account is not being asked to set up two-factor authentication."""


class MFAPromptSkipsExhausted(MFAPromptError):
    """All allowed skips are used: linking and filing wait until the holder enrols."""


@transaction.atomic(durable=True)
def skip_mfa_prompt(*, user: User, request, now: dt.datetime) -> int:
    """Use one of the filer's skips of the set-up prompt; returns how many are used now.

    The count is raised with a conditional UPDATE, so two skips posted at once can never
    take a filer past :data:`accounts.rules.MFA_PROMPT_SKIPS_ALLOWED`.
    """
    if not rules.mfa_prompt_due(user, timezone.localdate(now)):
        raise MFAPromptNotDue
    claimed = User.objects.filter(
        pk=user.pk, mfa_prompt_skips__lt=rules.MFA_PROMPT_SKIPS_ALLOWED
    ).update(mfa_prompt_skips=F("mfa_prompt_skips") + 1)
    if not claimed:
        raise MFAPromptSkipsExhausted
    user.refresh_from_db(fields=["mfa_prompt_skips"])
    record_event(
        user=user,
        kind=AccountEvent.Kind.MFA_PROMPT_SKIPPED,
        now=now,
        request=request,
        detail={
            "skips_used": user.mfa_prompt_skips,
            "skips_allowed": rules.MFA_PROMPT_SKIPS_ALLOWED,
        },
    )
    return user.mfa_prompt_skips


@transaction.atomic
def ensure_totp(*, user: User, secret: str, now: dt.datetime) -> bool:
    """Give the account an authenticator-app (TOTP) secret unless it has one; True when
    added. For demo personas and console staff loaded by commands: the secret is printed to
    the operator, never logged, and stored encrypted by the MFA adapter."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, secret)
    record_event(user=user, kind=AccountEvent.Kind.MFA_ENABLED, now=now, detail={"method": "totp"})
    return True
