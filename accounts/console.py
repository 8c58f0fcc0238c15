"""The console (Django admin) is for staff with two-factor authentication.

allauth's ``secure_admin_login`` sends the console's sign-in through allauth (rate limits, the
MFA step); :func:`require_mfa` adds that a signed-in staff account without an authenticator
app or security key is sent to set one up instead of reaching any console page.
"""

from __future__ import annotations

from functools import wraps

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
            return guarded(request, *args, **kwargs)

        return inner

    site.admin_view = mfa_admin_view
