"""C0, P9 and P10 (PROOF.md): the notification pipeline against a bare Celery no-op.

    .venv/bin/python bench/pipeline.py [--only c0,p9,p10] [--c0-tasks 3000] [--p9-emails 1000]
        [--runs 3] [--p9-rate 50] [--p9-seconds 30] [--p10-rate 50] [--p10-seconds 120]
        [--kill-every 10] [--redis-down 5] [--sweep-after 60] [--concurrency 2]
        [--redis-port 6390]

- **C0**: ``bench.drill_noop`` (a Celery app with one no-op task and the portal's reliability
  settings) on a private ``redis-server`` (port 6390, database 10, flushed; the shared Redis is
  never touched) with a prefork worker of ``--concurrency`` children: this process publishes
  ``--c0-tasks`` no-ops while the worker drains them; tasks/s = tasks ÷ (first publish → the
  queue and the unacknowledged set both empty). Median of ``--runs`` after a warm-up.
- **P9**: the portal's outbox → Celery → mail backend with production settings
  (``cso_portal.settings.prod``) on a scratch database ``cso_bench_drill_pipeline`` (dropped,
  recreated, migrated) and the same Redis, worker command and concurrency: this process calls
  ``queue_email`` for ``--p9-emails`` emails of the "your account has been linked" template in
  one transaction (the worker tasks are published at commit, as C0 publishes its no-ops) while
  the worker renders and sends them; emails/s = emails ÷ (first row → every row ``sent``),
  median of ``--runs``; goal ≥ 0.30 × C0. Latency in a separate paced run (``--p9-rate`` per
  second for ``--p9-seconds``, one transaction per email, as services do): enqueue (the row's
  ``created_at``) → the message file written by Django's file-based backend (its mtime);
  goal p95 ≤ 2 s.
- **P10**: the P9 pipeline paced at ``--p10-rate`` per second for ``--p10-seconds``; every
  ``--kill-every`` seconds a random pool child gets SIGKILL, and once, half-way, the private
  Redis is stopped for ``--redis-down`` seconds and started again (empty: no persistence).
  This process plays the beat every 10 s: ``sweep_outbox`` with a ``--sweep-after`` (60 s)
  threshold instead of 2 min (a ``now`` moved forward by the difference), and, once the paced
  phase is over, the 10-minute reclaim of rows a killed child left ``sending`` (claimed more
  than ``--sweep-after`` ago), brought forward. Every message file is counted per recipient:
  goal 0 lost, 0 duplicated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drill_env import (
    PrivateRedis,
    Repeating,
    Worker,
    delivered,
    machine,
    migrate,
    production_env,
    recreate_database,
    say,
    setup_django,
)

BROKER_DB = 10
DATABASE = "cso_bench_drill_pipeline"
TEMPLATE = "linking/email/linked"
CONTEXT = {
    "request_id": 1,
    "court_id": "drl",
    "court_name": "Drill District Court",
    "court_type": "district",
    "cmecf_login": "drillfiler00001",
    "holder_name": "Pat Drill",
    "username": "drill00001",
    "help_desk": [{"phone": "(501) 604-5300", "division": "Little Rock"}],
}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(len(ordered), rank) - 1]


# C0 -----------------------------------------------------------------------------------------


def _drained(client) -> bool:
    return client.llen("default") == 0 and client.hlen("unacked") == 0


def c0(args, env: dict[str, str], tmp: Path, redis_url: str) -> float:
    """Bare no-op tasks per second through the private Redis (median of ``args.runs``)."""
    import os

    import redis

    os.environ["CELERY_BROKER_URL"] = redis_url
    from bench.drill_noop import app, noop

    app.conf.broker_url = redis_url
    client = redis.Redis.from_url(redis_url)
    noop_env = {**env, "CELERY_BROKER_URL": redis_url}
    worker = Worker(
        noop_env, tmp / "c0-worker.log", concurrency=args.concurrency, app="bench.drill_noop"
    )
    try:
        worker.wait_ready()
        rates = []
        for run in range(args.runs + 1):
            count = 200 if run == 0 else args.c0_tasks
            started = time.monotonic()
            with app.producer_or_acquire() as producer:
                for _ in range(count):
                    noop.apply_async(producer=producer)
            published = time.monotonic() - started
            while not _drained(client):
                time.sleep(0.005)
            elapsed = time.monotonic() - started
            if run:
                rates.append(count / elapsed)
                say(
                    "C0",
                    f"run {run}: {count} no-ops in {elapsed:.2f} s ({count / elapsed:.0f}/s; "
                    f"publishing took {published:.2f} s)",
                )
    finally:
        worker.stop()
    return statistics.median(rates)


# P9 -----------------------------------------------------------------------------------------


def enqueue(prefix: str, i: int) -> int | None:
    """One outbox email in its own transaction (as a service does); returns its id."""
    from django.db import transaction

    from cso_portal.core.services import queue_email

    with transaction.atomic():
        email = queue_email(
            dedupe_key=f"bench:{prefix}:{i}",
            to=f"{prefix}-{i:06d}@example.test",
            template=TEMPLATE,
            context=CONTEXT,
            language="en",
        )
    return email.pk if email else None


def sent_count(prefix: str) -> int:
    from cso_portal.core.models import OutboundEmail

    return OutboundEmail.objects.filter(
        dedupe_key__startswith=f"bench:{prefix}:", status=OutboundEmail.Status.SENT
    ).count()


def latencies(prefix: str, mail_dir: Path) -> list[float]:
    """Enqueue → message written, in seconds, per email of this prefix."""
    from cso_portal.core.models import OutboundEmail

    _counts, written = delivered(mail_dir)
    rows = OutboundEmail.objects.filter(dedupe_key__startswith=f"bench:{prefix}:")
    return [
        written[to] - created.timestamp()
        for to, created in rows.values_list("to", "created_at")
        if to in written
    ]


def p9_throughput(args, prefix: str, count: int) -> float:
    """``count`` outbox rows written in one transaction (their tasks published at commit,
    like C0's publishing), then drained by the worker: emails per second, first row → all
    sent."""
    from django.db import transaction

    from cso_portal.core.services import queue_email

    started = time.monotonic()
    with transaction.atomic():
        for i in range(count):
            queue_email(
                dedupe_key=f"bench:{prefix}:{i}",
                to=f"{prefix}-{i:06d}@example.test",
                template=TEMPLATE,
                context=CONTEXT,
                language="en",
            )
    queued = time.monotonic() - started
    deadline = time.monotonic() + 300
    while sent_count(prefix) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    say(
        "P9",
        f"{prefix}: {count} emails sent in {elapsed:.2f} s ({count / elapsed:.0f}/s; "
        f"enqueueing took {queued:.2f} s)",
    )
    return count / elapsed


def paced(prefix: str, *, rate: float, seconds: float, on_tick=None) -> int:
    """Enqueue at ``rate`` per second for ``seconds`` (catching up after a slow moment)."""
    total = int(rate * seconds)
    started = time.monotonic()
    for i in range(total):
        wait = started + i / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        enqueue(prefix, i)
        if on_tick:
            on_tick()
    return total


def p9(args, env, tmp: Path, mail_dir: Path) -> tuple[float, list[float]]:
    worker = Worker(env, tmp / "p9-worker.log", concurrency=args.concurrency)
    try:
        worker.wait_ready()
        p9_throughput(args, "p9warm", 100)
        rates = [
            p9_throughput(args, f"p9run{run}", args.p9_emails) for run in range(1, args.runs + 1)
        ]
        total = paced("p9lat", rate=args.p9_rate, seconds=args.p9_seconds)
        deadline = time.monotonic() + 120
        while sent_count("p9lat") < total and time.monotonic() < deadline:
            time.sleep(0.1)
        lat = latencies("p9lat", mail_dir)
        say(
            "P9",
            f"paced {args.p9_rate:.0f}/s for {args.p9_seconds:.0f} s: {len(lat)} of {total} "
            "delivered",
        )
    finally:
        worker.stop()
    return statistics.median(rates), lat


# P10 ----------------------------------------------------------------------------------------


def p10(args, env, tmp: Path, mail_dir: Path, redis: PrivateRedis) -> list[str]:
    from cso_portal import clock
    from cso_portal.core import services as core
    from cso_portal.core.models import OutboundEmail

    prefix = "p10"
    workers = [Worker(env, tmp / "p10-worker.log", concurrency=args.concurrency)]
    workers[0].wait_ready()
    kills: list[int] = []
    redis_events: list[str] = []
    sweeps = {"requeued": 0, "failed": 0, "reclaimed": 0}

    def kill_child() -> None:
        pid = workers[0].kill_child()
        if pid:
            kills.append(pid)

    def restart_redis() -> None:
        redis.stop()
        redis_events.append(f"{time.strftime('%H:%M:%S', time.gmtime())} stopped")
        time.sleep(args.redis_down)
        redis.start()
        redis_events.append(f"{time.strftime('%H:%M:%S', time.gmtime())} started (empty)")

    def sweep() -> None:
        shift = core.EMAIL_REDELIVER_AFTER - dt.timedelta(seconds=args.sweep_after)
        try:
            sweeps["requeued"] += core.sweep_outbox(now=clock.real_now() + shift)
        except Exception:  # Redis is down: the next run does it
            sweeps["failed"] += 1

    next_sweep = {"at": time.monotonic() + 10}

    def tick() -> None:
        if time.monotonic() >= next_sweep["at"]:
            sweep()
            next_sweep["at"] = time.monotonic() + 10

    killer = Repeating(args.kill_every, kill_child)
    outage = Repeating(3600, restart_redis, first=args.p10_seconds / 2)
    killer.start()
    outage.start()
    started = time.monotonic()
    try:
        total = paced(prefix, rate=args.p10_rate, seconds=args.p10_seconds, on_tick=tick)
        produced = time.monotonic() - started
        outage.stop()
        killer.stop()
        rows = OutboundEmail.objects.filter(dedupe_key__startswith=f"bench:{prefix}:")
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if sent_count(prefix) >= total:
                break
            tick()
            stuck = rows.filter(
                status=OutboundEmail.Status.SENDING,
                claimed_at__lt=clock.real_now() - dt.timedelta(seconds=args.sweep_after),
            ).count()
            if stuck:
                # The sweeper's 10-minute reclaim of a killed child's "sending", brought forward.
                core.sweep_outbox(now=clock.real_now() + core.EMAIL_RECLAIM_AFTER)
                sweeps["reclaimed"] += stuck
            time.sleep(0.2)
        drained = time.monotonic() - started
    finally:
        killer.stop()
        outage.stop()
        for worker in workers:
            worker.stop()
    per_address, _written = delivered(mail_dir)
    expected = {f"{prefix}-{i:06d}@example.test" for i in range(total)}
    lost = sum(1 for a in expected if per_address[a] == 0)
    duplicated = sum(per_address[a] - 1 for a in expected if per_address[a] > 1)
    statuses = {
        status: rows.filter(status=status).count() for status in OutboundEmail.Status.values
    }
    lat = latencies(prefix, mail_dir)
    log = (tmp / "p10-worker.log").read_text(errors="replace")
    return [
        f"P10: {total} emails enqueued at {args.p10_rate:.0f}/s in {produced:.1f} s "
        f"(all sent {drained:.1f} s after the start); pool children SIGKILLed: {len(kills)}; "
        f"private Redis: {', '.join(redis_events)}",
        f"P10: outbox rows {rows.count()} {statuses}; messages delivered "
        f"{sum(per_address[a] for a in expected)}; lost {lost}; duplicated {duplicated}",
        f"P10: beat sweeps re-queued {sweeps['requeued']} (failed runs while Redis was down: "
        f"{sweeps['failed']}); 'sending' rows reclaimed (brought forward): {sweeps['reclaimed']}; "
        f"worker log: WorkerLostError ×{log.count('WorkerLostError')}, broker connection lost "
        f"×{log.count('Connection to broker lost')}",
        f"P10: enqueue→sent p50 {percentile(lat, 50):.2f} s, p95 {percentile(lat, 95):.2f} s, "
        f"max {max(lat, default=float('nan')):.2f} s (with the faults)",
        f"P10: {'MET' if lost == 0 and duplicated == 0 else 'MISSED'} (goal 0 lost, 0 duplicated)",
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="c0,p9,p10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--c0-tasks", type=int, default=3000)
    parser.add_argument("--p9-emails", type=int, default=1000)
    parser.add_argument("--p9-rate", type=float, default=50.0)
    parser.add_argument("--p9-seconds", type=float, default=30.0)
    parser.add_argument("--p10-rate", type=float, default=50.0)
    parser.add_argument("--p10-seconds", type=float, default=120.0)
    parser.add_argument("--kill-every", type=float, default=10.0)
    parser.add_argument("--redis-down", type=float, default=5.0)
    parser.add_argument("--sweep-after", type=float, default=60.0)
    parser.add_argument("--redis-port", type=int, default=6390)
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} — {machine()}")
    with tempfile.TemporaryDirectory(prefix="cso_pipeline_") as workdir:
        tmp = Path(workdir)
        mail_dir, var_dir = tmp / "mail", tmp / "var"
        for path in (mail_dir, var_dir):
            path.mkdir()
        redis = PrivateRedis(port=args.redis_port, workdir=tmp / "redis")
        redis.start()
        try:
            import redis as redis_client

            redis_url = redis.url(BROKER_DB)
            redis_client.Redis.from_url(redis_url).flushdb()
            db_url = recreate_database(host="127.0.0.1", port=5432, name=DATABASE)
            env = production_env(
                database_url=db_url, redis_url=redis_url, mail_dir=mail_dir, var_dir=var_dir
            )
            say(
                "setup", f"{db_url}, broker {redis_url} (private), migrated in {migrate(env):.1f} s"
            )
            setup_django(env)
            lines = []
            c0_rate = None
            if "c0" in only or "p9" in only:
                c0_rate = c0(args, env, tmp, redis_url)
                lines.append(
                    f"C0: bare Celery no-op, {args.concurrency} prefork children: "
                    f"{c0_rate:.0f} tasks/s (median of {args.runs})"
                )
                redis_client.Redis.from_url(redis_url).flushdb()
            if "p9" in only:
                p9_rate, lat = p9(args, env, tmp, mail_dir)
                ratio = p9_rate / c0_rate
                p95 = percentile(lat, 95)
                lines += [
                    f"P9: outbox → Celery → file mail backend: {p9_rate:.0f} emails/s (median of "
                    f"{args.runs} × {args.p9_emails}) = {ratio:.2f} × C0 "
                    f"({'MET' if ratio >= 0.30 else 'MISSED'}, goal ≥ 0.30)",
                    f"P9: paced {args.p9_rate:.0f}/s × {args.p9_seconds:.0f} s: enqueue→sent "
                    f"p50 {percentile(lat, 50):.3f} s, p95 {p95:.3f} s, p99 "
                    f"{percentile(lat, 99):.3f} s, n={len(lat)} "
                    f"({'MET' if p95 <= 2 else 'MISSED'}, goal p95 ≤ 2 s)",
                ]
            if "p10" in only:
                lines += p10(args, env, tmp, mail_dir, redis)
            print()
            for line in lines:
                print(line)
        finally:
            from django.db import connection

            connection.close()
            redis.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
