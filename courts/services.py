"""Use cases of courts: schedule changes, email updates, court staff. Every change of court
state goes through one function here."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from courts import tokens
from courts.access import COURT_STAFF_GROUP, PSC_GROUP
from courts.models import Court, CourtStaff, GoLiveChange, Subscription
from cso_portal.core import services as core_services

logger = logging.getLogger(__name__)

# A new confirmation email for the same address and court at most this often (no mail bombs).
CONFIRMATION_RESEND_AFTER = dt.timedelta(minutes=10)


# Go-live dates a person may set: CM/ECF itself started in the late 1990s; a date past 2100
# is a typo (and breaks calendar feeds).
GO_LIVE_EARLIEST = dt.date(1995, 1, 1)
GO_LIVE_LATEST = dt.date(2100, 12, 31)


class ScheduleUnchanged(ValueError):
    """The new go-live date equals the current one: nothing to record or announce."""


# Schedule -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceChange:
    """One published step of a court's schedule, for loading reference data."""

    new_date: dt.date | None
    reason: str
    source: str = ""


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


# Email updates (seed 003: "subscribe for automatic notices when this page is updated") -------


@transaction.atomic
def subscribe(*, court: Court, email: str, now: dt.datetime) -> Subscription:
    """Ask for email updates about a court: sends a confirmation link (double opt-in).

    The same answer whatever the address's state, so the page reveals nothing; an already
    confirmed subscription stays as it is, and confirmations are not resent within minutes.
    """
    email = email.strip().lower()
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        court=court, email=email, defaults={"created_at": now}
    )
    if subscription.status == Subscription.Status.CONFIRMED:
        return subscription
    recently_sent = subscription.confirmation_sent_at and (
        abs(now - subscription.confirmation_sent_at) < CONFIRMATION_RESEND_AFTER
    )
    if recently_sent:
        return subscription
    subscription.status = Subscription.Status.PENDING
    subscription.confirmation_sent_at = now
    subscription.save(update_fields=["status", "confirmation_sent_at"])
    core_services.queue_email(
        dedupe_key=f"courts.subscribe-confirm:{subscription.pk}:{now.isoformat()}",
        to=email,
        template="courts/email/confirm_subscription",
        context={
            "subscription_id": subscription.pk,
            "court_id": court.id,
            "court_name": court.name,
        },
    )
    return subscription


def _subscription_for(subscription_id: int) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("court")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise tokens.BadToken
    return subscription


@transaction.atomic
def confirm_subscription(*, token: str, now: dt.datetime) -> Subscription:
    """Confirm a subscription from its latest emailed link. Confirming twice is fine; an old
    link (after unsubscribing, or superseded by a newer email) raises BadToken."""
    subscription_id, digest = tokens.read_confirm_token(token)
    subscription = _subscription_for(subscription_id)
    if not tokens.confirm_digest_matches(subscription, digest):
        raise tokens.BadToken
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        raise tokens.BadToken
    if subscription.status == Subscription.Status.PENDING:
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.save(update_fields=["status", "confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(*, token: str, now: dt.datetime) -> Subscription:
    """Stop email updates from the link in any message (idempotent). Raises BadToken."""
    subscription_id, digest = tokens.read_unsubscribe_token(token)
    subscription = _subscription_for(subscription_id)
    if not tokens.unsubscribe_digest_matches(subscription, digest):
        raise tokens.BadToken
    if subscription.status != Subscription.Status.UNSUBSCRIBED:
        subscription.status = Subscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = now
        subscription.save(update_fields=["status", "unsubscribed_at"])
    return subscription


# Court staff ------------------------------------------------------------------------------


def _group_with(name: str, permissions: list[tuple[str, str]]) -> Group:
    """The named group, holding (at least) the given (app label, codename) permissions."""
    group, _created = Group.objects.get_or_create(name=name)
    wanted = Permission.objects.none()
    for app_label, codename in permissions:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*wanted)
    return group


# What each kind of staff may open in the console. Which courts they see is decided per
# object by ``courts.access``, not by these.
COURT_STAFF_PERMISSIONS = [
    ("courts", "view_court"),
    ("courts", "view_golivechange"),
    ("courts", "view_courtstaff"),
    ("courts", "view_subscription"),
]
PSC_PERMISSIONS = [
    *COURT_STAFF_PERMISSIONS,
    ("courts", "add_courtstaff"),
    ("courts", "delete_courtstaff"),
    ("core", "view_clockchange"),
    ("core", "add_clockchange"),
    ("core", "view_outboundemail"),
    ("core", "view_heartbeat"),
    ("accounts", "view_user"),
    ("accounts", "change_user"),
    ("accounts", "view_accountevent"),
]


@transaction.atomic
def add_court_staff(*, court: Court, user, role: str, now: dt.datetime) -> CourtStaff:
    """Make ``user`` a clerk (or help desk member) of ``court``; gives console access."""
    staff, _created = CourtStaff.objects.update_or_create(
        court=court, user=user, defaults={"role": role, "since": now}
    )
    user.groups.add(_group_with(COURT_STAFF_GROUP, COURT_STAFF_PERMISSIONS))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return staff


@transaction.atomic
def remove_court_staff(*, court: Court, user) -> None:
    """End ``user``'s role at ``court``; without any court left they leave the court staff
    group, and lose console access unless they are PACER Service Center staff."""
    from courts.access import is_psc_staff

    CourtStaff.objects.filter(court=court, user=user).delete()
    if CourtStaff.objects.filter(user=user).exists():
        return
    user.groups.remove(*Group.objects.filter(name=COURT_STAFF_GROUP))
    if user.is_staff and not is_psc_staff(user):
        user.is_staff = False
        user.save(update_fields=["is_staff"])


@transaction.atomic
def make_psc_staff(*, user) -> None:
    """Make ``user`` PACER Service Center staff: every court, the console's PSC pages."""
    user.groups.add(_group_with(PSC_GROUP, PSC_PERMISSIONS))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
