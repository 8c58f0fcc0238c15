"""The console (Django admin) is for staff with two-factor authentication.

allauth's ``secure_admin_login`` sends the console's sign-in through allauth (rate limits, the
MFA step); :func:`require_mfa` adds that a signed-in staff account without an authenticator
app or security key is sent to set one up instead of reaching any console page.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from accounts import rules


def needs_mfa_setup(site: AdminSite, request) -> bool:
    """A user the console would let in who has no second factor yet."""
    return site.has_permission(request) and not rules.has_mfa(request.user)


def session_passed_mfa(request) -> bool:
    """This session's sign-in (or a later re-authentication) used the second factor.

    Being enrolled is not enough: someone who signed in with a password alone and then
    enrolled an authenticator of their own must still prove it before the console opens.
    """
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def require_mfa(site: AdminSite) -> None:
    """Wrap ``site.admin_view`` (which guards every console view) with the MFA check.

    Call before ``site.urls`` is first used. Signing out of the console stays possible.
    """
    admin_view = site.admin_view

    def mfa_admin_view(view, cacheable=False):
        guarded = admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request, *args, **kwargs):
            logout_path = reverse("admin:logout", current_app=site.name)
            if request.path != logout_path and needs_mfa_setup(site, request):
                messages.warning(
                    request,
                    _(
                        "The console requires two-factor authentication. Set up an "
                        "authenticator app or a security key, then open the console again."
                    ),
                )
                response = redirect("mfa_index")
                add_never_cache_headers(response)
                return response
            if (
                request.path != logout_path
                and site.has_permission(request)
                and not session_passed_mfa(request)
            ):
                messages.info(
                    request,
                    _("Confirm it's you with your second factor to open the console."),
                )
                query = urlencode({"next": request.get_full_path()})
                response = redirect(f"{reverse('mfa_reauthenticate')}?{query}")
                add_never_cache_headers(response)
                return response
            return guarded(request, *args, **kwargs)

        return inner

    site.admin_view = mfa_admin_view
