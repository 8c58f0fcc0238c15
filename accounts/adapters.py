"""allauth's seams: how sign-up, sign-in and security notices work for a PACER account.

Each hook delegates to one service or rule, so the same behaviour is reachable from tests,
commands and the console without going through allauth.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts import rules
from accounts.models import User
from accounts.services import creation, events, mfa, registration, security
from cso_portal import clock


class AccountAdapter(DefaultAccountAdapter):
    """PACER accounts on allauth."""

    def save_user(self, request, user, form, commit=True):
        """A new registration: number, type, details from the wizard, duplicate check."""
        user = super().save_user(request, user, form, commit=False)
        creation.prepare_new_account(user=user, today=clock.today())
        if commit:
            registration.complete_signup(user=user, form=form, request=request, now=clock.now())
        return user

    def pre_login(self, request, user, **kwargs):
        """Held and locked accounts get an explanation instead of a session."""
        if user.is_active and user.registration_status == User.RegistrationStatus.REJECTED:
            return render(request, "accounts/registration/rejected.html", status=403)
        if user.is_active and user.registration_status != User.RegistrationStatus.ACTIVE:
            if kwargs.get("signup"):
                # The registrant sees what every new registrant sees ("check your email"; the
                # form has sent the link): the sign-up page must not reveal that someone with
                # these details already has an account. The hold shows at sign-in.
                return redirect("account_email_verification_sent")
            return render(request, "accounts/registration_held.html", {"held_user": user})
        if user.is_active and user.locked_at is not None:
            return render(request, "accounts/account_locked.html", status=403)
        return super().pre_login(request, user, **kwargs)

    def post_login(self, request, user, **kwargs):
        events.record_event(
            user=user, kind=events.AccountEvent.Kind.SIGNED_IN, now=clock.now(), request=request
        )
        # Every sign-in of a filer due for two-factor counts, wherever they go next.
        mfa.count_sign_in_without_mfa(user=user, request=request, now=clock.now())
        return super().post_login(request, user, **kwargs)

    def get_login_redirect_url(self, request):
        """Filers past the enforcement date without two-factor are asked to set it up."""
        user = request.user
        if user.is_authenticated and rules.mfa_prompt_due(user, clock.today()):
            return reverse("accounts:mfa_prompt")
        return super().get_login_redirect_url(request)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Every security notice records an event and carries a "this wasn't me" link."""
        context = security.notification_context(
            user=user, template_prefix=template_prefix, request=self.request, now=clock.now()
        ) | (context or {})
        super().send_notification_mail(template_prefix, user, context=context, email=email)
