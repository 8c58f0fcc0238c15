"""Manage My Account: Settings, Maintenance, Payments and Usage tabs, the profile page, the
account history, and the "this wasn't me" page."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import access, fees, rules, tokens
from accounts.forms.manage import ProfileForm
from accounts.forms.payments import SECRET_FIELDS
from accounts.models import PaaMembership
from accounts.services import billing, profile, security
from accounts.services.paa import is_paa
from accounts.views import billing as billing_views
from cso_portal import clock

HISTORY_PAGE_SIZE = 25


def _tab(request: HttpRequest, template: str, tab: str, context: dict | None = None):
    return render(request, template, {"tab": tab, **(context or {})})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The Settings tab (PACER's default): who the account is, its type and status, and
    where each setting is changed; for an individual account, the PAA requests waiting for
    an answer and the PAA it is billed to (one query)."""
    user = request.user
    paa_requests, billed_to = [], None
    if not access.is_paa(user):
        for membership in access.memberships_of_member(user).filter(
            status__in=PaaMembership.OPEN_STATUSES
        ):
            if membership.status == PaaMembership.Status.ACTIVE:
                billed_to = membership
            else:
                paa_requests.append(membership)
    return _tab(
        request,
        "accounts/manage/overview.html",
        "settings",
        {"has_mfa": rules.has_mfa(user), "paa_requests": paa_requests, "billed_to": billed_to},
    )


@login_required
def maintenance(request: HttpRequest) -> HttpResponse:
    return _tab(
        request,
        "accounts/manage/maintenance.html",
        "maintenance",
        {"link_refusal": rules.refusal_to_link_or_file(request.user, clock.today())},
    )


@sensitive_post_parameters(*SECRET_FIELDS)
@login_required
@require_http_methods(["GET", "POST"])
def payments(request: HttpRequest) -> HttpResponse:
    """The Payments tab: pay your own bill's balance of a quarter (PACER fees; filing fees
    are paid by card when filing) and see your payments. A PAA pays on its own page."""
    user = request.user
    if is_paa(user):
        return redirect("accounts:paa_payments")
    payer = billing.payer_for(user, now=clock.now())
    return billing_views.payments_page(
        request,
        payer=user,
        template="accounts/manage/payments.html",
        context={
            "tab": "payments",
            "paa_firm": None if payer.pk == user.pk else _firm_of(payer),
        },
    )


def _firm_of(paa_account) -> str:
    profile = getattr(paa_account, "paa_profile", None)
    return profile.firm_name if profile is not None else paa_account.full_name


USAGE_PAGE_SIZE = 25


def _chosen_quarter(value: str, default: tuple[int, int]) -> tuple[int, int] | None:
    """``"2026-4"`` → (2026, 4); None when ``value`` is not a quarter the fee schedule knows."""
    match = re.fullmatch(r"\s*(\d{4})-([1-4])\s*", value or "")
    if not match:
        return None if value else default
    year, quarter = int(match[1]), int(match[2])
    try:
        fees.quarter_bounds(year, quarter)
    except (ValueError, OverflowError):
        return None
    return year, quarter


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    """The Usage tab: the account's own bill per quarter (what is owed after the $30
    quarterly waiver), the current quarter's meter against the waiver, and the charges of a
    chosen quarter (``?quarter=2026-4``, default the current one), a page at a time; plus
    how many of the quarter's views were billed to a PAA while the account was a member
    (those are on the PAA's statement). A fixed number of queries, however many charges."""
    user = request.user
    current = billing.current_quarter_usage(user, today=clock.today())
    quarters = billing.usage_by_quarter(user)
    chosen = _chosen_quarter(request.GET.get("quarter", ""), (current.year, current.quarter))
    if chosen is None:
        messages.error(request, _("That is not a quarter; showing the current one."))
        chosen = (current.year, current.quarter)
    year, quarter = chosen
    summary = next((q for q in [current, *quarters] if (q.year, q.quarter) == chosen), None)
    if summary is None:
        start, _end = fees.quarter_bounds(year, quarter)
        summary = billing.current_quarter_usage(user, today=start)
    page = Paginator(
        billing.charges_in_quarter(user, year=year, quarter=quarter), USAGE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    item_labels = dict(fees.Item.choices)
    rows = [(charge, item_labels.get(charge.item, charge.item)) for charge in page.object_list]
    elsewhere = billing.billed_to_paas(user, year=year, quarter=quarter)
    choices = {(current.year, current.quarter): current.label}
    choices.update({(q.year, q.quarter): q.label for q in quarters})
    choices.setdefault(chosen, summary.label)
    return _tab(
        request,
        "accounts/manage/usage.html",
        "usage",
        {
            "current": current,
            "quarters": quarters,
            "summary": summary,
            "page": page,
            "rows": rows,
            "quarter_choices": [
                {"value": f"{y}-{q}", "label": label, "selected": (y, q) == chosen}
                for (y, q), label in sorted(choices.items(), reverse=True)
            ],
            "query": urlencode({"quarter": f"{year}-{quarter}"}),
            "waiver": fees.QUARTERLY_WAIVER,
            "billed_elsewhere": elsewhere,
            "is_paa": is_paa(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    """Name, phone and postal address (legacy accounts are sent to the upgrade first, by
    accounts.middleware.UpgradeFirstMiddleware)."""
    form = ProfileForm(request.POST if request.method == "POST" else None, user=request.user)
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
