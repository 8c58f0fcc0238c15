"""B0 (PROOF.md): a bare Django view — no apps, no middleware, no database — as a WSGI app.

Served by the same gunicorn configuration as the portal (``bench/harness.py``), so the ratio
portal ÷ B0 measures what the portal adds on top of Django and gunicorn themselves:
``gunicorn bench.b0_app:application``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="b0-baseline-has-no-sessions-or-signatures-" + "x" * 20,
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        DATABASES={},
        USE_I18N=False,
        LOGGING_CONFIG=None,
    )


def hello(request):
    """The smallest useful response."""
    return HttpResponse(b"hello", content_type="text/plain")


urlpatterns = [path("hello", hello)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
