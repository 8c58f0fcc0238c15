"""Manage My Account: the profile form (name, phone, postal address)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms.contact import check_phone, postal_code_error
from accounts.models import User
from accounts.services.profile import PROFILE_FIELDS

# Required of every account (PACER registration asks for them); line 2 is optional.
REQUIRED_FIELDS = frozenset(
    {"first_name", "last_name", "phone", "address_line1", "city", "region", "postal_code"}
)
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "phone": "tel",
    "address_line1": "address-line1",
    "address_line2": "address-line2",
    "city": "address-level2",
    "region": "address-level1",
    "postal_code": "postal-code",
    "country": "country-name",
}
LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "phone": _("Phone number"),
    "address_line1": _("Street address"),
    "address_line2": _("Street address line 2"),
    "city": _("City"),
    "region": _("State, territory or region"),
    "postal_code": _("ZIP or postal code"),
    "country": _("Country"),
}


class ProfileForm(forms.Form):
    """The holder's name, phone and postal address, prefilled from the account (or from
    ``initial``). ``cleaned_data`` is the ``changes`` argument of
    :func:`accounts.services.profile.update_profile`; the form never saves anything."""

    def __init__(self, *args, user: User, initial: dict | None = None, **kwargs) -> None:
        values = {name: getattr(user, name) for name in PROFILE_FIELDS} | (initial or {})
        super().__init__(*args, initial=values, **kwargs)
        for name in PROFILE_FIELDS:
            field = User._meta.get_field(name).formfield()
            field.label = LABELS[name]
            field.required = name in REQUIRED_FIELDS
            field.help_text = ""
            field.widget.attrs["autocomplete"] = AUTOCOMPLETE[name]
            if name == "phone":
                field.widget.input_type = "tel"
            self.fields[name] = field

    def clean_phone(self) -> str:
        value = " ".join((self.cleaned_data.get("phone") or "").split())
        return check_phone(value) if value else value

    def clean(self) -> dict:
        cleaned = super().clean()
        error = postal_code_error(cleaned.get("postal_code", ""), cleaned.get("country", ""))
        if error is not None:
            self.add_error("postal_code", error)
        return cleaned
