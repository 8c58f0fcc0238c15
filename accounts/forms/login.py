"""allauth's sign-in form with the checks that must come before any password is hashed.

Wired through ``ACCOUNT_FORMS["login"]``. Field-level errors stop allauth's ``clean`` before it
calls ``authenticate``, so an oversized password (1,000,000 characters) or one with NUL bytes
is refused in milliseconds and never reaches the hasher.
"""

from __future__ import annotations

import logging

from allauth.account.app_settings import LoginMethod
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.internal.flows.login import derive_login_method
from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from accounts.services.events import client_ip
from accounts.validators import configured_max_length

logger = logging.getLogger(__name__)

# An email address is at most 254 characters (RFC 5321); usernames are shorter.
LOGIN_MAX_LENGTH = 254
# Only so much of what someone typed as their login goes into the log.
LOGGED_LOGIN_MAX = 100


class LoginForm(AllauthLoginForm):
    """Sign in with a username or an email address and a password."""

    def clean_login(self) -> str:
        login = super().clean_login()
        if len(login) > LOGIN_MAX_LENGTH:
            raise forms.ValidationError(
                _("Enter your username or email address (at most %(max)d characters)."),
                code="login_too_long",
                params={"max": LOGIN_MAX_LENGTH},
            )
        return login

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        limit = configured_max_length()
        if len(password) > limit:
            raise forms.ValidationError(
                _("Passwords are at most %(max)d characters. Check what you pasted."),
                code="password_too_long",
                params={"max": limit},
            )
        return password

    def user_credentials(self) -> dict:
        """allauth also tries an email-shaped login as a username. Then an existing account
        has its password checked twice and an unknown one once (by the dummy hash), which
        makes existing accounts measurably slower to refuse. An email-shaped login is
        therefore only an email: every attempt costs the same, known or not."""
        credentials = super().user_credentials()
        if derive_login_method(self.cleaned_data["login"]) == LoginMethod.EMAIL:
            credentials.pop(LoginMethod.USERNAME.value, None)
        return credentials

    def clean(self):
        try:
            cleaned_data = super().clean()
        except forms.ValidationError as error:
            self._log_refusal(error.code or "invalid")
            raise
        if self.errors:
            self._log_refusal(next(iter(self.errors.as_data().values()))[0].code or "invalid")
        elif self.user is not None:
            logger.info(
                "sign-in password accepted user_id=%s ip=%s", self.user.pk, client_ip(self.request)
            )
            self._forget_failures(self.user)
        return cleaned_data

    def _forget_failures(self, user) -> None:
        """The right password ends the account's run of failures (NIST counts consecutive
        failures). Only the per-account ("key") counts are cleared: allauth keeps the
        per-address count, so an attacker's own successful sign-ins can't reset their
        budget against other accounts. allauth has no public call for this, hence its
        rate-limit internals."""
        from allauth.account.adapter import get_adapter
        from allauth.account.models import EmailAddress
        from allauth.core.internal import ratelimit

        rates = [
            rate
            for rate in ratelimit.get_rates(app="allauth.account", action="login_failed")
            if rate.per == "key"
        ]
        adapter = get_adapter(self.request)
        # Only logins that are really this account's: an unverified address may be someone
        # else's (anyone can add one), and clearing its count would reset an attacker's
        # budget against that person.
        logins = {
            user.username,
            *EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True),
        }
        for login in filter(None, logins):
            key = adapter._get_login_attempts_cache_key(self.request, email=login)
            for rate in rates:
                cache.delete(
                    ratelimit.get_cache_key(
                        self.request,
                        app="allauth.account",
                        action="login_failed",
                        rate=rate,
                        key=key,
                    )
                )

    def _log_refusal(self, reason: str) -> None:
        """Who tried (as typed, shortened; the log filter escapes control characters), from
        where and why — never the password."""
        login = (self.data.get("login") or "")[:LOGGED_LOGIN_MAX]
        logger.warning(
            "sign-in refused login=%s ip=%s reason=%s", login, client_ip(self.request), reason
        )
