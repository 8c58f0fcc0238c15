"""Court staff (clerks, help desk) and PACER Service Center staff: who may open what."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from courts.access import COURT_STAFF_GROUP, PSC_GROUP
from courts.models import Court, CourtStaff


def _group_with(name: str, permissions: list[tuple[str, str]]) -> Group:
    """The named group, holding (at least) the given (app label, codename) permissions."""
    group, _created = Group.objects.get_or_create(name=name)
    wanted = Permission.objects.none()
    for app_label, codename in permissions:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*wanted)
    return group


# What each kind of staff may open in the console. Which courts they see is decided per
# object by ``courts.access``, not by these.
COURT_STAFF_PERMISSIONS = [
    ("courts", "view_court"),
    ("courts", "view_golivechange"),
    ("courts", "view_courtstaff"),
    ("courts", "view_subscription"),
    ("linking", "view_linkrequest"),
    ("linking", "change_linkrequest"),
    ("linking", "view_linkevent"),
    ("linking", "view_cmecfaccount"),
    ("linking", "add_cmecfaccount"),
    ("linking", "change_cmecfaccount"),
    ("filing", "view_efileregistration"),
    ("filing", "change_efileregistration"),
    ("filing", "view_efileregistrationevent"),
    ("filing", "view_filingright"),
]
PSC_PERMISSIONS = [
    *COURT_STAFF_PERMISSIONS,
    ("courts", "add_courtstaff"),
    ("courts", "delete_courtstaff"),
    ("core", "view_clockchange"),
    ("core", "add_clockchange"),
    ("core", "view_outboundemail"),
    ("core", "view_heartbeat"),
    ("accounts", "view_user"),
    ("accounts", "change_user"),
    ("accounts", "view_accountevent"),
    ("accounts", "view_paaprofile"),
    ("accounts", "view_paamembership"),
]


@transaction.atomic
def add_court_staff(*, court: Court, user, role: str, now: dt.datetime) -> CourtStaff:
    """Make ``user`` a clerk (or help desk member) of ``court``; gives console access."""
    staff, _created = CourtStaff.objects.update_or_create(
        court=court, user=user, defaults={"role": role, "since": now}
    )
    user.groups.add(_group_with(COURT_STAFF_GROUP, COURT_STAFF_PERMISSIONS))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return staff


@transaction.atomic
def remove_court_staff(*, court: Court, user) -> None:
    """End ``user``'s role at ``court``; without any court left they leave the court staff
    group, and lose console access unless they are PACER Service Center staff."""
    from courts.access import is_psc_staff

    CourtStaff.objects.filter(court=court, user=user).delete()
    if CourtStaff.objects.filter(user=user).exists():
        return
    user.groups.remove(*Group.objects.filter(name=COURT_STAFF_GROUP))
    user.__dict__.pop("_cso_is_psc_staff", None)
    if user.is_staff and not is_psc_staff(user):
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def make_psc_staff(*, user) -> None:
    """Make ``user`` PACER Service Center staff: every court, the console's PSC pages."""
    user.groups.add(_group_with(PSC_GROUP, PSC_PERMISSIONS))
    user.__dict__.pop("_cso_is_psc_staff", None)  # courts.access remembers the old answer
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
