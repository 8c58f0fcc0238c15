"""Public court pages: "Is my court on NextGen?", one court, iCalendar feeds."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def court_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def court_detail(request: HttpRequest, court_id: str) -> HttpResponse:
    raise NotImplementedError


def calendar_all(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def calendar_court(request: HttpRequest, court_id: str) -> HttpResponse:
    raise NotImplementedError
