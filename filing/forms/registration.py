"""Forms of e-file registration: the request in Manage My Account (NextGen courts), the
court's own registration page on its ECF site (CurrentGen courts, seed 002), and the clerk's
rejection reason. The rules themselves are the services' (``filing.services.registration``);
these forms only collect the fields and say what is missing."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from courts.models import Court
from filing.models import ATTORNEY_TYPES, NON_ATTORNEY_TYPES, Case, RegistrationType
from filing.services.registration import needs_local_form
from linking import services as linking_services
from linking.services.credentials import MAX_LOGIN_LENGTH

AUDIENCES = {"attorney": ATTORNEY_TYPES, "non-attorney": NON_ATTORNEY_TYPES}
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def terms_text(court: Court) -> str:
    """The court's e-filing terms, as the filer accepts them (our wording of the usual terms
    of CM/ECF registration: the login is personal, filing with it is a signature)."""
    return _(
        "I agree to the electronic filing terms of %(court)s: my login and password are for "
        "my use only and I will not share them; a document filed with my login is signed by "
        "me; I will receive notices of electronic filing by email at the address on my PACER "
        "account and keep it current; I will follow the court's local rules and its "
        "administrative procedures for electronic filing; the court may end my filing "
        "privileges if I misuse them."
    ) % {"court": court.name}


class RegistrationForm(forms.Form):
    """An e-file registration request in ``court`` for ``audience`` ("attorney" or
    "non-attorney"; ``None``: every registration type, as on a court's own ECF site).

    The court's local form fields appear when the court requires one for some type offered;
    the requested login only on a CurrentGen court's site that allows proposing one."""

    registration_type = forms.ChoiceField(
        label=_("Registration type"), widget=forms.RadioSelect, choices=()
    )
    bar_number = forms.CharField(label=_("Bar number"), max_length=32, required=False)
    bar_state = forms.CharField(
        label=_("Bar state"),
        max_length=64,
        required=False,
        help_text=_("The state (or district) whose bar admitted you."),
    )
    case_number = forms.CharField(
        label=_("Case number (pro hac vice)"),
        max_length=64,
        required=False,
        help_text=_("Pro hac vice only: the one case you ask to appear in, e.g. 2:21-bk-01234."),
    )
    firm_name = forms.CharField(label=_("Firm or organisation"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    local_form_completed_on = forms.DateField(
        label=_("Date you completed the local form"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("As on the form, e.g. 2026-11-10."),
    )
    local_form_reference = forms.CharField(
        label=_("Local form reference (if the court gave you one)"),
        max_length=64,
        required=False,
    )
    requested_login = forms.CharField(
        label=_("Requested CM/ECF login (optional)"),
        max_length=MAX_LOGIN_LENGTH,
        required=False,
        help_text=_(
            "This court lets you ask for a particular login, so you may use the same filer "
            "login in many courts. Letters, digits, dots, dashes and underscores. Leave it "
            "empty and the court assigns one."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    notes = forms.CharField(
        label=_("Notes for the clerk"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    terms_accepted = forms.BooleanField(
        label=_("I accept the court's electronic filing terms"),
        required=True,
        error_messages={"required": _("Accept the court's e-filing terms to submit the request.")},
    )

    def __init__(
        self,
        *args,
        court: Court,
        audience: str | None,
        today: dt.date,
        court_site: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.court = court
        self.today = today
        types = AUDIENCES.get(audience or "", tuple(RegistrationType))
        self.types = types
        self.fields["registration_type"].choices = [(t.value, t.label) for t in types]
        if len(types) == 1:
            self.fields["registration_type"].initial = types[0].value
        self.fields["terms_accepted"].help_text = terms_text(court)
        self.local_form_needed_for = [t for t in types if needs_local_form(court, t)]
        if not self.local_form_needed_for:
            del self.fields["local_form_completed_on"]
            del self.fields["local_form_reference"]
        if not any(t in ATTORNEY_TYPES for t in types):
            for name in ("bar_number", "bar_state", "case_number"):
                del self.fields[name]
        elif all(t in ATTORNEY_TYPES for t in types):
            self.fields["bar_number"].required = True
            self.fields["bar_number"].error_messages["required"] = _(
                "Give your bar number: attorney registrations need it."
            )
        else:
            self.fields["bar_number"].help_text = _("Attorneys (and pro hac vice): required.")
        if not (court_site and court.filer_may_propose_login):
            del self.fields["requested_login"]

    def _bound(self, names: tuple[str, ...]) -> list:
        return [self[name] for name in names if name in self.fields]

    @property
    def filer_fields(self) -> list:
        """The "additional filer information" fields present on this form."""
        return self._bound(("bar_number", "bar_state", "case_number", "firm_name", "phone"))

    @property
    def local_form_fields(self) -> list:
        return self._bound(("local_form_completed_on", "local_form_reference"))

    @property
    def login_fields(self) -> list:
        return self._bound(("requested_login",))

    @property
    def local_form(self) -> str:
        """The court's required local form when this form asks for it ("" otherwise)."""
        return self.court.required_local_form if self.local_form_needed_for else ""

    def clean_local_form_completed_on(self) -> dt.date | None:
        day = self.cleaned_data.get("local_form_completed_on")
        if day is not None and day > self.today:
            raise forms.ValidationError(_("The completion date cannot be in the future."))
        return day

    def clean_requested_login(self) -> str:
        login = (self.cleaned_data.get("requested_login") or "").strip()
        if not login:
            return ""
        if not LOGIN_PATTERN.match(login):
            raise forms.ValidationError(
                _(
                    "Use letters, digits, dots, dashes and underscores only (start with a "
                    "letter or digit)."
                )
            )
        if linking_services.login_taken(self.court, login):
            raise forms.ValidationError(
                _("The court already has the login %(login)s. Choose another, or leave it empty.")
                % {"login": login}
            )
        return login

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("registration_type")
        if not kind:
            return cleaned
        if (
            kind in ATTORNEY_TYPES
            and "bar_number" in self.fields
            and "bar_number" not in self.errors
            and not (cleaned.get("bar_number") or "").strip()
        ):
            self.add_error("bar_number", _("Give your bar number: attorney registrations need it."))
        if kind == RegistrationType.PRO_HAC_VICE:
            number = (cleaned.get("case_number") or "").strip()
            if not number:
                self.add_error("case_number", _("A pro hac vice request names the case it is for."))
            elif not Case.objects.filter(court=self.court, number=number).exists():
                self.add_error(
                    "case_number",
                    _("%(court)s has no case %(case)s. Check the number (e.g. 2:21-bk-01234).")
                    % {"court": self.court.name, "case": number},
                )
        elif "case_number" in cleaned:
            cleaned["case_number"] = ""  # only a pro hac vice request names a case
        if (
            needs_local_form(self.court, kind)
            and "local_form_completed_on" not in self.errors
            and not cleaned.get("local_form_completed_on")
        ):
            self.add_error(
                "local_form_completed_on",
                _(
                    "%(court)s requires new attorneys to complete local form %(form)s first. "
                    "Complete it, then give the date you completed it."
                )
                % {"court": self.court.name, "form": self.court.required_local_form},
            )
        return cleaned

    def details(self) -> dict:
        """The ``details`` argument of ``submit_efile_registration``."""
        return {k: v for k, v in self.cleaned_data.items() if k != "registration_type"}


class RejectRegistrationsForm(forms.Form):
    """Why the court rejects; emailed to each requester with what to do next."""

    reason = forms.CharField(
        label=_("Reason (sent to each requester)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "For example: “We have no record of your admission to this court's bar. Apply for "
            "admission first, or call the ECF help desk.”"
        ),
    )

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason: the requester reads it."))
        return reason
