"""Manage My Account: Settings, Maintenance, Payments and Usage tabs, history, "not me"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/manage/overview.html")


def edit_profile(request: HttpRequest) -> HttpResponse:
    raise Http404


def maintenance(request: HttpRequest) -> HttpResponse:
    raise Http404


def payments(request: HttpRequest) -> HttpResponse:
    raise Http404


def usage(request: HttpRequest) -> HttpResponse:
    raise Http404


def history(request: HttpRequest) -> HttpResponse:
    raise Http404


def not_me(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404
