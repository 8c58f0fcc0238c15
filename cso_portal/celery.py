"""The Celery application. Configuration lives in Django settings under ``CELERY_*``.

Every task inherits :class:`BaseTask`: JSON arguments (ids as kwargs), late acknowledgement
(from settings), and retries with exponential backoff and jitter on passing database or
network faults. Tasks load ids and call one service; the service makes a second run a no-op.
"""

import functools
import logging

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError, transaction

from cso_portal.envsettings import use_settings_for_env

use_settings_for_env()

logger = logging.getLogger(__name__)


class BaseTask(DjangoTask):
    """Default shape of every CSO Portal task (``delay_on_commit`` as DjangoTask has it, but
    surviving a broker outage)."""

    # Passing faults only; a bug raises once and is visible, not retried forever.
    autoretry_for = (ConnectionError, TimeoutError, OSError, OperationalError, InterfaceError)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5

    def delay_on_commit(self, *args, **kwargs) -> None:
        """Queue the task once the transaction commits. If the broker is down at that moment
        the commit stands and the request still succeeds: the row the transaction wrote is
        the source of truth, and the task's sweeper queues it again later."""
        send = functools.partial(self.delay, *args, **kwargs)
        transaction.on_commit(functools.partial(_send_or_leave_to_sweeper, self.name, send))


def _send_or_leave_to_sweeper(name: str, send) -> None:
    try:
        send()
    except Exception:  # kombu's OperationalError and friends: the broker is unreachable
        logger.warning(
            "broker unavailable: task %s not queued now; its sweeper will queue it",
            name,
            exc_info=True,
        )


app = Celery("cso_portal", task_cls=BaseTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs) -> None:
    """kombu's filesystem transport (the embedded default) expects its folders to exist."""
    from pathlib import Path

    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)
