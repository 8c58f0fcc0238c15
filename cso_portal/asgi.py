"""ASGI entry point."""

from cso_portal.envsettings import use_settings_for_env

use_settings_for_env()

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
