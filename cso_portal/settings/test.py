"""Test settings (pytest ``--ds=cso_portal.settings.test``).

The suite runs on PostgreSQL whenever it is reachable and falls back to SQLite only on a
machine without it; with ``CSO_REQUIRE_SERVICES=1`` a missing PostgreSQL is an error.
"""

import hashlib
import os
import socket
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import BASE_DIR, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-never-used-outside-the-test-suite-0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CSO_DEMO_MODE = True
CSO_REQUIRE_SERVICES = env.bool("CSO_REQUIRE_SERVICES", default=False)

# One database name per checkout, so a CI clone and a developer's tree on the same machine
# never share (and clobber) one test database.
_CHECKOUT = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]  # noqa: S324 (a name, not a secret)
POSTGRES_TEST_URL = env.str(
    "CSO_TEST_DATABASE_URL", default=f"postgres://postgres@127.0.0.1:5432/cso_portal_{_CHECKOUT}"
)


def reachable(url: str, default_port: int) -> bool:
    """True when a TCP connection to the URL's host and port opens within a moment."""
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 0.5
        ):
            return True
    except OSError:
        return False


if "DATABASE_URL" in os.environ:
    # Worker subprocesses started by the tests are pointed at the test database this way.
    DATABASES = {"default": env.db("DATABASE_URL")}
elif reachable(POSTGRES_TEST_URL, 5432):
    DATABASES = {"default": env.db_url_config(POSTGRES_TEST_URL)}
elif CSO_REQUIRE_SERVICES:
    raise ImproperlyConfigured(
        f"CSO_REQUIRE_SERVICES=1 but PostgreSQL is not reachable at {POSTGRES_TEST_URL}."
    )
else:
    DATABASES = {"default": env.db_url_config(f"sqlite:///{VAR_DIR / 'test.sqlite3'}")}
    # A file, not SQLite's in-memory test database, so worker subprocesses can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_db.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# A fast hasher: the suite checks behaviour, not the cost of Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No minimum answer time for sign-up and reset POSTs (the timing test sets its own).
CSO_ENTRANCE_MIN_SECONDS = 0.0
EMAIL_BACKEND = env.str(
    "CSO_TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Nothing reaches a broker unless a test says so: the worker tests start their own worker
# and pass CELERY_BROKER_URL to it and to the producer process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    from .base import broker_config

    CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = broker_config(CELERY_BROKER_URL)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Every request in the suite is watched for N+1 queries (tests/conftest.py fails the test).
MIDDLEWARE = ["cso_portal.core.querywatch.QueryWatchMiddleware", *MIDDLEWARE]
