"""The bill: a PACER Administrative Account's quarterly statement (the page and its CSV),
its raw usage (CSV), and payments — the PAA's payments page, and the Payments tab of
Manage My Account (``payments_page``, shared).

The statement is computed in the database (``accounts.services.statements``): the page
runs a fixed number of queries however many members and charges. Only a PAA has these
pages (anyone else gets a 404); a legacy PAA may view its statement and pay (PACER lets
it do both before it upgrades). A statement is always the signed-in PAA's own: there is
no id in the URL to guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts import fees
from accounts.forms.payments import SECRET_FIELDS, PaymentForm
from accounts.models import User
from accounts.services import billing, statements
from accounts.services.paa import is_paa
from cso_portal import clock

STATEMENT_PAGE_SIZE = 100
PAYMENTS_PAGE_SIZE = 25
# Rows of the raw usage CSV written per chunk of the streamed response.
CSV_CHUNK_ROWS = 2000
BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _paa(request: HttpRequest) -> User:
    """The signed-in PAA; a 404 for any other account (the page does not exist for it)."""
    if not is_paa(request.user):
        raise Http404
    return request.user


def _firm_name(paa_account: User) -> str:
    profile = getattr(paa_account, "paa_profile", None)
    return profile.firm_name if profile is not None else paa_account.full_name


def _chosen_quarter(request: HttpRequest) -> tuple[tuple[int, int], bool]:
    """((year, quarter), refused): ``?quarter=2026-4``, default today's quarter; refused is
    True when a value was given that is not a quarter."""
    current = fees.quarter_of(clock.today())
    value = request.GET.get("quarter", "")
    if not value:
        return current, False
    chosen = statements.parse_quarter(value)
    return (chosen, False) if chosen else (current, True)


# The statement ----------------------------------------------------------------------------


@login_required
@require_GET
def paa_statement(request: HttpRequest) -> HttpResponse:
    """The PAA's statement of a quarter (``?quarter=2026-4``, default the current one):
    itemized by member (100 a page; totals over all), grouped by court, client code and
    cost center, with the quarter's payments and credits, the balance, and 24 months of
    history."""
    paa_account = _paa(request)
    (year, quarter), refused = _chosen_quarter(request)
    if refused:
        messages.error(request, _("That is not a quarter; showing the current one."))
    statement = statements.statement_for(
        paa_account, year=year, quarter=quarter, today=clock.today()
    )
    page = Paginator(statement.members, STATEMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"quarter": statement.value})
    quarter_choices = [(row.value, row.label) for row in statement.history]
    if statement.value not in dict(quarter_choices):
        quarter_choices.append((statement.value, statement.label))
    return render(
        request,
        "accounts/billing/paa_statement.html",
        {
            "firm_name": _firm_name(paa_account),
            "statement": statement,
            "page": page,
            "query": query,
            "quarter_choices": quarter_choices,
            "waiver": fees.QUARTERLY_WAIVER,
            "csv_url": f"{reverse('accounts:paa_statement_csv')}?{query}",
            "usage_csv_url": f"{reverse('accounts:paa_usage_csv')}?{query}",
        },
    )


def csv_safe(value):
    """A text cell a spreadsheet will not run as a formula: a leading = + - @ (or tab, CR)
    gets an apostrophe in front. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_filename(paa_account: User, kind: str, year: int, quarter: int) -> str:
    return f"paa-{paa_account.account_number}-{kind}-{year}-Q{quarter}.csv"


def _csv_redirect(request: HttpRequest) -> HttpResponseRedirect:
    messages.error(request, _("That is not a quarter; showing the current one."))
    return redirect("accounts:paa_statement")


@login_required
@require_GET
def paa_statement_csv(request: HttpRequest) -> HttpResponse:
    """The statement's members as CSV — the same numbers as the page: UTF-8 with a byte
    order mark (spreadsheets then read it as UTF-8), a header row, one row per member,
    then a TOTAL row."""
    paa_account = _paa(request)
    (year, quarter), refused = _chosen_quarter(request)
    if refused:
        return _csv_redirect(request)
    statement = statements.statement_for(
        paa_account, year=year, quarter=quarter, today=clock.today()
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _csv_filename(paa_account, "statement", year, quarter)
    )
    response["Cache-Control"] = "private, no-store"
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Account number"),
            _("Name"),
            _("Cost center"),
            _("Views"),
            _("Pages"),
            _("Total"),
            _("Owed"),
        ]
    )
    for line in statement.members:
        writer.writerow(
            [
                csv_safe(line.account_number),
                csv_safe(line.name),
                csv_safe(line.cost_center),
                line.views,
                line.pages,
                line.total,
                line.owed,
            ]
        )
    writer.writerow(
        [_("TOTAL"), "", "", statement.views, statement.pages, statement.usage, statement.owed]
    )
    return response


def _usage_rows(paa_account: User, year: int, quarter: int) -> Iterator[str]:
    """The quarter's charges as CSV text, a chunk at a time, read with a server-side
    cursor (``.iterator()``): a million rows never sit in memory at once."""
    items = {value: str(label) for value, label in fees.Item.choices}
    rows = (
        statements.charges_billed_to(paa_account, year=year, quarter=quarter)
        .order_by("created_at", "pk")
        .values_list(
            "created_at",
            "account__account_number",
            "account__first_name",
            "account__last_name",
            "court_id",
            "item",
            "description",
            "case_number",
            "document",
            "pages",
            "amount",
            "client_code",
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(
        [
            _("Date and time"),
            _("Account number"),
            _("Name"),
            _("Court"),
            _("What"),
            _("Description"),
            _("Case"),
            _("Document"),
            _("Pages"),
            _("Amount"),
            _("Client code"),
        ]
    )
    zone = timezone.get_default_timezone()
    for count, row in enumerate(rows.iterator(chunk_size=CSV_CHUNK_ROWS), start=1):
        at, number, first, last, court, item, description, case, document, pages, amount, code = row
        writer.writerow(
            [
                at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                csv_safe(number),
                csv_safe(f"{first} {last}".strip()),
                csv_safe(court),
                items.get(item, item),
                csv_safe(description),
                csv_safe(case),
                csv_safe(document),
                pages,
                amount,
                csv_safe(code),
            ]
        )
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue()


@login_required
@require_GET
def paa_usage_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponseRedirect:
    """The raw usage of a quarter (every charge billed to the PAA) as CSV, streamed."""
    paa_account = _paa(request)
    (year, quarter), refused = _chosen_quarter(request)
    if refused:
        return _csv_redirect(request)
    response = StreamingHttpResponse(
        _usage_rows(paa_account, year, quarter), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, _csv_filename(paa_account, "usage", year, quarter)
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Payments ---------------------------------------------------------------------------------


def payments_page(
    request: HttpRequest, *, payer: User, template: str, context: dict | None = None
) -> HttpResponse:
    """Pay toward one of the last eight quarters' balances (card or bank account) and list
    the payer's payments and credits. Shared by the PAA's payments page and the Payments
    tab of Manage My Account. A refused payment shows the form again with the message,
    and nothing is saved."""
    year, quarter = fees.quarter_of(clock.today())
    history = statements.history(payer, year=year, quarter=quarter)
    choices = [
        (
            row.value,
            _("%(quarter)s (balance $%(balance)s)")
            % {"quarter": row.label, "balance": row.balance},
        )
        for row in history
    ]
    due = [row for row in history if row.balance > 0]
    oldest_due = due[-1] if due else history[0]
    form = PaymentForm(
        request.POST if request.method == "POST" else None,
        quarters=choices,
        initial={"quarter": oldest_due.value, "amount": max(oldest_due.balance, Decimal("0"))},
    )
    if request.method == "POST" and form.is_valid():
        year, quarter = statements.parse_quarter(form.cleaned_data["quarter"]) or (0, 0)
        try:
            payment = billing.record_payment(
                account=payer,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                number=form.number(),
                year=year,
                quarter=quarter,
                actor=request.user,
                now=clock.now(),
            )
        except billing.PaymentRefused as refusal:
            form.add_refusal(refusal.field, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your payment of $%(amount)s toward %(quarter)s is recorded "
                    "(%(method)s ending %(last4)s)."
                )
                % {
                    "amount": payment.amount,
                    "quarter": billing.label_of(payment),
                    "method": payment.get_method_display(),
                    "last4": payment.last4,
                },
            )
            return redirect(request.path)
    page = Paginator(billing.payments_of(payer), PAYMENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        template,
        {
            **(context or {}),
            "form": form,
            "history": history,
            "page": page,
            "waiver": fees.QUARTERLY_WAIVER,
        },
    )


@sensitive_post_parameters(*SECRET_FIELDS)
@login_required
@require_http_methods(["GET", "POST"])
def paa_payments(request: HttpRequest) -> HttpResponse:
    """The PAA pays its statement (PACER fees only: filing fees stay with each member,
    paid by card when filing)."""
    paa_account = _paa(request)
    return payments_page(
        request,
        payer=paa_account,
        template="accounts/billing/paa_payments.html",
        context={"firm_name": _firm_name(paa_account)},
    )
