"""CSO Portal: a training simulation of PACER Central Sign-On and NextGen CM/ECF linking."""

from .celery import app as celery_app

__all__ = ("celery_app",)
