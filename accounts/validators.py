"""Password rules (NIST SP 800-63B): length and a blocklist, never composition or rotation.

Django runs every validator in ``AUTH_PASSWORD_VALIDATORS`` and shows every reason at once.
All of them are linear in the password's length, so even a 1,000,000-character password is
refused in milliseconds; the sign-in form caps the length before anything is hashed
(``accounts.forms.login``). See docs/decisions/0001-password-rules.md.
"""

from __future__ import annotations

import itertools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# NIST asks that at least 64 characters be allowed; a generous bound keeps hashing cheap and
# leaves room for long passphrases (spaces and emoji included).
PASSWORD_MAX_LENGTH = 256
PASSWORD_MIN_LENGTH = 15
PASSWORD_MIN_LENGTH_WITH_MFA = 8

# Words of this service a password may neither start with nor mostly consist of.
SERVICE_WORDS = ("pacer", "cmecf", "nextgen", "uscourts")
# A password made of service words for at least this share of its letters and digits is
# refused ("Pacer2025Pacer!" is mostly "pacer").
SERVICE_WORD_SHARE = 0.5
# Usernames at least this long must not appear inside the password.
USERNAME_IN_PASSWORD_MIN = 4
# Common look-alike substitutions, undone before comparing ("P4C3R" is "pacer").
_LOOKALIKES = str.maketrans({"4": "a", "@": "a", "3": "e", "0": "o", "5": "s", "$": "s"})
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def configured_max_length() -> int:
    """The maximum length the configured validators enforce (the sign-in form caps to it)."""
    from django.contrib.auth.password_validation import get_default_password_validators

    for validator in get_default_password_validators():
        if isinstance(validator, MaximumLengthValidator):
            return validator.max_length
    return PASSWORD_MAX_LENGTH


def _normalized(text: str) -> str:
    """Lower case, look-alikes undone, only letters and digits kept."""
    return _NOT_ALPHANUMERIC.sub("", text.lower().translate(_LOOKALIKES))


class MaximumLengthValidator:
    """Refuse passwords longer than ``max_length`` characters (never truncate them)."""

    def __init__(self, max_length: int = PASSWORD_MAX_LENGTH) -> None:
        if max_length < 64:
            raise ValueError("NIST SP 800-63B requires allowing at least 64 characters.")
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long. Use at most %(max_length)d characters."),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Your password can be up to %(max_length)d characters long.") % {
            "max_length": self.max_length
        }


class MinimumLengthValidator:
    """At least ``min_length`` characters; ``min_length_with_mfa`` when the account already
    has two-factor authentication (TOTP or a security key)."""

    def __init__(
        self,
        min_length: int = PASSWORD_MIN_LENGTH,
        min_length_with_mfa: int = PASSWORD_MIN_LENGTH_WITH_MFA,
    ) -> None:
        if min_length_with_mfa < 8:
            raise ValueError("NIST SP 800-63B requires at least 8 characters.")
        self.min_length = min_length
        self.min_length_with_mfa = min_length_with_mfa

    def required_length(self, user=None) -> int:
        # A user still being registered has no primary key and no authenticators yet.
        if user is not None and getattr(user, "pk", None) is not None:
            from accounts.rules import has_mfa

            if has_mfa(user):
                return self.min_length_with_mfa
        return self.min_length

    def validate(self, password: str, user=None) -> None:
        required = self.required_length(user)
        if len(password) < required:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min_length)d "
                    "character.",
                    "This password is too short. It must contain at least %(min_length)d "
                    "characters.",
                    required,
                ),
                code="password_too_short",
                params={"min_length": required},
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(min_length)d characters (%(min_length_with_mfa)d once two-factor "
            "authentication is on). Spaces, punctuation and any language are welcome; a few "
            "unrelated words make a strong passphrase."
        ) % {"min_length": self.min_length, "min_length_with_mfa": self.min_length_with_mfa}


class ContextSpecificWordsValidator:
    """Refuse passwords built on this service's name or on the account's username (NIST:
    "context-specific words, such as the name of the service, the username")."""

    def __init__(self, words: tuple[str, ...] = SERVICE_WORDS) -> None:
        self.words = tuple(_normalized(word) for word in words)

    def validate(self, password: str, user=None) -> None:
        normalized = _normalized(password)
        for word in self.words:
            if normalized.startswith(word):
                raise ValidationError(
                    _('This password starts with "%(word)s", the name of this service.'),
                    code="password_service_name",
                    params={"word": word},
                )
        remainder = normalized
        for word in self.words:
            remainder = remainder.replace(word, "")
        if normalized and len(remainder) <= len(normalized) * (1 - SERVICE_WORD_SHARE):
            raise ValidationError(
                _("This password is mostly the name of this service (PACER, CM/ECF, NextGen)."),
                code="password_service_name",
            )
        username = _normalized(getattr(user, "username", "") or "")
        if len(username) >= USERNAME_IN_PASSWORD_MIN and username in normalized:
            raise ValidationError(
                _("This password contains your username."), code="password_contains_username"
            )

    def get_help_text(self) -> str:
        return _('It can\'t be built on your username or on "PACER", "CM/ECF" or "NextGen".')


class RepetitionValidator:
    """Refuse repetitive or sequential passwords (NIST: "aaaaaa", "1234abcd"), which the
    common-password list, mostly short entries, does not cover at 15 characters and more."""

    def __init__(self, min_distinct: int = 5) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        if len(set(password.lower())) < self.min_distinct:
            raise ValidationError(
                _("This password repeats too few characters (for example “aaaa…” or “abab…”)."),
                code="password_repetitive",
            )
        steps = {ord(b) - ord(a) for a, b in itertools.pairwise(password)}
        if steps in ({1}, {-1}):
            raise ValidationError(
                _("This password is a run of consecutive characters (like “abcdef…”)."),
                code="password_sequential",
            )

    def get_help_text(self) -> str:
        return _("It can't be a run like “aaaa…” or “abcd…”.")
