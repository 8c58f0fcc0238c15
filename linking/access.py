"""Access helpers: the only way views and admin pages obtain link requests and CM/ECF
accounts. "Missing" and "not yours" both answer 404, so existence doesn't leak."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from courts.access import courts_managed_by
from linking.models import CmecfAccount, LinkRequest


def link_requests_for_clerk(user) -> QuerySet[LinkRequest]:
    """Link requests of the courts ``user`` manages (all for PACER Service Center staff,
    none for anyone else), with what the clerk queue shows."""
    return LinkRequest.objects.filter(court__in=courts_managed_by(user)).select_related(
        "court", "pacer_account", "cmecf_account"
    )


def get_link_request_for_clerk(user, pk) -> LinkRequest:
    """One request of a court ``user`` manages; 404 alike when missing and when not theirs."""
    try:
        return link_requests_for_clerk(user).get(pk=pk)
    except (LinkRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def link_requests_for_holder(user) -> QuerySet[LinkRequest]:
    """The requests ``user`` made (none when signed out)."""
    if not user.is_authenticated:
        return LinkRequest.objects.none()
    return LinkRequest.objects.filter(pacer_account=user).select_related("court", "cmecf_account")


def get_link_request_for_holder(user, pk) -> LinkRequest:
    """One of ``user``'s own requests; 404 alike when missing and when someone else's."""
    try:
        return link_requests_for_holder(user).get(pk=pk)
    except (LinkRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cmecf_accounts_for_clerk(user) -> QuerySet[CmecfAccount]:
    """CM/ECF accounts of the courts ``user`` manages."""
    return CmecfAccount.objects.filter(court__in=courts_managed_by(user)).select_related(
        "court", "linked_account"
    )


# The holder's side (the link pages, My courts, each court's ECF site) -----------------------


def cmecf_accounts_linked_to(user) -> QuerySet[CmecfAccount]:
    """The CM/ECF logins linked to ``user``'s PACER account (none when signed out)."""
    if not user.is_authenticated:
        return CmecfAccount.objects.none()
    return CmecfAccount.objects.filter(linked_account=user).select_related("court")


def linked_cmecf_account_in(user, court) -> CmecfAccount | None:
    """``user``'s linked CM/ECF login in ``court`` (at most one), or None."""
    return cmecf_accounts_linked_to(user).filter(court=court).first()


def open_link_request_in(user, court) -> LinkRequest | None:
    """``user``'s open link request in ``court`` (at most one), or None."""
    return (
        link_requests_for_holder(user)
        .filter(court=court, status__in=LinkRequest.OPEN_STATUSES)
        .first()
    )


def get_proved_cmecf_account(court, pk) -> CmecfAccount:
    """The CM/ECF login of ``court`` whose password the holder proved in this session (the
    link flow keeps its id server-side); 404 when it no longer exists in that court."""
    try:
        return CmecfAccount.objects.select_related("court").get(court=court, pk=pk)
    except (CmecfAccount.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
