"""allauth.mfa's seam (``MFA_ADAPTER``): secrets encrypted at rest, at most 5 security keys.

allauth stores the TOTP secret and the recovery-code seed in ``Authenticator.data`` and passes
them through ``encrypt``/``decrypt``, which do nothing by default. Here they are Fernet
(AES-128-CBC + HMAC-SHA256) with a key derived by HKDF-SHA256 from ``CSO_MFA_ENCRYPTION_KEY``,
or from ``SECRET_KEY`` when that is empty. Values encrypted under ``SECRET_KEY`` or a key in
``SECRET_KEY_FALLBACKS`` still decrypt, so keys can be rotated (and a dedicated key introduced)
without re-enrolling anyone; new values use the first key.
"""

from __future__ import annotations

import base64
import functools
import logging

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Security keys (WebAuthn/passkeys) one account may register. allauth has no such limit, so
# the add-key form (accounts.forms.mfa) asks this adapter.
MAX_SECURITY_KEYS = 5
# Marks an encrypted value, so a value written before encryption was on is recognised.
ENCRYPTED_PREFIX = "fernet1:"
_HKDF_INFO = b"cso-portal mfa secrets at rest v1"


def _fernet_key(material: str) -> bytes:
    """A Fernet key (32 bytes, urlsafe base64) derived from any secret string."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(derived)


@functools.cache
def _cipher(primary: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(k)) for k in (primary, *fallbacks) if k])


def cipher() -> MultiFernet:
    """The cipher for the current settings (encrypts with the first key, decrypts with any)."""
    keys = [
        getattr(settings, "CSO_MFA_ENCRYPTION_KEY", ""),
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", ()),
    ]
    keys = [key for key in keys if key]
    if not keys:
        raise ImproperlyConfigured("MFA secrets need SECRET_KEY or CSO_MFA_ENCRYPTION_KEY.")
    return _cipher(keys[0], tuple(keys[1:]))


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor authentication for PACER accounts."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "too_many_security_keys": _(
            "You already have %(max)d security keys, the most one account can have. Remove "
            "one before adding another."
        ),
    }

    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + cipher().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            # Written before encryption was switched on (a developer's database): still
            # usable; re-enrolling stores it encrypted. The value itself is never logged.
            logger.warning("an MFA secret is stored unencrypted; ask the holder to re-enrol")
            return encrypted_text
        try:
            return cipher().decrypt(encrypted_text[len(ENCRYPTED_PREFIX) :].encode()).decode()
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "An MFA secret cannot be decrypted: CSO_MFA_ENCRYPTION_KEY or SECRET_KEY "
                "changed without keeping the old key in SECRET_KEY_FALLBACKS."
            ) from error

    def security_key_count(self, user) -> int:
        return Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.WEBAUTHN
        ).count()

    def can_add_security_key(self, user) -> bool:
        return self.security_key_count(user) < MAX_SECURITY_KEYS
