"""The embedded default's mail backend: messages are kept for the demo mailbox, not sent."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from cso_portal import clock
from cso_portal.core import services


class DatabaseEmailBackend(BaseEmailBackend):
    """Keep each message in the database (see ``/mailbox/``) instead of talking to SMTP."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            services.keep_email(message=message, now=clock.real_now())
            sent += 1
        return sent
