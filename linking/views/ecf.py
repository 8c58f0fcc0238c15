"""Each court's simulated ECF site (/ecf/<court id>/).

- CurrentGen court (before its go-live on the clock): the legacy CM/ECF login page takes the
  court-issued login and password — a separate login, kept in the session per court.
- NextGen court: the Central Sign-On session opens it; the Utilities menu offers the link
  (wording per court type, seed 002) and, once linked, the Filing menu. The legacy login
  page and any old legacy URL refuse court-issued credentials (seeds 000, 004).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from courts.models import Court
from cso_portal import clock
from linking import access, services
from linking.forms import CmecfCredentialsForm
from linking.views.common import BAD_CREDENTIALS, locked_message, too_many_attempts

MOVED = _("This court has moved to NextGen CM/ECF; sign in with your PACER account")


def _legacy_key(court: Court) -> str:
    return f"ecf:legacy:{court.pk}"


class _LegacySignIn:
    """Who the credential service counts a legacy sign-in against when no PACER account is
    signed in: the IP (the service's per-account limit needs a ``pk``)."""

    def __init__(self, ip: str | None) -> None:
        self.pk = f"legacy-ip:{ip or 'unknown'}"


def _legacy_login(request: HttpRequest, court: Court) -> HttpResponse:
    """The CurrentGen login page, or its signed-in page once this session signed in."""
    signed_in = request.session.get(_legacy_key(court))
    if signed_in and request.method == "GET":
        return render(request, "linking/ecf/legacy_home.html", {"court": court, **signed_in})
    form = CmecfCredentialsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            account = services.check_cmecf_credentials(
                court=court,
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
                pacer_account=user
                if user.is_authenticated
                else _LegacySignIn(request.META.get("REMOTE_ADDR")),
                ip=request.META.get("REMOTE_ADDR"),
                now=clock.real_now(),
            )
        except services.TooManyAttempts as error:
            return too_many_attempts(request, error)
        except services.CmecfLoginLocked as error:
            form.add_error(None, locked_message(court, error))
        except services.BadCredentials:
            form.add_error(None, BAD_CREDENTIALS)
        else:
            request.session.cycle_key()
            request.session[_legacy_key(court)] = {"login": account.login}
            return redirect("linking:ecf_home", court_id=court.pk)
    return render(request, "linking/ecf/legacy_login.html", {"court": court, "form": form})


def _moved(request: HttpRequest, court: Court) -> HttpResponse:
    """A NextGen court's legacy page: court-issued credentials are refused, unchecked."""
    return render(
        request,
        "linking/ecf/moved.html",
        {"court": court, "moved": MOVED},
        status=403 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest, court_id: str) -> HttpResponse:
    court = get_object_or_404(Court, pk=court_id)
    if not court.is_nextgen_on(clock.today()):
        return _legacy_login(request, court)
    if request.method == "POST":  # a legacy login form posted to a court now on NextGen
        return _moved(request, court)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.account_kind == User.AccountKind.PAA:  # no case access, no filing (seed 004)
        return render(request, "linking/ecf/paa_refused.html", {"court": court}, status=403)
    link_url = f"{reverse('linking:start')}?{urlencode({'court': court.pk})}"
    return render(
        request,
        "linking/ecf/nextgen_home.html",
        {
            "court": court,
            "link_url": link_url,
            "linked": access.linked_cmecf_account_in(request.user, court),
            "waiting": access.open_link_request_in(request.user, court),
        },
    )


@require_http_methods(["GET", "POST"])
def legacy_login(request: HttpRequest, court_id: str, legacy_path: str) -> HttpResponse:
    """Old bookmarked legacy URLs (…/cgi-bin/login.pl and the like)."""
    court = get_object_or_404(Court, pk=court_id)
    if court.is_nextgen_on(clock.today()):
        return _moved(request, court)
    return _legacy_login(request, court)


@require_POST
def legacy_sign_out(request: HttpRequest, court_id: str) -> HttpResponse:
    court = get_object_or_404(Court, pk=court_id)
    request.session.pop(_legacy_key(court), None)
    return redirect("linking:ecf_home", court_id=court.pk)
