"""Fault drills (PROOF.md scenarios 22–24): 1,000 link requests and their approvals pushed
through the real services while a fault is applied, then counted — nothing lost, nothing
done twice.

    .venv/bin/python bench/fault_drills.py --drill {pool-child,worker,redis,postgres,all}
        [--requests 1000] [--rate 10] [--concurrency 2] [--sweep-every 10] [--sweep-after 60]
        [--kill-every 5] [--worker-kill-every 20] [--redis-down 30] [--pg-down 10]
        [--redis-port 6390] [--pg-port 5440] [--keep]

Per drill: a scratch database ``cso_bench_drill`` (dropped, recreated, migrated; for the
PostgreSQL drill on a private cluster in /tmp on port 5440, never the shared one), a private
``redis-server`` on port 6390 (no persistence; database 10 is the broker, flushed at start;
the shared Redis is never touched), production settings (``cso_portal.settings.prod``:
``acks_late``, ``task_reject_on_worker_lost``, prefetch 1, visibility timeout 1 h) and real
prefork workers (``celery -A cso_portal worker``). Mail goes through Django's file-based
backend into a temporary folder, counted message by message afterwards.

This process is the requesters and the clerk: it submits ``--requests`` link requests at
``--rate`` per second (``linking.services.submit_link_request``; the worker verifies each
into ``pending_review``), and approves every request that reaches ``pending_review``
(``approve_link_request``; the decision email goes through the outbox and the worker). It
also plays the beat — every ``--sweep-every`` seconds ``sweep_link_requests`` (stale after
``--sweep-after`` s instead of 2 min), ``sweep_outbox`` (the same threshold, by handing it a
``now`` moved forward by the difference) and ``send_clerk_digests``: the production beat
runs them every minute with 2-minute thresholds; shorter ones keep each drill within a few
minutes. An outbox row left ``sending`` by a killed child is reclaimed by the sweeper after
10 minutes in production; the drill brings that sweep forward once nothing else is left
(and says so).

Drills: ``pool-child`` SIGKILLs a random pool child every ``--kill-every`` s; ``worker``
SIGKILLs the whole worker (and its children) every ``--worker-kill-every`` s and starts a
new one; ``redis`` stops the private Redis for ``--redis-down`` s (everything queued is
lost: no persistence) while submits and approvals go on (scenario 22); ``postgres`` stops the
private PostgreSQL cluster for ``--pg-down`` s and starts it again. Each prints a summary;
the exit status is 1 if anything was lost or duplicated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.drill_env import (
    FaultLog,
    PrivatePostgres,
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
    transport_repeats,
)

DRILLS = ("pool-child", "worker", "redis", "postgres")
COURT_ID = "drl"
BROKER_DB = 10


@dataclass
class Flow:
    """What the requesters and the clerk did and saw."""

    submitted: int = 0
    approved: int = 0
    # The caller got an exception although the change may have committed (what a user
    # would see as an error page).
    errors_seen: Counter[str] = field(default_factory=Counter)
    # Retried after a database error, and found already done (an ambiguous commit).
    already_done: Counter[str] = field(default_factory=Counter)
    db_retries: Counter[str] = field(default_factory=Counter)
    during_outage: Counter[str] = field(default_factory=Counter)
    outage_ids: dict[str, set[int]] = field(
        default_factory=lambda: {"submit": set(), "approve": set()}
    )
    sweeps: Counter[str] = field(default_factory=Counter)
    reclaimed: int = 0


# Seed ---------------------------------------------------------------------------------------


def seed(count: int):
    """One NextGen court that reviews requests, one clerk, ``count`` upgraded attorney
    accounts each with one verified address and one CM/ECF login of their own (unusable
    passwords: the drill never signs in, and hashing 1,000 Argon2 passwords would dominate)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from courts.models import Court, CourtStaff
    from cso_portal import clock
    from linking.models import CmecfAccount

    unusable = make_password(None)  # no hash is computed for an unusable password
    court, _ = Court.objects.update_or_create(
        id=COURT_ID,
        defaults={
            "feed_code": "DRL",
            "name": "Drill District Court",
            "court_type": Court.CourtType.DISTRICT,
            "circuit": "08",
            "state": "Arkansas",
            "nextgen_date": dt.date(2021, 3, 29),
            "link_review_required": True,
        },
    )
    clerk = User.objects.create(
        username="drillclerk",
        email="drillclerk@court.example.test",
        first_name="Drill",
        last_name="Clerk",
        account_number="1999999",
        registered_on=dt.date(2018, 4, 2),
        account_type=User.AccountType.UPGRADED,
        password=unusable,
    )
    EmailAddress.objects.create(user=clerk, email=clerk.email, verified=True, primary=True)
    CourtStaff.objects.create(
        court=court, user=clerk, role=CourtStaff.Role.CLERK, since=clock.now()
    )
    users = User.objects.bulk_create(
        User(
            username=f"drill{i:05d}",
            email=f"drill{i:05d}@example.test",
            first_name="Pat",
            last_name=f"Drill{i:05d}",
            account_number=f"{3_000_000 + i}",
            registered_on=dt.date(2018, 4, 2),
            account_type=User.AccountType.UPGRADED,
            account_kind=User.AccountKind.ATTORNEY_FILER,
            password=unusable,
        )
        for i in range(count)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    logins = CmecfAccount.objects.bulk_create(
        CmecfAccount(
            court=court,
            login=f"drillfiler{i:05d}",
            password=unusable,
            holder_name=user.get_full_name(),
            email_of_record=user.email,
            bar_id=f"AR{9000 + i}",
            role=CmecfAccount.Role.ATTORNEY,
            status=CmecfAccount.Status.ACTIVE,
        )
        for i, user in enumerate(users)
    )
    return clerk, list(zip(users, logins, strict=True))


# The requesters, the clerk and the beat ------------------------------------------------------


def _database_fault(error: BaseException) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError)


def _call(flow: Flow, kind: str, action, *, in_outage) -> object | None:
    """Run one service call as a user would: after a database error (the server went away)
    reconnect and try again; anything else is an error the user saw (the change may have
    committed — the drill's counts tell)."""
    from django.db import connection

    from linking.errors import IllegalTransition, LinkRefused

    outage = in_outage()
    if outage:
        flow.during_outage[kind] += 1
    for attempt in range(200):
        try:
            return action()
        except (LinkRefused, IllegalTransition) as error:
            if attempt:  # our first try committed before the connection dropped
                flow.already_done[kind] += 1
                return None
            raise SystemExit(f"{kind} refused: {error}") from error
        except Exception as error:
            if _database_fault(error):
                flow.db_retries[kind] += 1
                connection.close()
                time.sleep(0.5)
                continue
            flow.errors_seen[f"{kind}: {type(error).__module__}.{type(error).__name__}"] += 1
            return None
    raise SystemExit(f"{kind}: the database did not come back")


def beat(flow: Flow, *, sweep_after: float) -> None:
    """The beat's sweeps, with shorter thresholds (see the module docstring)."""
    from django.db import connection

    from cso_portal import clock
    from cso_portal.core import services as core
    from linking import services

    real = clock.real_now()
    shift = core.EMAIL_REDELIVER_AFTER - dt.timedelta(seconds=sweep_after)
    for name, run in (
        (
            "link requests",
            lambda: services.sweep_link_requests(
                now=real, stale_after=dt.timedelta(seconds=sweep_after)
            ),
        ),
        ("outbox", lambda: core.sweep_outbox(now=real + shift)),
        ("clerk digests", lambda: services.send_clerk_digests(now=clock.now())),
    ):
        try:
            flow.sweeps[name] += run() or 0
        except Exception as error:  # the beat fails while Redis or PostgreSQL is down
            flow.sweeps[f"{name} failed"] += 1
            if _database_fault(error):
                connection.close()


def reclaim_stuck_sending(flow: Flow, *, older_than: float) -> int:
    """The sweeper's 10-minute reclaim of outbox rows a dead worker left ``sending``,
    brought forward to ``older_than`` seconds."""
    from cso_portal import clock
    from cso_portal.core import services as core
    from cso_portal.core.models import OutboundEmail

    cutoff = clock.real_now() - dt.timedelta(seconds=older_than)
    stuck = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff
    ).count()
    if stuck:
        core.sweep_outbox(now=clock.real_now() + core.EMAIL_RECLAIM_AFTER)
        flow.reclaimed += stuck
    return stuck


def push(args, *, clerk, pairs, flow: Flow, in_outage) -> bool:
    """Submit at ``args.rate``/s, approve whatever reaches pending_review, sweep; return
    when every request is approved and every email sent (or at ``args.timeout``)."""
    from cso_portal import clock
    from cso_portal.core.models import OutboundEmail
    from linking import services
    from linking.models import LinkRequest

    Status = LinkRequest.Status
    started = time.monotonic()
    deadline = started + args.timeout
    next_beat = started + args.sweep_every
    approved_ids: set[int] = set()
    i = 0
    last_report = started
    while time.monotonic() < deadline:
        now_m = time.monotonic()
        # Requesters: every request due by now.
        while i < len(pairs) and started + i / args.rate <= now_m:
            user, login = pairs[i]
            outage = in_outage()
            request = _call(
                flow,
                "submit",
                lambda u=user, c=login: services.submit_link_request(
                    pacer_account=u, cmecf_account=c, now=clock.now()
                ),
                in_outage=in_outage,
            )
            flow.submitted += 1
            if outage and request is not None:
                flow.outage_ids["submit"].add(request.pk)
            i += 1
            if time.monotonic() - now_m > 0.5:
                break  # let the clerk and the beat have a turn
        # The clerk: everything now awaiting review, oldest first.
        try:
            waiting = list(
                LinkRequest.objects.filter(status=Status.PENDING_REVIEW)
                .exclude(pk__in=approved_ids)
                .order_by("pk")[:50]
            )
        except Exception as error:
            if not _database_fault(error):
                raise
            from django.db import connection

            connection.close()
            waiting = []
        for request in waiting:
            outage = in_outage()
            _call(
                flow,
                "approve",
                lambda r=request: services.approve_link_request(
                    request=r, actor=clerk, now=clock.now()
                ),
                in_outage=in_outage,
            )
            approved_ids.add(request.pk)
            flow.approved += 1
            if outage:
                flow.outage_ids["approve"].add(request.pk)
        if time.monotonic() >= next_beat:
            beat(flow, sweep_after=args.sweep_after)
            next_beat = time.monotonic() + args.sweep_every
        if time.monotonic() - last_report > 10:
            last_report = time.monotonic()
            say("drill", f"{progress()} submitted {flow.submitted}, approved {flow.approved}")
        if i >= len(pairs) and len(approved_ids) >= len(pairs):
            try:
                unsent = OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).count()
                digests_due = LinkRequest.objects.filter(
                    status=Status.PENDING_REVIEW, clerk_digest__isnull=True
                ).exists()
            except Exception as error:
                if not _database_fault(error):
                    raise
                from django.db import connection

                connection.close()
                continue
            if not unsent and not digests_due:
                return True
            if unsent and not waiting:
                reclaim_stuck_sending(flow, older_than=args.sweep_after)
        if not waiting:
            time.sleep(0.05)
    say("drill", f"timed out after {args.timeout:.0f} s: {progress()}")
    return False


def progress() -> str:
    from django.db.models import Count

    from cso_portal.core.models import OutboundEmail
    from linking.models import LinkRequest

    try:
        requests = dict(LinkRequest.objects.values_list("status").annotate(n=Count("pk")))
        emails = dict(OutboundEmail.objects.values_list("status").annotate(n=Count("pk")))
    except Exception:  # the database is down
        return "(database unreachable)"
    return f"requests {requests}, outbox {emails};"


def worker_log_counts(folder: Path) -> dict[str, int]:
    """What the workers' logs say about the faults (lines of each kind, all workers)."""
    marks = {
        "task retried": " retry: Retry in ",
        "child lost (WorkerLostError)": "WorkerLostError",
        "broker connection lost": "Connection to broker lost",
        "database errors": "OperationalError",
    }
    counts = dict.fromkeys(marks, 0)
    for path in folder.glob("worker-*.log"):
        text = path.read_text(errors="replace")
        for name, mark in marks.items():
            counts[name] += text.count(mark)
    return counts


# Counting -----------------------------------------------------------------------------------


def summary(*, expected: int, pairs, clerk, flow: Flow, mail_dir: Path) -> tuple[list[str], bool]:
    """Count what the database and the mail folder hold. Returns lines and whether all is
    well (0 lost, 0 duplicated everywhere)."""
    from django.db.models import Count

    from cso_portal.core.models import OutboundEmail
    from linking.models import ClerkDigest, LinkEvent, LinkRequest

    Status = LinkRequest.Status
    requests = LinkRequest.objects.filter(court_id=COURT_ID)
    per_account = requests.values("pacer_account_id").annotate(n=Count("pk"))
    duplicated_requests = sum(row["n"] - 1 for row in per_account if row["n"] > 1)
    approved = requests.filter(status=Status.APPROVED).count()
    statuses = dict(requests.values_list("status").annotate(n=Count("pk")))
    lost_requests = expected - approved
    per_transition = (
        LinkEvent.objects.filter(request__court_id=COURT_ID)
        .values("request_id", "from_status", "to_status")
        .annotate(n=Count("pk"))
    )
    duplicated_events = sum(row["n"] - 1 for row in per_transition if row["n"] > 1)
    transitions = Counter((row["from_status"], row["to_status"]) for row in per_transition)
    missing_events = sum(
        max(0, approved - transitions[key])
        for key in (
            ("", Status.SUBMITTED),
            (Status.SUBMITTED, Status.VERIFIED),
            (Status.VERIFIED, Status.PENDING_REVIEW),
            (Status.PENDING_REVIEW, Status.APPROVED),
        )
    )

    outbox = OutboundEmail.objects.all()
    outbox_status = dict(outbox.values_list("status").annotate(n=Count("pk")))
    linked_rows = outbox.filter(template="linking/email/linked")
    linked_addresses = set(linked_rows.values_list("to", flat=True))
    expected_addresses = {user.email.lower() for user, _login in pairs}
    digest_rows = outbox.filter(template="linking/email/clerk_digest").count()
    digests = ClerkDigest.objects.filter(court_id=COURT_ID).count()

    per_address, _written = delivered(mail_dir)
    delivered_linked = sum(per_address[a] for a in expected_addresses)
    duplicated_linked = sum(per_address[a] - 1 for a in expected_addresses if per_address[a] > 1)
    missing_linked = sum(1 for a in expected_addresses if per_address[a] == 0)
    delivered_digests = per_address[clerk.email.lower()]
    unexpected = sum(
        n
        for a, n in per_address.items()
        if a not in expected_addresses and a != clerk.email.lower()
    )
    lost_emails = missing_linked + max(0, digests - delivered_digests)
    duplicated_emails = duplicated_linked + max(0, delivered_digests - digests) + unexpected

    outage_submits, outage_approvals = flow.outage_ids["submit"], flow.outage_ids["approve"]
    lines = [
        f"requests: expected {expected}, submitted {flow.submitted}, in the database "
        f"{requests.count()}, approved {approved}; statuses {statuses}",
        f"lost requests: {lost_requests}; duplicated requests: {duplicated_requests}",
        f"events: {sum(transitions.values())} transitions recorded, duplicated events "
        f"(same request, same transition): {duplicated_events}; missing: {missing_events}",
        f"decision emails: expected {expected}, outbox rows {linked_rows.count()} "
        f"(to {len(linked_addresses)} addresses), delivered {delivered_linked}, "
        f"missing {missing_linked}, duplicated {duplicated_linked}",
        f"clerk digests: {digests} digests, outbox rows {digest_rows}, "
        f"delivered {delivered_digests}",
        f"outbox: {outbox_status}; messages to unexpected addresses: {unexpected}",
        f"lost emails: {lost_emails}; duplicated emails: {duplicated_emails} (in the "
        "mailboxes, by Message-ID); repeated hand-overs of one message to the mail "
        f"backend: {transport_repeats(mail_dir)}",
        f"caller saw an error: {dict(flow.errors_seen) or 0}; calls retried after a database "
        f"error: {dict(flow.db_retries) or 0}, of which found already done: "
        f"{dict(flow.already_done) or 0}",
        f"worker logs: {worker_log_counts(mail_dir.parent)}",
        f"beat (rows re-queued; digests made): {dict(flow.sweeps)}; outbox rows reclaimed "
        f"from a dead worker's 'sending' (10-minute reclaim brought forward): {flow.reclaimed}",
    ]
    for address in sorted(a for a in expected_addresses if per_address[a] > 1):
        row = linked_rows.filter(to__iexact=address).values("pk", "status", "attempts").first()
        lines.append(
            f"duplicate to {address}: {per_address[address]} messages; its outbox row {row} "
            "(a child killed after the message was handed to the mail backend but before the "
            "row was marked sent: the reclaim sends it again)"
        )
    if flow.during_outage:
        done_submits = requests.filter(pk__in=outage_submits, status=Status.APPROVED).count()
        done_approvals = requests.filter(pk__in=outage_approvals, status=Status.APPROVED).count()
        outage_addresses = requests.filter(pk__in=outage_approvals).values_list(
            "pacer_account__email", flat=True
        )
        mailed = sum(1 for a in outage_addresses if per_address[a.lower()] == 1)
        lines.append(
            f"during the outage: {flow.during_outage['submit']} submits accepted "
            f"({done_submits} of those requests verified and approved since), "
            f"{flow.during_outage['approve']} approvals committed ({done_approvals} approved, "
            f"{mailed} decision emails delivered once since)"
        )
    ok = (
        lost_requests == 0
        and duplicated_requests == 0
        and duplicated_events == 0
        and missing_events == 0
        and lost_emails == 0
        and duplicated_emails == 0
        and not flow.errors_seen
    )
    return lines, ok


# The drills ---------------------------------------------------------------------------------


def run_drill(name: str, args, workdir: Path) -> bool:
    """One drill in its own scratch database; prints its summary; True if all is well."""
    tmp = workdir / name
    redis = PrivateRedis(port=args.redis_port, workdir=tmp / "redis")
    postgres = PrivatePostgres(port=args.pg_port, datadir=Path(args.pg_datadir))
    try:
        return _run_drill(name, args, tmp, redis, postgres if name == "postgres" else None)
    finally:
        redis.stop()
        if name == "postgres" and not args.keep:
            postgres.stop()


def _run_drill(name: str, args, tmp: Path, redis: PrivateRedis, postgres) -> bool:
    mail_dir, var_dir = tmp / "mail", tmp / "var"
    for path in (mail_dir, var_dir):
        path.mkdir(parents=True, exist_ok=True)
    redis.start()
    import redis as redis_client

    redis_client.Redis.from_url(redis.url(BROKER_DB)).flushdb()
    if postgres:
        postgres.start()
        db_url = recreate_database(host="127.0.0.1", port=args.pg_port, name=args.database)
    else:
        db_url = recreate_database(host="127.0.0.1", port=5432, name=args.database)
    env = production_env(
        database_url=db_url, redis_url=redis.url(BROKER_DB), mail_dir=mail_dir, var_dir=var_dir
    )
    say(name, f"database {db_url}, broker {redis.url(BROKER_DB)} (private), mail {mail_dir}")
    say(name, f"migrated in {migrate(env):.1f} s")
    setup_django(env)
    from django.conf import settings

    say(
        name,
        f"settings {settings.SETTINGS_MODULE}: acks_late={settings.CELERY_TASK_ACKS_LATE}, "
        f"reject_on_worker_lost={settings.CELERY_TASK_REJECT_ON_WORKER_LOST}, "
        f"prefetch={settings.CELERY_WORKER_PREFETCH_MULTIPLIER}, "
        f"transport={settings.CELERY_BROKER_TRANSPORT_OPTIONS}, mail={settings.EMAIL_BACKEND}",
    )
    t = time.monotonic()
    clerk, pairs = seed(args.requests)
    say(name, f"seeded {len(pairs)} accounts, logins and a clerk in {time.monotonic() - t:.1f} s")

    faults = FaultLog()
    logs = iter(tmp / f"worker-{n}.log" for n in range(1, 1000))
    workers = [Worker(env, next(logs), concurrency=args.concurrency)]
    say(
        name,
        f"worker ready in {workers[0].wait_ready():.1f} s (prefork, {args.concurrency} children)",
    )
    outage = {"since": None}
    threads: list[Repeating] = []

    def in_outage() -> bool:
        return outage["since"] is not None

    if name == "pool-child":

        def kill_child() -> None:
            pid = workers[-1].kill_child()
            if pid:
                faults.note("pool children killed", f"SIGKILL pool child {pid}")

        threads.append(Repeating(args.kill_every, kill_child))
    elif name == "worker":

        def kill_worker() -> None:
            old = workers[-1]
            old.kill()
            faults.note("workers killed", f"SIGKILL worker {old.pid} and its children")
            fresh = Worker(env, next(logs), concurrency=args.concurrency)
            workers.append(fresh)
            ready = fresh.wait_ready()
            faults.note("workers started", f"new worker {fresh.pid} ready in {ready:.1f} s")

        threads.append(Repeating(args.worker_kill_every, kill_worker))
    elif name == "redis":

        def redis_outage() -> None:
            redis.stop()
            outage["since"] = time.monotonic()
            faults.note("redis stopped", f"private Redis stopped for {args.redis_down:.0f} s")
            time.sleep(args.redis_down)
            redis.start()
            outage["since"] = None
            faults.note("redis started", "private Redis started again (empty)")

        threads.append(Repeating(3600, redis_outage, first=args.fault_at))
    elif name == "postgres":

        def pg_outage() -> None:
            postgres.stop()
            outage["since"] = time.monotonic()
            faults.note("postgres stopped", f"private PostgreSQL stopped for {args.pg_down:.0f} s")
            time.sleep(args.pg_down)
            postgres.start()
            outage["since"] = None
            faults.note("postgres started", "private PostgreSQL started again")

        threads.append(Repeating(3600, pg_outage, first=args.fault_at))

    # The faults go on until the flow is done (or the timeout): the tail is faulted too.
    flow = Flow()
    for thread in threads:
        thread.start()
    started = time.monotonic()
    try:
        finished = push(args, clerk=clerk, pairs=pairs, flow=flow, in_outage=in_outage)
    finally:
        for thread in threads:
            thread.stop()
        elapsed = time.monotonic() - started
        for worker in workers:
            if worker.process.poll() is None:
                worker.stop()
        if postgres and not postgres.running():
            postgres.start()
    for event in faults.events:
        say(name, event)
    lines, ok = summary(expected=len(pairs), pairs=pairs, clerk=clerk, flow=flow, mail_dir=mail_dir)
    print(f"\n== drill {name}: {len(pairs)} link requests and approvals in {elapsed:.1f} s ==")
    print(f"faults: {dict(faults.counts)}")
    for line in lines:
        print(f"  {line}")
    if not finished:
        ok = False
        print(
            f"  NOT FINISHED within --timeout {args.timeout:.0f} s: the counts above are a snapshot"
        )
    print(f"result: {'PASS — 0 lost, 0 duplicated' if ok else 'FAIL'}\n")
    from django.db import connection

    connection.close()
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drill", choices=(*DRILLS, "all"), default="all")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=10.0, help="submits per second")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--sweep-every", type=float, default=10.0)
    parser.add_argument("--sweep-after", type=float, default=60.0)
    parser.add_argument("--kill-every", type=float, default=5.0)
    parser.add_argument("--worker-kill-every", type=float, default=20.0)
    parser.add_argument("--redis-down", type=float, default=30.0)
    parser.add_argument("--pg-down", type=float, default=10.0)
    parser.add_argument("--fault-at", type=float, default=25.0, help="outage start (s)")
    parser.add_argument("--timeout", type=float, default=230.0, help="per drill (s)")
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--pg-datadir", default=str(Path(tempfile.gettempdir()) / "cso_pgdrill"))
    parser.add_argument("--database", default="cso_bench_drill")
    parser.add_argument("--keep", action="store_true", help="leave the private PostgreSQL up")
    args = parser.parse_args(argv)
    drills = DRILLS if args.drill == "all" else (args.drill,)
    if len(drills) > 1:
        # Django is set up once per process: each drill runs in a process of its own.
        import subprocess

        results = {}
        for drill in drills:
            rest = [
                a
                for j, a in enumerate(argv)
                if not a.startswith("--drill") and not (j and argv[j - 1] == "--drill")
            ]
            done = subprocess.run([sys.executable, __file__, "--drill", drill, *rest], check=False)
            results[drill] = done.returncode == 0
        print(f"all drills: {results}")
        return 0 if all(results.values()) else 1
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())} — {machine()}")
    with tempfile.TemporaryDirectory(prefix="cso_drill_") as workdir:
        return 0 if run_drill(drills[0], args, Path(workdir)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
