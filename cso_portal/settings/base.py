"""Settings shared by every environment, read from environment variables.

Each section names the Django or library documentation it follows. Secrets have no default
here; ``dev`` supplies harmless ones and ``prod`` refuses to start without real ones.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import django.conf.locale
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
    "accounts.middleware.SessionSecurityMiddleware",
    "accounts.middleware.UpgradeFirstMiddleware",
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
# Not ATOMIC_REQUESTS: services own their transactions (@transaction.atomic),
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
# allauth's backend only: it extends ModelBackend (permissions), and a second backend would
# check every failed password twice — halving sign-in capacity (PROOF: ~150 ms per check).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:manage"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# NIST SP 800-63B: length and a blocklist, never composition rules or forced rotation
# (docs/decisions/0001-password-rules.md). 15 characters, 8 once the account has two-factor
# authentication; up to 256 (the sign-in form refuses longer ones before hashing).
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.validators.MaximumLengthValidator",
        "OPTIONS": {"max_length": 256},
    },
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15, "min_length_with_mfa": 8},
    },
    # Django's list of 20,000 common passwords: the offline "breached or common" list.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["first_name", "last_name", "username", "email"]},
    },
    # "pacer…", "cmecf…", "nextgen…", "uscourts…" and the username inside the password.
    {"NAME": "accounts.validators.ContextSpecificWordsValidator"},
    # "aaaa…", "abab…", "abcdef…" (the common list has few entries of 15 characters or more).
    {"NAME": "accounts.validators.RepetitionValidator"},
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
# Adding, removing or making primary an email address asks for the password again when the
# last sign-in or re-authentication is older than the timeout: a borrowed session can't move
# the account to the borrower's mailbox.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    # Caps the login and password length before allauth hashes anything.
    "login": "accounts.forms.login.LoginForm",
    # Drops the emailed reset key from the session once the new password is set.
    "reset_password_from_key": "accounts.forms.password_reset.ResetPasswordKeyForm",
    # The registration wizard's step 2: name, contact details and the account kind's fields.
    "signup": "accounts.forms.signup.SignupForm",
}
# A reset request for an unknown address mails that address "no account here" — the page
# looks the same either way, and someone who mistyped learns why no link came.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
# Rate limits (https://docs.allauth.org/en/latest/account/rate_limits.html), "amount/period/
# per" with per = ip | key (the login or email typed) | user. They live in the shared cache.
# Over-limit sign-ins are answered before any password is hashed: "login" with a 429 page,
# "login_failed" with "Too many failed login attempts. Try again later." on the form. Windows
# slide, so a flood against one account never locks its holder out for good, and a password
# reset clears that account's failure count. The same "login_failed" rates guard two-factor
# codes (key: the account).
ACCOUNT_RATE_LIMITS = {
    # Every sign-in POST from one address (a firm behind one NAT still fits).
    "login": "30/m/ip,300/h/ip",
    # Failed sign-ins: per address, and per account (NIST: at most 100 in a row).
    "login_failed": "10/m/ip,5/5m/key,20/h/key,100/d/key",
    "signup": "10/m/ip,50/h/ip",
    # Reset requests: per address, and per email address (no mail-bombing a mailbox).
    "reset_password": "10/m/ip,3/15m/key,10/d/key",
    # Setting a new password from the emailed link (POSTs).
    "reset_password_from_key": "10/m/ip,50/h/ip",
    # One verification email per address every 3 minutes.
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "CSO Portal (training)"
# Accept the code of the time step just before or after the current one (RFC 6238 §5.2: one
# step of allowed drift): a code typed at the end of its 30 seconds, on a slow network or a
# busy server, still works. Each code still works only once (allauth marks it used).
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# Encrypts TOTP secrets and recovery-code seeds at rest; limits security keys to 5.
MFA_ADAPTER = "accounts.mfa_adapter.MFAAdapter"
MFA_FORMS = {"add_webauthn": "accounts.forms.mfa.AddSecurityKeyForm"}
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
# Key material for that encryption (any long random string). Empty: derived from SECRET_KEY,
# so rotating SECRET_KEY needs the old one in SECRET_KEY_FALLBACKS or secrets become unreadable.
CSO_MFA_ENCRYPTION_KEY = env.str("CSO_MFA_ENCRYPTION_KEY", default="")
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
# Django ships no Haitian Creole: register it so {% get_language_info %} and the language
# switcher know its name and direction. Django's own strings fall back to English for "ht".
django.conf.locale.LANG_INFO.setdefault(
    "ht",
    {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"},
)
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
    "linking-clerk-digests": {"task": "linking.send_clerk_digests", "schedule": 5 * 60.0},
    "linking-expire-requests": {"task": "linking.expire_link_requests", "schedule": 60 * 60.0},
    "linking-sweep-requests": {"task": "linking.sweep_link_requests", "schedule": 60.0},
}

# LOGGING ------------------------------------------------------------------------------------
# Every handler gets the "safe" filter (cso_portal/logging.py): control characters such as
# CR/LF in a typed username are escaped (one record, one line: no forged lines) and reset or
# confirmation links are redacted. Nothing logs passwords, codes or session ids.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"safe": {"()": "cso_portal.logging.SafeLogFilter"}},
    "formatters": {
        # Timestamps in UTC (ISO 8601 with "Z"), whatever TIME_ZONE says.
        "plain": {
            "()": "cso_portal.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["safe"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # At DEBUG these write SQL with its parameters, and every template variable lookup
        # that fails together with the whole template context (forms holding a new TOTP
        # secret, recovery codes, emailed links): never below these levels, even with
        # LOG_LEVEL=DEBUG.
        "django.db.backends": {"level": "WARNING"},
        "django.template": {"level": "INFO"},
    },
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
# A sign-up or password-reset POST is answered no sooner than this many seconds after it
# arrived, whether the address has an account or not: the time of the answer tells nothing.
CSO_ENTRANCE_MIN_SECONDS = env.float("CSO_ENTRANCE_MIN_SECONDS", default=0.4)
# Signed-in sessions end after this many minutes without a request (a warning shows 2 before).
CSO_SESSION_IDLE_MINUTES = env.int("CSO_SESSION_IDLE_MINUTES", default=30)
# However active, a session ends this many hours after its sign-in (NIST SP 800-63B AAL2).
CSO_SESSION_ABSOLUTE_HOURS = env.int("CSO_SESSION_ABSOLUTE_HOURS", default=12)
