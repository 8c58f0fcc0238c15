"""Settings shared by every environment, read from environment variables.

Each section names the Django or library documentation it follows. Secrets have no default
here; ``dev`` supplies harmless ones and ``prod`` refuses to start without real ones.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Git-ignored working folder of the embedded default: SQLite database, kept mail, broker files.
VAR_DIR = Path(environ.Env().str("CSO_VAR_DIR", default=str(BASE_DIR / "var")))

# FileAwareEnv also reads NAME_FILE (Docker/Kubernetes secrets) for every NAME.
env = environ.FileAwareEnv()

# CORE ---------------------------------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/ref/settings/#core-settings
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
ROOT_URLCONF = "cso_portal.urls"
WSGI_APPLICATION = "cso_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Ours, in dependency order: each app may import only from the ones above it.
    "cso_portal.core",
    "accounts",
    "courts",
    "linking",
    "filing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cso_portal.core.context_processors.portal",
            ],
        },
    },
]

# DATABASE -----------------------------------------------------------------------------------
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
# The embedded default is SQLite under var/; PostgreSQL whenever DATABASE_URL says so.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cso_portal.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Not ATOMIC_REQUESTS: services own their transactions (@transaction.atomic(durable=True)),
# and side effects are queued with on_commit from there.
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# CACHE --------------------------------------------------------------------------------------
# allauth's rate limits live in the cache and silently do nothing with a per-process cache,
# so the cache is always shared between processes: Redis when configured, else the database.
REDIS_URL = env.str("REDIS_URL", default="")


def cache_config(redis_url: str) -> dict:
    """Redis when configured, else the database cache (shared between processes too)."""
    if redis_url:
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cso_cache",
        }
    return {"default": {**backend, "KEY_PREFIX": "cso"}}


CACHES = cache_config(REDIS_URL)

# AUTHENTICATION -----------------------------------------------------------------------------
# The individual PACER account is the user model, from the first migration on.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:manage"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# NIST SP 800-63B: length and a blocklist, never composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# django-allauth -----------------------------------------------------------------------------
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 8
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CSO Portal training] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "CSO Portal (training)"
MFA_RECOVERY_CODE_COUNT = 10
# Off: tracking writes on every request (five queries); the session list still works.
USERSESSIONS_TRACK_ACTIVITY = False

# SESSIONS AND COOKIES -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)

# INTERNATIONALIZATION -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("ht", "Kreyòl ayisyen"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The PACER Service Center keeps Central Time; the clock (cso_portal.clock) derives "today"
# from it.
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")

# STATIC FILES -------------------------------------------------------------------------------
# USWDS is served straight from its npm package (node_modules), never hand-copied.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_USWDS_DIST = BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    *[(f"uswds/{part}", _USWDS_DIST / part) for part in ("css", "fonts", "img", "js")],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# EMAIL --------------------------------------------------------------------------------------
# With EMAIL_URL (e.g. smtp://mailpit:1025) mail goes to that server; without it mail is kept
# in the database and shown on the demo mailbox page (/mailbox/).
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "cso_portal.core.mail.DatabaseEmailBackend"
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="CSO Portal (training) <no-reply@cso-portal.test>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# CELERY -------------------------------------------------------------------------------------
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# Broker: CELERY_BROKER_URL if given, else Redis when REDIS_URL is set, else kombu's filesystem
# transport under var/broker, so the embedded default runs a real worker with no server.
BROKER_DIR = VAR_DIR / "broker"


def broker_config(broker_url: str) -> tuple[str, dict]:
    """Return the broker URL and its transport options."""
    if broker_url.startswith("filesystem://"):
        return broker_url, {
            "data_folder_in": str(BROKER_DIR / "queue"),
            "data_folder_out": str(BROKER_DIR / "queue"),
            "control_folder": str(BROKER_DIR / "control"),
            "store_processed": False,
        }
    # A countdown longer than the visibility timeout runs twice on Redis: keep them shorter.
    return broker_url, {"visibility_timeout": 3600}


CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = broker_config(
    env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Redelivery after a crash: acknowledge only when done, and requeue when the pool child dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "core.emit_heartbeat", "schedule": 60.0},
    "sweep-heartbeats": {"task": "core.sweep_heartbeats", "schedule": 5 * 60.0},
    "sweep-outbox": {"task": "core.sweep_outbox", "schedule": 60.0},
}

# LOGGING ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# CSO PORTAL ---------------------------------------------------------------------------------
# Demo mode: demo accounts, the demo mailbox, and (later) the movable training clock.
CSO_DEMO_MODE = env.bool("CSO_DEMO_MODE", default=False)
# Absolute address of the site, for links in email.
CSO_SITE_URL = env.str("CSO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A heartbeat older than this makes /healthz report the worker as stale.
CSO_HEARTBEAT_STALE_AFTER = env.int("CSO_HEARTBEAT_STALE_AFTER", default=5 * 60)
# The admin (clerks' console) is not at the default /admin/.
ADMIN_URL = env.str("ADMIN_URL", default="console/")
# From this date filer accounts must set up two-factor authentication (3 skips allowed).
# ISO date (YYYY-MM-DD); empty: not enforced. The training clock decides what "today" is.
_mfa_enforcement = env.str("CSO_MFA_FILER_ENFORCEMENT_DATE", default="2025-01-06")
CSO_MFA_FILER_ENFORCEMENT_DATE = (
    datetime.date.fromisoformat(_mfa_enforcement) if _mfa_enforcement else None
)
