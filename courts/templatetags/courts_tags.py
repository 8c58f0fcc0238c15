"""Small template filters for the court pages and emails: ``{% load courts_tags %}``."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import template

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
