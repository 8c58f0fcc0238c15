"""Access helpers: the only way views obtain courts they may manage."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from courts.models import Court, CourtStaff

# Members of this group (and superusers) are PACER Service Center staff: all courts.
PSC_GROUP = "PACER Service Center"
# Court staff get this group (admin access scoped to their courts).
COURT_STAFF_GROUP = "Court staff"


def is_psc_staff(user) -> bool:
    """PACER Service Center staff: superusers and members of the PSC group.

    Remembered on the user object for the request (a console page asks several times);
    group changes take effect from the next request."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_cso_is_psc_staff", None)
    if cached is None:
        cached = user.groups.filter(name=PSC_GROUP).exists()
        user._cso_is_psc_staff = cached
    return cached


def courts_managed_by(user) -> QuerySet[Court]:
    """Courts whose schedule and requests the user may manage: all for PSC staff, the
    courts they are staff of for clerks, none for anyone else."""
    if is_psc_staff(user):
        return Court.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Court.objects.none()
    return Court.objects.filter(staff__user=user)


def courts_scheduled_by(user) -> QuerySet[Court]:
    """Courts whose go-live date the user may change: all for PSC staff, the courts they are
    a clerk of (not help desk) for court staff, none for anyone else."""
    if is_psc_staff(user):
        return Court.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Court.objects.none()
    return Court.objects.filter(staff__user=user, staff__role=CourtStaff.Role.CLERK)


def get_court_for_schedule_change(user, court_id: str) -> Court:
    """A court the user may reschedule; 404 alike when missing and when not theirs."""
    try:
        return courts_scheduled_by(user).get(pk=court_id)
    except Court.DoesNotExist:
        raise Http404 from None
