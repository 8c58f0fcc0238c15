"""``manage.py load_demo_clerks``: demo clerks for the seeds' courts (after load_courts)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import services as account_services
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoAccount
from accounts.models import User
from accounts.services import mfa as mfa_services
from courts import services
from courts.models import Court, CourtStaff
from cso_portal import clock

# (username, court id, first name): a clerk for each court the seeds talk about.
DEMO_CLERKS = (
    ("arebclerk", "areb", "Ada"),
    ("arwbclerk", "arwb", "Wes"),
    ("azbclerk1", "azb", "Zoe"),
    ("flsbclerk", "flsb", "Flo"),
)


class Command(BaseCommand):
    help = "Create demo court clerks (idempotent) and print their logins."

    def handle(self, *args, **options):
        if not settings.CSO_DEMO_MODE:
            raise CommandError("Demo clerks are only loaded in demo mode (CSO_DEMO_MODE=1).")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo court clerks (training only):"))
        for username, court_id, first_name in DEMO_CLERKS:
            court = Court.objects.filter(pk=court_id).first()
            if court is None:
                raise CommandError(f"Court {court_id} is missing: run manage.py load_courts first.")
            spec = DemoAccount(
                username, first_name, "Clerk", f"{username}@{court_id}.example.test",
                clock.today(), User.AccountKind.CASE_SEARCH, note=f"clerk of {court_id}",
            )  # fmt: skip
            user, created = account_services.ensure_demo_account(
                spec=spec, password=DEMO_PASSWORD, today=clock.today()
            )
            if not CourtStaff.objects.filter(court=court, user=user).exists():
                services.add_court_staff(
                    court=court, user=user, role=CourtStaff.Role.CLERK, now=clock.now()
                )
            # The console requires two-factor authentication.
            mfa_services.ensure_totp(user=user, secret=DEMO_TOTP_SECRET, now=clock.now())
            mark = "created" if created else "exists "
            self.stdout.write(f"  {mark}  {username:<11} clerk of {court.name} ({court_id})")
        self.stdout.write(f"  password for all of them: {DEMO_PASSWORD}")
        self.stdout.write(f"  authenticator app secret for all of them: {DEMO_TOTP_SECRET}")
