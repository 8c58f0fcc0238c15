"""Mandatory client codes on a court's billable ECF pages (search, docket report, document).

A PAA's administrator may make client codes mandatory for the firm's members
(``accounts.services.paa.client_code_required_for``): such a member's billable view then
asks for a code first and bills nothing until one is given; the code goes on the charge and
the PAA's statement groups by it. A code given once stays for the session, as PACER's does.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.services.billing import CLIENT_CODE_REQUIRED
from accounts.services.paa import client_code_required_for
from courts.models import Court
from filing.models import Case

# The one wording, shared with the service that refuses to bill without a code.
CODE_REQUIRED = CLIENT_CODE_REQUIRED


def code_missing(user, code: str) -> bool:
    """True when ``user`` must give a client code and ``code`` is empty (asks the database
    only when the code is empty)."""
    return not (code or "").strip() and client_code_required_for(user)


def require_code(form: forms.Form) -> forms.Form:
    """Mark ``form``'s client code field required, with the message that says why."""
    field = form.fields["client_code"]
    field.required = True
    field.error_messages["required"] = CODE_REQUIRED
    field.help_text = _("Required by your firm: your reference, printed on the receipt and on "
                        "the firm's bill.")  # fmt: skip
    return form


def ask_for_code(
    request: HttpRequest, *, court: Court, case: Case | None, form: forms.Form
) -> HttpResponse:
    """The page that asks for the client code before a billable GET view (the docket
    report): the form submits back to the same page with the code."""
    require_code(form)
    if form.is_bound and not form.errors.get("client_code"):
        form.add_error("client_code", CODE_REQUIRED)
    return render(
        request,
        "filing/ecf/client_code.html",
        {"court": court, "case": case, "form": form, "message": CODE_REQUIRED},
    )
