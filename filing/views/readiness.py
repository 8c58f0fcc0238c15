"""Firm readiness (/account/paa/readiness/): the PAA administrator sees, for each of the
firm's members, the NextGen steps done and the first one missing — account type,
two-factor, courts linked, requests waiting, filing rights, filing agents — optionally for
one court with its go-live countdown. Only these facts: no cases, no documents, no charges.

The personal readiness checker (/account/readiness/…): the signed-in person's own steps,
court by court, and the printable NextGen preparation sheet.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.services.paa import is_paa, refusal_to_manage_members
from courts.models import Court
from cso_portal import clock
from filing import access
from filing.forms.readiness import CheckCourtForm, ReadinessFilterForm
from filing.services import person_readiness, readiness

TEMPLATE = "filing/readiness/paa.html"


@login_required
@require_GET
def paa_readiness(request: HttpRequest) -> HttpResponse:
    """The readiness table of the signed-in PAA's members (50 a page). Any other account:
    404. A PAA that may not list members yet (legacy: upgrade first) is told why."""
    user = request.user
    if not is_paa(user):
        raise Http404
    refusal = refusal_to_manage_members(user)
    if refusal:
        return render(request, TEMPLATE, {"refusal": refusal, "legacy": not user.is_upgraded})
    form = ReadinessFilterForm(request.GET)
    court = form.cleaned_data.get("court") if form.is_valid() else None
    not_ready_only = bool(form.cleaned_data.get("not_ready")) if form.is_valid() else False
    report = readiness.firm_readiness(
        memberships=access.paa_members(user),
        today=clock.today(),
        court=court,
        not_ready_only=not_ready_only,
        page_number=request.GET.get("page"),
    )
    filters = {}
    if court is not None:
        filters["court"] = court.pk
    if not_ready_only:
        filters["not_ready"] = "on"
    return render(
        request,
        TEMPLATE,
        {"form": form, "report": report, "court": court, "query": urlencode(filters)},
    )


# The personal readiness checker (/account/readiness/…) ------------------------------------


def _court_or_404(court_id: str) -> Court:
    """A court by its id (courts are public reference data); 404 when there is none."""
    court = Court.objects.filter(pk=court_id).first()
    if court is None:
        raise Http404
    return court


@login_required
@require_GET
def my_readiness(request: HttpRequest) -> HttpResponse:
    """The signed-in person's NextGen steps in every court they practise in, each with its
    state and next action, and a "check another court" form (which opens that court's page)."""
    form = CheckCourtForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("filing:my_court_readiness", court_id=form.cleaned_data["court"].pk)
    rows = person_readiness.person_readiness(user=request.user, today=clock.today())
    return render(request, "filing/readiness/mine.html", {"rows": rows, "form": form})


@login_required
@require_GET
def my_court_readiness(request: HttpRequest, court_id: str) -> HttpResponse:
    """The signed-in person's NextGen steps in one court (any court), with the countdown."""
    court = _court_or_404(court_id)
    row = person_readiness.court_readiness(user=request.user, court=court, today=clock.today())
    return render(request, "filing/readiness/court.html", {"row": row, "today": clock.today()})


@login_required
@require_GET
def preparation_sheet(request: HttpRequest, court_id: str) -> HttpResponse:
    """The printable "NextGen preparation sheet" (seed 004): the court-issued information to
    record — never the password."""
    court = _court_or_404(court_id)
    row = person_readiness.court_readiness(user=request.user, court=court, today=clock.today())
    return render(request, "filing/readiness/sheet.html", {"row": row})
