"""The upgrade wizard: a legacy account becomes an upgraded one (seeds 000-004)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def upgrade(request: HttpRequest) -> HttpResponse:
    raise Http404
