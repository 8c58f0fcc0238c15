"""``manage.py heartbeat``: prove the pipeline web → broker → worker → database works."""

import time

from django.core.management.base import BaseCommand, CommandError

from cso_portal import clock
from cso_portal.core import services
from cso_portal.core.models import Heartbeat


class Command(BaseCommand):
    help = "Queue a heartbeat for the Celery worker and wait until a worker has recorded it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait", type=float, default=30.0, help="Seconds to wait for a worker (default 30)."
        )

    def handle(self, *args, wait: float, **options):
        heartbeat = services.request_heartbeat(now=clock.real_now())
        self.stdout.write(f"heartbeat {heartbeat.pk} queued; waiting up to {wait:g}s for a worker")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            heartbeat.refresh_from_db()
            if heartbeat.status == Heartbeat.Status.DONE:
                took = (heartbeat.completed_at - heartbeat.requested_at).total_seconds()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"heartbeat {heartbeat.pk} done by {heartbeat.worker} in {took:.2f}s"
                    )
                )
                return
            time.sleep(0.2)
        raise CommandError(f"no worker recorded heartbeat {heartbeat.pk} within {wait:g}s")
