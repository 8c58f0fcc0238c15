"""The console's training pages (PACER Service Center staff: ``core.add_clockchange``), under
the training clock's admin (``/admin/core/clockchange/``):

- ``clock/``: move the training clock a day, a week or to a date, after a preview of what
  changes in between (courts going live, reset deadlines, link requests expiring, e-file
  registrations waiting, fee quarters closing);
- ``scenarios/``: load or reset the shipped training scenarios (the same functions as
  ``manage.py load_scenario``), showing the cast and court-issued logins after a load.

``cso_portal.core`` may not import the apps, so the clock's admin is extended here, at the top
of the dependency order.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from cso_portal import clock
from cso_portal.core import querywatch
from cso_portal.core.admin import ClockChangeAdmin
from cso_portal.core.models import ClockChange
from cso_portal.core.services import set_simulated_date
from filing.forms.training import ClockForm, ScenarioActionForm
from filing.training.preview import preview_clock_change
from filing.training.scenarios import (
    ScenarioError,
    all_scenarios,
    load_scenario,
    reset_scenario,
    scenario_counts,
)

TRAINING_PERMISSION = "core.add_clockchange"


def _require_trainer(request: HttpRequest) -> None:
    """PACER Service Center staff only (court clerks lack the permission)."""
    if not request.user.has_perm(TRAINING_PERMISSION):
        raise PermissionDenied


class TrainingClockAdmin(ClockChangeAdmin):
    """The training clock's history, with the clock and scenarios pages."""

    change_list_template = "filing/admin/clockchange_change_list.html"

    def get_urls(self):
        return [
            path("clock/", self.admin_site.admin_view(self.clock_view), name="core_training_clock"),
            path(
                "scenarios/",
                self.admin_site.admin_view(self.scenarios_view),
                name="core_training_scenarios",
            ),
            *super().get_urls(),
        ]

    def _context(self, request: HttpRequest, title: str) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "demo_mode": settings.CSO_DEMO_MODE,
        }

    def clock_view(self, request: HttpRequest) -> HttpResponse:
        """GET ``?date=`` previews the move; POST applies it (demo mode only)."""
        _require_trainer(request)
        today = clock.today()
        if request.method == "POST":
            form = ClockForm(request.POST)
            if not settings.CSO_DEMO_MODE:
                messages.error(request, _("The training clock moves only in demo mode."))
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                day = form.cleaned_data["date"]
                set_simulated_date(
                    day=day,
                    actor=request.user,
                    reason=form.cleaned_data["reason"] or _("Moved on the clock page"),
                    now=clock.real_now(),
                )
                messages.success(
                    request,
                    _("The training clock now says %(day)s.") % {"day": day.isoformat()},
                )
                return HttpResponseRedirect(request.path)
        elif "date" in request.GET:
            form = ClockForm(request.GET)
        else:
            form = ClockForm(initial={"date": today + dt.timedelta(days=1)})
        preview = None
        if form.is_bound and form.is_valid():
            preview = preview_clock_change(today=today, new_date=form.cleaned_data["date"])
        context = {
            **self._context(request, _("Training clock")),
            "form": form,
            "today": today,
            "simulated": clock.simulated_date() is not None,
            "preview": preview,
            "quick_days": [(days, today + dt.timedelta(days=days)) for days in (1, 7, 30)],
        }
        return TemplateResponse(request, "filing/admin/training_clock.html", context)

    def scenarios_view(self, request: HttpRequest) -> HttpResponse:
        """The scenarios with Load / Reset buttons; after a load, the cast to hand out."""
        _require_trainer(request)
        report = None
        if request.method == "POST":
            form = ScenarioActionForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
                return HttpResponseRedirect(request.path)
            name, action = form.cleaned_data["scenario"], form.cleaned_data["action"]
            try:
                if action == "reset":
                    removed = reset_scenario(name=name)
                    messages.success(
                        request,
                        _("Scenario %(name)s reset: %(count)s account(s) removed.")
                        % {"name": name, "count": removed.get("accounts", 0)},
                    )
                    return HttpResponseRedirect(request.path)
                # The cast is created one account at a time through the account services.
                querywatch.allow_per_row(request, "loads a scenario's cast account by account")
                report = load_scenario(name=name, actor=request.user, now=clock.now())
            except ScenarioError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(request.path)
            messages.success(request, _("Scenario %(name)s loaded.") % {"name": name})
        rows = [
            {"scenario": scenario, "counts": scenario_counts(name)}
            for name, scenario in all_scenarios().items()
        ]
        context = {
            **self._context(request, _("Training scenarios")),
            "rows": rows,
            "report": report,
            "clock_url": reverse("admin:core_training_clock"),
        }
        return TemplateResponse(request, "filing/admin/training_scenarios.html", context)


if admin.site.is_registered(ClockChange):
    admin.site.unregister(ClockChange)
admin.site.register(ClockChange, TrainingClockAdmin)
