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


@transaction.atomic
def count_sign_in_without_mfa(*, user: User, request, now: dt.datetime) -> int:
    """Count a filer's sign-in while two-factor set-up is due; returns the count.

    Every such sign-in uses one of the allowed ones, whether the holder presses "Skip" on
    the prompt or goes elsewhere — enforcement must not depend on a button. The count is
    raised with a conditional UPDATE and stops one past the allowance (refused from then on).
    """
    if not rules.mfa_prompt_due(user, timezone.localdate(now)):
        return user.mfa_prompt_skips
    User.objects.filter(pk=user.pk, mfa_prompt_skips__lte=rules.MFA_PROMPT_SKIPS_ALLOWED).update(
        mfa_prompt_skips=F("mfa_prompt_skips") + 1
    )
    user.refresh_from_db(fields=["mfa_prompt_skips"])
    record_event(
        user=user,
        kind=AccountEvent.Kind.MFA_PROMPT_SKIPPED,
        now=now,
        request=request,
        detail={
            "sign_ins_without_mfa": user.mfa_prompt_skips,
            "allowed": rules.MFA_PROMPT_SKIPS_ALLOWED,
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
