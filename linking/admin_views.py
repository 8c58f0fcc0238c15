"""Console pages of linking beyond the model admins' own: the per-court dashboard and the
roster import. Both are scoped like the queue (``linking.access``, ``courts.access``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cso_portal import clock
from linking.access import cmecf_accounts_for_clerk, link_requests_for_clerk
from linking.forms_admin import RosterUploadForm
from linking.models import LinkRequest
from linking.services import roster

Status = LinkRequest.Status
DECIDED = (Status.APPROVED, Status.REJECTED)


@dataclasses.dataclass
class CourtNumbers:
    court_id: str
    court_name: str
    pending: int = 0
    decided_this_week: int = 0
    median_to_decision: dt.timedelta | None = None
    accounts: int = 0
    linked: int = 0

    @property
    def linked_share(self) -> float | None:
        """Linked CM/ECF logins over all of the court's logins (None without any)."""
        return self.linked / self.accounts if self.accounts else None


def week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 of ``now``'s week in the portal's time zone."""
    local = timezone.localtime(now)
    monday = local.date() - dt.timedelta(days=local.weekday())
    return timezone.make_aware(dt.datetime.combine(monday, dt.time.min), local.tzinfo)


def _median_to_decision(requests) -> dict[str, dt.timedelta]:
    """Median of decided_at - submitted_at per court, in SQL: number the court's decided
    requests by duration and keep the middle one or two (then average those two)."""
    took = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    middle = (
        requests.filter(status__in=DECIDED, decided_at__isnull=False)
        .annotate(
            took=took,
            rank=Window(RowNumber(), partition_by=[F("court_id")], order_by=took.asc()),
            court_total=Window(Count("pk"), partition_by=[F("court_id")]),
        )
        .filter(
            rank__gte=(F("court_total") + 1) / 2,
            rank__lte=(F("court_total") + 2) / 2,
        )
        .values_list("court_id", "took")
    )
    halves: dict[str, list[dt.timedelta]] = {}
    for court_id, duration in middle:  # at most two rows a court
        halves.setdefault(court_id, []).append(duration)
    return {court_id: sum(pair, dt.timedelta()) / len(pair) for court_id, pair in halves.items()}


def dashboard_numbers(user, *, now: dt.datetime, court_id: str | None = None) -> list[CourtNumbers]:
    """Per court ``user`` manages (with any requests or logins): pending review, decided
    since Monday, median time to decision, share of its CM/ECF logins linked. Three
    aggregate queries (plus the scope checks) whatever the number of rows."""
    requests = link_requests_for_clerk(user).order_by()
    accounts = cmecf_accounts_for_clerk(user).order_by()
    if court_id:
        requests = requests.filter(court_id=court_id)
        accounts = accounts.filter(court_id=court_id)
    since = week_start(now)
    request_counts = requests.values("court_id", "court__name").annotate(
        pending=Count("pk", filter=Q(status=Status.PENDING_REVIEW)),
        decided=Count("pk", filter=Q(status__in=DECIDED, decided_at__gte=since)),
    )
    account_counts = accounts.values("court_id", "court__name").annotate(
        total=Count("pk"), linked=Count("pk", filter=Q(linked_account__isnull=False))
    )
    medians = _median_to_decision(requests)
    rows: dict[str, CourtNumbers] = {}

    def row(counts) -> CourtNumbers:
        cid = counts["court_id"]
        return rows.setdefault(cid, CourtNumbers(cid, counts["court__name"]))

    for counts in request_counts:
        entry = row(counts)
        entry.pending, entry.decided_this_week = counts["pending"], counts["decided"]
    for counts in account_counts:
        entry = row(counts)
        entry.accounts, entry.linked = counts["total"], counts["linked"]
    for cid, median in medians.items():  # a court with decisions has a row already
        rows[cid].median_to_decision = median
    return sorted(rows.values(), key=lambda entry: entry.court_id)


def dashboard_view(model_admin, request):
    """The per-court linking dashboard (linked from the link request queue)."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    now = clock.now()
    court_id = request.GET.get("court") or None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Linking dashboard"),
        "opts": model_admin.model._meta,
        "rows": dashboard_numbers(request.user, now=now, court_id=court_id),
        "week_start": week_start(now),
        "now": now,
    }
    return TemplateResponse(request, "linking/admin/dashboard.html", context)


def roster_import_view(model_admin, request):
    """Upload a court's filer roster; all rows or none are imported, errors per line."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = RosterUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    errors: list[roster.RosterError] = []
    if request.method == "POST" and form.is_valid():
        court = form.cleaned_data["court"]
        try:
            rows = roster.read_roster_csv(form.cleaned_data["file"])
            created = roster.import_roster(
                court=court, rows=rows, actor=request.user, now=clock.now()
            )
        except roster.RosterInvalid as invalid:
            errors = invalid.errors
        else:
            model_admin.message_user(
                request,
                _("Imported %(count)s CM/ECF login(s) into %(court)s.")
                % {"count": created, "court": court.pk},
                messages.SUCCESS,
            )
            changelist = reverse("admin:linking_cmecfaccount_changelist")
            return HttpResponseRedirect(f"{changelist}?court__id__exact={court.pk}")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import a roster (CSV)"),
        "opts": model_admin.model._meta,
        "form": form,
        "errors": errors,
        "columns": roster.ROSTER_COLUMNS,
    }
    return TemplateResponse(request, "linking/admin/roster_import.html", context)
