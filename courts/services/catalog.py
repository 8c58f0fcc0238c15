"""Loading the court catalog (``manage.py load_courts``): creates, updates, never duplicates."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from courts.models import Court, CourtCounty
from courts.reference import (
    SCHEDULE_FIELDS,
    SEED_COURT_FIELDS,
    Feed,
    FeedCourt,
    ReferenceDataError,
    build_schedules,
    read_feed,
    read_go_live_csv,
)
from courts.services.schedule import load_reference_schedule


@dataclass
class LoadReport:
    feed_date: dt.date
    courts_by_type: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counties_created: int = 0
    counties_removed: int = 0
    counties_total: int = 0
    schedules_recorded: int = 0
    schedules_kept: int = 0


def _court_values(feed_court: FeedCourt, feed_date: dt.date, existing: Court | None) -> dict:
    values = {key: value for key, value in feed_court.fields.items() if key != "id"}
    evidence = feed_date if feed_court.is_nextgen else None
    # Evidence only ever moves earlier: a later feed doesn't make a court NextGen later.
    seen = existing.nextgen_evidence_date if existing is not None else None
    if seen is not None and (evidence is None or seen < evidence):
        evidence = seen
    values["nextgen_evidence_date"] = evidence
    values.update(SEED_COURT_FIELDS.get(feed_court.id, {}))
    if existing is None:  # only when created: a reload must not undo a later change
        values["link_review_required"] = values["court_type"] != Court.CourtType.APPELLATE
    if SCHEDULE_FIELDS & values.keys():
        raise ReferenceDataError("only load_reference_schedule sets a court's schedule")
    return values


def _sync_courts(feed: Feed, report: LoadReport) -> dict[str, Court]:
    existing = Court.objects.in_bulk([court.id for court in feed.courts])
    new = []
    for feed_court in feed.courts:
        court = existing.get(feed_court.id)
        values = _court_values(feed_court, feed.updated_on, court)
        if court is None:
            new.append(Court(id=feed_court.id, **values))
            continue
        changed = [name for name, value in values.items() if getattr(court, name) != value]
        if changed:
            for name in changed:
                setattr(court, name, values[name])
            court.save(update_fields=changed)
            report.updated += 1
        else:
            report.unchanged += 1
    Court.objects.bulk_create(new)
    report.created = len(new)
    return existing | {court.id: court for court in new}


def _sync_counties(feed: Feed, report: LoadReport) -> None:
    wanted = {(court.id, state, name) for court in feed.courts for state, name in court.counties}
    have = {
        (court_id, state, name): pk
        for pk, court_id, state, name in CourtCounty.objects.filter(
            court_id__in=[court.id for court in feed.courts]
        ).values_list("pk", "court_id", "state", "name")
    }
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        CourtCounty.objects.filter(pk__in=stale).delete()
    missing = sorted(wanted - have.keys())
    CourtCounty.objects.bulk_create(
        [
            CourtCounty(court_id=court_id, state=state, name=name)
            for court_id, state, name in missing
        ],
        batch_size=2000,
    )
    report.counties_removed = len(stale)
    report.counties_created = len(missing)
    report.counties_total = len(wanted)


@transaction.atomic
def load_reference_data(
    *, now: dt.datetime, feed: Feed | None = None, go_live_rows: list[dict] | None = None
) -> LoadReport:
    """Create or update the 208 courts, their counties and their published schedules.

    Idempotent: unchanged courts and counties are not written, and a court's schedule is
    recorded only the first time (load_reference_schedule), so a clerk's later change stays.
    """
    feed = feed or read_feed()
    schedules = build_schedules(feed, read_go_live_csv() if go_live_rows is None else go_live_rows)
    report = LoadReport(
        feed_date=feed.updated_on,
        courts_by_type=dict(Counter(court.fields["court_type"] for court in feed.courts)),
    )
    courts = _sync_courts(feed, report)
    _sync_counties(feed, report)
    for court_id, schedule in schedules.items():
        recorded = load_reference_schedule(
            court=courts[court_id],
            steps=list(schedule.steps),
            confirmed=schedule.confirmed,
            note=schedule.note,
            source=schedule.source,
            now=now,
        )
        if recorded:
            report.schedules_recorded += 1
        else:
            report.schedules_kept += 1
    return report
