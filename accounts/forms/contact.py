"""Contact details checked the same way wherever a person types them (sign-up, Manage My
Account, the upgrade wizard)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

US_COUNTRY_NAMES = {"united states", "united states of america", "usa", "us", "u.s.", "u.s.a."}
ZIP_PATTERN = re.compile(r"\d{5}(-?\d{4})?")
PHONE_PATTERN = re.compile(r"[\d\s().+\-]+")
PHONE_DIGITS = (10, 15)


def check_phone(value: str) -> str:
    """A phone number with its area code (10 to 15 digits, usual punctuation)."""
    digits = re.sub(r"\D", "", value)
    if not PHONE_PATTERN.fullmatch(value) or not (
        PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]
    ):
        raise forms.ValidationError(
            _("Enter a phone number with its area code, for example (602) 555-0143."),
            code="invalid_phone",
        )
    return value


def postal_code_error(postal_code: str, country: str) -> forms.ValidationError | None:
    """A US address needs a 5-digit ZIP (or ZIP+4); other countries' codes are free-form."""
    postal_code = (postal_code or "").strip()
    if (
        postal_code
        and (country or "").strip().casefold() in US_COUNTRY_NAMES
        and not ZIP_PATTERN.fullmatch(postal_code)
    ):
        return forms.ValidationError(
            _("Enter a 5-digit ZIP code (or ZIP+4), for example 85003."), code="invalid_zip"
        )
    return None
