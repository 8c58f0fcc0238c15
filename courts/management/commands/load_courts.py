"""``manage.py load_courts``: the court catalog and published go-live schedules (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from courts.reference import ReferenceDataError
from courts.services import load_reference_data
from cso_portal import clock


class Command(BaseCommand):
    help = (
        "Load the CM/ECF courts (PACER's Court CM/ECF Lookup feed), their counties and their "
        "published NextGen go-live schedules. Safe to run again: changes only what changed, "
        "and never overwrites a schedule that already has history."
    )

    def handle(self, *args, **options):
        try:
            report = load_reference_data(now=clock.now())
        except ReferenceDataError as error:
            raise CommandError(f"Reference data not loaded: {error}") from error
        by_type = ", ".join(
            f"{count} {court_type}" for court_type, count in sorted(report.courts_by_type.items())
        )
        total = sum(report.courts_by_type.values())
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"Courts: {total} ({by_type}) from the feed of {report.feed_date.isoformat()}"
            )
        )
        self.stdout.write(
            f"  courts:    {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
        self.stdout.write(
            f"  counties:  {report.counties_created} created, {report.counties_removed} removed, "
            f"{report.counties_total} in the feed"
        )
        self.stdout.write(
            f"  schedules: {report.schedules_recorded} recorded, {report.schedules_kept} kept "
            "(already had history)"
        )
