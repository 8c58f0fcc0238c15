"""Registration: the sign-up wizard's account details and the duplicate-identity hold."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import AccountEvent, User
from accounts.services.events import record_event


@transaction.atomic
def complete_signup(*, user: User, form, request, now: dt.datetime) -> User:
    """Save a new registration from allauth's sign-up form (placeholder: the registration
    flow fills in the wizard's details and the duplicate check)."""
    user.save()
    record_event(user=user, kind=AccountEvent.Kind.REGISTERED, now=now, request=request)
    return user
