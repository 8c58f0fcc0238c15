"""``manage.py load_demo_cmecf_accounts``: the demo personas' court-issued CM/ECF logins
(after load_courts), printed with their passwords (training only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cso_portal import clock
from linking.demo import MissingCourt, ensure_demo_cmecf_accounts


class Command(BaseCommand):
    help = "Create demo court-issued CM/ECF logins (idempotent) and print them."

    def handle(self, *args, **options):
        if not settings.CSO_DEMO_MODE:
            raise CommandError("Demo CM/ECF logins are only loaded in demo mode (CSO_DEMO_MODE=1).")
        try:
            results = ensure_demo_cmecf_accounts(now=clock.now())
        except MissingCourt as missing:
            raise CommandError(
                f"Court {missing} is missing: run manage.py load_courts first."
            ) from None
        self.stdout.write(self.style.MIGRATE_HEADING("Demo CM/ECF logins (training only):"))
        for spec, account, created in results:
            mark = "created" if created else "exists "
            self.stdout.write(
                f"  {mark}  {spec.court_id:<5} {account.login:<11} "
                f"password {spec.password:<17} {spec.note}"
            )
