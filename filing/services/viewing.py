"""PACER access: case search, docket reports and documents, each billable view written to
the fee ledger (``accounts.services.billing.record_charge``) at the schedule's price
(``accounts.fees``); and the NEF free look.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts import fees
from accounts.rules import refusal_to_search
from accounts.services.billing import record_charge
from courts.models import Court
from filing.errors import FreeLookUnavailable, SearchRefused
from filing.models import Case, Document, Nef
from filing.services.efiling import EVENTS

# Results listed by one search (a narrower search finds the rest).
SEARCH_LIMIT = 50


def search_refusal(user) -> str | None:
    """Why ``user`` may not search or view case information, or None (seed 002: inactive
    case search status; a PAA has no case access; signed out)."""
    if not getattr(user, "is_authenticated", False):
        return _("Sign in with your PACER account to search.")
    refusal = refusal_to_search(user)
    return str(refusal) if refusal else None


def ensure_may_search(user) -> None:
    refusal = search_refusal(user)
    if refusal:
        raise SearchRefused(refusal)


def find_cases(*, court: Court, query: str) -> QuerySet[Case]:
    """Cases of ``court`` whose number, title or a party's name contains ``query``."""
    query = (query or "").strip()
    if not query:
        return Case.objects.none()
    matching = Q(number__icontains=query) | Q(title__icontains=query)
    party_cases = Case.objects.filter(court=court, parties__name__icontains=query).values("pk")
    return (
        Case.objects.filter(court=court)
        .filter(matching | Q(pk__in=party_cases))
        .order_by("-filed_on", "number")[:SEARCH_LIMIT]
    )


@transaction.atomic
def charge_search(
    *, user, court: Court, query: str, matches: int, byte_count: int, client_code: str,
    now: dt.datetime,
):  # fmt: skip
    """Bill a search: one page when nothing matched, else the results' bytes (no cap)."""
    ensure_may_search(user)
    pages, _amount = fees.search_fee(matches=matches, byte_count=byte_count)
    item = fees.Item.SEARCH
    return record_charge(
        account=user,
        court_id=court.pk,
        item=item,
        pages=pages,
        now=now,
        description=_("Case search: %(query)s") % {"query": query[:200]},
        client_code=client_code,
    )


@transaction.atomic
def charge_docket_report(*, user, case: Case, byte_count: int, client_code: str, now: dt.datetime):
    """Bill a docket report of ``byte_count`` HTML bytes (a case-specific report: capped)."""
    ensure_may_search(user)
    return record_charge(
        account=user,
        court_id=case.court_id,
        item=fees.Item.DOCKET_REPORT,
        pages=fees.html_pages(byte_count),
        now=now,
        description=_("Docket report"),
        case_number=case.number,
        client_code=client_code,
    )


def document_item(document: Document) -> str:
    if document.is_opinion:
        return fees.Item.OPINION
    if document.is_transcript:
        return fees.Item.TRANSCRIPT
    return fees.Item.DOCUMENT


def document_price(document: Document):
    """(pages billed, amount) of viewing ``document`` (for the confirmation page)."""
    item = document_item(document)
    pages = min(document.page_count, fees.CAP_PAGES) if item in fees.CAPPED else document.page_count
    return pages, fees.fee(item, document.page_count)


@transaction.atomic
def charge_document_view(*, user, document: Document, client_code: str, now: dt.datetime):
    """Bill a view of ``document`` (capped unless a transcript; free for an opinion)."""
    ensure_may_search(user)
    entry = document.entry
    return record_charge(
        account=user,
        court_id=entry.case.court_id,
        item=document_item(document),
        pages=document.page_count,
        now=now,
        description=str(EVENTS[entry.event].label) if entry.event in EVENTS else entry.event,
        case_number=entry.case.number,
        document=_("Document %(n)s") % {"n": entry.number},
        client_code=client_code,
    )


def free_look_refusal(*, nef: Nef, now: dt.datetime) -> str | None:
    """Why the NEF's free look can no longer be used, or None (nothing is spent)."""
    if nef.free_look_used_at is not None:
        return _("The free look of this notice was used. Viewing the document now is charged.")
    if nef.free_look_until <= now:
        return _("The free look of this notice has expired (15 days). Viewing it now is charged.")
    return None


@transaction.atomic
def use_free_look(*, nef: Nef, now: dt.datetime) -> Nef:
    """Spend the NEF's free look (free, no charge row): once, and only until
    ``free_look_until``. Of two concurrent uses one wins (conditional UPDATE); the other
    gets :class:`FreeLookUnavailable`."""
    claimed = Nef.objects.filter(
        pk=nef.pk, free_look_used_at__isnull=True, free_look_until__gt=now
    ).update(free_look_used_at=now)
    nef.refresh_from_db()
    if not claimed:
        raise FreeLookUnavailable(free_look_refusal(nef=nef, now=now) or "")
    return nef
