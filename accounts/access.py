"""Access helpers: the only way views obtain PACER Administrative Account (PAA) objects.

A PAA's administrator reaches the PAA's memberships and cost centers; an account holder
reaches their own memberships. "Missing" and "not yours" both answer 404, so existence
doesn't leak.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import CostCenter, PaaMembership, PaaProfile, User


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_paa(user) -> bool:
    """A signed-in PACER Administrative Account."""
    return bool(user.is_authenticated) and user.account_kind == User.AccountKind.PAA


def require_paa(user) -> None:
    """404 unless ``user`` is a PAA (the PAA's pages do not exist for anyone else)."""
    if not is_paa(user):
        raise Http404


def require_individual(user) -> None:
    """404 for a PAA: only individual accounts are members of a PAA."""
    if not user.is_authenticated or is_paa(user):
        raise Http404


def paa_profile_of(user) -> PaaProfile | None:
    """The firm details of the PAA ``user`` (None if it has none yet); 404 for anyone who
    is not a PAA."""
    require_paa(user)
    return PaaProfile.objects.filter(account=user).first()


def memberships_of_paa(user) -> QuerySet[PaaMembership]:
    """Every membership (requested, active and past) of the PAA ``user``; none for anyone
    else."""
    if not is_paa(user):
        return PaaMembership.objects.none()
    return PaaMembership.objects.filter(paa=user).select_related("member", "cost_center")


def get_membership_for_paa(user, pk) -> PaaMembership:
    """One membership of the PAA ``user``; 404 alike when missing and when another's."""
    return _get(memberships_of_paa(user), pk)


def cost_centers_of_paa(user) -> QuerySet[CostCenter]:
    """The cost centers of the PAA ``user``; none for anyone else."""
    if not is_paa(user):
        return CostCenter.objects.none()
    return CostCenter.objects.filter(paa=user)


def memberships_of_member(user) -> QuerySet[PaaMembership]:
    """Every membership (and request) naming ``user`` as the member, with the PAA's firm."""
    if not user.is_authenticated:
        return PaaMembership.objects.none()
    return PaaMembership.objects.filter(member=user).select_related("paa", "paa__paa_profile")


def get_membership_for_member(user, pk) -> PaaMembership:
    """One membership (or request) of ``user``'s own account; 404 alike when missing and
    when someone else's."""
    return _get(memberships_of_member(user), pk)
