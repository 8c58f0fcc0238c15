"""Benchmarks (bench/): the production settings, served over plain HTTP on 127.0.0.1.

Everything comes from ``prod`` — its checks for SECRET_KEY, ALLOWED_HOSTS and PostgreSQL,
Redis for cache and broker, the middleware, hashers, rate limits and sessions — except what a
load generator speaking plain HTTP to 127.0.0.1 cannot satisfy. Only ``bench/harness.py``
selects this module (``DJANGO_SETTINGS_MODULE=cso_portal.settings.bench``); it is never a
``DJANGO_ENV`` choice, so no deployment can pick it by mistake.
"""

from .base import VAR_DIR, env
from .prod import *

# There is no TLS terminator in front of gunicorn here: redirecting to https:// would make
# every request a 301 to a port nothing listens on, and Secure cookies would never be sent
# back by a plain-HTTP client (nor may they carry the __Host- prefix).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
# HSTS is meaningless over plain HTTP (browsers ignore it there); the header's cost is nil.
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_PRELOAD = False

# collectstatic for the manifest storage writes here, not into the shared STATIC_ROOT.
STATIC_ROOT = env.str("CSO_BENCH_STATIC_ROOT", default=str(VAR_DIR / "bench-static"))
