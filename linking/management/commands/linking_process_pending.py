"""``manage.py linking_process_pending``: queue processing of link requests now (operations
and the worker round-trip test); the beat sweeper does the same for stale ones."""

import datetime as dt

from django.core.management.base import BaseCommand

from cso_portal import clock
from linking import services


class Command(BaseCommand):
    help = (
        "Queue the processing task for link requests: the given ids (whatever their state — "
        "the task does nothing twice), or every request still submitted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", default=[])

    def handle(self, *args, ids: list[int], **options):
        if ids:
            count = services.enqueue_link_processing(request_ids=ids, now=clock.real_now())
        else:
            count = services.sweep_link_requests(now=clock.real_now(), stale_after=dt.timedelta(0))
        self.stdout.write(f"queued processing for {count} link request(s)")
