"""Each court's ECF pages (/ecf/<court id>/…): Query (case search, docket report, documents,
each billed to the PACER account), Filing (a document into an open case, a new case, extra
NEF addresses), and the NEF free look.

Who files: the Central Sign-On user; a filing agent acting for an attorney (Change User);
or, in a court still on CurrentGen, the court-issued login signed in on the court's legacy
CM/ECF page. The services decide (``filing.services``); these views ask them, show their
refusals with their own message, and never show a half-done filing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts import rules
from accounts.services.billing import ClientCodeRequired
from courts.models import Court
from cso_portal import clock
from filing import access
from filing.errors import (
    DocumentRejected,
    FilingError,
    FilingRefused,
    FreeLookUnavailable,
    PaymentDeclined,
)
from filing.forms.ecf import (
    CARD_FIELDS,
    ChooseEventForm,
    ClientCodeForm,
    FileDocumentForm,
    FindCaseForm,
    NefAddressesForm,
    OpenCaseForm,
    SearchForm,
)
from filing.models import Case, DocketEntry, Document
from filing.services import efiling, viewing
from filing.services.rights import currentgen_refusal, filing_refusal
from filing.views.client_codes import ask_for_code, code_missing, require_code
from filing.views.common import acting_for, refuse_paa
from linking.models import CmecfAccount

# The client code stays for the session once given (PACER asks once, prints it on receipts).
CLIENT_CODE_KEY = "ecf:client-code"
# Which kind of case a new filing opens, by court type (appellate courts open none here).
CASE_KIND_FOR_COURT = {
    Court.CourtType.BANKRUPTCY: Case.Kind.BANKRUPTCY,
    Court.CourtType.DISTRICT: Case.Kind.CIVIL,
}


def _court(court_id: str) -> Court:
    return get_object_or_404(Court, pk=court_id)


def _client_code(request: HttpRequest, submitted: str | None) -> str:
    """The client code to bill with: the one just submitted (remembered), else the session's."""
    if submitted is None:
        return request.session.get(CLIENT_CODE_KEY, "")
    code = submitted.strip()[:32]
    if request.session.get(CLIENT_CODE_KEY, "") != code:
        request.session[CLIENT_CODE_KEY] = code
    return code


def _refused(
    request: HttpRequest,
    court: Court,
    message: str,
    *,
    heading: str,
    actions: list[tuple[str, str]] | None = None,
    filer: Filer | None = None,
) -> HttpResponse:
    """The 403 page of a refusal: its own message and the ways forward."""
    return render(
        request,
        "filing/ecf/refused.html",
        {
            "court": court,
            "heading": heading,
            "message": message,
            "actions": actions or [],
            "filer": filer,
        },
        status=403,
    )


def _pdf_response(document: Document) -> HttpResponse:
    """The document's PDF, shown inline by the browser (never sniffed, never cached)."""
    response = HttpResponse(bytes(document.content.data), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Query ---------------------------------------------------------------------------------------


def _query_refusal(request: HttpRequest, court: Court) -> HttpResponse | None:
    """Sign-in first; then the accounts that may not search (inactive search status, PAA…)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refusal = viewing.search_refusal(request.user)
    if refusal:
        return _refused(
            request, court, refusal, heading=_("Case information is not available to you")
        )
    return None


@refuse_paa
@require_GET
def search(request: HttpRequest, court_id: str) -> HttpResponse:
    """Query → case search: cases of the court by number, title or party name. Each search
    is billed by the size of its results (nothing found: one page) and shows the receipt."""
    court = _court(court_id)
    if request.GET.get("purpose") == "file":
        return _find_case_to_file(request, court)
    refused = _query_refusal(request, court)
    if refused:
        return refused
    form = SearchForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"court": court, "form": form}
    if not form.is_bound:
        form.initial = {"client_code": _client_code(request, None)}
        if code_missing(request.user, form.initial["client_code"]):
            require_code(form)
    elif form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        submitted = form.cleaned_data["client_code"] if "client_code" in request.GET else None
        client_code = _client_code(request, submitted)
        cases = list(viewing.find_cases(court=court, query=query))
        results = render_to_string(
            "filing/ecf/_search_results.html",
            {"court": court, "cases": cases, "query": query, "limit": viewing.SEARCH_LIMIT},
            request=request,
        )
        try:
            charge = viewing.charge_search(
                user=request.user,
                court=court,
                query=query,
                matches=len(cases),
                byte_count=len(results.encode("utf-8")),
                client_code=client_code,
                now=clock.now(),
            )
        except ClientCodeRequired as error:  # the firm's PAA requires one: nothing billed
            require_code(form).add_error("client_code", error.message)
            return render(request, "filing/ecf/search.html", context)
        except FilingError as error:
            return _refused(request, court, error.message, heading=_("Search is not available"))
        context.update(results=results, charge=charge, query=query, matches=len(cases))
    elif form.is_valid():
        form.add_error("q", _("Enter a case number, a title or a party's name."))
    return render(request, "filing/ecf/search.html", context)


@require_GET
def docket(request: HttpRequest, court_id: str, pk: int) -> HttpResponse:
    """Query → docket report of one case: header, parties, attorneys and every entry. The
    report is rendered first, billed by its bytes (a case-specific report: capped), then
    shown with the receipt. The query count does not depend on the docket's length."""
    court = _court(court_id)
    refused = _query_refusal(request, court)
    if refused:
        return refused
    case = access.get_case(court, pk)
    code_form = ClientCodeForm(request.GET if "client_code" in request.GET else None)
    submitted = code_form.cleaned_data["client_code"] if code_form.is_valid() else None
    client_code = _client_code(request, submitted)
    entries: list[DocketEntry] = list(case.entries.select_related("document"))
    report = render_to_string(
        "filing/ecf/_docket_report.html",
        {
            "court": court,
            "case": case,
            "parties": list(case.parties.all()),
            "attorneys": list(case.attorneys.select_related("attorney", "party")),
            "entries": entries,
        },
        request=request,
    )
    byte_count = len(report.encode("utf-8"))
    try:
        charge = viewing.charge_docket_report(
            user=request.user,
            case=case,
            byte_count=byte_count,
            client_code=client_code,
            now=clock.now(),
        )
    except ClientCodeRequired:  # the firm's PAA requires one: nothing billed, nothing shown
        return ask_for_code(request, court=court, case=case, form=code_form)
    except FilingError as error:
        return _refused(request, court, error.message, heading=_("Search is not available"))
    return render(
        request,
        "filing/ecf/docket.html",
        {
            "court": court,
            "case": case,
            "report": report,
            "charge": charge,
            "byte_count": byte_count,
            "client_code": client_code,
        },
    )


@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, court_id: str, pk: int, number: int) -> HttpResponse:
    """GET: "This document is N pages; cost $X" with View Document. POST: bill the view
    (capped at $3.00 unless a transcript; opinions free) and show the PDF."""
    court = _court(court_id)
    refused = _query_refusal(request, court)
    if refused:
        return refused
    case = access.get_case(court, pk)
    doc = access.get_document(case, number)
    form = ClientCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        submitted = form.cleaned_data["client_code"] if "client_code" in request.POST else None
        client_code = _client_code(request, submitted)
        try:
            viewing.charge_document_view(
                user=request.user, document=doc, client_code=client_code, now=clock.now()
            )
        except ClientCodeRequired as error:  # the firm's PAA requires one: nothing billed
            require_code(form).add_error("client_code", error.message)
        except FilingError as error:
            return _refused(request, court, error.message, heading=_("Search is not available"))
        else:
            return _pdf_response(doc)
    if not form.is_bound:
        form.initial = {"client_code": _client_code(request, None)}
        if code_missing(request.user, form.initial["client_code"]):
            require_code(form)
    pages, amount = viewing.document_price(doc)
    return render(
        request,
        "filing/ecf/document.html",
        {
            "court": court,
            "case": case,
            "document": doc,
            "entry": doc.entry,
            "pages": pages,
            "amount": amount,
            "capped": doc.page_count > pages,
            "form": form,
        },
    )


# Filing -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Filer:
    """Who is filing on this request: ``user`` (the PACER account, None when signed out),
    ``acting_for`` (the attorney an agent files for), ``cmecf_account`` (a CurrentGen
    court-issued login signed in on the legacy page)."""

    user: Any = None
    acting_for: Any = None
    cmecf_account: CmecfAccount | None = None
    may_change_user: bool = False

    @property
    def shown_as(self) -> str:
        person = self.acting_for or self.user
        if self.cmecf_account is not None:
            return self.cmecf_account.holder_name or self.cmecf_account.login
        return (person.full_name or person.username) if person else ""


def _who_files(request: HttpRequest, court: Court, today: dt.date) -> Filer | None:
    """The filer of this request, or None when nobody is signed in (send to sign-in)."""
    user = request.user if request.user.is_authenticated else None
    if not court.is_nextgen_on(today):
        legacy = request.session.get(f"ecf:legacy:{court.pk}")
        if isinstance(legacy, dict):
            account = access.cmecf_login_signed_in(court, legacy.get("login"))
            if account is not None:
                return Filer(user=user, cmecf_account=account)
    if user is None:
        return None
    return Filer(
        user=user,
        acting_for=acting_for(request, court),
        may_change_user=access.designations_of_agent(user).filter(court=court).exists(),
    )


def _filing_refusal(filer: Filer, court: Court, case: Case | None, today: dt.date) -> str | None:
    if filer.cmecf_account is not None:
        refusal = currentgen_refusal(cmecf_account=filer.cmecf_account, court=court, today=today)
    else:
        refusal = filing_refusal(
            user=filer.user, court=court, today=today, case=case, acting_for=filer.acting_for
        )
    if refusal is None and case is not None and case.closed_on is not None:
        refusal = _("Case %(case)s is closed.") % {"case": case.number}
    return refusal


def _ways_forward(filer: Filer, court: Court, today: dt.date) -> list[tuple[str, str]]:
    """The links a filing refusal offers (upgrade, two-factor, legacy site, link, register)."""
    ecf_home = reverse("linking:ecf_home", args=[court.pk])
    user = filer.user
    actions: list[tuple[str, str]] = []
    if filer.cmecf_account is None and user is not None:
        if rules.refusal_to_link_or_file(user, today):
            if not user.is_shared and not user.is_upgraded:
                actions.append((_("Upgrade your account"), reverse("accounts:upgrade")))
            elif not user.is_shared and rules.mfa_prompt_due(user, today):
                actions.append((_("Set up two-factor authentication"), reverse("mfa_index")))
        elif not court.is_nextgen_on(today):
            actions.append((_("Sign in with your court-issued CM/ECF login"), ecf_home))
        else:
            link_url = f"{reverse('linking:start')}?{urlencode({'court': court.pk})}"
            actions.append((str(court.link_wording), link_url))
            actions.append((_("Ask for filing rights (e-file registration)"),
                            reverse("filing:registrations")))  # fmt: skip
            if filer.may_change_user:
                actions.append((_("Change User"), reverse("filing:change_user", args=[court.pk])))
    actions.append((_("Back to the court's CM/ECF site"), ecf_home))
    return actions


def _refuse_filing(
    request: HttpRequest, court: Court, filer: Filer, message: str, today: dt.date
) -> HttpResponse:
    return _refused(
        request,
        court,
        message,
        heading=_("You cannot file here now"),
        actions=_ways_forward(filer, court, today),
        filer=filer,
    )


def _nef_receipt(
    request: HttpRequest, court: Court, entry: DocketEntry, filer: Filer
) -> HttpResponse:
    """The Notice of Electronic Filing receipt: the entry and who was notified."""
    return render(
        request,
        "filing/ecf/nef_receipt.html",
        {
            "court": court,
            "case": entry.case,
            "entry": entry,
            "document": entry.document,
            "event": efiling.EVENTS[entry.event],
            "payment": entry.payment if efiling.EVENTS[entry.event].fee > 0 else None,
            "nefs": list(entry.nefs.order_by("pk")),
            "filer": filer,
        },
    )


def _find_case_to_file(request: HttpRequest, court: Court) -> HttpResponse:
    """Filing → "enter the case number": free (not a search), for whoever may file here
    (a CurrentGen court-issued login too), then on to that case's filing page."""
    if _who_files(request, court, clock.today()) is None:
        return redirect_to_login(request.get_full_path())
    form = FindCaseForm(request.GET if "number" in request.GET else None)
    if form.is_valid():
        case = access.case_by_number(court, form.cleaned_data["number"])
        if case is not None:
            return redirect("filing:file", court_id=court.pk, pk=case.pk)
        form.add_error(
            "number",
            _("There is no case %(number)s in %(court)s. Check the number.")
            % {"number": form.cleaned_data["number"], "court": court.name},
        )
    return render(request, "filing/ecf/file_find_case.html", {"court": court, "form": form})


@sensitive_post_parameters(*CARD_FIELDS)
@require_http_methods(["GET", "POST"])
def file_in_case(request: HttpRequest, court_id: str, pk: int) -> HttpResponse:
    """Filing → a document into an open case: choose the event, then the PDF, the docket
    text and (events with a fee) the card. Refusals show their message (403); a rejected
    PDF or a declined card shows the form again with the message, and nothing is saved."""
    court = _court(court_id)
    today = clock.today()
    filer = _who_files(request, court, today)
    if filer is None:
        return redirect_to_login(request.get_full_path())
    case = access.get_case(court, pk)
    refusal = _filing_refusal(filer, court, case, today)
    if refusal:
        return _refuse_filing(request, court, filer, refusal, today)
    events = efiling.events_for(case.kind, opening=False)
    allowed = {event.code: event for event in events}
    event = allowed.get(request.GET.get("event", ""))
    context: dict[str, Any] = {"court": court, "case": case, "filer": filer}
    if event is None:
        choose = ChooseEventForm(request.GET if "event" in request.GET else None, events=events)
        choose.is_valid()  # shows "select a valid choice" for an unknown event
        return render(request, "filing/ecf/file_choose_event.html", {**context, "form": choose})
    posted = request.method == "POST"
    form = FileDocumentForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        court=court,
        event=event,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = efiling.file_document(
                user=filer.user,
                court=court,
                case=case,
                event_code=event.code,
                upload=form.upload(),
                text=form.cleaned_data["text"],
                card=form.card(),
                acting_for=filer.acting_for,
                cmecf_account=filer.cmecf_account,
                now=clock.now(),
            )
        except FilingRefused as error:
            return _refuse_filing(request, court, filer, error.message, today)
        except DocumentRejected as error:
            form.add_error("document", error.message)
        except PaymentDeclined as error:
            form.add_error("card_number" if form.takes_card else None, error.message)
        else:
            return _nef_receipt(request, court, entry, filer)
    return render(request, "filing/ecf/file.html", {**context, "form": form, "event": event})


@sensitive_post_parameters(*CARD_FIELDS)
@require_http_methods(["GET", "POST"])
def open_case(request: HttpRequest, court_id: str) -> HttpResponse:
    """Filing → open a new case: the case-opening event (complaint, petition), title,
    parties, the PDF and the filing fee. Same refusals and messages as filing in a case."""
    court = _court(court_id)
    today = clock.today()
    filer = _who_files(request, court, today)
    if filer is None:
        return redirect_to_login(request.get_full_path())
    refusal = _filing_refusal(filer, court, None, today)
    kind = CASE_KIND_FOR_COURT.get(court.court_type)
    if not refusal and kind is None:
        refusal = _("New cases are not opened on this court's site in this simulation.")
    if refusal:
        return _refuse_filing(request, court, filer, refusal, today)
    events = efiling.events_for(kind, opening=True)
    form = OpenCaseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        court=court,
        kind=kind,
        events=events,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = efiling.open_case(
                user=filer.user,
                court=court,
                event_code=form.cleaned_data["event"],
                title=form.cleaned_data["title"],
                parties=form.parties(),
                upload=form.upload(),
                text=form.cleaned_data["text"],
                card=form.card(),
                acting_for=filer.acting_for,
                cmecf_account=filer.cmecf_account,
                now=clock.now(),
            )
        except FilingRefused as error:
            return _refuse_filing(request, court, filer, error.message, today)
        except DocumentRejected as error:
            form.add_error("document", error.message)
        except PaymentDeclined as error:
            form.add_error("card_number" if form.takes_card else None, error.message)
        else:
            return _nef_receipt(request, court, entry, filer)
    return render(
        request, "filing/ecf/open_case.html", {"court": court, "form": form, "filer": filer}
    )


@refuse_paa
@login_required
@require_http_methods(["GET", "POST"])
def nef_addresses(request: HttpRequest, court_id: str) -> HttpResponse:
    """Filing → the signed-in filer's extra NEF addresses in this court (up to 5)."""
    court = _court(court_id)
    current = list(access.nef_recipients_of(request.user, court))
    initial = {f"email_{n}": recipient.email for n, recipient in enumerate(current, start=1)}
    form = NefAddressesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            efiling.set_nef_recipients(filer=request.user, court=court, emails=form.emails())
        except FilingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your additional NEF addresses are saved."))
            return redirect("filing:nef_addresses", court_id=court.pk)
    return render(
        request,
        "filing/ecf/nef_addresses.html",
        {"court": court, "form": form, "current": current},
    )


# The NEF free look --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def free_look(request: HttpRequest, token: str) -> HttpResponse:
    """The NEF's free look (no sign-in: the link is the credential). GET shows what the link
    opens and a button; the POST spends the free look and shows the PDF — so a mail
    scanner following the link spends nothing. The first view within 15 days is free;
    afterwards the page explains and points to the charged document page. A forged link is
    a 404. The link never leaves the site in a Referer header ("same-origin"; not
    "no-referrer", with which browsers send ``Origin: null`` and the button's POST would
    fail Django's CSRF origin check)."""
    try:
        nef = efiling.nef_from_token(token)
    except FreeLookUnavailable:
        response = render(request, "filing/ecf/free_look_invalid.html", status=404)
        response["Referrer-Policy"] = "same-origin"
        return response
    entry, document = nef.entry, nef.entry.document
    now = clock.now()
    try:
        if request.method == "POST":
            viewing.use_free_look(nef=nef, now=now)
        else:
            refusal = viewing.free_look_refusal(nef=nef, now=now)
            if refusal:
                raise FreeLookUnavailable(refusal)
    except FreeLookUnavailable as error:
        response = render(
            request,
            "filing/ecf/free_look_used.html",
            {
                "message": error.message,
                "court": entry.case.court,
                "case": entry.case,
                "entry": entry,
                "document_url": reverse(
                    "filing:document", args=[entry.case.court_id, entry.case_id, entry.number]
                ),
            },
            status=410,
        )
        response["Referrer-Policy"] = "same-origin"
        return response
    if request.method != "POST":
        response = render(
            request,
            "filing/ecf/free_look.html",
            {
                "court": entry.case.court,
                "case": entry.case,
                "entry": entry,
                "document": document,
                "until": nef.free_look_until,
            },
        )
        response["Referrer-Policy"] = "same-origin"
        return response
    response = _pdf_response(document)
    response["Referrer-Policy"] = "same-origin"
    return response
