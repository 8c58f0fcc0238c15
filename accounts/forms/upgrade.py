"""The upgrade wizard's steps (step 1, person and address, is the profile form)."""

from __future__ import annotations

import copy

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.validators import MinLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.tokens import EMAIL_CODE_DIGITS


class UsernameForm(forms.Form):
    """A new username for an account whose legacy one is shorter than today's minimum."""

    username = forms.CharField(
        label=_("New username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MinLengthValidator(settings.ACCOUNT_USERNAME_MIN_LENGTH))
        field.widget.attrs["minlength"] = str(settings.ACCOUNT_USERNAME_MIN_LENGTH)
        field.help_text = _("At least %(min)d characters: letters, digits and @ . + - _ only.") % {
            "min": settings.ACCOUNT_USERNAME_MIN_LENGTH
        }

    def clean_username(self) -> str:
        """allauth's own username rules (characters, blocklist, uniqueness); the length is
        this form's, as on allauth's sign-up form."""
        from allauth.account.adapter import get_adapter

        return get_adapter().clean_username(self.cleaned_data["username"])


class NewPasswordForm(forms.Form):
    """A new password that meets today's rules (Django's validators, as configured)."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, username: str, profile: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The account as it will be: the similarity check compares the new name and username.
        self.prospective_user = copy.copy(user)
        self.prospective_user.username = username
        for name, value in profile.items():
            setattr(self.prospective_user, name, value)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                validate_password(password1, user=self.prospective_user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailCodeForm(forms.Form):
    """The six-digit code emailed to the account's address."""

    code = forms.CharField(
        label=_("Verification code"),
        min_length=EMAIL_CODE_DIGITS,
        max_length=EMAIL_CODE_DIGITS,
        help_text=_("The 6-digit code in the email we sent you."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is 6 digits."))
        return code


class TermsForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I accept the terms of use of this training simulation."),
        error_messages={"required": _("Accept the terms to upgrade your account.")},
    )
