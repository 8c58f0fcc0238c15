"""Registration step 1: choose the account kind (allauth's sign-up form is step 2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def choose_kind(request: HttpRequest) -> HttpResponse:
    return redirect("account_signup")
