"""Console pages of filing beyond the model admins' own: the clerk readiness statistics (per
court the clerk manages, PACER Service Center staff all) and their CSV export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cso_portal import clock
from filing.services.statistics import readiness_statistics, statistics_csv


def _rows(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    return readiness_statistics(request.user, now=clock.now(), today=clock.today())


def statistics_view(model_admin, request) -> TemplateResponse:
    """The readiness statistics page (linked from the e-file registration queue)."""
    rows = _rows(model_admin, request)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Readiness statistics"),
        "opts": model_admin.model._meta,
        "rows": rows,
        "today": clock.today(),
    }
    return TemplateResponse(request, "filing/admin/statistics.html", context)


def statistics_csv_view(model_admin, request) -> HttpResponse:
    """The same numbers as CSV."""
    rows = _rows(model_admin, request)
    response = HttpResponse(statistics_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="readiness-statistics.csv"'
    return response
