"""HTTP benchmarks of the portal against the real stack (PROOF.md P1–P3, P5–P8, P11).

One command per goal, each with its baseline measured in the same run::

    .venv/bin/python bench/web.py p1     # /healthz, anonymous, full middleware  ≥ 0.60 × B0
    .venv/bin/python bench/web.py p2     # Manage My Account, My courts          ≥ 0.35 × B0
    .venv/bin/python bench/web.py p3     # clerk queue at 1,000 and 200,000       ≥ 0.20 × B0
    .venv/bin/python bench/web.py p5     # successful sign-in                     ≥ 0.85 × H0
    .venv/bin/python bench/web.py p6     # over-limit sign-in and link attempts   ≥ 0.40 × B0
    .venv/bin/python bench/web.py p7     # link submit                            ≥ 0.40 × H0
    .venv/bin/python bench/web.py p8     # clerk approve; 50 parallel approvals   ≥ 0.20 × B0
    .venv/bin/python bench/web.py p11    # worker RSS after 10k requests          ≤ 150 MiB

Each creates the scratch database ``cso_bench_web`` (``--db``), Redis dbs 11/12, and its own
gunicorn (sync workers = 2 × cores, no access log) with ``cso_portal.settings.bench``; the load
generator (bench/load.py) runs on 127.0.0.1. Figures go to stdout; bench/RESULTS.md keeps them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness, load, web_seed
from bench.load import HttpSession, Scenario, say

QUEUE = "/console/linking/linkrequest/?status__exact=pending_review"
COURT = "bwkb"


# Shared pieces ------------------------------------------------------------------------------


def close_db() -> None:
    """Close this process's database connections before the load generator forks."""
    from django.db import connections

    connections.close_all()


def get_page(port: int, path: str, cookie: str | None = None, ip: str | None = None):
    """A scenario step factory: GET ``path`` (signed in when ``cookie``)."""

    def setup(index: int) -> HttpSession:
        session = HttpSession(port, source_ip=ip)
        if cookie:
            session.cookies["sessionid"] = cookie
        return session

    return setup, lambda session: session.get(path)


def measure_b0(stack: harness.Stack, args) -> load.Result:
    """B0: the bare Django view on the same gunicorn configuration, same load shape."""
    with harness.Gunicorn(stack, app=harness.B0_APP) as b0:
        setup, step = get_page(b0.port, "/hello")
        result = load.bench(
            Scenario("B0 bare Django view", setup, step, ok=lambda s: s == 200),
            concurrency=args.concurrency,
            requests=args.requests,
            seconds=args.seconds,
        )
    say(f"B0   {result.line()}")
    return result


def page_bench(port, name, path, args, cookies=None, ok=lambda s: s == 200) -> load.Result:
    """Load one page; ``cookies`` is one session per client (cycled)."""

    def setup(index: int) -> HttpSession:
        session = HttpSession(port)
        if cookies:
            session.cookies["sessionid"] = cookies[index % len(cookies)]
        return session

    result = load.bench(
        Scenario(name, setup, lambda s: s.get(path), ok=ok),
        concurrency=args.concurrency,
        requests=args.requests,
        seconds=args.seconds,
    )
    say(f"     {result.line()}")
    return result


def test_client(cookie: str):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client


def profile_page(cookie: str | None, path: str, runs: int = 30, top: int = 18) -> None:
    """cProfile of ``runs`` test-client requests: where a request's time goes."""
    from django.test import Client

    client = test_client(cookie) if cookie else Client()
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(path)
    profiler.disable()
    for order, restriction in (("cumulative", r"/work/main/(?!\.venv)"), ("tottime", "")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(*([restriction] if restriction else []), top)
        say(f"profile of {runs} × GET {path} (test client, by {order}):")
        for line in out.getvalue().splitlines():
            if line.strip() and "ncalls" not in line and "List reduced" not in line:
                say(f"  | {line.replace(str(harness.ROOT), '')[:140]}")
    close_db()


def show_queries(cookie: str, path: str) -> None:
    """Each query of one signed-in request, with its time (where the database time goes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = test_client(cookie)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(path)
        total = time.perf_counter() - started
    say(f"     one GET {path} through the test client: {total * 1000:.0f} ms; its queries:")
    for query in captured.captured_queries:
        say(f"       {float(query['time']) * 1000:7.1f} ms  {query['sql'][:110]}")
    close_db()


def verdict(label: str, value: float, base: float, goal: float, base_name: str) -> bool:
    say(harness.ratio_line(label, value, base, goal, base_name))
    return base > 0 and value / base >= goal


def header(goal: str, stack: harness.Stack, args) -> None:
    say(f"== {goal} — {harness.machine()}")
    say(f"   command: {' '.join(sys.argv)}")
    say(
        f"   load: concurrency {args.concurrency}, ≤ {args.requests} units/run, "
        f"≤ {args.seconds} s/run, warm-up then median of 3 runs"
    )


# P1 ----------------------------------------------------------------------------------------


def p1(stack, args) -> bool:
    """/healthz through the full production middleware, anonymous: ≥ 0.60 × B0."""
    b0 = measure_b0(stack, args)
    with harness.Gunicorn(stack) as portal:
        result = page_bench(portal.port, "P1 /healthz anonymous", "/healthz", args)
    from django.test import Client

    client = Client()
    queries, status = harness.query_count(client, "get", "/healthz")
    say(f"     queries per request: {queries} (status {status})")
    met = verdict("P1 /healthz", result.rate, b0.rate, 0.60, "B0")
    if args.profile:
        profile_page(None, "/healthz")
    return met


# P2 ----------------------------------------------------------------------------------------


def p2_data(sessions: int):
    """Attorneys linked in 3 courts each; one linked in 1 court and one in 10 (queries)."""
    courts = [web_seed.make_court(f"bw{i:02d}") for i in range(10)]
    users = web_seed.make_users("ptwo", sessions)
    for user in users:
        web_seed.link_history(user, courts[:3])
    (small,) = web_seed.make_users("ptsmall", 1)
    web_seed.link_history(small, courts[:1])
    (large,) = web_seed.make_users("ptlarge", 1)
    web_seed.link_history(large, courts)
    return users, small, large


def constant_queries(small, large, paths) -> bool:
    """Query counts of each path for an account with 1 linked court and one with 10."""
    ok = True
    for path in paths:
        counts = []
        for user in (small, large):
            client = test_client(harness.session_cookie_for(user))
            counts.append(harness.query_count(client, "get", path))
        same = counts[0][0] == counts[1][0]
        ok &= same
        say(
            f"     queries {path}: 1 linked court {counts[0][0]} (status {counts[0][1]}), "
            f"10 linked courts {counts[1][0]} (status {counts[1][1]}): "
            f"{'constant' if same else 'NOT constant'}"
        )
    return ok


P2_PATHS = ("/account/", "/account/courts/")


def p2(stack, args) -> bool:
    """Signed-in Manage My Account and My courts: ≥ 0.35 × B0 each; queries constant."""
    users, small, large = p2_data(args.concurrency)
    cookies = [harness.session_cookie_for(user) for user in users]
    constant = constant_queries(small, large, P2_PATHS)
    close_db()
    b0 = measure_b0(stack, args)
    met = constant
    with harness.Gunicorn(stack) as portal:
        for path in P2_PATHS:
            result = page_bench(portal.port, f"P2 {path} signed in", path, args, cookies)
            met &= verdict(f"P2 {path}", result.rate, b0.rate, 0.35, "B0")
    if args.profile:
        for path in P2_PATHS:
            profile_page(cookies[0], path)
    return met


# P3 ----------------------------------------------------------------------------------------


def p3(stack, args) -> bool:
    """Clerk queue: ≥ 0.20 × B0; same queries at 1 and 1,000 rows; 200k ≤ 2 × time at 1k."""
    from linking.models import LinkRequest

    court = web_seed.make_court(COURT)
    clerk = web_seed.make_clerk(court)
    (holder,) = web_seed.make_users("pthreet", 1)
    (account,) = web_seed.make_cmecf_accounts(court, [holder])
    template = web_seed.pending_request(holder, account)
    cookie = harness.session_cookie_for(clerk, mfa=True)
    one = harness.query_count(test_client(cookie), "get", QUEUE)
    web_seed.clone_pending_requests(template, prefix="zq", first=1, last=999)
    pending = LinkRequest.objects.filter(status="pending_review").count()
    thousand = harness.query_count(test_client(cookie), "get", QUEUE)
    same = one[0] == thousand[0]
    say(
        f"     queries of the queue: 1 pending {one[0]} (status {one[1]}), {pending:,} pending "
        f"{thousand[0]} (status {thousand[1]}): {'identical' if same else 'DIFFERENT'}"
    )
    close_db()
    b0 = measure_b0(stack, args)
    with harness.Gunicorn(stack) as portal:
        small = page_bench(portal.port, f"P3 queue, {pending:,} pending", QUEUE, args, [cookie])
    met = verdict("P3 queue at 1k", small.rate, b0.rate, 0.20, "B0") and same
    started = time.perf_counter()
    web_seed.clone_pending_requests(template, prefix="zq", first=1000, last=args.rows - 1)
    pending = LinkRequest.objects.filter(status="pending_review").count()
    say(f"     seeded {pending:,} pending requests in {time.perf_counter() - started:.1f} s")
    big_queries = harness.query_count(test_client(cookie), "get", QUEUE)
    say(f"     queries at {pending:,} pending: {big_queries[0]} (status {big_queries[1]})")
    show_queries(cookie, QUEUE)
    close_db()
    with harness.Gunicorn(stack) as portal:
        big = page_bench(portal.port, f"P3 queue, {pending:,} pending", QUEUE, args, [cookie])
    met &= verdict(f"P3 queue at {pending:,}", big.rate, b0.rate, 0.20, "B0")
    slower = big.pct(0.5) / small.pct(0.5) if small.pct(0.5) else 0
    say(
        f"P3 time at {pending:,} ÷ time at 1,000 (p50): {big.pct(0.5):.1f} / {small.pct(0.5):.1f} "
        f"ms = {slower:.2f}; goal ≤ 2: {'met' if slower <= 2 else 'MISSED'}"
    )
    if args.profile:
        profile_page(cookie, QUEUE, runs=10)
    return met and slower <= 2


# P5 ----------------------------------------------------------------------------------------


def sign_in(session: HttpSession, username: str, password: str, label: str = "") -> int:
    """GET the sign-in form (CSRF token and cookie), POST it; returns the POST's status."""
    session.get("/accounts/login/", label=label and f"{label} GET /accounts/login/")
    token = session.csrf_token()
    return session.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "login": username, "password": password},
        label=label and f"{label} POST /accounts/login/",
    )


def h0_line(stack) -> tuple[float, float]:
    per_verify, h0, algorithm = harness.hasher_ceiling()
    cpu = harness.hasher_cpu_seconds()
    say(
        f"H0   {algorithm}: one verify {per_verify * 1000:.0f} ms → H0 = {harness.cores()} cores "
        f"÷ {per_verify * 1000:.0f} ms = {h0:.2f} verifies/s (one verify uses {cpu * 1000:.0f} ms "
        f"of CPU: CPU-bound ceiling {harness.cores() / cpu:.2f}/s)"
    )
    return per_verify, h0


def p5(stack, args) -> bool:
    """Successful sign-in (form GET + POST → redirect): ≥ 0.85 × H0."""
    users = web_seed.make_users("pfive", 200, kind="case_search")
    names = [user.username for user in users]
    close_db()
    _per_verify, h0 = h0_line(stack)
    with harness.Gunicorn(stack) as portal:

        def step(_state, unit: int) -> int:
            # A new browser per sign-in, each from its own address (per-IP limits).
            session = HttpSession(portal.port, source_ip=load.source_ip(unit, block=5))
            try:
                status = sign_in(session, names[unit % len(names)], web_seed.PASSWORD)
                ok = status == 302 and "/accounts/login/" not in session.location()
                return 302 if ok else (status if status != 302 else 299)
            finally:
                session.close()

        scenario = Scenario(
            "P5 successful sign-in", lambda i: {}, step, ok=lambda s: s == 302, numbered=True
        )
        result = load.bench(
            scenario,
            concurrency=args.concurrency,
            requests=args.signins,
            seconds=args.seconds * 3,
            warmup=args.concurrency,
        )
        say(f"     {result.line()}")
        timeouts = portal.worker_timeouts()
    say(f"     worker timeouts: {timeouts}")
    met = verdict("P5 sign-in", result.rate, h0, 0.85, "H0") and result.errors == 0
    if args.profile:
        profile_sign_in(names[0])
    return met


def profile_sign_in(username: str) -> None:
    from django.test import Client

    profiler = cProfile.Profile()
    for _ in range(3):
        client = Client(enforce_csrf_checks=False)
        profiler.enable()
        client.post("/accounts/login/", {"login": username, "password": web_seed.PASSWORD})
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(8)
    say("profile of 3 sign-in POSTs (test client, by own time):")
    for line in out.getvalue().splitlines():
        if line.strip():
            say(f"  | {line[:150]}")
    close_db()


# P6 ----------------------------------------------------------------------------------------


def p6(stack, args) -> bool:
    """Over-limit sign-in and link attempts: ≥ 0.40 × B0, answered before hashing; P2 keeps
    ≥ 0.5 × its solo throughput meanwhile."""
    from cso_portal.core import ratelimit
    from linking.services import credentials

    court = web_seed.make_court(COURT)
    p2_users, _small, _large = p2_data(args.concurrency)
    p2_cookies = [harness.session_cookie_for(user) for user in p2_users]
    attorneys = web_seed.make_users("psix", args.concurrency)
    web_seed.make_cmecf_accounts(court, attorneys)
    per_verify, _h0 = h0_line(stack)
    close_db()
    b0 = measure_b0(stack, args)
    met = True
    with harness.Gunicorn(stack) as portal:
        # Sign-in: each client's address has spent its "login" allowance (30/m/ip) on
        # empty forms (refused before authentication, so nothing was hashed).
        # Fresh addresses for every run (the window slides: hits spent over a minute ago
        # would come back mid-run), spent just before it starts.
        def signin_setup(index: int) -> HttpSession:
            fresh = index + (os.getpid() % 997) * 64
            session = HttpSession(portal.port, source_ip=load.source_ip(fresh, block=6))
            session.get("/accounts/login/")
            token = session.csrf_token()
            for _ in range(40):
                status = session.post(
                    "/accounts/login/", {"csrfmiddlewaretoken": token, "login": "x"}
                )
                if status == 429:
                    break
            session.token = token
            return session

        def signin_step(session: HttpSession) -> int:
            return session.post(
                "/accounts/login/",
                {
                    "csrfmiddlewaretoken": session.token,
                    "login": p2_users[0].username,
                    "password": web_seed.PASSWORD,
                },
            )

        over_signin = Scenario("P6 sign-in over the limit", signin_setup, signin_step)
        over_signin.ok = lambda s: s == 429
        signin = load.bench(
            over_signin, concurrency=args.concurrency, requests=args.requests, seconds=40
        )
        say(f"     {signin.line()}")
        met &= verdict("P6 over-limit sign-in", signin.rate, b0.rate, 0.40, "B0")
        before_hash = signin.pct(0.99) < per_verify * 1000
        say(
            f"     answered before hashing: p99 {signin.pct(0.99):.1f} ms < one verify "
            f"{per_verify * 1000:.0f} ms: {'yes' if before_hash else 'NO'}"
        )
        met &= before_hash

        # Link: each attorney's hourly allowance (20 attempts) is spent.
        import django.db

        for user in attorneys:
            for _ in range(credentials.PACER_ACCOUNT_LIMIT + 1):
                ratelimit.hit(
                    "link-pacer",
                    str(user.pk),
                    limit=credentials.PACER_ACCOUNT_LIMIT,
                    window_seconds=credentials.LIMIT_WINDOW_SECONDS,
                )
        link_path = f"/account/link/{court.pk}/"

        def link_scenario():
            # Sessions with a fresh sign-in record (linking asks for one within 5 minutes).
            cookies = [harness.session_cookie_for(user) for user in attorneys]
            django.db.connections.close_all()

            def setup(index: int) -> HttpSession:
                session = HttpSession(portal.port, source_ip=load.source_ip(index, block=8))
                session.cookies["sessionid"] = cookies[index % len(cookies)]
                session.get(link_path)
                session.token = session.csrf_token()
                return session

            def step(session: HttpSession) -> int:
                return session.post(
                    link_path,
                    {
                        "csrfmiddlewaretoken": session.token,
                        "login": "nobody",
                        "password": web_seed.CMECF_PASSWORD,
                    },
                )

            return Scenario("P6 link over the limit", setup, step, ok=lambda s: s == 429)

        link = load.bench(
            link_scenario(), concurrency=args.concurrency, requests=args.requests, seconds=40
        )
        say(f"     {link.line()}")
        met &= verdict("P6 over-limit link", link.rate, b0.rate, 0.40, "B0")
        before_hash = link.pct(0.99) < per_verify * 1000
        say(
            f"     answered before hashing: p99 {link.pct(0.99):.1f} ms < one verify "
            f"{per_verify * 1000:.0f} ms: {'yes' if before_hash else 'NO'}"
        )
        met &= before_hash

        # P2 alone, then P2 while over-limit sign-ins and link attempts hammer the site.
        def p2_scenario():
            def setup(index: int) -> HttpSession:
                session = HttpSession(portal.port)
                session.cookies["sessionid"] = p2_cookies[index % len(p2_cookies)]
                return session

            return Scenario("P2 /account/ signed in", setup, lambda s: s.get("/account/"))

        solo = load.bench(
            p2_scenario(), concurrency=args.concurrency, requests=args.requests, seconds=20
        )
        say(f"     solo {solo.line()}")
        attack: dict[str, load.Result] = {}
        stop_at = time.perf_counter() + 60

        def hammer(name: str, scenario: Scenario) -> None:
            attack[name] = load.run(
                scenario, concurrency=args.concurrency, requests=10**7, seconds=30
            )

        link_attack = link_scenario()
        threads = [
            threading.Thread(target=hammer, args=("signin", over_signin)),
            threading.Thread(target=hammer, args=("link", link_attack)),
        ]
        for thread in threads:
            thread.start()
        time.sleep(8)  # the attackers' set-up (31 empty posts per address) is done
        during = load.run(
            p2_scenario(), concurrency=args.concurrency, requests=args.requests, seconds=15
        )
        for thread in threads:
            thread.join(timeout=max(1, stop_at - time.perf_counter()))
        say(f"     during {during.line()}")
        for name, result in attack.items():
            say(f"     attack {name}: {result.line()}")
        keeps = solo.rate and during.rate / solo.rate
        say(
            f"P6 P2 during the flood ÷ P2 solo: {during.rate:.1f} / {solo.rate:.1f} = "
            f"{keeps:.2f}; goal ≥ 0.50: {'met' if keeps >= 0.5 else 'MISSED'}"
        )
        met &= keeps >= 0.5
    return met


# P7 ----------------------------------------------------------------------------------------


def link_flow(session: HttpSession, court_id: str, login: str, label: str = "") -> int:
    """Credential form → POST the CM/ECF login and password → verify page → Submit.
    Returns 302 when the request was filed (redirect to its status page), else the status
    of the step that failed."""
    path = f"/account/link/{court_id}/"
    status = session.get(path, label=label and f"{label} GET credentials")
    if status != 200:
        return status or 1
    status = session.post(
        path,
        {
            "csrfmiddlewaretoken": session.csrf_token(),
            "login": login,
            "password": web_seed.CMECF_PASSWORD,
        },
        label=label and f"{label} POST credentials (hash)",
    )
    if status != 302 or not session.location().endswith("/verify/"):
        return status if status != 302 else 298
    status = session.get(f"{path}verify/", label=label and f"{label} GET verify")
    if status != 200:
        return status or 1
    token = re.search(rb'name="token" value="([^"]+)"', session.last_body)
    status = session.post(
        f"{path}verify/",
        {
            "csrfmiddlewaretoken": session.csrf_token(),
            "token": token.group(1).decode() if token else "",
        },
        label=label and f"{label} POST verify (create + queue)",
    )
    if status != 302 or "/account/link/requests/" not in session.location():
        return status if status != 302 else 297
    return 302


def p7(stack, args) -> bool:
    """Link submit (verify the CM/ECF password, create the request, queue its processing):
    ≥ 0.40 × H0. Each unit is one attorney's whole link form, from a fresh sign-in."""
    from linking.models import LinkRequest

    court = web_seed.make_court(COURT)
    per_run = args.links
    runs = 4  # the warm-up and 3 measured runs each need attorneys of their own
    attorneys = web_seed.make_users("pseven", per_run * runs)
    web_seed.make_cmecf_accounts(court, attorneys)
    _per_verify, h0 = h0_line(stack)
    close_db()
    results = []
    with harness.Gunicorn(stack) as portal:
        for run in range(runs):
            group = attorneys[run * per_run : (run + 1) * per_run]
            cookies = [harness.session_cookie_for(user) for user in group]
            logins = [f"bl{user.username}" for user in group]
            close_db()

            def setup(index: int) -> HttpSession:
                return HttpSession(portal.port, source_ip=load.source_ip(index, block=9))

            def step(session: HttpSession, unit: int, cookies=cookies, logins=logins) -> int:
                session.cookies = {"sessionid": cookies[unit]}
                return link_flow(session, COURT, logins[unit])

            result = load.run(
                Scenario("P7 link submit", setup, step, ok=lambda s: s == 302, numbered=True),
                concurrency=args.concurrency,
                requests=per_run,
                seconds=args.seconds * 3,
            )
            say(f"  {'warm' if run == 0 else 'run '} {result.line()}")
            for failure in result.failures[:3]:
                say(f"       failure: {failure}")
            if run:
                results.append(result)
        timeouts = portal.worker_timeouts()
    result = sorted(results, key=lambda r: r.rate)[1]
    say(f"     {result.line()}")
    submitted = LinkRequest.objects.filter(court=court).count()
    say(f"     requests filed: {submitted} of {per_run * runs}; worker timeouts: {timeouts}")
    close_db()
    return verdict("P7 link submit", result.rate, h0, 0.40, "H0") and result.errors == 0


# P8 ----------------------------------------------------------------------------------------


def p8(stack, args) -> bool:
    """Clerk approve: ≥ 0.20 × B0; 50 parallel approvals of one request → 1 change, 1 event,
    1 email."""
    from cso_portal.core.models import OutboundEmail
    from linking.models import LinkEvent, LinkRequest

    court = web_seed.make_court(COURT)
    clerks = [web_seed.make_clerk(court, f"peclerk{i}") for i in range(4)]
    (holder,) = web_seed.make_users("peightt", 1)
    (account,) = web_seed.make_cmecf_accounts(court, [holder])
    template = web_seed.pending_request(holder, account)
    needed = 4 * args.approvals + 1
    web_seed.clone_pending_requests(template, prefix="ze", first=1, last=needed)
    pks = list(
        LinkRequest.objects.filter(status="pending_review")
        .exclude(pk=template.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    cookies = [harness.session_cookie_for(clerk, mfa=True) for clerk in clerks for _ in range(2)]
    close_db()
    b0 = measure_b0(stack, args)
    queue = "/console/linking/linkrequest/"

    def approve(session: HttpSession, pk: int) -> int:
        return session.post(
            queue,
            {
                "csrfmiddlewaretoken": session.token,
                "action": "approve_requests",
                "_selected_action": str(pk),
                "index": "0",
            },
        )

    with harness.Gunicorn(stack) as portal:
        offset = {"next": 0}
        results = []
        for run in range(4):
            chunk = pks[offset["next"] : offset["next"] + args.approvals]
            offset["next"] += args.approvals

            def setup(index: int) -> HttpSession:
                session = HttpSession(portal.port)
                session.cookies["sessionid"] = cookies[index % len(cookies)]
                session.get(f"{queue}?status__exact=pending_review")
                session.token = session.csrf_token()
                return session

            def step(session: HttpSession, unit: int, chunk=chunk) -> int:
                return approve(session, chunk[unit])

            result = load.run(
                Scenario("P8 clerk approve", setup, step, ok=lambda s: s == 302, numbered=True),
                concurrency=args.concurrency,
                requests=len(chunk),
                seconds=args.seconds,
            )
            say(f"  {'warm' if run == 0 else 'run '} {result.line()}")
            for failure in result.failures[:3]:
                say(f"       failure: {failure}")
            if run:
                results.append(result)
        result = sorted(results, key=lambda r: r.rate)[1]
        say(f"     {result.line()}")
        met = verdict("P8 clerk approve", result.rate, b0.rate, 0.20, "B0")
        approved = LinkRequest.objects.filter(status="approved").count()
        say(f"     approved by the runs: {approved:,} (asked {4 * args.approvals:,})")

        # 50 parallel approvals of one request, through the console, released at once.
        target = template.pk
        barrier = threading.Barrier(50)
        statuses: list[int] = []
        sessions = []
        for index in range(50):
            session = HttpSession(portal.port)
            session.cookies["sessionid"] = cookies[index % len(cookies)]
            session.get(f"{queue}?status__exact=pending_review")
            session.token = session.csrf_token()
            sessions.append(session)

        def race(session: HttpSession) -> None:
            barrier.wait(timeout=30)
            statuses.append(approve(session, target))

        threads = [threading.Thread(target=race, args=(s,)) for s in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        timeouts = portal.worker_timeouts()
    request = LinkRequest.objects.get(pk=target)
    events = LinkEvent.objects.filter(request=request, to_status="approved").count()
    emails = OutboundEmail.objects.filter(template="linking/email/linked", to=holder.email).count()
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    once = request.status == "approved" and events == 1 and emails == 1
    say(
        f"P8 50 parallel approvals of request #{target}: responses {counts}; status "
        f"{request.status}, approval events {events}, linked emails {emails}; worker "
        f"timeouts {timeouts}: {'1 change, 1 event, 1 email' if once else 'NOT exactly once'}"
    )
    close_db()
    return met and once


# P11 ---------------------------------------------------------------------------------------


def p11(stack, args) -> bool:
    """Each web worker ≤ 150 MiB RSS after 10k requests, growth ≤ 10%."""
    users, _small, _large = p2_data(args.concurrency)
    cookies = [harness.session_cookie_for(user) for user in users]
    close_db()
    paths = ["/healthz", "/account/", "/account/courts/", "/accounts/login/", "/"]
    with harness.Gunicorn(stack) as portal:

        def setup(index: int) -> HttpSession:
            session = HttpSession(portal.port)
            session.cookies["sessionid"] = cookies[index % len(cookies)]
            return session

        def step(session: HttpSession, unit: int) -> int:
            return session.get(paths[unit % len(paths)])

        # "/" sends a signed-in account on to Manage My Account (302).
        mix = Scenario("P11 page mix", setup, step, ok=lambda s: s in (200, 302), numbered=True)
        warm = load.run(mix, concurrency=args.concurrency, requests=500, seconds=120)
        say(f"  warm {warm.line()}")
        pids = portal.worker_pids()
        before = {pid: harness.rss_kib(pid) for pid in pids}
        result = load.run(mix, concurrency=args.concurrency, requests=args.total, seconds=600)
        say(f"  run  {result.line()}")
        after = {pid: harness.rss_kib(pid) for pid in portal.worker_pids()}
    met = result.errors == 0
    for pid in pids:
        if pid not in after:
            say(f"     worker {pid}: restarted during the run")
            met = False
            continue
        growth = (after[pid] - before[pid]) / before[pid]
        ok = after[pid] <= 150 * 1024 and growth <= 0.10
        met &= ok
        say(
            f"     worker {pid}: RSS {before[pid] / 1024:.1f} MiB after warm-up → "
            f"{after[pid] / 1024:.1f} MiB after {result.units:,} more requests "
            f"({growth:+.1%}): {'met' if ok else 'MISSED'}"
        )
    say(f"P11 memory (≤ 150 MiB, growth ≤ 10%): {'met' if met else 'MISSED'}")
    return met


GOALS = {"p1": p1, "p2": p2, "p3": p3, "p5": p5, "p6": p6, "p7": p7, "p8": p8, "p11": p11}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("goal", choices=sorted(GOALS))
    parser.add_argument("--db", default=harness.DEFAULT_DB, help="scratch database name")
    parser.add_argument("--concurrency", type=int, default=2 * harness.web_workers())
    parser.add_argument("--requests", type=int, default=3000, help="page requests per run")
    parser.add_argument("--seconds", type=float, default=15, help="cap per run")
    parser.add_argument("--rows", type=int, default=200_000, help="P3: pending requests")
    parser.add_argument("--signins", type=int, default=48, help="P5: sign-ins per run")
    parser.add_argument("--links", type=int, default=32, help="P7: link submits per run")
    parser.add_argument("--approvals", type=int, default=600, help="P8: approvals per run")
    parser.add_argument("--total", type=int, default=10_000, help="P11: requests")
    parser.add_argument("--profile", action="store_true", help="cProfile a test-client pass")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    stack = harness.prepare(args.db)
    harness.setup_django(stack)
    header(args.goal.upper(), stack, args)
    try:
        met = GOALS[args.goal](stack, args)
    finally:
        close_db()
        if not args.keep:
            harness.drop_database(args.db)
        harness.flush_redis()
    say(f"== {args.goal.upper()}: {'MET' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
