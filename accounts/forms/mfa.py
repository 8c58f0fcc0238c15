"""allauth.mfa's add-security-key form (``MFA_FORMS["add_webauthn"]``) with a limit of 5."""

from __future__ import annotations

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms

from accounts.mfa_adapter import MAX_SECURITY_KEYS


class AddSecurityKeyForm(AddWebAuthnForm):
    """Add a security key or passkey; refused once the account has five."""

    @property
    def limit_reached(self) -> bool:
        """Shown on the page before the browser's key ceremony starts."""
        return not get_adapter().can_add_security_key(self.user)

    def clean(self) -> dict:
        if self.limit_reached:
            raise forms.ValidationError(
                get_adapter().error_messages["too_many_security_keys"],
                code="too_many_security_keys",
                params={"max": MAX_SECURITY_KEYS},
            )
        return super().clean()
