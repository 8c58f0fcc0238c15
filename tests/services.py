"""Which outside services the suite can reach, and what to do when one is missing.

Tests that need PostgreSQL, Redis, a Celery worker or Chromium use them when reachable and
skip otherwise; with ``CSO_REQUIRE_SERVICES=1`` (set by .ci/run) a missing one fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest
from django.db import connection

REDIS_TEST_URL = os.environ.get("CSO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def services_required() -> bool:
    return os.environ.get("CSO_REQUIRE_SERVICES", "") not in ("", "0", "false", "False")


def need(service: str, available: bool) -> None:
    """Skip (or, when services are required, fail) the current test if ``service`` is missing."""
    if available:
        return
    message = f"{service} is not available on this machine"
    if services_required():
        pytest.fail(f"{message}, and CSO_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


def redis_reachable(url: str = REDIS_TEST_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


def postgres_in_use() -> bool:
    return connection.vendor == "postgresql"


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or None


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), 0.5):
            return True
    except OSError:
        return False
