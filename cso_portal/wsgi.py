"""WSGI entry point (gunicorn ``cso_portal.wsgi``)."""

from cso_portal.envsettings import use_settings_for_env

use_settings_for_env()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
