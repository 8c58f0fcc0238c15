"""PACER Administrative Account (PAA) pages.

The administrator's side (/account/paa/…, PAA accounts only — 404 for anyone else): the
firm's members and pending requests, adding a member by last name and account number,
withdrawing a request, PAA Maintenance → "Remove PACER Account(s) from My PAA", and the
settings (mandatory client codes, cost centers). A legacy PAA sees why it must upgrade
instead of its members, and can still reach its statement and payments.

The member's side (/account/paa-membership/…, individual accounts only): requests to
accept or decline, the current membership and leaving it, past memberships.

Each view parses, authorizes through ``accounts.access``, makes one service call and turns
the outcome (or the service's refusal message) into a response.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.forms.paa import (
    AddMemberForm,
    AssignCostCenterForm,
    ClientCodeForm,
    CostCenterForm,
    RemoveMembersForm,
)
from accounts.models import PaaMembership
from accounts.services import paa as paa_services
from cso_portal import clock

Status = PaaMembership.Status
# The add-member limit counts attempts per hour (accounts.services.paa).
ADD_RETRY_AFTER_SECONDS = 3600
MEMBER_ORDER = ("member__last_name", "member__first_name", "member__account_number", "pk")


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _name(user) -> str:
    return user.full_name or user.username


def paa_only(view):
    """Signed in, and a PAA: everyone else gets 404 (the page does not exist for them)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        access.require_paa(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def individual_only(view):
    """Signed in, and an individual account (a PAA is nobody's member): 404 for a PAA."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        access.require_individual(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def _refusal_action(user) -> tuple[str, str]:
    """The way forward from :func:`paa_services.refusal_to_manage_members`."""
    if not user.is_upgraded:
        return _("Upgrade your account"), reverse("accounts:upgrade")
    return _("Set up two-factor authentication"), reverse("mfa_index")


def _firm_name(profile, user) -> str:
    return profile.firm_name if profile is not None else user.username


def _refused(request: HttpRequest, refusal: str, title: str) -> HttpResponse:
    """A PAA page the PAA may not use yet: why, and the way forward."""
    label, url = _refusal_action(request.user)
    return render(
        request,
        "accounts/paa/refused.html",
        {"title": title, "refusal": refusal, "action_label": label, "action_url": url},
    )


# The administrator's side -------------------------------------------------------------------


def _home(request: HttpRequest, form: AddMemberForm | None = None) -> HttpResponse:
    user = request.user
    profile = access.paa_profile_of(user)
    refusal = paa_services.refusal_to_manage_members(user)
    active, pending = [], []
    if refusal is None:
        memberships = access.memberships_of_paa(user).filter(status__in=PaaMembership.OPEN_STATUSES)
        for membership in memberships.order_by(*MEMBER_ORDER):
            (active if membership.status == Status.ACTIVE else pending).append(membership)
    action_label, action_url = _refusal_action(user) if refusal else ("", "")
    return render(
        request,
        "accounts/paa/home.html",
        {
            "profile": profile,
            "firm_name": _firm_name(profile, user),
            "refusal": refusal,
            "action_label": action_label,
            "action_url": action_url,
            "active": active,
            "pending": pending,
            "form": form or AddMemberForm(),
        },
    )


@paa_only
def home(request: HttpRequest) -> HttpResponse:
    """The PAA's home: the firm, its members (cost center, since when), the requests the
    holders have not answered, and the form to add a member."""
    return _home(request)


@paa_only
@require_POST
def add_member(request: HttpRequest) -> HttpResponse:
    """Ask the holder of an individual account to join. Every pair that cannot be added
    gets the same message on the same page; too many attempts get a 429."""
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            paa_services.request_membership(
                paa=request.user,
                last_name=form.cleaned_data["last_name"],
                account_number=form.cleaned_data["account_number"],
                ip=request.META.get("REMOTE_ADDR"),
                now=clock.now(),
            )
        except paa_services.TooManyAttempts as error:
            return _too_many_attempts(request, error)
        except paa_services.PaaRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "We asked the holder of account %(number)s to join your PAA. Nothing "
                    "changes for their account until they accept; we emailed you both."
                )
                % {"number": form.cleaned_data["account_number"].strip()},
            )
            return redirect("accounts:paa")
    return _home(request, form)


def _too_many_attempts(request: HttpRequest, error: paa_services.TooManyAttempts) -> HttpResponse:
    response = render(
        request,
        "accounts/paa/too_many_attempts.html",
        {"message": error.message, "retry_minutes": ADD_RETRY_AFTER_SECONDS // 60},
        status=429,
    )
    response["Retry-After"] = str(ADD_RETRY_AFTER_SECONDS)
    return response


@paa_only
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a request the holder has not answered."""
    membership = access.get_membership_for_paa(request.user, pk)
    try:
        paa_services.withdraw_membership(membership=membership, now=clock.now())
    except paa_services.IllegalTransition:
        messages.info(request, _("That request was already answered or withdrawn."))
    else:
        messages.success(
            request,
            _("You withdrew the request to %(name)s (%(number)s). We emailed you both.")
            % {"name": _name(membership.member), "number": membership.member.account_number},
        )
    return redirect("accounts:paa")


@paa_only
@require_http_methods(["GET", "POST"])
def remove_members(request: HttpRequest) -> HttpResponse:
    """PAA Maintenance → "Remove PACER Account(s) from My PAA": several at once, with a
    remark emailed to each holder. From then on their new charges bill to them again."""
    user = request.user
    title = _("Remove PACER Account(s) from My PAA")
    refusal = paa_services.refusal_to_manage_members(user)
    if refusal:
        return _refused(request, refusal, title)
    active = access.memberships_of_paa(user).filter(status=Status.ACTIVE)
    form = RemoveMembersForm(_posted(request), memberships=active)
    if request.method == "POST" and form.is_valid():
        try:
            ended = paa_services.remove_members(
                paa=user,
                memberships=form.cleaned_data["memberships"],
                remark=form.cleaned_data["remark"],
                now=clock.now(),
            )
        except paa_services.PaaError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "You removed %(count)d account from your PAA. We emailed its holder and you.",
                    "You removed %(count)d accounts from your PAA. We emailed each holder and you.",
                    len(ended),
                )
                % {"count": len(ended)},
            )
            return redirect("accounts:paa")
    chosen = {str(value) for value in (form["memberships"].value() or [])}
    return render(
        request,
        "accounts/paa/remove.html",
        {"form": form, "rows": list(active.order_by(*MEMBER_ORDER)), "chosen": chosen},
    )


def _save_settings(request: HttpRequest, action: str, forms: dict) -> bool:
    """Make the settings change ``action`` names; False (with the form's errors) if not."""
    user = request.user
    form = forms[action]
    if not form.is_valid():
        return False
    try:
        if action == "client_codes":
            required = form.cleaned_data["client_code_required"]
            paa_services.set_client_code_required(paa=user, required=required)
            messages.success(
                request,
                _("Client codes are now mandatory for your members' billable views.")
                if required
                else _("Client codes are now optional for your members."),
            )
        elif action == "cost_center":
            center = paa_services.create_cost_center(
                paa=user, name=form.cleaned_data["name"], now=clock.now()
            )
            messages.success(request, _("Cost center “%(name)s” added.") % {"name": center.name})
        else:
            center = form.cleaned_data["cost_center"]
            count = paa_services.assign_cost_center(
                paa=user, memberships=form.cleaned_data["memberships"], cost_center=center
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d member is now in %(center)s.",
                    "%(count)d members are now in %(center)s.",
                    count,
                )
                % {"count": count, "center": center.name if center else _("no cost center")},
            )
    except paa_services.PaaError as error:
        form.add_error(None, error.message)
        return False
    return True


SETTINGS_ACTIONS = ("client_codes", "cost_center", "assign")


@paa_only
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The PAA's settings: client codes mandatory or not, cost centers (create one, put
    members in one). Each form posts its own ``action``."""
    user = request.user
    refusal = paa_services.refusal_to_manage_members(user)
    if refusal:
        return _refused(request, refusal, _("PAA settings"))
    profile = access.paa_profile_of(user)
    action = request.POST.get("action") if request.method == "POST" else None
    action = action if action in SETTINGS_ACTIONS else None

    def data_for(name: str):
        return request.POST if action == name else None

    active = access.memberships_of_paa(user).filter(status=Status.ACTIVE)
    cost_centers = access.cost_centers_of_paa(user)
    forms = {
        "client_codes": ClientCodeForm(
            data_for("client_codes"),
            initial={"client_code_required": bool(profile and profile.client_code_required)},
        ),
        "cost_center": CostCenterForm(data_for("cost_center")),
        "assign": AssignCostCenterForm(
            data_for("assign"), cost_centers=cost_centers, memberships=active
        ),
    }
    if request.method == "POST":
        if action is None:
            messages.error(request, _("Nothing was changed: use one of the forms below."))
            return redirect("accounts:paa_settings")
        if _save_settings(request, action, forms):
            return redirect("accounts:paa_settings")
    centers = list(
        cost_centers.annotate(
            active_members=Count("members", filter=Q(members__status=Status.ACTIVE))
        ).order_by("name", "pk")
    )
    assign = forms["assign"]
    return render(
        request,
        "accounts/paa/settings.html",
        {
            "profile": profile,
            "firm_name": _firm_name(profile, user),
            "codes_form": forms["client_codes"],
            "center_form": forms["cost_center"],
            "assign_form": assign,
            "centers": centers,
            "rows": list(active.order_by(*MEMBER_ORDER)),
            "chosen": {str(value) for value in (assign["memberships"].value() or [])},
            "chosen_center": str(assign["cost_center"].value() or ""),
        },
    )


# The member's side --------------------------------------------------------------------------


@individual_only
def membership(request: HttpRequest) -> HttpResponse:
    """The holder's PAA membership: requests to accept or decline, the current membership
    (with Leave) and past memberships."""
    rows = list(access.memberships_of_member(request.user).order_by("-requested_at", "-pk"))
    return render(
        request,
        "accounts/paa/membership.html",
        {
            "pending": [m for m in rows if m.status == Status.REQUESTED],
            "current": next((m for m in rows if m.status == Status.ACTIVE), None),
            "past": [m for m in rows if m.status not in PaaMembership.OPEN_STATUSES],
        },
    )


def firm_of(membership: PaaMembership) -> str:
    """The firm name of a membership's PAA (its username if it has no firm details)."""
    profile = getattr(membership.paa, "paa_profile", None)
    return profile.firm_name if profile is not None else membership.paa.username


@individual_only
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a request: from now on the account's new PACER charges bill to the PAA."""
    membership = access.get_membership_for_member(request.user, pk)
    try:
        paa_services.accept_membership(membership=membership, now=clock.now())
    except paa_services.IllegalTransition:
        messages.info(request, _("That request is no longer open."))
    except paa_services.PaaRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "You joined the PAA of %(firm)s. From now on your PACER charges bill to "
                "%(firm)s, and you get no bill of your own while you are a member."
            )
            % {"firm": firm_of(membership)},
        )
    return redirect("accounts:paa_membership")


@individual_only
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline a request; nothing changes for the account."""
    membership = access.get_membership_for_member(request.user, pk)
    try:
        paa_services.decline_membership(membership=membership, now=clock.now())
    except paa_services.IllegalTransition:
        messages.info(request, _("That request is no longer open."))
    else:
        messages.success(
            request,
            _("You declined the request of %(firm)s. Nothing changed for your account.")
            % {"firm": firm_of(membership)},
        )
    return redirect("accounts:paa_membership")


@individual_only
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave the PAA: GET asks for confirmation, POST leaves. New charges bill to the
    account again."""
    membership = access.get_membership_for_member(request.user, pk)
    if membership.status != Status.ACTIVE:
        messages.info(request, _("You are not a member of that PAA any more."))
        return redirect("accounts:paa_membership")
    if request.method == "GET":
        return render(
            request,
            "accounts/paa/leave.html",
            {"membership": membership, "firm_name": firm_of(membership)},
        )
    try:
        paa_services.leave_paa(membership=membership, now=clock.now())
    except paa_services.IllegalTransition:
        messages.info(request, _("You are not a member of that PAA any more."))
    else:
        messages.success(
            request,
            _(
                "You left the PAA of %(firm)s. From now on your PACER charges bill to your "
                "own account again."
            )
            % {"firm": firm_of(membership)},
        )
    return redirect("accounts:paa_membership")
