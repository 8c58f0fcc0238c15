"""The payment form (Manage My Account → Payments, and the PAA's payments page).

The card and bank account numbers are never kept: their inputs never render a value back
(a form shown again after an error asks for them again), the views are
``sensitive_post_parameters`` (error reports mask them), and the service keeps only the
last four digits and a token.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Payment

# The secret fields, for sensitive_post_parameters and for tests.
SECRET_FIELDS = ("card_number", "routing_number", "bank_account_number")


class SecretNumberInput(forms.TextInput):
    """A text input that never renders its value back (like a password field)."""

    def __init__(self, autocomplete: str = "off") -> None:
        super().__init__(
            {"autocomplete": autocomplete, "inputmode": "numeric", "spellcheck": "false"}
        )

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class PaymentForm(forms.Form):
    """A payment toward one quarter's balance, by card or by bank account (ACH)."""

    quarter = forms.ChoiceField(label=_("Quarter"))
    amount = forms.DecimalField(
        label=_("Amount (US dollars)"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Enter the amount in dollars, e.g. 45.10.")},
    )
    method = forms.ChoiceField(
        label=_("Pay by"),
        choices=Payment.Method.choices,
        widget=forms.RadioSelect,
        initial=Payment.Method.CARD,
    )
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        required=False,
        widget=SecretNumberInput("cc-number"),
        help_text=_("For a card payment: 13 to 19 digits."),
    )
    routing_number = forms.CharField(
        label=_("Bank routing number"),
        max_length=11,
        required=False,
        widget=SecretNumberInput(),
        help_text=_("For a bank payment: the 9 digits printed first on a check."),
    )
    bank_account_number = forms.CharField(
        label=_("Bank account number"),
        max_length=20,
        required=False,
        widget=SecretNumberInput(),
        help_text=_("For a bank payment: 4 to 17 digits."),
    )

    def __init__(self, *args, quarters: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarters

    def clean(self):
        cleaned = super().clean()
        method = cleaned.get("method")
        if method == Payment.Method.CARD and not cleaned.get("card_number", "").strip():
            self.add_error("card_number", _("Enter the card number."))
        if method == Payment.Method.BANK:
            if not cleaned.get("routing_number", "").strip():
                self.add_error("routing_number", _("Enter the bank routing number."))
            if not cleaned.get("bank_account_number", "").strip():
                self.add_error("bank_account_number", _("Enter the bank account number."))
        return cleaned

    def number(self) -> str:
        """What the service takes: the card number, or ``"routing:account"``."""
        if self.cleaned_data["method"] == Payment.Method.BANK:
            return (
                f"{self.cleaned_data['routing_number'].strip()}:"
                f"{self.cleaned_data['bank_account_number'].strip()}"
            )
        return self.cleaned_data["card_number"].strip()

    # Where each refusal of the service belongs.
    FIELD_OF = {
        "amount": "amount",
        "quarter": "quarter",
        "method": "method",
        "card": "card_number",
        "routing": "routing_number",
        "bank_account": "bank_account_number",
    }

    def add_refusal(self, field: str | None, message: str) -> None:
        self.add_error(self.FIELD_OF.get(field or ""), message)
