"""Court staff and PACER Service Center staff set or change a court's go-live date and its
e-filing prerequisites."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courts import access, services
from courts.forms import FilingSettingsForm, ScheduleChangeForm
from cso_portal import clock


@login_required
def change_schedule(request: HttpRequest, court_id: str) -> HttpResponse:
    court = access.get_court_for_schedule_change(request.user, court_id)
    form = ScheduleChangeForm(
        request.POST if request.method == "POST" else None, initial={"new_date": court.nextgen_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_go_live_date(
                court=court,
                new_date=form.cleaned_data["new_date"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                now=clock.now(),
            )
        except services.ScheduleUnchanged:
            form.add_error("new_date", _("That is already the court's go-live date."))
        else:
            messages.success(request, _("The go-live date was changed and subscribers notified."))
            return redirect("courts:detail", court_id=court.id)
    return render(request, "courts/change_schedule.html", {"court": court, "form": form})


@login_required
def filing_settings(request: HttpRequest, court_id: str) -> HttpResponse:
    """The court's e-filing prerequisites: the local form new attorneys complete first, and
    whether CurrentGen registrations may propose a login."""
    court = access.get_court_for_schedule_change(request.user, court_id)
    form = FilingSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "required_local_form": court.required_local_form,
            "filer_may_propose_login": court.filer_may_propose_login,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_filing_settings(
                court=court,
                required_local_form=form.cleaned_data["required_local_form"],
                filer_may_propose_login=form.cleaned_data["filer_may_propose_login"],
                actor=request.user,
                now=clock.now(),
            )
        except services.FilingSettingsUnchanged:
            messages.info(request, _("Nothing changed: the settings are as they were."))
        else:
            messages.success(request, _("The court's e-filing settings were saved."))
        return redirect("courts:detail", court_id=court.id)
    return render(request, "courts/filing_settings.html", {"court": court, "form": form})
