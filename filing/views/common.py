"""What the filing views share: whom a filing agent is filing for (Change User)."""

from __future__ import annotations

from django.http import HttpRequest

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
