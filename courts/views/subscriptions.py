"""Email updates for a court page: subscribe, confirm, unsubscribe (no account needed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from courts import services, tokens
from courts.forms import SubscribeForm
from courts.models import Court
from cso_portal import clock
from cso_portal.core import ratelimit

# Subscription requests per hour: from one client, and for one address across all courts.
SUBSCRIBE_LIMIT_PER_IP = 20
SUBSCRIBE_LIMIT_PER_EMAIL = 5


@require_POST
def subscribe(request: HttpRequest, court_id: str) -> HttpResponse:
    court = get_object_or_404(Court, pk=court_id)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(
            request, "courts/subscribe_error.html", {"court": court, "form": form}, status=400
        )
    email = form.cleaned_data["email"].strip().lower()
    ip = request.META.get("REMOTE_ADDR", "")
    # Confirmation emails go to whatever address is typed: limit per client and per address.
    allowed = ratelimit.hit(
        "subscribe-ip", ip, limit=SUBSCRIBE_LIMIT_PER_IP, window_seconds=3600
    ) and ratelimit.hit(
        "subscribe-email", email, limit=SUBSCRIBE_LIMIT_PER_EMAIL, window_seconds=3600
    )
    if not allowed:
        return render(request, "courts/subscribe_limited.html", {"court": court}, status=429)
    services.subscribe(court=court, email=email, now=clock.now())
    # The same words whatever state the address was in: the page reveals nothing.
    messages.success(
        request,
        _("Check your inbox: we sent a link to confirm email updates for %(court)s.")
        % {"court": court.name},
    )
    return redirect("courts:detail", court_id=court.id)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; POST confirms (link scanners only GET)."""
    if request.method == "POST":
        try:
            subscription = services.confirm_subscription(token=token, now=clock.now())
        except tokens.BadToken:
            return render(request, "courts/subscription_link_invalid.html", status=400)
        return render(request, "courts/subscription_done.html", {"subscription": subscription})
    return render(request, "courts/subscription_confirm.html", {"action": "confirm"})


# A mail client's one-click unsubscribe (RFC 8058) posts without our CSRF cookie; the signed
# token is the authority, and unsubscribing twice is harmless.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button page; POST (also the mail client's one-click) unsubscribes."""
    if request.method == "POST":
        try:
            subscription = services.unsubscribe(token=token, now=clock.now())
        except tokens.BadToken:
            return render(request, "courts/subscription_link_invalid.html", status=400)
        return render(request, "courts/subscription_done.html", {"subscription": subscription})
    return render(request, "courts/subscription_confirm.html", {"action": "unsubscribe"})
