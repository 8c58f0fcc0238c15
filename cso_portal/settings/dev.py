"""Development and the embedded default (``make run``): DEBUG, demo mode, harmless secrets."""

from .base import *
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Only ever used on a developer's machine; prod.py refuses anything but a real key.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-cso-portal-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSO_DEMO_MODE = env.bool("CSO_DEMO_MODE", default=True)
# Passkeys on http://127.0.0.1 (a developer's machine only).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
