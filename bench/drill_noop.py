"""C0's Celery app: one no-op task, no Django, the portal's reliability settings.

``celery -A bench.drill_noop worker`` on ``CELERY_BROKER_URL`` (bench/pipeline.py starts it on
its private Redis). Late acknowledgement, reject on a lost child, prefetch 1, JSON and the
same visibility timeout as ``cso_portal.settings``: the baseline differs from the portal's
pipeline only by what the task does, so the ratio measures the pipeline.
"""

from __future__ import annotations

import os

from celery import Celery

# Not the current app: in bench/pipeline.py the portal's app must stay the one its tasks use.
app = Celery(
    "bench_noop", broker=os.environ.get("CELERY_BROKER_URL", "memory://"), set_as_current=False
)
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_default_queue="default",
    broker_transport_options={"visibility_timeout": 3600},
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@app.task(name="bench.noop")
def noop() -> None:
    """Nothing: the cost of a message through Redis and a prefork child."""
