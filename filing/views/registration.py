"""E-file registration (seeds 002, 004).

In Manage My Account → Maintenance (NextGen courts):

1. ``choose_court`` (/account/efile/new/<audience>/): the court type, then the court; a
   CurrentGen court is sent to its own ECF site.
2. ``registration_form``: the registration type, additional filer information, the court's
   local form when it requires one (flsb: LF-95), its e-filing terms; Submit files the
   request. A refusal (legacy or shared account, rights already held, a request waiting)
   shows up front.
3. ``detail``: the request, its history and Cancel while it waits; ``index`` lists the
   requests and the filing rights held.

On a CurrentGen court's simulated ECF site, ``court_site_register``: the court registers
filers itself and, on approval, issues a court-assigned CM/ECF login (seed 002).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import rules
from courts.models import Court
from cso_portal import clock
from filing import access
from filing.errors import FilingError, IllegalTransition
from filing.forms.registration import AUDIENCES, RegistrationForm
from filing.models import EfileRegistration, RegistrationType
from filing.services import registration as services
from filing.services.rights import active_rights

AUDIENCE_TITLES = {
    "attorney": gettext_lazy("Attorney Admissions / E-File Registration"),
    "non-attorney": gettext_lazy("Non-Attorney Admissions / E-File Registration"),
}
COURT_TYPES = [
    (Court.CourtType.APPELLATE, gettext_lazy("Appellate court")),
    (Court.CourtType.DISTRICT, gettext_lazy("District court")),
    (Court.CourtType.BANKRUPTCY, gettext_lazy("Bankruptcy court")),
    (Court.CourtType.NATIONAL, gettext_lazy("National court")),
]


@dataclass(frozen=True)
class Refusal:
    """Why a request cannot be made now, and the way forward."""

    message: str
    action_label: str = ""
    action_url: str = ""


def _audience_or_404(audience: str) -> str:
    if audience not in AUDIENCES:
        raise Http404
    return audience


def _account_refusal(user, today) -> Refusal | None:
    """The account's own preconditions (shared, PAA, legacy, MFA…), with the way forward."""
    reason = rules.refusal_to_link_or_file(user, today)
    if not reason:
        return None
    if not user.is_shared and not user.is_upgraded:
        return Refusal(str(reason), _("Upgrade your account"), reverse("accounts:upgrade"))
    if rules.mfa_prompt_due(user, today) and not user.is_shared:
        return Refusal(str(reason), _("Set up two-factor authentication"), reverse("mfa_index"))
    return Refusal(str(reason), _("Back to Manage My Account"), reverse("accounts:manage"))


def _refusal(user, court: Court, today) -> Refusal | None:
    """What stops any request in ``court`` now (``services.registration_refusal``, asked for
    a court-wide registration), with a way forward; None if nothing does."""
    account = _account_refusal(user, today)
    if account is not None:
        return account
    message = services.registration_refusal(
        pacer_account=user,
        court=court,
        registration_type=RegistrationType.EFILE_ATTORNEY,
        today=today,
    )
    if not message:
        return None
    waiting = (
        access.registrations_for_holder(user)
        .filter(court=court, status=EfileRegistration.Status.PENDING_REVIEW)
        .first()
    )
    if waiting is not None:
        return Refusal(
            str(message), _("See your request"), reverse("filing:registration", args=[waiting.pk])
        )
    return Refusal(str(message), _("See your filing rights"), reverse("filing:registrations"))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The holder's e-file registration requests and the filing rights they hold."""
    return render(
        request,
        "filing/registration/index.html",
        {
            "registrations": access.registrations_for_holder(request.user).select_related(
                "issued_cmecf_account"
            ),
            "rights": active_rights(request.user).order_by("court__name", "since", "pk"),
        },
    )


@login_required
@require_GET
def choose_court(request: HttpRequest, audience: str) -> HttpResponse:
    """Step 1: the court type, then the court (both GET parameters). A NextGen court goes on
    to the form; a CurrentGen court registers filers on its own ECF site."""
    audience = _audience_or_404(audience)
    today = clock.today()
    court_type = request.GET.get("court_type", "").strip()
    court_id = request.GET.get("court", "").strip()
    context: dict = {
        "audience": audience,
        "title": AUDIENCE_TITLES[audience],
        "court_types": COURT_TYPES,
        "court_type": court_type,
        "refusal": _account_refusal(request.user, today),
    }
    if court_id:
        court = Court.objects.filter(pk=court_id).first()
        if court is None:
            context["error"] = _("There is no court %(court)s. Choose one from the list.") % {
                "court": court_id[:16]
            }
        elif court.is_nextgen_on(today):
            return redirect("filing:register_in_court", audience=audience, court_id=court.pk)
        else:
            context["currentgen_court"] = court
            court_type = court_type or court.court_type
    if court_type and court_type not in Court.CourtType.values:
        context["error"] = _("Choose a court type from the list.")
        court_type = ""
    context["court_type"] = court_type
    if court_type:
        courts = Court.objects.filter(court_type=court_type)
        context["court_type_label"] = dict(COURT_TYPES)[court_type]
        context["nextgen_courts"] = courts.nextgen_on(today).order_by("name", "id")
        context["currentgen_courts"] = courts.currentgen_on(today).order_by("name", "id")
    return render(request, "filing/registration/choose_court.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registration_form(request: HttpRequest, audience: str, court_id: str) -> HttpResponse:
    """Step 2: the request itself. Submit calls ``submit_efile_registration``; a refusal is
    shown on the form, with everything typed kept."""
    audience = _audience_or_404(audience)
    court = get_object_or_404(Court, pk=court_id)
    today = clock.today()
    context = {"audience": audience, "title": AUDIENCE_TITLES[audience], "court": court}
    if not court.is_nextgen_on(today):
        return render(request, "filing/registration/currentgen.html", context)
    refusal = _refusal(request.user, court, today)
    if refusal is not None:
        return render(request, "filing/registration/form.html", {**context, "refusal": refusal})
    user = request.user
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        court=court,
        audience=audience,
        today=today,
        initial={"bar_number": user.bar_number, "bar_state": user.bar_state, "phone": user.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.submit_efile_registration(
                pacer_account=user,
                court=court,
                registration_type=form.cleaned_data["registration_type"],
                details=form.details(),
                now=clock.now(),
            )
        except FilingError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "Your e-file registration request was submitted to %(court)s. You will get "
                    "an email when the court decides."
                )
                % {"court": court.name},
            )
            return redirect("filing:registration", pk=registration.pk)
    return render(request, "filing/registration/form.html", {**context, "form": form})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the holder's requests: its details, history, and Cancel while it waits."""
    registration = access.get_registration_for_holder(request.user, pk)
    right = None
    if registration.status == EfileRegistration.Status.APPROVED:
        right = active_rights(request.user).filter(registration=registration).first()
    return render(
        request,
        "filing/registration/detail.html",
        {
            "registration": registration,
            "events": registration.events.all(),
            "right": right,
            "issued_login": registration.issued_cmecf_account,
        },
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a request still waiting for the court (the service refuses any other)."""
    registration = access.get_registration_for_holder(request.user, pk)
    try:
        services.cancel_efile_registration(
            registration=registration, actor=request.user, now=clock.now()
        )
    except IllegalTransition:
        messages.info(request, _("This request is already decided; it cannot be cancelled."))
    else:
        messages.success(request, _("Your e-file registration request is cancelled."))
    return redirect("filing:registration", pk=registration.pk)


@login_required
@require_http_methods(["GET", "POST"])
def court_site_register(request: HttpRequest, court_id: str) -> HttpResponse:
    """A CurrentGen court's own registration page (its simulated ECF site, seed 002): the
    court reviews the request and, on approval, issues a court-assigned CM/ECF login whose
    password the filer sets through an emailed link. A NextGen court sends filers to Manage
    My Account instead."""
    court = get_object_or_404(Court, pk=court_id)
    today = clock.today()
    context: dict = {"court": court}
    if court.is_nextgen_on(today):
        context["attorney_url"] = reverse(
            "filing:register_in_court", kwargs={"audience": "attorney", "court_id": court.pk}
        )
        context["non_attorney_url"] = reverse(
            "filing:register_in_court", kwargs={"audience": "non-attorney", "court_id": court.pk}
        )
        return render(request, "filing/registration/court_site_nextgen.html", context)
    refusal = _refusal(request.user, court, today)
    if refusal is not None:
        return render(
            request, "filing/registration/court_site.html", {**context, "refusal": refusal}
        )
    user = request.user
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        court=court,
        audience=None,
        today=today,
        court_site=True,
        initial={"bar_number": user.bar_number, "bar_state": user.bar_state, "phone": user.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.submit_efile_registration(
                pacer_account=user,
                court=court,
                registration_type=form.cleaned_data["registration_type"],
                details=form.details(),
                now=clock.now(),
                channel=EfileRegistration.Channel.COURT_SITE,
            )
        except FilingError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "%(court)s received your registration. When the court approves it, you "
                    "will get an email with your court-assigned CM/ECF login and a link to set "
                    "its password."
                )
                % {"court": court.name},
            )
            return redirect("filing:registration", pk=registration.pk)
    return render(request, "filing/registration/court_site.html", {**context, "form": form})
