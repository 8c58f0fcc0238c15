"""Registration step 1: choose the account kind (allauth's sign-up form is step 2)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms.registration import AccountKindForm


def choose_kind(request: HttpRequest) -> HttpResponse:
    """Step 1: which kind of account. Choosing one goes on to allauth's sign-up page with
    the kind in the query string (a GET form: nothing changes until step 2 is posted)."""
    if request.user.is_authenticated:
        return redirect("accounts:manage")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = AccountKindForm(request.GET if "kind" in request.GET else None)
    if form.is_valid():
        query = {"kind": form.cleaned_data["kind"]} | ({"next": next_url} if next_url else {})
        return redirect(f"{reverse('account_signup')}?{urlencode(query)}")
    return render(
        request, "accounts/registration/choose_kind.html", {"form": form, "next_url": next_url}
    )
