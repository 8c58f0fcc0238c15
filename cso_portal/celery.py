"""The Celery application. Configuration lives in Django settings under ``CELERY_*``.

Every task inherits :class:`BaseTask`: JSON arguments (ids as kwargs), late acknowledgement
(from settings), and retries with exponential backoff and jitter on passing database or
network faults. Tasks load ids and call one service; the service makes a second run a no-op.
"""

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

from cso_portal.envsettings import use_settings_for_env

use_settings_for_env()


class BaseTask(DjangoTask):
    """Default shape of every CSO Portal task (``delay_on_commit`` comes from DjangoTask)."""

    # Passing faults only; a bug raises once and is visible, not retried forever.
    autoretry_for = (ConnectionError, TimeoutError, OSError, OperationalError, InterfaceError)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5


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
