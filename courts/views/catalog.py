"""Public court pages: "Is my court on NextGen?", one court, iCalendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from courts import access, ical
from courts.forms import CourtFilterForm, SubscribeForm
from courts.models import Court, GoLiveChange
from cso_portal import clock

# What the list shows of each court (anything else would be loaded court by court).
LIST_FIELDS = (
    "id",
    "name",
    "court_type",
    "circuit",
    "nextgen_date",
    "nextgen_date_confirmed",
    "nextgen_evidence_date",
)


def court_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form = CourtFilterForm(request.GET or None)
    courts = form.filter_courts(Court.objects.only(*LIST_FIELDS), today).order_by("name", "id")
    rows = [(court, court.status_on(today)) for court in courts]
    return render(
        request,
        "courts/court_list.html",
        {"form": form, "rows": rows, "today": today, "filtered": form.is_bound},
    )


def _changed_by(change: GoLiveChange) -> str:
    """Who changed the schedule, as the public may see it: a role, never a name."""
    actor = change.actor
    if actor is None:
        return _("Published notice")
    # actor.groups is prefetched: no query per row.
    if actor.is_superuser or any(g.name == access.PSC_GROUP for g in actor.groups.all()):
        return _("PACER Service Center")
    return _("Court staff")


def court_detail(request: HttpRequest, court_id: str) -> HttpResponse:
    court = get_object_or_404(Court, pk=court_id)
    today = clock.today()
    changes = court.schedule_changes.select_related("actor").prefetch_related("actor__groups")
    context = {
        "court": court,
        "today": today,
        "status": court.status_on(today),
        "days_until": court.days_until_go_live(today),
        "history": [(change, _changed_by(change)) for change in changes],
        "subscribe_form": SubscribeForm(),
        "can_change_schedule": access.courts_scheduled_by(request.user)
        .filter(pk=court.pk)
        .exists(),
    }
    return render(request, "courts/court_detail.html", context)


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_all(request: HttpRequest) -> HttpResponse:
    courts = Court.objects.filter(nextgen_date__isnull=False).order_by("nextgen_date", "id")
    text = ical.build_calendar(
        name=_("NextGen CM/ECF go-live dates (CSO Portal training simulation)"),
        events=[ical.go_live_event(court, site_url=settings.CSO_SITE_URL) for court in courts],
        now=clock.now(),
    )
    return _calendar_response(text, "nextgen.ics")


def calendar_court(request: HttpRequest, court_id: str) -> HttpResponse:
    court = get_object_or_404(Court, pk=court_id)
    events = []
    if court.nextgen_date is not None:
        events.append(ical.go_live_event(court, site_url=settings.CSO_SITE_URL))
    text = ical.build_calendar(
        name=_("%(court)s: NextGen CM/ECF go-live") % {"court": court.name},
        events=events,
        now=clock.now(),
    )
    return _calendar_response(text, f"{court.id}.ics")
