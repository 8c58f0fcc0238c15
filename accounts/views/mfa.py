"""The prompt to set up two-factor authentication after sign-in (filers, phased)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def mfa_prompt(request: HttpRequest) -> HttpResponse:
    return redirect("mfa_index")
