"""What the filing views share: whom a filing agent is filing for (Change User), and the
refusal of a PACER Administrative Account on a court's ECF pages."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services.paa import is_paa
from courts.models import Court
from filing.services.rights import active_designation


def _acting_key(court: Court) -> str:
    return f"ecf:acting-for:{court.pk}"


def acting_for(request: HttpRequest, court: Court):
    """The attorney the signed-in filing agent chose with Change User in ``court``, while
    the designation is active; None otherwise (a removed designation clears the choice)."""
    principal_id = request.session.get(_acting_key(court))
    if not principal_id or not request.user.is_authenticated:
        return None
    designation = active_designation(agent=request.user, principal_id=principal_id, court=court)
    if designation is None:
        request.session.pop(_acting_key(court), None)
        return None
    return designation.principal


def set_acting_for(request: HttpRequest, court: Court, principal_id: int | None) -> None:
    """Remember (or forget, with None) whom the agent files for in ``court``; the caller
    checked the designation."""
    if principal_id is None:
        request.session.pop(_acting_key(court), None)
    else:
        request.session[_acting_key(court)] = int(principal_id)


def refuse_paa(view):
    """Answer a signed-in PACER Administrative Account with the 403 refusal page before
    ``view`` runs, on GET and POST alike: a PAA has no case access and no filing rights
    (seed 004). Wraps views of a court's ECF site (they take ``court_id``)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_paa(request.user):
            return view(request, *args, **kwargs)
        court = get_object_or_404(Court, pk=kwargs.get("court_id"))
        message = _(
            "A PACER Administrative Account has no case access and no filing privileges. "
            "The firm's attorneys search and file with their own PACER accounts."
        )
        actions = [(_("Back to your PAA"), reverse("accounts:paa"))]
        return render(
            request,
            "filing/ecf/refused.html",
            {"court": court, "heading": _("Not available to a PAA"), "message": message,
             "actions": actions},
            status=403,
        )  # fmt: skip

    return wrapped
