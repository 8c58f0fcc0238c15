"""Clerk readiness statistics: per court the user manages, how far its filers are on the way to
NextGen CM/ECF — the share of its CM/ECF logins linked, the link requests waiting and their
age, the median time to a decision, the e-file registrations waiting and the go-live countdown.

Read-only, and a fixed number of aggregate queries whatever the number of rows (the scope
check, the courts, the login counts, the request counts, the median age and the median time
to decision, the registration counts).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from courts.access import courts_managed_by, is_psc_staff
from filing.models import EfileRegistration
from linking.admin_views import _median_to_decision
from linking.models import CmecfAccount, LinkRequest

OPEN = LinkRequest.OPEN_STATUSES


@dataclasses.dataclass
class CourtStatistics:
    """One court's readiness numbers (ages and durations as timedeltas)."""

    court_id: str
    court_name: str
    nextgen_date: dt.date | None
    days_to_go_live: int | None  # negative once live; None without a date
    linked: int = 0
    active_unlinked: int = 0
    requests_pending: int = 0
    oldest_pending_age: dt.timedelta | None = None
    median_pending_age: dt.timedelta | None = None
    median_to_decision: dt.timedelta | None = None
    registrations_pending: int = 0

    @property
    def linkable(self) -> int:
        """Logins that are linked or could be (active and not linked)."""
        return self.linked + self.active_unlinked

    @property
    def linked_share(self) -> float | None:
        """Linked over linked + active unlinked (None without any)."""
        return self.linked / self.linkable if self.linkable else None

    @property
    def linked_percent(self) -> str:
        share = self.linked_share
        return "" if share is None else f"{share * 100:.1f}"


def _median_submitted(requests) -> dict[str, dt.datetime]:
    """Median submission time of each court's open requests, in SQL (the middle one or two
    by submission time; two are averaged), like ``linking.admin_views._median_to_decision``."""
    middle = (
        requests.filter(status__in=OPEN)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("court_id")], order_by=F("submitted_at").asc()
            ),
            court_total=Window(Count("pk"), partition_by=[F("court_id")]),
        )
        .filter(rank__gte=(F("court_total") + 1) / 2, rank__lte=(F("court_total") + 2) / 2)
        .values_list("court_id", "submitted_at")
    )
    halves: dict[str, list[dt.datetime]] = {}
    for court_id, submitted_at in middle:
        halves.setdefault(court_id, []).append(submitted_at)
    return {cid: pair[0] + (pair[-1] - pair[0]) / 2 for cid, pair in halves.items()}


def readiness_statistics(user, *, now: dt.datetime, today: dt.date) -> list[CourtStatistics]:
    """The numbers per court ``user`` manages (clerks: each of their courts; PACER Service
    Center staff: every court with a CM/ECF login, a link request or a registration), by
    court id. Ages are measured from ``now``; the countdown from ``today``."""
    managed = courts_managed_by(user)
    accounts = CmecfAccount.objects.filter(court__in=managed).order_by()
    requests = LinkRequest.objects.filter(court__in=managed).order_by()
    registrations = EfileRegistration.objects.filter(court__in=managed).order_by()
    courts = managed.order_by("pk")
    if is_psc_staff(user):
        court = OuterRef("pk")
        courts = courts.filter(
            Exists(CmecfAccount.objects.filter(court=court))
            | Exists(LinkRequest.objects.filter(court=court))
            | Exists(EfileRegistration.objects.filter(court=court))
        )
    rows = {
        court_id: CourtStatistics(
            court_id=court_id,
            court_name=name,
            nextgen_date=nextgen_date,
            days_to_go_live=(nextgen_date - today).days if nextgen_date else None,
        )
        for court_id, name, nextgen_date in courts.values_list("pk", "name", "nextgen_date")
    }
    for counts in accounts.values("court_id").annotate(
        linked=Count("pk", filter=Q(linked_account__isnull=False)),
        active_unlinked=Count(
            "pk", filter=Q(linked_account__isnull=True, status=CmecfAccount.Status.ACTIVE)
        ),
    ):
        if counts["court_id"] in rows:
            row = rows[counts["court_id"]]
            row.linked, row.active_unlinked = counts["linked"], counts["active_unlinked"]
    for counts in requests.values("court_id").annotate(
        pending=Count("pk", filter=Q(status__in=OPEN)),
        oldest=Min("submitted_at", filter=Q(status__in=OPEN)),
    ):
        if counts["court_id"] in rows:
            row = rows[counts["court_id"]]
            row.requests_pending = counts["pending"]
            row.oldest_pending_age = now - counts["oldest"] if counts["oldest"] else None
    for court_id, submitted_at in _median_submitted(requests).items():
        if court_id in rows:
            rows[court_id].median_pending_age = now - submitted_at
    for court_id, median in _median_to_decision(requests).items():
        if court_id in rows:
            rows[court_id].median_to_decision = median
    for counts in registrations.values("court_id").annotate(
        pending=Count("pk", filter=Q(status=EfileRegistration.Status.PENDING_REVIEW))
    ):
        if counts["court_id"] in rows:
            rows[counts["court_id"]].registrations_pending = counts["pending"]
    return list(rows.values())


def _hours(duration: dt.timedelta | None) -> str:
    return "" if duration is None else f"{duration.total_seconds() / 3600:.1f}"


CSV_COLUMNS = (
    "court_id",
    "court_name",
    "nextgen_date",
    "days_to_go_live",
    "linked",
    "active_unlinked",
    "linked_percent",
    "link_requests_pending",
    "oldest_pending_hours",
    "median_pending_hours",
    "median_to_decision_hours",
    "efile_registrations_pending",
)


def statistics_csv(rows: list[CourtStatistics]) -> str:
    """The statistics as CSV (one line a court; durations in hours, one decimal)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.court_id,
                row.court_name,
                row.nextgen_date.isoformat() if row.nextgen_date else "",
                "" if row.days_to_go_live is None else row.days_to_go_live,
                row.linked,
                row.active_unlinked,
                row.linked_percent,
                row.requests_pending,
                _hours(row.oldest_pending_age),
                _hours(row.median_pending_age),
                _hours(row.median_to_decision),
                row.registrations_pending,
            ]
        )
    return out.getvalue()
