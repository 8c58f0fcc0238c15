"""Court staff and PACER Service Center staff set or change a court's go-live date."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courts import access, services
from courts.forms import ScheduleChangeForm
from cso_portal import clock


@login_required
def change_schedule(request: HttpRequest, court_id: str) -> HttpResponse:
    court = access.get_court_for_schedule_change(request.user, court_id)
    form = ScheduleChangeForm(request.POST or None, initial={"new_date": court.nextgen_date})
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
