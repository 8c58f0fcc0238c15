"""``manage.py load_demo_cases``: demo cases in the demo courts that are loaded (after
load_courts), with parties, docket entries, PDFs and attorneys of record; printed."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cso_portal import clock
from filing.demo import ensure_demo_cases


class Command(BaseCommand):
    help = "Create demo cases (idempotent) in the demo courts that are loaded, and list them."

    def handle(self, *args, **options):
        if not settings.CSO_DEMO_MODE:
            raise CommandError("Demo cases are only loaded in demo mode (CSO_DEMO_MODE=1).")
        results = ensure_demo_cases(now=clock.now())
        if not results:
            self.stdout.write("No demo court is loaded: run manage.py load_courts first.")
            return
        self.stdout.write(self.style.MIGRATE_HEADING("Demo cases (training only):"))
        for result in results:
            case = result.case
            mark = "created" if result.created else "exists "
            self.stdout.write(f"  {mark}  {case.court_id:<5} {case.number:<15} {case.title}")
        self.stdout.write(
            "  attorney of record everywhere: attorney1 (no filing rights: link or register)"
        )
