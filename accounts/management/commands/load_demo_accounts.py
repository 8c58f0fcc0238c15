"""``manage.py load_demo_accounts``: the demo cast, created once, printed every time."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from cso_portal import clock


class Command(BaseCommand):
    help = "Create the demo PACER accounts (idempotent) and print their logins."

    def handle(self, *args, **options):
        if not settings.CSO_DEMO_MODE:
            raise CommandError("Demo accounts are only loaded in demo mode (CSO_DEMO_MODE=1).")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (training only):"))
        for spec in DEMO_ACCOUNTS:
            user, created = services.ensure_demo_account(
                spec=spec, password=DEMO_PASSWORD, today=clock.today()
            )
            mark = "created" if created else "exists "
            self.stdout.write(
                f"  {mark}  {user.username:<11} account {user.account_number}  {spec.note}"
            )
        self.stdout.write(f"  password for all of them: {DEMO_PASSWORD}")
