"""The NextGen go-live schedule: changes by court staff (announced to subscribers) and the
published history loaded with the catalog."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from courts.models import Court, GoLiveChange, Subscription
from courts.reference import ReferenceChange
from cso_portal.core import services as core_services

logger = logging.getLogger(__name__)

# Go-live dates a person may set: CM/ECF itself started in the late 1990s; a date past 2100
# is a typo (and breaks calendar feeds).
GO_LIVE_EARLIEST = dt.date(1995, 1, 1)
GO_LIVE_LATEST = dt.date(2100, 12, 31)


class ScheduleUnchanged(ValueError):
    """The new go-live date equals the current one: nothing to record or announce."""


@transaction.atomic
def change_go_live_date(
    *,
    court: Court,
    new_date: dt.date | None,
    actor,
    reason: str,
    now: dt.datetime,
    source: str = "",
) -> GoLiveChange:
    """Set or change a court's NextGen go-live date, with a history row, and email every
    confirmed subscriber of the court once (after commit, through the outbox)."""
    if new_date is not None and not (GO_LIVE_EARLIEST <= new_date <= GO_LIVE_LATEST):
        raise ValueError(f"go-live date {new_date} is outside {GO_LIVE_EARLIEST}–{GO_LIVE_LATEST}")
    court = Court.objects.select_for_update().get(pk=court.pk)
    if court.nextgen_date == new_date:
        raise ScheduleUnchanged(f"{court.id} already goes live on {new_date}")
    change = GoLiveChange.objects.create(
        court=court,
        old_date=court.nextgen_date,
        new_date=new_date,
        actor=actor,
        reason=reason,
        source=source,
        changed_at=now,
    )
    court.nextgen_date = new_date
    court.nextgen_date_confirmed = True
    court.nextgen_date_note = ""
    court.nextgen_source = source
    court.save(
        update_fields=[
            "nextgen_date",
            "nextgen_date_confirmed",
            "nextgen_date_note",
            "nextgen_source",
        ]
    )
    for subscription in court.subscriptions.filter(status=Subscription.Status.CONFIRMED):
        core_services.queue_email(
            dedupe_key=f"courts.schedule-change:{change.pk}:{subscription.pk}",
            to=subscription.email,
            template="courts/email/schedule_change",
            context={
                "subscription_id": subscription.pk,
                "court_id": court.id,
                "court_name": court.name,
                "old_date": change.old_date.isoformat() if change.old_date else "",
                "new_date": change.new_date.isoformat() if change.new_date else "",
                "reason": reason,
            },
        )
    logger.info(
        "court %s go-live changed %s -> %s by %s", court.id, change.old_date, new_date, actor
    )
    return change


@transaction.atomic
def load_reference_schedule(
    *,
    court: Court,
    steps: list[ReferenceChange],
    confirmed: bool,
    note: str,
    source: str,
    now: dt.datetime,
) -> bool:
    """Record a court's published schedule the first time reference data is loaded.

    A court that already has schedule history keeps it (clerks may have changed it since),
    so loading twice changes nothing. Returns True if the schedule was recorded. Sends no
    email: this is history, not news.
    """
    court = Court.objects.select_for_update().get(pk=court.pk)
    if court.schedule_changes.exists():
        return False
    previous = None
    for step in steps:
        GoLiveChange.objects.create(
            court=court,
            old_date=previous,
            new_date=step.new_date,
            actor=None,
            reason=step.reason,
            source=step.source,
            changed_at=now,
        )
        previous = step.new_date
    court.nextgen_date = previous
    court.nextgen_date_confirmed = confirmed
    court.nextgen_date_note = note
    court.nextgen_source = source
    court.save(
        update_fields=[
            "nextgen_date",
            "nextgen_date_confirmed",
            "nextgen_date_note",
            "nextgen_source",
        ]
    )
    return True
