"""Which settings module a process uses, chosen by ``DJANGO_ENV``.

manage.py, wsgi.py, asgi.py and the Celery app all call :func:`use_settings_for_env`, so one
variable selects development, production or test settings everywhere. An explicit
``DJANGO_SETTINGS_MODULE`` (e.g. pytest's ``--ds``) always wins.
"""

from __future__ import annotations

import os

SETTINGS_BY_ENV = {
    "development": "cso_portal.settings.dev",
    "production": "cso_portal.settings.prod",
    "test": "cso_portal.settings.test",
}


def settings_module_for(env_name: str) -> str:
    """Return the settings module for a ``DJANGO_ENV`` value, refusing unknown names."""
    try:
        return SETTINGS_BY_ENV[env_name]
    except KeyError:
        choices = ", ".join(sorted(SETTINGS_BY_ENV))
        raise SystemExit(f"DJANGO_ENV={env_name!r} is not one of: {choices}.") from None


def use_settings_for_env() -> None:
    """Point ``DJANGO_SETTINGS_MODULE`` at the module for ``DJANGO_ENV`` unless it is set."""
    env_name = os.environ.get("DJANGO_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module_for(env_name))
