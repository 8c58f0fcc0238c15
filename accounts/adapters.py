"""allauth's seams: how sign-up creates a PACER account."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from accounts import services
from cso_portal import clock


class AccountAdapter(DefaultAccountAdapter):
    """Give every account created through allauth a PACER account number and type."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        services.prepare_new_account(user=user, today=clock.today())
        if commit:
            user.save()
        return user
