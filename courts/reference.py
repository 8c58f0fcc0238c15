"""Reference data for the court catalog: reading and parsing (``manage.py load_courts`` loads it).

Three sources, in ``courts/data/`` and in the seeds:

* PACER's "Court CM/ECF Lookup" feed of 10 January 2023: the 208 CM/ECF courts, their
  names, URLs, limits, help desks, offices and counties. Every court in it runs NextGen.
* ``nextgen-go-live-dates.csv``: the go-live dates we found for 42 courts, with sources.
* The court notices in the seeds (Arkansas, Arizona and Southern Florida bankruptcy courts),
  which override the CSV for those courts — ``SEED_SCHEDULE`` below.

Parsing here is pure (no database); ``courts.services.catalog.load_reference_data`` writes the
result in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from courts.models import Court

DATA_DIR = Path(__file__).resolve().parent / "data"
FEED_PATH = DATA_DIR / "pacer-court-cmecf-lookup-2023-01.json"
GO_LIVE_CSV_PATH = DATA_DIR / "nextgen-go-live-dates.csv"

EXPECTED_COURT_COUNT = 208

# Feed entries that are not CM/ECF courts.
EXCLUDED_FEED_CODES = {
    "00PCL": "the PACER Case Locator is a search service, not a court",
    "SCOTUS": "the Supreme Court has no CM/ECF",
}

COURT_TYPES = {
    "District": Court.CourtType.DISTRICT.value,
    "Bankruptcy": Court.CourtType.BANKRUPTCY.value,
    "Appeals": Court.CourtType.APPELLATE.value,
    "National": Court.CourtType.NATIONAL.value,
}

# The bankruptcy appellate panels share their circuit's ECF host (ecf.ca9…), so their id
# comes from the feed code instead: 01BAP → bap1.
BAP_FEED_CODE = re.compile(r"(\d{2})BAP")

# Main state of the courts the feed lists without counties. The national courts and the
# Federal Circuit serve no one state and stay blank.
STATE_WITHOUT_COUNTIES = {
    "ohndad": "Ohio",  # the N.D. Ohio asbestos instance
    "nmib": "Northern Mariana Islands",
    "nmid": "Northern Mariana Islands",
}

# The feed spells some states two ways; counties and courts use one.
STATE_ALIASES = {"Northern Marianas": "Northern Mariana Islands"}

# A court_name that is the CM/ECF database's label, not a name (CIT's is "Live Database").
PLACEHOLDER_COURT_NAMES = {"Live Database"}

LOCATION_KEYS = ("name", "address", "email", "hours", "phone")

# Only load_reference_schedule (and clerks, through services) set these.
SCHEDULE_FIELDS = frozenset(
    {"nextgen_date", "nextgen_date_confirmed", "nextgen_date_note", "nextgen_source"}
)


@dataclass(frozen=True)
class ReferenceChange:
    """One published step of a court's schedule, for loading reference data."""

    new_date: dt.date | None
    reason: str
    source: str = ""


class ReferenceDataError(Exception):
    """The reference data contradicts itself or our expectations: load nothing."""


# The court notices (seeds) ---------------------------------------------------------------


def seed_source(number: str) -> str:
    return f"Court notice (seed {number})"


_AR_ANNOUNCED = (
    "Announced in “Next Generation of CM/ECF (NextGen) Coming Soon – Get Ready!!” (seed 001): "
    "the Western District upgrades on February 1, 2021, the Eastern District on February 8, 2021"
)
_AR_RESCHEDULED = (
    "Rescheduled in “NextGen Information” (seed 000): “Arkansas Bankruptcy Court will implement "
    "NextGen CM/ECF for the Eastern and Western District on March 29, 2021”"
)

# Each court's published steps, oldest first; these override the CSV for these courts.
SEED_SCHEDULE: dict[str, tuple[ReferenceChange, ...]] = {
    "arwb": (
        ReferenceChange(dt.date(2021, 2, 1), _AR_ANNOUNCED, seed_source("001")),
        ReferenceChange(dt.date(2021, 3, 29), _AR_RESCHEDULED, seed_source("000")),
    ),
    "areb": (
        ReferenceChange(dt.date(2021, 2, 8), _AR_ANNOUNCED, seed_source("001")),
        ReferenceChange(dt.date(2021, 3, 29), _AR_RESCHEDULED, seed_source("000")),
    ),
    "azb": (
        ReferenceChange(
            dt.date(2021, 6, 28),
            "“The U.S. Bankruptcy Court of Arizona upgraded its CM/ECF system to the Next "
            "Generation of CM/ECF (NextGen) on June 28, 2021” (seed 003)",
            seed_source("003"),
        ),
    ),
    "flsb": (
        ReferenceChange(
            dt.date(2022, 4, 4),
            "“CM/ECF NextGen is LIVE!” — the court transitioned to NextGen on April 4, 2022 "
            "(seed 004)",
            seed_source("004"),
        ),
    ),
}

# Other court facts the notices give (set with the feed's fields, on every load).
SEED_COURT_FIELDS: dict[str, dict] = {
    "flsb": {
        # "If you don't know your court-issued credentials, reset your password before
        # March 26, 2022." / new attorneys "must complete a local registration form … LF-95".
        "password_reset_deadline": dt.date(2022, 3, 26),
        "required_local_form": "LF-95",
    },
}


# Text helpers --------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_LINE_BREAK_TAG = re.compile(r"<\s*(?:br|/?p)\s*/?\s*>", re.IGNORECASE)


def clean_text(value) -> str:
    """HTML entities unescaped, whitespace collapsed; None → ""."""
    if value is None:
        return ""
    return " ".join(html.unescape(str(value)).split())


def plain_text(value) -> str:
    """Feed HTML (``<BR>``, ``<b>``, links, ``&#064;``) as plain text, one line per <br>/<p>."""
    if value is None:
        return ""
    text = _TAG.sub("", _LINE_BREAK_TAG.sub("\n", str(value)))
    lines = (" ".join(html.unescape(line).split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# Dates and sizes -----------------------------------------------------------------------------

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + ")"
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?!\d)")
_MONTH_FIRST_DATE = re.compile(
    rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?[.,]?\s+(\d{{4}})\b", re.IGNORECASE
)
_DAY_FIRST_DATE = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_VERSION = re.compile(r"\bversion\b|\b\d+\.\d+\b", re.IGNORECASE)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # as strptime's %y: 69–99 → 19xx, 00–68 → 20xx
        year += 1900 if year >= 69 else 2000
    return year


def _dates_in(text: str):
    for month, day, year in _NUMERIC_DATE.findall(text):
        yield _year(year), int(month), int(day)
    for month, day, year in _MONTH_FIRST_DATE.findall(text):
        yield int(year), _MONTH_NUMBERS[month.lower()], int(day)
    for day, month, year in _DAY_FIRST_DATE.findall(text):
        yield int(year), _MONTH_NUMBERS[month.lower()], int(day)


def parse_cmecf_since(value) -> dt.date | None:
    """The feed's free-text ``go_live_date``: "12/17/2001", "6/1/07", "October 17, 2005",
    "5 July 2005", "[08/02/04]", "January 21st, 2003"…

    Text giving several dates (civil, then criminal…) means the earliest. Month-only text
    ("April 2002") and a software release's date ("6.1 date 2/15/2014", "CM/ECF version
    3.1.2 - Oct. 16, 2006") are not a go-live date: None.
    """
    text = clean_text(value)
    if not text or _VERSION.search(text):
        return None
    dates = []
    for year, month, day in _dates_in(text):
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    return min(dates, default=None)


_LEADING_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)")
_SIZE_FIELD = Court._meta.get_field("pdf_size_limit_mb")
MAX_SIZE_MB = Decimal(10) ** (_SIZE_FIELD.max_digits - _SIZE_FIELD.decimal_places) - Decimal("0.01")


def parse_megabytes(value) -> Decimal | None:
    """The leading number of "50", "35 MB", "50.0MB", "25.0 MB Per PDF Document…".

    Blank, or a number the field cannot hold (one court says "300000 MB"), → None.
    """
    match = _LEADING_NUMBER.match(clean_text(value))
    if match is None:
        return None
    try:
        size = Decimal(match.group(1)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return size if size <= MAX_SIZE_MB else None


def parse_feed_date(last_updated: str) -> dt.date:
    """meta.last_updated, "Tue, 10 Jan 2023 06:10:05 -0500" → the date it names."""
    return parsedate_to_datetime(last_updated).date()


# The feed -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedCourt:
    """One court as the feed describes it: Court field values and its (state, county) pairs."""

    fields: dict
    counties: frozenset[tuple[str, str]]
    is_nextgen: bool

    @property
    def id(self) -> str:
        return self.fields["id"]

    @property
    def feed_code(self) -> str:
        return self.fields["feed_code"]


@dataclass(frozen=True)
class Feed:
    updated_on: dt.date
    courts: tuple[FeedCourt, ...]

    def by_id(self) -> dict[str, FeedCourt]:
        return {court.id: court for court in self.courts}


def court_id_for(feed_code: str, login_url: str | None) -> str:
    """The PACER id the court's ECF host uses: https://ecf.areb.uscourts.gov → areb,
    https://ecf.ohndad.ohnd.uscourts.gov → ohndad; the BAPs (01BAP…) → bap1…"""
    bap = BAP_FEED_CODE.fullmatch(feed_code)
    if bap:
        return f"bap{int(bap.group(1))}"
    labels = (urlsplit(login_url or "").hostname or "").split(".")
    if len(labels) < 3 or labels[0] != "ecf":
        raise ReferenceDataError(f"{feed_code}: no ECF host in login_url {login_url!r}")
    return labels[1]


def _help_desk(entries) -> list[dict]:
    desks = []
    for entry in entries or []:
        phone = clean_text(entry.get("phone"))
        extension = clean_text(entry.get("phoneExt"))
        if extension:
            phone = f"{phone} ext. {extension}"
        desk = {"phone": phone, "division": clean_text(entry.get("division"))}
        if desk["phone"] or desk["division"]:
            desks.append(desk)
    return desks


def _locations(entries) -> list[dict]:
    if isinstance(entries, dict):  # a few courts give {"0": {...}, "1": {...}}
        entries = [entries[key] for key in sorted(entries, key=int)]
    locations = []
    for entry in entries or []:
        location = {key: plain_text(entry.get(key)) for key in LOCATION_KEYS}
        if any(location.values()):
            locations.append(location)
    return locations


def _counties(entries) -> frozenset[tuple[str, str]]:
    counties = set()
    for entry in entries or []:
        name = clean_text(entry.get("name"))
        # Hawaii's courts list "American Samoa" without a state: the territory itself.
        state = clean_text(entry.get("state")) or name
        state = STATE_ALIASES.get(state, state)
        if name:
            counties.add((state, name))
    return frozenset(counties)


def _main_state(court_id: str, counties: frozenset[tuple[str, str]]) -> str:
    """The state most of the court's counties are in (ties: alphabetically first)."""
    states = Counter(state for state, _name in counties)
    if not states:
        return STATE_WITHOUT_COUNTIES.get(court_id, "")
    return min(states, key=lambda state: (-states[state], state))


def parse_court(entry: dict) -> FeedCourt:
    feed_code = entry["court_id"]
    court_type = COURT_TYPES.get(entry.get("type"))
    if court_type is None:
        raise ReferenceDataError(f"{feed_code}: unknown court type {entry.get('type')!r}")
    court_id = court_id_for(feed_code, entry.get("login_url"))
    name = clean_text(entry.get("title"))
    official_name = clean_text(entry.get("court_name"))
    if not official_name or official_name in PLACEHOLDER_COURT_NAMES:
        official_name = name
    software_version = clean_text(entry.get("software_version"))
    counties = _counties(entry.get("counties"))
    fields = {
        "id": court_id,
        "feed_code": feed_code,
        "name": name,
        "official_name": official_name,
        "court_type": court_type,
        "circuit": clean_text(entry.get("circuit")),
        # Appellate courts serve several states: they are found by state through counties.
        "state": "" if court_type == "appellate" else _main_state(court_id, counties),
        "web_url": clean_text(entry.get("web_url")),
        "ecf_url": clean_text(entry.get("login_url")),
        "rss_url": clean_text(entry.get("rss_url")),
        "software_version": software_version,
        "cmecf_since": parse_cmecf_since(entry.get("go_live_date")),
        "pdf_size_limit_mb": parse_megabytes(entry.get("pdf_size")),
        "merge_doc_size_limit_mb": parse_megabytes(entry.get("merge_doc_size")),
        "help_desk": _help_desk(entry.get("help_desk")),
        "locations": _locations(entry.get("locations")),
    }
    return FeedCourt(
        fields=fields,
        counties=counties,
        is_nextgen="nextgen" in software_version.lower(),
    )


def parse_feed(data: dict) -> Feed:
    """The feed's JSON → the 208 CM/ECF courts; raises ReferenceDataError when it doesn't add up."""
    courts = tuple(
        parse_court(entry) for entry in data["data"] if entry["court_id"] not in EXCLUDED_FEED_CODES
    )
    for label, values in (
        ("court id", [c.id for c in courts]),
        ("feed code", [c.feed_code for c in courts]),
    ):
        duplicates = sorted(value for value, n in Counter(values).items() if n > 1)
        if duplicates:
            raise ReferenceDataError(f"duplicate {label}s in the feed: {', '.join(duplicates)}")
    if len(courts) != EXPECTED_COURT_COUNT:
        raise ReferenceDataError(
            f"expected {EXPECTED_COURT_COUNT} CM/ECF courts in the feed, found {len(courts)}"
        )
    return Feed(updated_on=parse_feed_date(data["meta"]["last_updated"]), courts=courts)


def read_feed(path: Path = FEED_PATH) -> Feed:
    return parse_feed(json.loads(path.read_text(encoding="utf-8")))


# The go-live schedule --------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """A court's published go-live schedule, as load_reference_schedule takes it."""

    steps: tuple[ReferenceChange, ...]
    confirmed: bool = True
    note: str = ""
    source: str = ""


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def parse_go_live_row(row: dict) -> Schedule:
    """One CSV row: "2018-10-22 (implementation …)" → 2018-10-22 with the text as note;
    "2022-02-01?" → a date, unconfirmed; "~end of January 2022" → no date, unconfirmed."""
    text = row["nextgen_date"].strip()
    status = row["date_status"].strip()
    match = _ISO_DATE.match(text)
    day = dt.date.fromisoformat(match.group(1)) if match else None
    confirmed = day is not None and "UNCONFIRMED" not in status.upper() and not text.endswith("?")
    note = "" if day is not None and text == day.isoformat() else text
    source = row["source"].strip()
    return Schedule(
        steps=(ReferenceChange(new_date=day, reason=status, source=source),),
        confirmed=confirmed,
        note=note,
        source=source,
    )


def read_go_live_csv(path: Path = GO_LIVE_CSV_PATH) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def build_schedules(feed: Feed, rows: list[dict]) -> dict[str, Schedule]:
    """Court id → schedule: the CSV's, then the seeds' over it."""
    by_code = {court.feed_code: court for court in feed.courts}
    schedules = {}
    for row in rows:
        court = by_code.get(row["pacer_feed_id"])
        if court is None:
            raise ReferenceDataError(f"go-live CSV: no court {row['pacer_feed_id']} in the feed")
        if court.id != row["court_id"] or court.fields["court_type"] != row["type"]:
            raise ReferenceDataError(
                f"go-live CSV: {row['pacer_feed_id']} is {row['court_id']} ({row['type']}) there "
                f"but {court.id} ({court.fields['court_type']}) in the feed"
            )
        if court.id in schedules:
            raise ReferenceDataError(f"go-live CSV: {court.id} appears twice")
        schedules[court.id] = parse_go_live_row(row)
    known = feed.by_id()
    for court_id, steps in SEED_SCHEDULE.items():
        if court_id not in known:
            raise ReferenceDataError(f"seed schedule: no court {court_id} in the feed")
        schedules[court_id] = Schedule(steps=steps, source=steps[-1].source)
    return schedules
