"""iCalendar (RFC 5545) feeds of NextGen go-live dates: one all-day event per court.

A small, pure generator: no database, no clock, no settings. The caller passes the courts,
the moment of generation (``DTSTAMP``) and the site's absolute URL, and gets the text of a
calendar back: CRLF line endings, content lines folded at 75 octets, TEXT values escaped
(backslash, semicolon, comma, newline)::

    text = ical.build_calendar(
        name="NextGen CM/ECF go-live dates",
        events=[ical.go_live_event(court, site_url=settings.CSO_SITE_URL) for court in courts],
        now=clock.now(),
    )
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

PRODID = "-//CSO Portal (training simulation)//NextGen go-live dates//EN"
UID_DOMAIN = "cso-portal.test"
CRLF = "\r\n"
MAX_LINE_OCTETS = 75


@dataclass(frozen=True)
class AllDayEvent:
    """One all-day VEVENT."""

    uid: str
    day: dt.date
    summary: str
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT property value (RFC 5545 §3.3.11): escape \\ ; , and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 §3.1).

    Continuation lines start with one space, which counts towards their 75 octets; a
    multi-octet UTF-8 character is never split.
    """
    pieces: list[str] = []
    current, size, limit = [], 0, MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: AllDayEvent, *, now: dt.datetime) -> list[str]:
    """The unfolded content lines of one VEVENT; DTEND is the next day (exclusive)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc_stamp(now)}",
        f"DTSTART;VALUE=DATE:{_date(event.day)}",
        f"DTEND;VALUE=DATE:{_date(event.day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL;VALUE=URI:{event.url}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def build_calendar(*, name: str, events: Iterable[AllDayEvent], now: dt.datetime) -> str:
    """The whole VCALENDAR as text, ready to send as ``text/calendar; charset=utf-8``."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += event_lines(event, now=now)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def go_live_event(court, *, site_url: str) -> AllDayEvent:
    """A court's go-live day as an event; ``court`` must have a ``nextgen_date``.

    ``site_url`` is the portal's absolute root (``settings.CSO_SITE_URL``); the texts are in
    the active language.
    """
    if court.nextgen_date is None:
        raise ValueError(f"court {court.id} has no go-live date")
    url = site_url.rstrip("/") + reverse("courts:detail", kwargs={"court_id": court.id})
    description = []
    if not court.nextgen_date_confirmed:
        description.append(_("Unconfirmed date: the only source is tentative."))
        if court.nextgen_date_note:
            description.append(
                _("The source gave it as: %(note)s") % {"note": court.nextgen_date_note}
            )
    if court.nextgen_source:
        description.append(_("Source: %(source)s") % {"source": court.nextgen_source})
    description.append(_("Court page: %(url)s") % {"url": url})
    description.append(_("From CSO Portal, a training simulation."))
    return AllDayEvent(
        uid=f"{court.id}-nextgen@{UID_DOMAIN}",
        day=court.nextgen_date,
        summary=_("%(court)s: NextGen CM/ECF go-live") % {"court": court.name},
        description="\n".join(description),
        url=url,
    )
