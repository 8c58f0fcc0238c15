"""allauth's sign-up, password-reset and reset-link pages, wrapped where the portal needs
more than allauth's settings give (mounted ahead of allauth's own URLs in the root URLconf).

- Sign-up and reset requests are answered no sooner than ``CSO_ENTRANCE_MIN_SECONDS`` after
  they arrived: an address with an account costs different work (a mail to its holder, a
  reset token) from one without (a new account, a "no account here" mail), and the time of
  the answer must not tell which (PROOF scenario 7).
- Every visit of an emailed reset link counts against allauth's "reset_password_from_key"
  limit, not only the POST that sets the password (PROOF scenario 29).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from allauth.account import views as allauth_views
from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse


def answered_no_sooner(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view``, whose POSTs are answered no sooner than ``CSO_ENTRANCE_MIN_SECONDS``."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        started = time.perf_counter()
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # the template's work counts too
            elapsed = time.perf_counter() - started
            time.sleep(max(0.0, settings.CSO_ENTRANCE_MIN_SECONDS - elapsed))
        return response

    return wrapper


signup = answered_no_sooner(allauth_views.signup)
password_reset = answered_no_sooner(allauth_views.password_reset)
_reset_from_key = allauth_views.PasswordResetFromKeyView.as_view()


def reset_password_from_key(request: HttpRequest, uidb36: str, key: str) -> HttpResponse:
    """Someone guessing reset keys would try them with GETs, which allauth's limit (per
    address) does not count; count them here. allauth's view counts the POSTs itself. A
    holder following their link spends 2 of the 10 a minute (the link, then the page it
    redirects to)."""
    if request.method != "POST":
        limited = ratelimit.consume_or_429(
            request, app="allauth.account", action="reset_password_from_key", limit_get=True
        )
        if limited is not None:
            return limited
    return _reset_from_key(request, uidb36=uidb36, key=key)
