"""Production: secure by default, and refusing to start on an insecure configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import DATABASES, broker_config, cache_config, env

if env.bool("DEBUG", default=False):
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
DEBUG = False

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs a random key of at least 50 characters, "
        'e.g. python -c "import secrets; print(secrets.token_urlsafe(64))".'
    )
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith(("dev-", "django-insecure"))
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (comma-separated host names).")

# PostgreSQL, never the embedded SQLite file.
DATABASES["default"] = {
    **env.db("DATABASE_URL", default="postgres://cso_portal@127.0.0.1:5432/cso_portal"),
    "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
    "CONN_HEALTH_CHECKS": True,
    "ATOMIC_REQUESTS": False,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("Production needs PostgreSQL: set DATABASE_URL=postgres://…")

CSO_DEMO_MODE = env.bool("CSO_DEMO_MODE", default=False)

# Redis for cache (allauth's rate limits) and broker; SMTP for mail. Never the embedded
# fallbacks: the database mailbox keeps messages (and their links) readable to staff.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = cache_config(REDIS_URL)
CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = broker_config(
    env.str("CELERY_BROKER_URL", default="") or REDIS_URL
)
vars().update(env.email_url("EMAIL_URL", default="smtp://127.0.0.1:25"))

# SECURITY -----------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Off only for a local stack on plain http (docker-compose.yml); never behind real TLS.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Links in email and calendar feeds: the public address of the site (defaults to the first
# allowed host over HTTPS, never the development address).
CSO_SITE_URL = env.str("CSO_SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
