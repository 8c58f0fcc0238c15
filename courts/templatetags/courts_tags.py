"""Small template filters for the court pages and emails: ``{% load courts_tags %}``."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import template
from django.urls import reverse

from courts.forms import CIRCUIT_LABELS

register = template.Library()


@register.filter
def isodate(value) -> dt.date | None:
    """An ISO date string ("2021-03-29", as emails carry dates) as a date; None if empty or
    not a date, so ``{{ old_date|isodate|date:"j F Y"|default:"…" }}`` reads well."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def circuit_label(code: str) -> str:
    """A circuit code as words: "08" → "8th Circuit", "DC" → "D.C. Circuit"; others as they are."""
    return str(CIRCUIT_LABELS.get(code, code or ""))


@register.filter
def decimal_mb(value) -> str:
    """A size in MB without needless decimals: 10.00 → "10", 2.50 → "2.5"."""
    if value is None:
        return ""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


@register.filter
def is_url(value) -> bool:
    """True for an http(s) address (a source may be a URL or a description)."""
    return isinstance(value, str) and value.startswith(("https://", "http://"))


@register.filter
def url_host(value: str) -> str:
    """The host of an address, as short link text: "https://www.flsb.uscourts.gov/x" →
    "www.flsb.uscourts.gov" (the whole address stays in the link)."""
    return urlsplit(str(value)).hostname or str(value)


# Subscription links are built when an email is rendered (at delivery), from the
# subscription's id: the outbox stores no link or token.


@register.simple_tag
def unsubscribe_path(subscription_id: int) -> str:
    """The one-click unsubscribe path for a subscription ("" if it no longer exists)."""
    from courts import tokens
    from courts.models import Subscription

    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return ""
    return reverse("courts:subscription_unsubscribe", args=[tokens.unsubscribe_token(subscription)])


@register.simple_tag
def confirm_path(subscription_id: int) -> str:
    """The confirmation path for a subscription's latest confirmation email."""
    from courts import tokens
    from courts.models import Subscription

    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return ""
    return reverse("courts:subscription_confirm", args=[tokens.confirm_token(subscription)])
