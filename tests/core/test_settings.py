"""Production settings refuse insecure defaults; ``check --deploy`` is clean."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from tests.workers import PROJECT_DIR

STRONG_KEY = secrets.token_urlsafe(64)


def run_manage(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "DEBUG",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_with_production_settings_prints_no_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="cso-portal.example.test",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "dev-only-insecure-key-cso-portal-not-for-production-xx"}, "too weak"),
        ({"SECRET_KEY": STRONG_KEY, "DEBUG": "True"}, "DEBUG must be off"),
        ({"SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is not set"),
        ({"SECRET_KEY": STRONG_KEY, "DATABASE_URL": "sqlite:///x.db"}, "needs PostgreSQL"),
    ],
)
def test_production_refuses_to_start_on_insecure_configuration(overrides, message):
    env = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "cso-portal.example.test", **overrides}
    result = run_manage("check", **env)
    assert result.returncode == 2
    assert result.stderr.startswith("CSO Portal refuses to start:")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_django_env_is_refused():
    result = run_manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV='staging' is not one of" in result.stderr


def test_argon2_is_the_production_hasher(settings):
    from cso_portal.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_development_settings_run_the_embedded_default():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, "
        "s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER if hasattr(s, "
        "'CELERY_TASK_ALWAYS_EAGER') else 'not-eager')",
        DJANGO_ENV="development",
        REDIS_URL="",
        EMAIL_URL="",
        CELERY_BROKER_URL="",
    )
    assert result.returncode == 0, result.stderr
    engine, broker, email, cache, eager = result.stdout.split()[-5:]
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert email == "cso_portal.core.mail.DatabaseEmailBackend"
    assert cache == "django.core.cache.backends.db.DatabaseCache"
    assert eager == "not-eager"


def test_redis_url_switches_broker_and_cache_to_redis():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])",
        DJANGO_ENV="development",
        REDIS_URL="redis://127.0.0.1:6379/3",
        CELERY_BROKER_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [
        "redis://127.0.0.1:6379/3",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_production_links_point_at_the_site_not_localhost():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.CSO_SITE_URL)",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="cso-portal.example.test,www.cso-portal.example.test",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "https://cso-portal.example.test"
