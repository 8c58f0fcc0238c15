"""Template tags of filing's pages and emails: links built when the email is rendered, so
the outbox holds ids only (ADR 0002)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.urls import reverse

from filing.models import Nef
from filing.services.efiling import EVENTS, free_look_token

register = template.Library()


@register.simple_tag
def free_look_path(nef_id: int) -> str:
    """The path of the free-look link of NEF ``nef_id`` (signed over the row id)."""
    return reverse("filing:free_look", args=[free_look_token(int(nef_id))])


@register.simple_tag
def nef_notice(nef_id: int) -> Nef | None:
    """The NEF row with its entry, case, court and document (one query), or None."""
    return (
        Nef.objects.select_related("entry__case__court", "entry__document", "recipient")
        .filter(pk=int(nef_id))
        .first()
    )


@register.filter
def event_label(code: str) -> str:
    """The label of an event code ("motion" → "Motion"); the code itself when unknown."""
    event = EVENTS.get(code)
    return str(event.label) if event else code


@register.filter
def dollars(amount) -> str:
    """ "$3.00" for Decimal('3'), "$0.00" for None."""
    value = Decimal(amount or 0).quantize(Decimal("0.01"))
    return f"${value:,}"
