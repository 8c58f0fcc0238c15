"""Linking a court-issued CM/ECF account to the PACER account (seed 000).

1. ``start`` (/account/link/, ?court=<id>): choose a NextGen court; each precondition that
   fails shows its own message and way forward.
2. ``credentials``: the CM/ECF login and password (re-authentication required).
3. ``verify``: the two accounts side by side; Submit files the request. The proved CM/ECF
   account id stays server-side in the session with a single-use token.
4. ``request_status``: the request, its history and a Cancel button while it is open.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import rules
from courts.models import Court
from cso_portal import clock
from linking import access, services
from linking.forms import CmecfCredentialsForm, ConfirmLinkForm
from linking.views.common import (
    BAD_CREDENTIALS,
    locked_message,
    reauthenticated_without_stashing,
    recently_authenticated_required,
    too_many_attempts,
)

# The session key of a link attempt between the credential step and Submit:
# {"token", "court", "cmecf", "at"} — the proved CM/ECF account never reaches the browser.
PENDING_KEY = "linking:pending"
# A proved login must be confirmed within this many seconds (real time).
PENDING_SECONDS = 15 * 60

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """Why linking in a court cannot go on now, and the way forward."""

    message: str
    action_label: str = ""
    action_url: str = ""


def _format_day(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _account_refusal(user, today) -> Refusal | None:
    """The account's own preconditions (accounts.rules), each with its way forward."""
    reason = rules.refusal_to_link_or_file(user, today)
    if not reason:
        return None
    if not user.is_shared and not user.is_upgraded:
        return Refusal(str(reason), _("Upgrade your account"), reverse("accounts:upgrade"))
    if rules.mfa_prompt_due(user, today) and not user.is_shared:
        return Refusal(str(reason), _("Set up two-factor authentication"), reverse("mfa_index"))
    return Refusal(str(reason), _("Back to Manage My Account"), reverse("accounts:manage"))


def _court_refusal(user, court: Court, today) -> Refusal | None:
    """The court's preconditions: on NextGen today, not linked there, no request waiting."""
    if not court.is_nextgen_on(today):
        if court.nextgen_date:
            message = _("Linking opens on %(day)s, when %(court)s goes live on NextGen CM/ECF.") % {
                "day": _format_day(court.nextgen_date),
                "court": court.name,
            }
        else:
            message = _(
                "%(court)s has not announced its NextGen CM/ECF go-live date; linking opens "
                "on that date."
            ) % {"court": court.name}
        return Refusal(
            message,
            _("See the court's NextGen schedule"),
            reverse("courts:detail", args=[court.pk]),
        )
    if access.linked_cmecf_account_in(user, court) is not None:
        return Refusal(
            _(
                "Your PACER account is already linked to a CM/ECF account in %(court)s. "
                "You file there with your PACER account."
            )
            % {"court": court.name},
            _("See My courts"),
            reverse("linking:my_courts"),
        )
    waiting = access.open_link_request_in(user, court)
    if waiting is not None:
        return Refusal(
            _(
                "You already have a link request for this court waiting. Wait for the "
                "court's decision, or cancel that request first."
            ),
            _("See your request"),
            reverse("linking:request", args=[waiting.pk]),
        )
    return None


def _refusal(user, court: Court, today) -> Refusal | None:
    return _account_refusal(user, today) or _court_refusal(user, court, today)


def _start_url(court: Court) -> str:
    return f"{reverse('linking:start')}?{urlencode({'court': court.pk})}"


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the court. With ``?court=<id>`` check the preconditions: a refusal
    shows its message and way forward; otherwise on to the credential form."""
    today = clock.today()
    user = request.user
    court_id = request.GET.get("court", "").strip()
    if court_id:
        court = get_object_or_404(Court, pk=court_id)
        refusal = _refusal(user, court, today)
        if refusal is None:
            return redirect("linking:credentials", court_id=court.pk)
        return render(
            request, "linking/refused.html", {"court": court, "refusal": refusal}, status=200
        )
    refusal = _account_refusal(user, today)
    return render(
        request,
        "linking/start.html",
        {
            "refusal": refusal,
            "nextgen_courts": Court.objects.nextgen_on(today).order_by("name", "id"),
            "currentgen_courts": Court.objects.currentgen_on(today).order_by(
                "nextgen_date", "name"
            ),
            "today": today,
        },
    )


@login_required
@reauthenticated_without_stashing
@require_http_methods(["GET", "POST"])
def credentials(request: HttpRequest, court_id: str) -> HttpResponse:
    """Step 2: the court-issued login and password, checked by the credential service (its
    lockout and limits answer before any hash is computed)."""
    court = get_object_or_404(Court, pk=court_id)
    if _refusal(request.user, court, clock.today()) is not None:
        return redirect(_start_url(court))
    form = CmecfCredentialsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.check_cmecf_credentials(
                court=court,
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
                pacer_account=request.user,
                ip=request.META.get("REMOTE_ADDR"),
                now=clock.real_now(),
            )
        except services.TooManyAttempts as error:
            return too_many_attempts(request, error)
        except services.CmecfLoginLocked as error:
            form.add_error(None, locked_message(court, error))
        except services.BadCredentials:
            form.add_error(None, BAD_CREDENTIALS)
        else:
            request.session[PENDING_KEY] = {
                "token": secrets.token_urlsafe(32),
                "court": court.pk,
                "cmecf": account.pk,
                "at": int(clock.real_now().timestamp()),
            }
            return redirect("linking:verify", court_id=court.pk)
    return render(request, "linking/credentials.html", {"court": court, "form": form})


def _pending_for(request: HttpRequest, court: Court) -> dict | None:
    """This session's proved, unexpired link attempt for ``court``, or None."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("court") != court.pk:
        return None
    if int(clock.real_now().timestamp()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    return pending


def _restart(request: HttpRequest, court: Court) -> HttpResponse:
    messages.error(
        request,
        _(
            "That confirmation is no longer valid (already used, expired or never started). "
            "Enter your CM/ECF login and password again."
        ),
    )
    return redirect(_start_url(court))


@login_required
@recently_authenticated_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, court_id: str) -> HttpResponse:
    """Step 3: "Verify that the CM/ECF account and PACER account listed are accurate. If so,
    click Submit." Submit spends the attempt's token (once) and files the request."""
    court = get_object_or_404(Court, pk=court_id)
    if request.method == "POST":
        # Single use: the attempt leaves the session whatever happens next.
        pending = _pending_for(request, court)
        request.session.pop(PENDING_KEY, None)
        form = ConfirmLinkForm(request.POST)
        if (
            pending is None
            or not form.is_valid()
            or not secrets.compare_digest(form.cleaned_data["token"], pending["token"])
        ):
            return _restart(request, court)
        cmecf = access.get_proved_cmecf_account(court, pending["cmecf"])
        try:
            link_request = services.submit_link_request(
                pacer_account=request.user, cmecf_account=cmecf, now=clock.now()
            )
        except services.LinkRefused as error:
            return render(
                request,
                "linking/refused.html",
                {"court": court, "refusal": Refusal(error.reason)},
            )
        logger.info(
            "link request %s submitted by user=%s ip=%s",
            link_request.pk,
            request.user.pk,
            request.META.get("REMOTE_ADDR"),
        )
        messages.success(request, _("Your link request was submitted to the court."))
        return redirect("linking:request", pk=link_request.pk)
    pending = _pending_for(request, court)
    if pending is None:
        return _restart(request, court)
    cmecf = access.get_proved_cmecf_account(court, pending["cmecf"])
    form = ConfirmLinkForm(initial={"token": pending["token"]})
    return render(
        request,
        "linking/verify.html",
        {"court": court, "cmecf": cmecf, "pacer": request.user, "form": form},
    )


@login_required
def request_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: one of the holder's requests, its history, and Cancel while it is open."""
    link_request = access.get_link_request_for_holder(request.user, pk)
    return render(
        request,
        "linking/request.html",
        {"link_request": link_request, "events": link_request.events.all()},
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an open request (the cancel service refuses any other state)."""
    link_request = access.get_link_request_for_holder(request.user, pk)
    try:
        services.cancel_link_request(request=link_request, actor=request.user, now=clock.now())
    except services.IllegalTransition:
        messages.info(request, _("This request is already decided; it cannot be cancelled."))
    else:
        messages.success(request, _("Your link request is cancelled."))
    return redirect("linking:request", pk=link_request.pk)
