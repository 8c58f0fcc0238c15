"""Go-live morning and PROOF scenario 30, over HTTP against the real stack.

``golive``: 1,000 attorneys (``--attorneys``) sign in, pass the link form (re-authentication,
the court-issued login and password, the verify page) and submit against one court; goal:
all within 5 minutes, 0 errors. Reports p95 per attorney and per step, and where the time
went: worker CPU (of which password hashing), database time, the rest.

``scenario30`` ("Scenario 30"): 200 concurrent sign-ins mixed with normal signed-in traffic;
over-limit ones answered before hashing; the other pages' p95 within 2 × their baseline;
no worker timeouts::

    .venv/bin/python bench/surge.py golive [--attorneys 1000] [--concurrency 16]
    .venv/bin/python bench/surge.py scenario30 [--signins 200] [--addresses 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, load, web, web_seed
from bench.load import HttpSession, Scenario, say

COURT = web.COURT


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of ``pids`` (/proc/<pid>/stat), in seconds."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def db_active_ms(db_name: str) -> tuple[float, int]:
    """(milliseconds spent executing statements, commits) in ``db_name`` so far
    (pg_stat_database, PostgreSQL ≥ 14)."""
    connection = harness._admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(active_time, 0), xact_commit FROM pg_stat_database "
                "WHERE datname = %s",
                [db_name],
            )
            active, commits = cursor.fetchone()
    finally:
        connection.close()
    return float(active), int(commits)


def follow_reauthentication(session: HttpSession, password: str, label: str) -> int:
    """When the last answer sends to /accounts/reauthenticate/, confirm the password there
    (as the attorney does) and come back; returns the final status."""
    location = session.last_headers.get("location", "")
    if not location.startswith("/accounts/reauthenticate/"):
        return 0
    session.get(location, label=f"{label} GET reauthenticate")
    return session.post(
        location,
        {"csrfmiddlewaretoken": session.csrf_token(), "password": password},
        label=f"{label} POST reauthenticate (hash)",
    )


def attorney_morning(port: int, username: str, login: str, ip: str, timings: list) -> int:
    """One attorney: sign in, open linking for the court, re-authenticate when asked, the
    credential step, the verify step, Submit. 302 when the request was filed."""
    session = HttpSession(port, source_ip=ip)
    session.timings = timings
    try:
        status = web.sign_in(session, username, web_seed.PASSWORD, label="sign-in")
        if status != 302 or session.location().startswith("/accounts/login"):
            return status if status != 302 else 296
        status = session.get(f"/account/link/?court={COURT}", label="link start")
        if status != 302:
            return status or 1
        status = session.get(session.location(), label="link credentials (redirect)")
        if status == 302:
            status = follow_reauthentication(session, web_seed.PASSWORD, "link")
            if status != 302:
                return status or 1
        return web.link_flow(session, COURT, login, label="link")
    finally:
        session.close()


def step_table(timings: list) -> None:
    """p50/p95 and total seconds per step label."""
    by_label: dict[str, list[float]] = defaultdict(list)
    for label, seconds, _status in timings:
        by_label[label].append(seconds)
    say(f"     {'step':<44} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'total s':>9}")
    for label, values in sorted(by_label.items(), key=lambda item: -sum(item[1])):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        say(
            f"     {label:<44} {len(values):>5} {statistics.median(values) * 1000:>9.0f} "
            f"{p95 * 1000:>9.0f} {sum(values):>9.1f}"
        )


def golive(stack, args) -> bool:
    court = web_seed.make_court(COURT)
    attorneys = web_seed.make_users("golive", args.attorneys)
    web_seed.make_cmecf_accounts(court, attorneys)
    names = [user.username for user in attorneys]
    web.h0_line(stack)
    cpu_per_verify = harness.hasher_cpu_seconds()
    web.close_db()
    with harness.Gunicorn(stack) as portal:
        pids = portal.worker_pids()
        cpu_before = cpu_seconds(pids)
        db_before, commits_before = db_active_ms(stack.db_name)

        def step(state: dict, unit: int) -> int:
            return attorney_morning(
                portal.port,
                names[unit],
                f"bl{names[unit]}",
                load.source_ip(unit, block=10),
                state["timings"],
            )

        scenario = Scenario(
            "go-live: one attorney's morning",
            lambda index: {"timings": []},
            step,
            ok=lambda status: status == 302,
            numbered=True,
            collect=lambda state: state["timings"],
        )
        result = load.run(
            scenario,
            concurrency=args.concurrency,
            requests=args.attorneys,
            seconds=args.limit,
        )
        cpu = cpu_seconds(portal.worker_pids()) - cpu_before
        db_after, commits_after = db_active_ms(stack.db_name)
        timeouts = portal.worker_timeouts()
        restarted = sorted(set(pids) - set(portal.worker_pids()))
    from linking.models import LinkRequest

    filed = LinkRequest.objects.filter(court=court).count()
    web.close_db()
    say(f"     {result.line()}")
    for failure in result.failures[:5]:
        say(f"       failure: {failure}")
    hashes = sum(
        1
        for label, _s, status in result.extra
        if "(hash)" in label or "POST /accounts/login/" in label
    )
    step_table(result.extra)
    db_seconds = (db_after - db_before) / 1000
    hash_cpu = hashes * cpu_per_verify
    say(
        f"     where the time went: {result.seconds:.0f} s wall; web workers used {cpu:.0f} s "
        f"of CPU: hashing ≈ {hashes} verifies × {cpu_per_verify * 1000:.0f} ms = "
        f"{hash_cpu:.0f} s ({hash_cpu / cpu:.0%}), the rest (Django, templates, "
        f"drivers) ≈ {cpu - hash_cpu:.0f} s; PostgreSQL executing statements "
        f"{db_seconds:.0f} s ({commits_after - commits_before:,} commits)"
        if cpu
        else "     (no CPU figures)"
    )
    say(
        f"     capacity: {hashes / max(result.units, 1):.1f} hashes per attorney; at "
        f"{harness.cores()} cores ÷ {cpu_per_verify * 1000:.0f} ms CPU per verify the hashes "
        f"alone need ≥ {hash_cpu / harness.cores():.0f} s for {result.units} attorneys"
    )
    say(
        f"     requests filed: {filed:,}; worker timeouts: {timeouts}; workers restarted: "
        f"{len(restarted)}"
    )
    within = result.units == args.attorneys and result.seconds <= 300
    met = within and result.errors == 0 and timeouts == 0
    say(
        f"GO-LIVE {result.units:,}/{args.attorneys:,} attorneys in {result.seconds:.0f} s "
        f"(goal: all within 300 s), errors {result.errors}, p95 per attorney "
        f"{result.pct(0.95) / 1000:.1f} s: {'MET' if met else 'MISSED'}"
    )
    return met


def scenario30(stack, args) -> bool:
    """Scenario 30: 200 concurrent sign-ins mixed with normal traffic."""
    users, _small, _large = web.p2_data(args.concurrency)
    cookies = [harness.session_cookie_for(user) for user in users]
    signers = web_seed.make_users("sthirty", args.signins, kind="case_search")
    names = [user.username for user in signers]
    web.h0_line(stack)
    cpu_per_verify = harness.hasher_cpu_seconds()
    web.close_db()
    paths = ("/account/", "/account/courts/")
    with harness.Gunicorn(stack) as portal:

        def normal_setup(index: int) -> HttpSession:
            session = HttpSession(portal.port)
            session.cookies["sessionid"] = cookies[index % len(cookies)]
            return session

        normal = Scenario(
            "normal pages (signed in)",
            normal_setup,
            lambda session, unit: session.get(paths[unit % 2]),
            ok=lambda status: status == 200,
            numbered=True,
        )
        load.run(normal, concurrency=args.concurrency, requests=300, seconds=30)  # warm-up
        baseline = load.run(normal, concurrency=args.concurrency, requests=10**6, seconds=20)
        say(f"     baseline {baseline.line()}")

        def signin_step(state: dict, unit: int) -> int:
            session = HttpSession(
                portal.port, source_ip=load.source_ip(unit % args.addresses, block=12)
            )
            session.timings = state["timings"]
            try:
                return web.sign_in(session, names[unit], web_seed.PASSWORD, label="sign-in")
            finally:
                session.close()

        signins = Scenario(
            f"{args.signins} concurrent sign-ins",
            lambda index: {"timings": []},
            signin_step,
            ok=lambda status: status in (302, 429),
            numbered=True,
            collect=lambda state: state["timings"],
        )
        pids = portal.worker_pids()
        cpu_before = cpu_seconds(pids)
        results: dict[str, load.Result] = {}

        def run_signins() -> None:
            time.sleep(2)
            results["signin"] = load.run(
                signins, concurrency=args.signins, requests=args.signins, seconds=240, processes=4
            )

        thread = threading.Thread(target=run_signins)
        thread.start()
        started = time.perf_counter()
        during_parts = []
        while thread.is_alive() and time.perf_counter() - started < 260:
            during_parts.append(
                load.run(normal, concurrency=args.concurrency, requests=10**6, seconds=5)
            )
        thread.join()
        cpu = cpu_seconds(portal.worker_pids()) - cpu_before
        timeouts = portal.worker_timeouts()
        # The sign-in form logs every password it checked; a refused attempt never reaches it.
        checked = portal.log_text().count("sign-in password accepted")
    during = load.Result(
        "normal pages during the sign-ins",
        sum(p.units for p in during_parts),
        sum(p.errors for p in during_parts),
        sum(p.seconds for p in during_parts),
        [x for p in during_parts for x in p.latencies],
        sum((p.statuses for p in during_parts), load.Counter()),
    )
    signin = results["signin"]
    say(f"     {signin.line()}")
    say(f"     during   {during.line()}")
    posts = [(s, st) for label, s, st in signin.extra if label.startswith("sign-in POST")]
    accepted = [s for s, st in posts if st == 302]
    limited = [s for s, st in posts if st == 429]
    other = [st for s, st in posts if st not in (302, 429)]

    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0

    say(
        f"     sign-in POSTs: {len(accepted)} signed in (p50 {p(accepted, 0.5):.0f} ms), "
        f"{len(limited)} over the per-address limit → 429 (p50 {p(limited, 0.5):.0f} ms, "
        f"p95 {p(limited, 0.95):.0f} ms), other {other}"
    )
    say(
        f"     passwords checked (server log): {checked}, signed in: {len(accepted)}; web "
        f"workers' CPU during the sign-ins {cpu:.0f} s, of which the verifies ≈ "
        f"{checked * cpu_per_verify:.0f} s"
    )
    ratio = during.pct(0.95) / baseline.pct(0.95) if baseline.pct(0.95) else 0
    before_hashing = len(limited) > 0 and checked == len(accepted)
    say(
        f"     other pages' p95: {during.pct(0.95):.0f} ms during ÷ {baseline.pct(0.95):.0f} ms "
        f"baseline = {ratio:.2f} (goal ≤ 2); worker timeouts: {timeouts}"
    )
    met = ratio <= 2 and timeouts == 0 and not other and before_hashing and signin.errors == 0
    say(
        f"SCENARIO 30: over-limit answered before hashing: {'yes' if before_hashing else 'NO'}; "
        f"p95 ratio {ratio:.2f}; timeouts {timeouts}: {'MET' if met else 'MISSED'}"
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", choices=["golive", "scenario30"])
    parser.add_argument("--db", default=harness.DEFAULT_DB)
    parser.add_argument("--attorneys", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--limit", type=float, default=360, help="golive: stop after (s)")
    parser.add_argument("--signins", type=int, default=200)
    parser.add_argument("--addresses", type=int, default=5, help="scenario30: client IPs")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    stack = harness.prepare(args.db)
    harness.setup_django(stack)
    title = "GO-LIVE SURGE" if args.which == "golive" else "SCENARIO 30"
    say(f"== {title} — {harness.machine()}")
    say(f"   command: {' '.join(sys.argv)}")
    try:
        met = golive(stack, args) if args.which == "golive" else scenario30(stack, args)
    finally:
        web.close_db()
        if not args.keep:
            harness.drop_database(args.db)
        harness.flush_redis()
    say(f"== {title}: {'MET' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
