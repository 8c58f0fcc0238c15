"""My courts: every court where the holder has a link request or a linked CM/ECF account,
with the link state, its dates and each request's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cso_portal import clock
from linking import access
from linking.models import LinkEvent


@login_required
def my_courts(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = clock.today()
    requests = access.link_requests_for_holder(user).prefetch_related(
        Prefetch("events", queryset=LinkEvent._default_manager.select_related("actor"))
    )
    rows: dict[str, dict] = {}
    for account in access.cmecf_accounts_linked_to(user):
        rows[account.court_id] = {"court": account.court, "linked": account, "requests": []}
    for link_request in requests:
        row = rows.setdefault(
            link_request.court_id,
            {"court": link_request.court, "linked": None, "requests": []},
        )
        row["requests"].append(link_request)
    courts = sorted(rows.values(), key=lambda row: (row["court"].name, row["court"].pk))
    for row in courts:
        row["status"] = row["court"].status_on(today)
        row["latest"] = row["requests"][0] if row["requests"] else None
    return render(request, "linking/my_courts.html", {"rows": courts, "today": today})
