"""Access helpers: the only way views and console pages obtain filing objects. "Missing"
and "not yours" both answer 404, so existence doesn't leak."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from courts.access import courts_managed_by
from filing.models import (
    Case,
    Document,
    EfileRegistration,
    FilingAgent,
    FilingRight,
    NefRecipient,
)
from linking.models import CmecfAccount


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def registrations_for_clerk(user) -> QuerySet[EfileRegistration]:
    """E-file registration requests of the courts ``user`` manages (all for PACER Service
    Center staff, none for anyone else)."""
    return EfileRegistration.objects.filter(court__in=courts_managed_by(user)).select_related(
        "court", "pacer_account"
    )


def get_registration_for_clerk(user, pk) -> EfileRegistration:
    """One request of a court ``user`` manages; 404 alike when missing and when not theirs."""
    return _get(registrations_for_clerk(user), pk)


def registrations_for_holder(user) -> QuerySet[EfileRegistration]:
    if not user.is_authenticated:
        return EfileRegistration.objects.none()
    return EfileRegistration.objects.filter(pacer_account=user).select_related("court")


def get_registration_for_holder(user, pk) -> EfileRegistration:
    """One of ``user``'s own requests; 404 alike when missing and when someone else's."""
    return _get(registrations_for_holder(user), pk)


def rights_for_clerk(user) -> QuerySet[FilingRight]:
    return FilingRight.objects.filter(court__in=courts_managed_by(user)).select_related(
        "court", "holder", "case"
    )


def designations_by(user) -> QuerySet[FilingAgent]:
    """Filing agents ``user`` designated (active and removed)."""
    if not user.is_authenticated:
        return FilingAgent.objects.none()
    return FilingAgent.objects.filter(principal=user).select_related("agent", "court")


def get_designation_for_principal(user, pk) -> FilingAgent:
    """One designation ``user`` made; 404 alike when missing and when someone else's."""
    return _get(designations_by(user), pk)


def designations_of_agent(user) -> QuerySet[FilingAgent]:
    """Active designations naming ``user`` as agent (whom they may file for)."""
    if not user.is_authenticated:
        return FilingAgent.objects.none()
    return FilingAgent.objects.filter(agent=user, removed_at__isnull=True).select_related(
        "principal", "court"
    )


def get_case(court, pk) -> Case:
    """A case of ``court`` (cases are public records: any account allowed to search sees
    them; the view checks that first)."""
    return _get(Case.objects.filter(court=court).select_related("court"), pk)


def get_document(case: Case, entry_number) -> Document:
    """The document of docket entry ``entry_number`` of ``case``."""
    try:
        return Document.objects.select_related("entry__case__court").get(
            entry__case=case, entry__number=int(entry_number)
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cmecf_login_signed_in(court, login) -> CmecfAccount | None:
    """The court-issued login this session signed in with on ``court``'s legacy CM/ECF page
    (linking keeps it in the session: ``ecf:legacy:<court id>``), or None when there is no
    such login in that court (any status: the filing rules say why a login may not file)."""
    if not login or not isinstance(login, str):
        return None
    return (
        CmecfAccount.objects.select_related("court", "linked_account")
        .filter(court=court, login=login)
        .first()
    )


def nef_recipients_of(user, court) -> QuerySet[NefRecipient]:
    """``user``'s extra NEF addresses in ``court`` (none when signed out)."""
    if not user.is_authenticated:
        return NefRecipient.objects.none()
    return NefRecipient.objects.filter(filer=user, court=court).order_by("pk")


def case_by_number(court, number: str) -> Case | None:
    """The case of ``court`` numbered ``number`` (any letter case), or None: the free
    case-number prompt of a filing (not a billable search)."""
    number = (number or "").strip()
    if not number:
        return None
    return Case.objects.filter(court=court, number__iexact=number).select_related("court").first()


def paa_members(user) -> QuerySet:
    """The active memberships of the PACER Administrative Account ``user`` (with each
    member's account), for the firm readiness page; none for any other account or when
    signed out. Only the firm's current members: those who left, and requests the holder has
    not accepted, are not the firm's to see."""
    from accounts.models import PaaMembership, User

    if not getattr(user, "is_authenticated", False) or user.account_kind != User.AccountKind.PAA:
        return PaaMembership.objects.none()
    return PaaMembership.objects.filter(
        paa=user, status=PaaMembership.Status.ACTIVE
    ).select_related("member")
