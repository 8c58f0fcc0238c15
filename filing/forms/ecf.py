"""Forms of each court's ECF pages: case search, filing a document (and its fee), opening a
case, extra NEF addresses, and the client code of a billable view.

The card number is never kept: its widget never renders a value back (like a password
field), the views are ``sensitive_post_parameters`` (error reports mask it), and only the
service's last four digits and token are stored.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from courts.models import Court
from filing.services import efiling

# The card fields, for sensitive_post_parameters and for tests.
CARD_FIELDS = ("card_number", "card_expiry_month", "card_expiry_year", "card_name")
# Party rows on the new-case form.
PARTY_ROWS = 4
MAX_EXTRA_ADDRESSES = efiling.MAX_EXTRA_RECIPIENTS


class CardNumberInput(forms.TextInput):
    """A text input that never renders the value back (``render_value=False``, as a
    password field): a form shown again after an error asks for the number again."""

    def __init__(self, attrs=None) -> None:
        base = {
            "class": "usa-input",
            "autocomplete": "cc-number",
            "inputmode": "numeric",
            "spellcheck": "false",
        }
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


def _event_label(event: efiling.Event) -> str:
    if event.fee > 0:
        return _("%(event)s (filing fee $%(fee)s)") % {"event": event.label, "fee": event.fee}
    return str(event.label)


def event_choices(events: list[efiling.Event]) -> list[tuple[str, str]]:
    return [(event.code, _event_label(event)) for event in events]


class ClientCodeForm(forms.Form):
    """The client code PACER prints on the receipt and the bill (optional)."""

    client_code = forms.CharField(
        label=_("Client code"),
        max_length=32,
        required=False,
        help_text=_("Optional: your own reference, printed on the receipt and on your bill."),
    )


class SearchForm(ClientCodeForm):
    """Case search in one court: a case number, a title or a party's name."""

    q = forms.CharField(
        label=_("Case number, title or party name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )

    field_order = ["q", "client_code"]


class FindCaseForm(forms.Form):
    """A filing starts from the case number (free: it is not a search)."""

    purpose = forms.CharField(widget=forms.HiddenInput, initial="file")
    number = forms.CharField(
        label=_("Case number"),
        max_length=64,
        help_text=_("As on the docket, e.g. 2:21-bk-01234."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class ChooseEventForm(forms.Form):
    """Step 1 of a filing: the event (CM/ECF's event list)."""

    event = forms.ChoiceField(label=_("Event"))

    def __init__(self, *args, events: list[efiling.Event], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = event_choices(events)


class _DocumentAndFee(forms.Form):
    """The PDF, the docket text and — for an event with a filing fee — the card."""

    text = forms.CharField(
        label=_("Docket text (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Added to the docket entry after the event's own wording."),
    )
    document = forms.FileField(
        label=_("Main document (PDF)"),
        error_messages={"required": _("Choose the PDF of your document.")},
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf", "class": "usa-file-input"}),
    )

    def __init__(self, *args, court: Court, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.court = court
        limit_mb = Decimal(court.pdf_size_limit_mb or efiling.DEFAULT_PDF_LIMIT_MB).normalize()
        self.fields["document"].help_text = _(
            "PDF only, at most %(limit)s MB in this court. Choose it again if the form comes "
            "back with a message."
        ) % {"limit": f"{limit_mb:f}"}

    def _add_card_fields(self) -> None:
        self.fields["card_number"] = forms.CharField(
            label=_("Card number"), max_length=23, required=True, widget=CardNumberInput()
        )
        self.fields["card_expiry_month"] = forms.TypedChoiceField(
            label=_("Expiration month"),
            choices=[("", "—")] + [(m, f"{m:02d}") for m in range(1, 13)],
            coerce=int,
        )
        self.fields["card_expiry_year"] = forms.IntegerField(
            label=_("Expiration year"),
            min_value=2000,
            max_value=2100,
            widget=forms.NumberInput(attrs={"autocomplete": "cc-exp-year"}),
            help_text=_("Four digits, e.g. 2028."),
        )
        self.fields["card_name"] = forms.CharField(
            label=_("Name on the card"),
            max_length=100,
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
        )

    @property
    def takes_card(self) -> bool:
        return "card_number" in self.fields

    def clean_document(self) -> UploadedFile:
        upload = self.cleaned_data["document"]
        # The size first, from what the upload handler counted, before reading the bytes.
        if upload.size > efiling.pdf_limit_bytes(self.court):
            raise forms.ValidationError(
                efiling.too_large_message(size=upload.size, court=self.court)
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty. Choose the PDF of your document."))
        return upload

    def clean_card_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data.get("card_number") or "")
        if not re.fullmatch(r"\d{13,19}", number):
            raise forms.ValidationError(_("Enter the card number: 13 to 19 digits."))
        return number

    def upload(self) -> efiling.Upload:
        """The uploaded file (read now, after the size check)."""
        document: UploadedFile = self.cleaned_data["document"]
        document.seek(0)
        return efiling.Upload(filename=document.name or "document.pdf", data=document.read())

    def card(self) -> efiling.Card | None:
        if not self.takes_card:
            return None
        return efiling.Card(
            number=self.cleaned_data["card_number"],
            expiry_month=self.cleaned_data["card_expiry_month"],
            expiry_year=self.cleaned_data["card_expiry_year"],
            name=self.cleaned_data.get("card_name", ""),
        )


class FileDocumentForm(_DocumentAndFee):
    """Step 2 of a filing in an open case, for the chosen event."""

    field_order = ["text", "document", *CARD_FIELDS]

    def __init__(self, *args, court: Court, event: efiling.Event, **kwargs) -> None:
        super().__init__(*args, court=court, **kwargs)
        self.event = event
        if event.fee > 0:
            self._add_card_fields()
        self.order_fields(self.field_order)


def _party_roles(kind: str) -> list[str]:
    if kind == "bk":
        return [_("Debtor"), _("Joint Debtor"), _("Creditor"), _("Creditor")]
    return [_("Plaintiff"), _("Defendant"), _("Defendant"), _("Plaintiff")]


class OpenCaseForm(_DocumentAndFee):
    """A new case: its case-opening event, title, parties, the PDF and the filing fee."""

    event = forms.ChoiceField(label=_("Case-opening event"))
    title = forms.CharField(
        label=_("Case title"),
        max_length=300,
        help_text=_("The parties' names, e.g. “In re Jane Doe” or “Doe v. Roe”."),
    )

    def __init__(self, *args, court: Court, kind: str, events: list[efiling.Event], **kwargs):
        super().__init__(*args, court=court, **kwargs)
        self.events = {event.code: event for event in events}
        self.fields["event"].choices = event_choices(events)
        party_fields = []
        for row, role in enumerate(_party_roles(kind), start=1):
            self.fields[f"party_{row}_name"] = forms.CharField(
                label=_("Party %(n)s: name") % {"n": row}, max_length=200, required=False
            )
            self.fields[f"party_{row}_role"] = forms.CharField(
                label=_("Party %(n)s: role") % {"n": row},
                max_length=64,
                required=False,
                initial=role,
            )
            party_fields += [f"party_{row}_name", f"party_{row}_role"]
        if any(event.fee > 0 for event in events):
            self._add_card_fields()
        self.order_fields(["event", "title", *party_fields, "text", "document", *CARD_FIELDS])

    def parties(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(1, PARTY_ROWS + 1):
            name = (self.cleaned_data.get(f"party_{row}_name") or "").strip()
            role = (self.cleaned_data.get(f"party_{row}_role") or "").strip()
            if name:
                rows.append((name, role or str(_("Party"))))
        return rows

    def clean(self):
        cleaned = super().clean()
        names = [cleaned.get(f"party_{row}_name") or "" for row in range(1, PARTY_ROWS + 1)]
        if not any(name.strip() for name in names):
            self.add_error("party_1_name", _("Name at least one party."))
        return cleaned


class NefAddressesForm(forms.Form):
    """Up to five extra addresses that get the filer's NEFs in one court."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_EXTRA_ADDRESSES + 1):
            self.fields[f"email_{n}"] = forms.EmailField(
                label=_("Additional address %(n)s") % {"n": n}, max_length=320, required=False
            )

    def emails(self) -> list[str]:
        return [
            self.cleaned_data[f"email_{n}"]
            for n in range(1, MAX_EXTRA_ADDRESSES + 1)
            if self.cleaned_data.get(f"email_{n}")
        ]
