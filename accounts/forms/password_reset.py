"""allauth's set-a-new-password form (``ACCOUNT_FORMS["reset_password_from_key"]``) that
also forgets the emailed key.

allauth keeps the key from the emailed link in the session (so it never sits in a URL or a
Referer header) but, unlike Django's own reset view, leaves it there after the password is
set. The session is a database row, and the used key would stay in it, readable, for the
session's life; it is dropped here as soon as the new password is saved.
"""

from __future__ import annotations

from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.views import INTERNAL_RESET_SESSION_KEY
from allauth.core import context


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    def save(self) -> None:
        super().save()
        request = context.request
        if request is not None:
            request.session.pop(INTERNAL_RESET_SESSION_KEY, None)
