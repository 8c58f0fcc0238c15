"""Access helpers: the only way views obtain a protected core object."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.http import Http404

from cso_portal.core.models import MailMessage


def addresses_of(user) -> set[str]:
    """Every email address of the user (primary and added ones), lower-cased."""
    addresses = {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    if user.email:
        addresses.add(user.email.lower())
    return addresses


def mail_visible_to(user):
    """Kept messages the user may read: those the console shows every message to (its
    ``view_mailmessage`` permission: superusers) see all; everyone else, court staff included
    (being staff opens the console, not other people's mail), what was sent to them."""
    messages = MailMessage.objects.all()
    if user.has_perm("core.view_mailmessage"):
        return messages
    return messages.filter(recipients__address__in=addresses_of(user)).distinct()


def get_mail_for_user(user, pk: int) -> MailMessage:
    """One kept message for the user; 404 alike when missing and when not theirs."""
    try:
        return mail_visible_to(user).get(pk=pk)
    except MailMessage.DoesNotExist:
        raise Http404 from None
