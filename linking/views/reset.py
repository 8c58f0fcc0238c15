"""CM/ECF password reset during linking (seed 003), until the court's deadline (seed 004).

- ``request_reset`` (/account/link/<court>/reset/): the CM/ECF login; one answer whatever the
  login ("if that login exists and can be reset, we emailed its address of record"), or,
  after the court's deadline, the help desk's phones.
- ``confirm_reset`` (/account/link/reset/<token>/): the emailed link; GET shows the
  set-password form, POST sets it (once).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from courts.models import Court
from cso_portal import clock
from cso_portal.core import ratelimit
from linking import services
from linking.errors import TooManyAttempts
from linking.services.credentials import MAX_LOGIN_LENGTH, MAX_PASSWORD_LENGTH
from linking.services.reset import MIN_PASSWORD_LENGTH
from linking.views.common import help_desk_phones, too_many_attempts

# Reset requests per IP and per (court, login), per window: each one can send an email.
IP_LIMIT = 10
LOGIN_LIMIT = 3
LIMIT_WINDOW_SECONDS = 60 * 60


class ResetRequestForm(forms.Form):
    login = forms.CharField(
        label=_("CM/ECF login"),
        max_length=MAX_LOGIN_LENGTH,
        help_text=_("The login the court issued you (not your PACER username)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SetPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label=_("New CM/ECF password"),
        min_length=MIN_PASSWORD_LENGTH,
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New CM/ECF password again"),
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        return cleaned


def _throttle(request: HttpRequest, court: Court, login: str) -> None:
    ip = request.META.get("REMOTE_ADDR")
    if ip and not ratelimit.hit(
        "cmecf-reset-ip", ip, limit=IP_LIMIT, window_seconds=LIMIT_WINDOW_SECONDS
    ):
        raise TooManyAttempts(scope="ip", retry_after_seconds=LIMIT_WINDOW_SECONDS)
    if not ratelimit.hit(
        "cmecf-reset-login",
        f"{court.pk}:{login.strip().lower()}",
        limit=LOGIN_LIMIT,
        window_seconds=LIMIT_WINDOW_SECONDS,
    ):
        raise TooManyAttempts(scope="login", retry_after_seconds=LIMIT_WINDOW_SECONDS)


@login_required
@require_http_methods(["GET", "POST"])
def request_reset(request: HttpRequest, court_id: str) -> HttpResponse:
    court = get_object_or_404(Court, pk=court_id)
    context = {
        "court": court,
        "phones": help_desk_phones(court),
        "reset_open": services.reset_open(court, clock.today()),
    }
    if not context["reset_open"]:
        return render(request, "linking/reset_request.html", context)
    form = ResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["login"]
        try:
            _throttle(request, court, login)
        except TooManyAttempts as error:
            return too_many_attempts(request, error)
        services.request_cmecf_reset(
            court=court, login=login, now=clock.real_now(), today=clock.today()
        )
        return render(request, "linking/reset_requested.html", context)
    return render(request, "linking/reset_request.html", {**context, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_reset(request: HttpRequest, token: str) -> HttpResponse:
    now = clock.real_now()
    try:
        row = services.usable_reset(token=token, now=now)
    except services.ResetLinkInvalid:
        return render(request, "linking/reset_invalid.html", status=410)
    court = row.cmecf_account.court
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.reset_cmecf_password(
                token=token, new_password=form.cleaned_data["new_password1"], now=now
            )
        except services.ResetLinkInvalid:
            return render(request, "linking/reset_invalid.html", status=410)
        return render(request, "linking/reset_done.html", {"court": court, "account": account})
    return render(
        request,
        "linking/reset_confirm.html",
        {"court": court, "login": row.cmecf_account.login, "form": form},
    )
