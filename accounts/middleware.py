"""Request policies of signed-in accounts.

- :class:`SessionSecurityMiddleware`: signs out a session idle for ``CSO_SESSION_IDLE_MINUTES``
  (the last activity is written to the session at most once a minute, not on every request
  as SESSION_SAVE_EVERY_REQUEST would), and any session of a locked account.
- :class:`UpgradeFirstMiddleware`: a legacy account that opens a page changing account
  information is sent to the upgrade wizard first (seed 002: "you will be prompted to upgrade
  your account when you update any of your account information with the exception of making
  a payment").
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import rules
from cso_portal import clock

# The session key of the last activity (seconds since the epoch, real time: moving the
# training clock must not sign everyone out).
LAST_ACTIVITY_KEY = "cso_last_activity"
# When this session signed in: however active, it ends CSO_SESSION_ABSOLUTE_HOURS later.
SIGNED_IN_AT_KEY = "cso_signed_in_at"
# Write the last activity at most this often (seconds).
ACTIVITY_WRITE_INTERVAL = 60
# The idle warning shows this long before the sign-out (seconds).
IDLE_WARNING_SECONDS = 2 * 60

# Pages that change account information (url names, allauth's and ours). Payments are not
# among them, and neither are sign-in steps (mfa_authenticate, reauthentication, passkey
# login), the password reset by email, the session list and the history.
ACCOUNT_CHANGE_VIEWS = frozenset(
    {
        "account_email",
        "account_change_password",
        "account_set_password",
        "accounts:edit_profile",
    }
)
MFA_PREFIX = "mfa_"
MFA_SIGN_IN_VIEWS = frozenset(
    {
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "mfa_login_webauthn",
        "mfa_signup_webauthn",
        "mfa_trust",
    }
)


def idle_seconds() -> int:
    return settings.CSO_SESSION_IDLE_MINUTES * 60


def _epoch_now() -> int:
    return int(clock.real_now().timestamp())


def start_idle_clock(request: HttpRequest) -> None:
    """A new sign-in starts a fresh idle period and the absolute limit (``user_logged_in``)."""
    now = _epoch_now()
    request.session[LAST_ACTIVITY_KEY] = now
    request.session[SIGNED_IN_AT_KEY] = now


def _sign_in_url(request: HttpRequest) -> str:
    return f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"


class SessionSecurityMiddleware:
    """Idle timeout and locked accounts. Place after the authentication and message
    middleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest, user) -> HttpResponse | None:
        if user.locked_at is not None:
            logout(request)
            messages.error(
                request,
                _("This account is locked. Reset your password to unlock it."),
            )
            return redirect("account_reset_password")
        now = _epoch_now()
        signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
        absolute = settings.CSO_SESSION_ABSOLUTE_HOURS * 3600
        if isinstance(signed_in_at, int) and now - signed_in_at >= absolute:
            logout(request)
            messages.info(
                request,
                _("For your security, sessions last at most %(hours)d hours. Please sign in again.")
                % {"hours": settings.CSO_SESSION_ABSOLUTE_HOURS},
            )
            return redirect(_sign_in_url(request))
        last = request.session.get(LAST_ACTIVITY_KEY)
        limit = idle_seconds()
        if isinstance(last, int) and now - last >= limit:
            logout(request)
            minutes = settings.CSO_SESSION_IDLE_MINUTES
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            return redirect(_sign_in_url(request))
        if not isinstance(last, int) or now - last >= ACTIVITY_WRITE_INTERVAL:
            request.session[LAST_ACTIVITY_KEY] = last = now
        # For the idle warning (templates/accounts/security/idle_warning.html).
        request.cso_idle_seconds = limit
        request.cso_idle_seconds_left = max(last + limit - now, 0)
        return None


def is_account_change_view(view_name: str) -> bool:
    """True for the pages that change account information (see ACCOUNT_CHANGE_VIEWS)."""
    if view_name in ACCOUNT_CHANGE_VIEWS:
        return True
    return view_name.startswith(MFA_PREFIX) and view_name not in MFA_SIGN_IN_VIEWS


class UpgradeFirstMiddleware:
    """Legacy accounts are sent to /account/upgrade/ before changing account information;
    after the upgrade the wizard returns them to the page they asked for."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or not is_account_change_view(match.view_name):
            return None
        if not rules.must_upgrade_before_changes(user):
            return None
        messages.info(
            request,
            _(
                "Your PACER account is a legacy account. Upgrade it before you change your "
                "account information."
            ),
        )
        upgrade_url = reverse("accounts:upgrade")
        if request.method == "GET":
            upgrade_url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(upgrade_url)
