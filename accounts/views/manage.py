"""Manage My Account: Settings, Maintenance, Payments and Usage tabs, the profile page, the
account history, and the "this wasn't me" page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import rules, tokens
from accounts.forms.manage import ProfileForm
from accounts.services import profile, security
from cso_portal import clock

HISTORY_PAGE_SIZE = 25


def _tab(request: HttpRequest, template: str, tab: str, context: dict | None = None):
    return render(request, template, {"tab": tab, **(context or {})})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The Settings tab (PACER's default): who the account is, its type and status, and
    where each setting is changed."""
    user = request.user
    return _tab(
        request,
        "accounts/manage/overview.html",
        "settings",
        {"has_mfa": rules.has_mfa(user)},
    )


@login_required
def maintenance(request: HttpRequest) -> HttpResponse:
    return _tab(
        request,
        "accounts/manage/maintenance.html",
        "maintenance",
        {"link_refusal": rules.refusal_to_link_or_file(request.user, clock.today())},
    )


@login_required
def payments(request: HttpRequest) -> HttpResponse:
    return _tab(request, "accounts/manage/payments.html", "payments")


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    return _tab(request, "accounts/manage/usage.html", "usage")


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    """Name, phone and postal address (legacy accounts are sent to the upgrade first, by
    accounts.middleware.UpgradeFirstMiddleware)."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile.update_profile(
                user=request.user, changes=form.cleaned_data, request=request, now=clock.now()
            )
        except profile.NothingChanged:
            messages.info(request, _("Nothing changed: your details are as they were."))
        except profile.UpgradeRequired:
            return redirect("accounts:upgrade")
        else:
            messages.success(
                request,
                _("Your details are saved. We sent a notice to your email address."),
            )
        return redirect("accounts:manage")
    return _tab(request, "accounts/manage/profile.html", "settings", {"form": form})


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """The account's own history, newest first, a page at a time."""
    page = Paginator(security.history_of(request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _tab(request, "accounts/manage/history.html", "settings", {"page": page})


@require_http_methods(["GET", "POST"])
def not_me(request: HttpRequest, token: str) -> HttpResponse:
    """The "this wasn't me" link of a security notice. GET explains and offers the button;
    POST locks the account, ends its sessions and emails a reset link. Works signed out."""
    try:
        event = security.event_for_not_me(token)
    except tokens.BadToken:
        return render(request, "accounts/security/not_me_invalid.html", status=400)
    if request.method == "POST":
        try:
            report = security.report_not_me(
                user=event.user, event_id=event.pk, request=request, now=clock.now()
            )
        except security.NotMeAlreadyReported:
            pass
        except security.NotMeEventUnknown:
            return render(request, "accounts/security/not_me_invalid.html", status=400)
        else:
            if request.user.is_authenticated and request.user.pk == report.user.pk:
                # Its session ended with the others; start this browser afresh.
                logout(request)
        return redirect(request.path)
    return render(
        request,
        "accounts/security/not_me.html",
        {"event": event, "reported": security.was_reported(event)},
    )
