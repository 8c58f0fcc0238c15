"""``manage.py load_demo_accounts``: the demo cast, created once, printed every time."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    ensure_demo_account_with_details,
)
from accounts.services import mfa
from cso_portal import clock


class Command(BaseCommand):
    help = "Create the demo PACER accounts (idempotent) and print their logins."

    def handle(self, *args, **options):
        if not settings.CSO_DEMO_MODE:
            raise CommandError("Demo accounts are only loaded in demo mode (CSO_DEMO_MODE=1).")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (training only):"))
        for spec in DEMO_ACCOUNTS:
            user, created = ensure_demo_account_with_details(
                spec=spec, password=DEMO_PASSWORD, today=clock.today()
            )
            if user.is_staff:
                # The console requires two-factor authentication.
                mfa.ensure_totp(user=user, secret=DEMO_TOTP_SECRET, now=clock.now())
            mark = "created" if created else "exists "
            self.stdout.write(
                f"  {mark}  {user.username:<11} account {user.account_number}  "
                f"{user.get_account_type_display():<8}  {spec.note}"
            )
        self.stdout.write(f"  password for all of them: {DEMO_PASSWORD}")
        self.stdout.write(f"  staff authenticator app secret: {DEMO_TOTP_SECRET}")
