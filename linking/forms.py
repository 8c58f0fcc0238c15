"""Forms of the holder-facing link pages and of each court's simulated ECF site."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from linking.services.credentials import MAX_LOGIN_LENGTH, MAX_PASSWORD_LENGTH


class CmecfCredentialsForm(forms.Form):
    """A court-issued CM/ECF login and password (link step 2, and the legacy login page)."""

    login = forms.CharField(
        label=_("CM/ECF login"),
        max_length=MAX_LOGIN_LENGTH,
        help_text=_("The login the court issued you (not your PACER username)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("CM/ECF password"),
        max_length=MAX_PASSWORD_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class ConfirmLinkForm(forms.Form):
    """The verify screen's Submit: carries the single-use token of this link attempt."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=100)
