"""Start a real Celery worker process against the test database, for round-trip tests."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """A DATABASE_URL naming the database this test session runs on (the test database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


def subprocess_env(*, broker_url: str, var_dir: Path) -> dict[str, str]:
    """Environment for worker and producer processes: test settings, test DB, given broker."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cso_portal.settings.test",
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=broker_url,
        CSO_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    return env


@contextmanager
def celery_worker_process(
    env: dict[str, str], log_path: Path, *, concurrency: int = 1
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``celery -A cso_portal worker`` (prefork, ``concurrency`` children) until the block
    ends. Yields the worker's node name and its process (for drills that signal it — by pid;
    see tests/linking/test_kill_drill.py); its log is written to ``log_path``."""
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cso_portal",
                "worker",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "-n",
                name,
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield name.split("@")[0], process
        finally:
            process.terminate()  # a no-op when a drill already killed it
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def celery_worker(env: dict[str, str], log_path: Path, *, concurrency: int = 1) -> Iterator[str]:
    """Run ``celery -A cso_portal worker`` (prefork, one child unless ``concurrency`` says
    otherwise) until the block ends.

    Yields the worker's node name; its log is written to ``log_path``.
    """
    with celery_worker_process(env, log_path, concurrency=concurrency) as (name, _process):
        yield name


def manage(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``manage.py`` in a separate process with the given environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
