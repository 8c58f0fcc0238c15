"""The real stack for HTTP benchmarks (PROOF.md, "Benchmark protocol").

- a scratch PostgreSQL database (``cso_bench_web…`` only: dropped and recreated, migrated);
- Redis db 11 as cache (allauth's and the portal's rate limits) and db 12 as Celery broker,
  both flushed at the start;
- gunicorn, sync workers = 2 × cores, access log off, serving ``cso_portal.wsgi`` with
  ``cso_portal.settings.bench`` (production settings over plain HTTP) or B0
  (``bench.b0_app``, a bare Django view) on the same configuration;
- H0, the raw hasher ceiling: cores ÷ time of one verify with the production hasher;
- helpers for the in-process side: Django set up on the same database (seeding, sessions
  made with ``force_login``, query counts through the test client).

Other benchmark scripts use it as::

    from bench import harness
    stack = harness.prepare()              # database, Redis, migrate, collectstatic
    harness.setup_django(stack)            # the ORM in this process, same settings
    with harness.Gunicorn(stack) as portal, harness.Gunicorn(stack, app=harness.B0_APP) as b0:
        ...                                # portal.port, b0.port, portal.worker_pids()
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
GUNICORN = str(BIN / "gunicorn")

# Scratch databases of the web benchmarks carry this prefix; nothing else is ever dropped.
DB_PREFIX = "cso_bench_web"
DEFAULT_DB = DB_PREFIX
PG_URL = os.environ.get("CSO_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("CSO_BENCH_REDIS", "redis://127.0.0.1:6379")
REDIS_CACHE_DB = 11
REDIS_BROKER_DB = 12
SETTINGS = "cso_portal.settings.bench"
PORTAL_APP = "cso_portal.wsgi:application"
B0_APP = "bench.b0_app:application"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def cores() -> int:
    """CPUs this process may run on (what gunicorn's 2 × cores rule is about)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def web_workers() -> int:
    return 2 * cores()


@dataclass
class Stack:
    """A prepared scratch database and the environment every process of the run uses."""

    db_name: str
    env: dict[str, str] = field(default_factory=dict)

    def manage(self, *args: str, quiet: bool = True) -> None:
        """``manage.py <args>`` against this stack's database and settings."""
        subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env={**os.environ, **self.env},
            check=True,
            stdout=subprocess.DEVNULL if quiet else None,
        )


def bench_env(db_name: str) -> dict[str, str]:
    """Environment for the portal under ``cso_portal.settings.bench``."""
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_ENV": "production",
        # A fresh random key per run: the production check wants ≥ 50 random characters.
        "SECRET_KEY": os.environ.get("CSO_BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        # testserver: the in-process test client's passes (query counts).
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"{PG_URL}/{db_name}",
        "CONN_MAX_AGE": "60",
        "REDIS_URL": f"{REDIS_BASE}/{REDIS_CACHE_DB}",
        "CELERY_BROKER_URL": f"{REDIS_BASE}/{REDIS_BROKER_DB}",
        # No SMTP server here. The benched flows queue mail in the outbox (counted in the
        # database); nothing is sent during a request.
        "EMAIL_URL": "dummymail://",
        "CSO_SITE_URL": "http://127.0.0.1",
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }


def _admin_connection():
    import psycopg2

    connection = psycopg2.connect(f"{PG_URL}/postgres")
    connection.autocommit = True
    return connection


def recreate_database(db_name: str) -> None:
    """Drop and create ``db_name`` (only ever a ``cso_bench_web…`` database)."""
    if not db_name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to touch database {db_name!r}: not a {DB_PREFIX}… name")
    drop_database(db_name)
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{db_name}"')
    finally:
        connection.close()


def drop_database(db_name: str) -> None:
    if not db_name.startswith(DB_PREFIX):
        raise SystemExit(f"refusing to drop {db_name!r}")
    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [db_name],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
    finally:
        connection.close()


def flush_redis() -> None:
    """Empty the benchmarks' Redis databases (11: cache and rate limits, 12: broker)."""
    import redis

    for db in (REDIS_CACHE_DB, REDIS_BROKER_DB):
        redis.Redis.from_url(f"{REDIS_BASE}/{db}").flushdb()


def prepare(db_name: str = DEFAULT_DB, *, fresh: bool = True) -> Stack:
    """A migrated scratch database, empty Redis dbs and collected static files."""
    stack = Stack(db_name=db_name, env=bench_env(db_name))
    if fresh:
        recreate_database(db_name)
        flush_redis()
        stack.manage("migrate", "--noinput")
    static_root = Path(os.environ.get("CSO_BENCH_STATIC_ROOT", ROOT / "var" / "bench-static"))
    if not (static_root / "staticfiles.json").exists():
        stack.manage("collectstatic", "--noinput")
    return stack


_django_ready = False


def setup_django(stack: Stack) -> None:
    """Set Django up in this process with the stack's settings (seeding, test client)."""
    global _django_ready
    if _django_ready:
        return
    os.environ.update(stack.env)
    import django

    django.setup()
    _django_ready = True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn on 127.0.0.1:<free port>: sync workers = 2 × cores, no access log."""

    def __init__(
        self,
        stack: Stack,
        *,
        app: str = PORTAL_APP,
        workers: int | None = None,
        timeout: int = 30,
        ready_path: str | None = None,
    ) -> None:
        self.stack = stack
        self.app = app
        self.workers = workers or web_workers()
        self.timeout = timeout
        self.port = free_port()
        self.ready_path = ready_path or ("/hello" if app == B0_APP else "/healthz")
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / "var" / f"bench-gunicorn-{self.port}.log"

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w")  # noqa: SIM115 - kept open for the server's life
        self.process = subprocess.Popen(
            [
                GUNICORN,
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                # PROOF.md's protocol: sync workers. CSO_BENCH_THREADS=N tries gthread workers
                # with N threads each (a hash in one thread does not hold up the others:
                # argon2-cffi releases the GIL while it hashes).
                *(
                    ["--worker-class", "gthread", "--threads", os.environ["CSO_BENCH_THREADS"]]
                    if os.environ.get("CSO_BENCH_THREADS")
                    else ["--worker-class", "sync"]
                ),
                "--timeout",
                str(self.timeout),
                "--log-level",
                "warning",
                # Access log off (PROOF.md); errors and worker timeouts go to the log file.
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env={**os.environ, **self.stack.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 60) -> None:
        import http.client

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.ready_path)
                response = connection.getresponse()
                response.read()
                connection.close()
                # Every worker imports the app at start: wait until all are up.
                answered = response.status < 500 or self.ready_path == "/healthz"
                if answered and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready on port {self.port}; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        """PIDs of the master's worker processes (from /proc)."""
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def log_text(self) -> str:
        try:
            return self.log_path.read_text()
        except OSError:
            return ""

    def worker_timeouts(self) -> int:
        """How many "WORKER TIMEOUT" lines gunicorn logged so far."""
        return self.log_text().count("WORKER TIMEOUT")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def rss_kib(pid: int) -> int:
    """VmRSS of ``pid`` in KiB (/proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def hasher_ceiling(samples: int = 7) -> tuple[float, float, str]:
    """H0: (seconds per verify, verifies per second = cores ÷ that, hasher name).

    The production hasher (first of PASSWORD_HASHERS) with its production parameters;
    median of ``samples`` single verifies in this process. Needs :func:`setup_django`.
    """
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher("default")
    encoded = make_password("a passphrase of the usual length, 1 2 3")
    check_password("a passphrase of the usual length, 1 2 3", encoded)  # warm
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        check_password("a passphrase of the usual length, 1 2 3", encoded)
        times.append(time.perf_counter() - start)
    per_verify = statistics.median(times)
    return per_verify, cores() / per_verify, hasher.algorithm


def hasher_cpu_seconds(samples: int = 5) -> float:
    """CPU seconds (all threads of this process) of one verify with the production hasher.

    Argon2 in Django runs ``parallelism`` lanes on threads, so one verify can keep more than
    one core busy: then the wall time understates its cost and cores ÷ wall time (H0)
    overstates what a loaded server can do. cores ÷ this is the CPU-bound ceiling.
    """
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("a passphrase of the usual length, 1 2 3")
    times = []
    for _ in range(samples):
        start = time.process_time()
        check_password("a passphrase of the usual length, 1 2 3", encoded)
        times.append(time.process_time() - start)
    return statistics.median(times)


def machine() -> str:
    """One line: date, CPUs, memory, Python, PostgreSQL."""
    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pg = ""
    with contextlib.suppress(Exception):
        connection = _admin_connection()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = f"PostgreSQL {cursor.fetchone()[0]}"
        connection.close()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    threads = os.environ.get("CSO_BENCH_THREADS")
    server = (
        f"gunicorn gthread × {web_workers()} × {threads} threads"
        if threads
        else f"gunicorn sync × {web_workers()}"
    )
    return (
        f"{when}; {cores()} CPUs ({cpu}); {mem}; Python {platform.python_version()}; {pg}; {server}"
    )


# In-process helpers (after setup_django) ----------------------------------------------------


def session_cookie_for(user, *, mfa: bool = False, reauthenticated: bool = True) -> str:
    """A signed-in session for ``user`` as the sign-in would leave it (with the
    authentication records allauth keeps: a recent password — marked as a re-authentication
    when ``reauthenticated``, which the link pages ask for — and the second factor when
    ``mfa``); returns the session cookie's value."""
    from allauth.account.internal.flows.login import record_authentication
    from django.conf import settings
    from django.test import Client, RequestFactory

    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(
        request,
        user,
        "password",
        username=user.username,
        reauthenticated=True if reauthenticated else None,
    )
    if mfa:
        record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return request.session.session_key


def query_count(client, method: str, path: str, data: dict | None = None) -> tuple[int, int]:
    """(queries, status) of one request through the Django test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method.lower())(path, data or {})
    return len(captured.captured_queries), response.status_code


def ratio_line(name: str, value: float, baseline: float, goal: float, base_name: str) -> str:
    """ "P1: 812 req/s = 0.64 × B0 (goal ≥ 0.60): met"."""
    ratio = value / baseline if baseline else 0.0
    verdict = "met" if ratio >= goal else f"MISSED by {(goal - ratio) / goal:.0%}"
    return (
        f"{name}: {value:,.1f}/s = {ratio:.2f} × {base_name} ({baseline:,.1f}/s); "
        f"goal ≥ {goal:.2f} × {base_name}: {verdict}"
    )
