"""What the fault drills and the pipeline benchmark run on: a private Redis, a private
PostgreSQL cluster, a scratch database, production settings, real Celery workers and a
file-based mail backend whose messages another process can count.

Nothing here touches the shared services: the private Redis listens on its own port (6390
by default), the private PostgreSQL cluster lives in /tmp on its own port (5440), and the
scratch database is always named ``cso_bench_drill…`` (dropped and recreated by name).
"""

from __future__ import annotations

import contextlib
import email
import os
import platform
import random
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED_PORTS = {6379, 5432}
SCRATCH_PREFIX = "cso_bench_drill"
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def say(tag: str, line: str) -> None:
    """One progress line, flushed at once (the drills run for minutes)."""
    sys.stdout.write(f"[{tag} {time.strftime('%H:%M:%S', time.gmtime())}] {line}\n")
    sys.stdout.flush()


def machine() -> str:
    """The box the figures come from."""
    return (
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.platform()}"
    )


# Private Redis ------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own (no persistence: a restart empties it, like a lost box)."""

    def __init__(self, *, port: int, workdir: Path) -> None:
        if port in SHARED_PORTS:
            raise SystemExit(f"port {port} is a shared service; the drills use their own")
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        # (a run that was interrupted may have left ours on this port)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--logfile",
                str(self.workdir / "redis.log"),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            if self.process.poll() is not None:
                raise SystemExit(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)
        raise SystemExit(f"redis-server on port {self.port} did not answer")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.3).ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self) -> None:
        """Stop ours (SIGTERM; nothing is saved, so what was queued is gone)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


# Private PostgreSQL -------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"no PostgreSQL {name} under /usr/lib/postgresql")
    return str(found[-1])


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL server command as the postgres user (initdb refuses root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, text=True, **kwargs)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster in /tmp, on its own port, restarted by the drill."""

    def __init__(self, *, port: int, datadir: Path) -> None:
        if port in SHARED_PORTS:
            raise SystemExit(f"port {port} is a shared service; the drills use their own")
        self.port = port
        self.datadir = datadir
        self.sockdir = Path(f"{datadir}-sock")

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    def init(self) -> None:
        if (self.datadir / "PG_VERSION").exists():
            return
        for path in (self.datadir, self.sockdir):
            path.mkdir(parents=True, exist_ok=True)
            self._chown(path)
        _as_postgres(
            [
                _pg_bin("initdb"),
                "-D",
                str(self.datadir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ]
        )

    def _ctl(self, *args: str) -> None:
        self.sockdir.mkdir(parents=True, exist_ok=True)
        self._chown(self.sockdir)
        options = f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1"
        _as_postgres(
            [
                _pg_bin("pg_ctl"),
                "-D",
                str(self.datadir),
                "-o",
                options,
                "-l",
                str(self.datadir / "server.log"),
                "-w",
                "-t",
                "60",
                *args,
            ]
        )

    def running(self) -> bool:
        result = subprocess.run(
            [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
            check=False,
        )
        return result.returncode == 0

    def start(self) -> None:
        self.init()
        if not self.running():
            self._ctl("start")

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, open transactions roll back."""
        if (self.datadir / "postmaster.pid").exists():
            self._ctl("-m", "fast", "stop")


def recreate_database(*, host: str, port: int, name: str) -> str:
    """Drop and create the scratch database (by name; never any other). Returns its URL."""
    if not name.startswith(SCRATCH_PREFIX):
        raise SystemExit(f"the drills only recreate databases named {SCRATCH_PREFIX}…")
    import psycopg2

    connection = psycopg2.connect(host=host, port=port, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"postgres://postgres@{host}:{port}/{name}"


# Settings and processes ---------------------------------------------------------------------

# What a producer or worker process needs to differ from the caller's environment.
_DROPPED = ("DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "DATABASE_URL", "REDIS_URL", "EMAIL_URL")


def production_env(
    *, database_url: str, redis_url: str, mail_dir: Path, var_dir: Path
) -> dict[str, str]:
    """Production settings (cso_portal.settings.prod) on the given database and Redis, with
    Django's file-based mail backend writing into ``mail_dir`` (one file per connection)."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="cso_portal.settings.prod",
        # A throwaway key for this run only (prod refuses to start without a strong one).
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="localhost",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        # django-environ drops the first "/" of the path: four slashes make it absolute.
        EMAIL_URL=f"filemail:///{mail_dir}",
        CSO_VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    """Load the given settings into this process (the drill is a producer and a clerk)."""
    os.environ.update(env)
    import django

    django.setup()


def migrate(env: dict[str, str]) -> float:
    """``manage.py migrate`` in a subprocess on the scratch database; returns seconds."""
    from tests.workers import manage

    started = time.monotonic()
    done = manage(env, "migrate", "--noinput", timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"migrate failed:\n{done.stdout}\n{done.stderr}")
    return time.monotonic() - started


def children(pid: int) -> list[int]:
    """The pool children of a prefork worker."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def sigkill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class Worker:
    """A real ``celery -A <app> worker`` (prefork) started through tests/workers.py."""

    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        *,
        concurrency: int = 2,
        app: str = "cso_portal",
    ) -> None:
        from tests.workers import celery_worker_process

        self.log_path = log_path
        if app == "cso_portal":
            self._context = celery_worker_process(env, log_path, concurrency=concurrency)
        else:
            self._context = _bare_worker(env, log_path, concurrency=concurrency, app=app)
        self.name, self.process = self._context.__enter__()

    def wait_ready(self, timeout: float = 60.0) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.log_path.exists() and " ready." in self.log_path.read_text(errors="replace"):
                return time.monotonic() - started
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit(f"worker not ready:\n{self.log_path.read_text(errors='replace')[-3000:]}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill_child(self) -> int | None:
        """SIGKILL one pool child (chosen at random); returns its pid."""
        found = children(self.pid)
        if not found:
            return None
        pid = random.choice(found)  # noqa: S311
        sigkill([pid])
        return pid

    def kill(self) -> None:
        """SIGKILL the whole worker: stopped first so it starts no new child, its children,
        then itself."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGSTOP)
        sigkill(children(self.pid))
        sigkill([self.pid])
        self.process.wait(timeout=10)
        self.stop()

    def stop(self) -> None:
        self._context.__exit__(None, None, None)


@contextlib.contextmanager
def _bare_worker(env: dict[str, str], log_path: Path, *, concurrency: int, app: str):
    """A worker of another Celery app (the C0 no-op), same command line as the portal's."""
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                app,
                "worker",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield app, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# The mail backend's files -------------------------------------------------------------------


def delivered(mail_dir: Path) -> tuple[Counter[str], dict[str, float]]:
    """Messages the file-based backend wrote, as the recipients' mailboxes hold them: how many
    distinct messages (by Message-ID) per recipient, and when (file mtime) each recipient's
    last one was written. A repeated delivery of one outbox row carries the same Message-ID
    and counts once; ``transport_repeats`` counts those repeats."""
    per_address: Counter[str] = Counter()
    written: dict[str, float] = {}
    for address, _message_id in {(a, m) for a, m, _t in _hand_overs(mail_dir)}:
        per_address[address] += 1
    for address, _message_id, mtime in _hand_overs(mail_dir):
        written[address] = max(written.get(address, 0.0), mtime)
    return per_address, written


def transport_repeats(mail_dir: Path) -> int:
    """How many messages the backend wrote again with a Message-ID it had already written
    (a worker killed between handing a message over and marking its row sent)."""
    hand_overs = _hand_overs(mail_dir)
    return len(hand_overs) - len({(a, m) for a, m, _t in hand_overs})


def _hand_overs(mail_dir: Path) -> list[tuple[str, str, float]]:
    """(recipient, Message-ID, file mtime) for every message the backend wrote, repeats
    included."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        mtime = path.stat().st_mtime
        for index, chunk in enumerate(path.read_bytes().split(MAIL_SEPARATOR)):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk)
            message_id = message.get("Message-ID") or f"{path.name}#{index}"
            for address in (message.get("To") or "").split(","):
                if address := address.strip().lower():
                    found.append((address, message_id, mtime))
    return found


# Faults on a schedule -----------------------------------------------------------------------


@dataclass
class FaultLog:
    """What the fault thread did, for the summary."""

    events: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    windows: list[tuple[float, float]] = field(default_factory=list)

    def note(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        self.events.append(f"{time.strftime('%H:%M:%S', time.gmtime())} {line}")


class Repeating(threading.Thread):
    """Call ``action`` every ``every`` seconds until stopped."""

    def __init__(self, every: float, action: Callable[[], None], *, first: float | None = None):
        super().__init__(daemon=True)
        self.every = every
        self.first = every if first is None else first
        self.action = action
        self.stopped = threading.Event()

    def run(self) -> None:
        if self.stopped.wait(self.first):
            return
        while not self.stopped.is_set():
            self.action()
            if self.stopped.wait(self.every):
                return

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=120)
