"""Filing agents (seed 003).

In Manage My Account (/account/agents/…): an attorney or trustee designates filing agents
per court, changes what each may do, removes them (immediately) and reads each agent's
transaction log; an agent sees whom they file for. On each court's ECF site
(/ecf/<court id>/change-user/): the agent's Change User, choosing whom they file as.

Each view parses, authorizes through ``filing.access``, makes one service call and turns
the outcome (or the service's refusal message) into a response.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courts.models import Court
from cso_portal import clock
from filing import access
from filing.errors import AgentRefused
from filing.forms.agents import (
    MYSELF,
    AgentPermissionsForm,
    ChangeUserForm,
    DateRangeForm,
    DesignateAgentForm,
)
from filing.models import PRINCIPAL_ROLES, FilerRole
from filing.services import agents as agent_services
from filing.services import rights
from filing.services.efiling import EVENTS
from filing.views.common import acting_for, refuse_paa, set_acting_for

LOG_PAGE_SIZE = 50
# The transaction log's default range: the last 30 days on the training clock.
LOG_DEFAULT_DAYS = 30


def _posted(request: HttpRequest):
    """The POST data to bind a form to (even when empty: an unticked box sends nothing)."""
    return request.POST if request.method == "POST" else None


def _name(user) -> str:
    return user.full_name or user.username


def _by_court(designations) -> list[dict]:
    """``designations`` (ordered by court) grouped: [{"court", "active", "removed"}]."""
    groups = []
    for _court_id, items in groupby(designations, key=lambda d: d.court_id):
        items = list(items)
        groups.append(
            {
                "court": items[0].court,
                "active": [d for d in items if d.removed_at is None],
                "removed": [d for d in items if d.removed_at is not None],
            }
        )
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Filing agents: for an attorney or trustee, their designations per court and the form
    to designate an agent; for an agent, the attorneys they file for; for anyone else, who
    can use the page."""
    user = request.user
    own_rights = list(rights.active_rights(user).filter(case__isnull=True))
    own_rights.sort(key=lambda right: (right.court.name, right.court_id))
    principal_courts = [r.court for r in own_rights if r.role in PRINCIPAL_ROLES]
    agent_courts = [r.court for r in own_rights if r.role == FilerRole.FILING_AGENT]
    form = DesignateAgentForm(_posted(request), courts=principal_courts, username=user.username)
    if request.method == "POST":
        if not principal_courts:
            messages.error(
                request,
                _("Only attorneys and trustees with filing rights in a court designate agents."),
            )
            return redirect("filing:agents")
        if form.is_valid():
            try:
                designation = agent_services.designate_agent(
                    principal=user,
                    court=form.chosen_court(),
                    agent_username=form.cleaned_data["agent_username"],
                    may_pay_fees=form.cleaned_data["may_pay_fees"],
                    now=clock.now(),
                )
            except AgentRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(agent)s is now your filing agent in %(court)s. We emailed you both.")
                    % {"agent": _name(designation.agent), "court": designation.court.name},
                )
                return redirect("filing:agents")
    designations = access.designations_by(user).order_by(
        "court__name", "court_id", F("removed_at").desc(nulls_first=True), "-created_at"
    )
    serving = access.designations_of_agent(user).order_by(
        "court__name", "court_id", "principal__last_name", "principal__first_name", "pk"
    )
    return render(
        request,
        "filing/agents/index.html",
        {
            "form": form,
            "principal_courts": principal_courts,
            "agent_courts": agent_courts,
            "designated": _by_court(designations),
            "serving": _by_court(serving),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One designation: who, where, since when, and what the agent may do (changed here
    while it is active)."""
    designation = access.get_designation_for_principal(request.user, pk)
    form = AgentPermissionsForm(
        _posted(request), initial={"may_pay_fees": designation.may_pay_fees}
    )
    if request.method == "POST" and form.is_valid():
        try:
            agent_services.set_agent_permissions(
                designation=designation,
                may_pay_fees=form.cleaned_data["may_pay_fees"],
                now=clock.now(),
            )
        except AgentRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The agent's permissions are saved."))
        return redirect("filing:agent", pk=designation.pk)
    return render(request, "filing/agents/detail.html", {"designation": designation, "form": form})


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """End a designation now: the agent's next filing for this attorney is refused."""
    designation = access.get_designation_for_principal(request.user, pk)
    was_active = designation.is_active
    agent_services.remove_agent(designation=designation, now=clock.now())
    if was_active:
        messages.success(
            request,
            _(
                "%(agent)s can no longer file for you in %(court)s, from now on. We emailed "
                "you both."
            )
            % {"agent": _name(designation.agent), "court": designation.court.name},
        )
    else:
        messages.info(request, _("That agent was already removed."))
    return redirect("filing:agents")


def _fee_paid(entry):
    try:
        return entry.payment.amount
    except ObjectDoesNotExist:
        return None


@login_required
def transaction_log(request: HttpRequest, pk: int) -> HttpResponse:
    """What the agent filed for this attorney in a date range (default: the last 30 days),
    in every court, newest first."""
    designation = access.get_designation_for_principal(request.user, pk)
    today = clock.today()
    if "start" in request.GET or "end" in request.GET:
        form = DateRangeForm(request.GET)
        valid = form.is_valid()
        start = form.cleaned_data.get("start") if valid else None
        end = form.cleaned_data.get("end") if valid else None
    else:
        start, end = today - dt.timedelta(days=LOG_DEFAULT_DAYS), today
        form = DateRangeForm(initial={"start": start, "end": end})
    page = rows = None
    if start and end:
        entries = agent_services.agent_transactions(
            principal=request.user, agent_id=designation.agent_id, start=start, end=end
        )
        page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "entry": entry,
                "event": EVENTS[entry.event].label if entry.event in EVENTS else entry.event,
                "fee": _fee_paid(entry),
            }
            for entry in page.object_list
        ]
    return render(
        request,
        "filing/agents/log.html",
        {
            "designation": designation,
            "form": form,
            "start": start,
            "end": end,
            "page": page,
            "rows": rows,
            "query": urlencode({"start": start.isoformat(), "end": end.isoformat()})
            if start and end
            else "",
        },
    )


@refuse_paa
@login_required
@require_http_methods(["GET", "POST"])
def change_user(request: HttpRequest, court_id: str) -> HttpResponse:
    """Change User on a court's ECF site: a filing agent chooses which attorney (of those
    who designated them in this court) they file as, or themself."""
    court = get_object_or_404(Court, pk=court_id)
    if not court.is_nextgen_on(clock.today()):
        return render(
            request,
            "filing/agents/change_user.html",
            {"court": court, "currentgen": True, "go_live": rights.go_live_message(court)},
        )
    designations = list(
        access.designations_of_agent(request.user)
        .filter(court=court)
        .order_by("principal__last_name", "principal__first_name", "pk")
    )
    principals = [d.principal for d in designations]
    current = acting_for(request, court)
    form = ChangeUserForm(
        _posted(request),
        principals=principals,
        initial={"file_as": str(current.pk) if current else MYSELF},
    )
    if request.method == "POST" and form.is_valid():
        principal_id = form.principal_id()
        if (
            principal_id is not None
            and rights.active_designation(
                agent=request.user, principal_id=principal_id, court=court
            )
            is None
        ):
            form.add_error("file_as", ChangeUserForm.NOT_DESIGNATED)
        else:
            set_acting_for(request, court, principal_id)
            chosen = next((p for p in principals if p.pk == principal_id), None)
            if chosen is None:
                messages.success(request, _("You now file as yourself in this court."))
            else:
                messages.success(
                    request,
                    _("You now file for %(name)s in this court.") % {"name": _name(chosen)},
                )
            return redirect("filing:change_user", court_id=court.pk)
    return render(
        request,
        "filing/agents/change_user.html",
        {
            "court": court,
            "form": form,
            "current": current,
            "designations": designations,
        },
    )
