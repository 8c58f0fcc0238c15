"""``manage.py bench_paa_statement``: P4 of the proof protocol — a PAA of 1,000 members
with 1,000,000 charge rows, its quarter statement page and CSV timed against a same-run
baseline (a trivial view behind the same middleware and session).

It writes a million rows: run it only on a scratch database. ``python bench/paa_statement.py``
makes one (``test_<name>``, migrated), runs this command in it and drops it afterwards;
this command itself refuses any database whose name does not start with ``test_`` or
``bench``, and SQLite (the rows are made with PostgreSQL's ``generate_series``).

``seed_paa`` is also what the tests use to build large PAAs quickly.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path

from accounts import fees
from accounts.models import CostCenter, PaaMembership, PaaProfile, User
from accounts.services import billing, statements
from cso_portal import clock

COURTS = ["flsb", "azb", "arb", "ca8", "nysd", "cacd", "txsb", "ilnd"]


def seed_paa(
    *,
    members: int,
    charges: int,
    year: int,
    quarter: int,
    quarters: int = 1,
    prefix: str = "bench",
    now: dt.datetime | None = None,
) -> User:
    """A PAA with ``members`` active members (in ten cost centers) and ``charges`` charge
    rows billed to it, spread evenly over the ``quarters`` quarters ending with (``year``,
    ``quarter``), 50 client codes, 8 courts. Accounts, memberships and cost centers by
    bulk_create; the charges by one ``INSERT … SELECT generate_series`` (PostgreSQL only),
    then their tallies (``billing.rebuild_tallies``: what ``record_charge`` keeps up one
    charge at a time). Returns the PAA."""
    if connection.vendor != "postgresql":
        raise CommandError("seed_paa needs PostgreSQL (generate_series); not SQLite.")
    now = now or clock.now()
    unusable = make_password(None)  # nobody signs in with these accounts' passwords
    with transaction.atomic():
        base = _next_account_number()
        paa_account = User.objects.create(
            username=f"{prefix}paa{base}",
            account_number=f"{base:07d}",
            first_name="Bench",
            last_name="Administrator",
            email=f"{prefix}paa{base}@example.test",
            registered_on=dt.date(2020, 1, 6),
            account_kind=User.AccountKind.PAA,
            password=unusable,
        )
        PaaProfile.objects.create(
            account=paa_account, firm_name=f"{prefix.title()} & Partners LLP", created_at=now
        )
        people = User.objects.bulk_create(
            User(
                username=f"{prefix}m{base + n}",
                account_number=f"{base + n:07d}",
                first_name=f"Member{n:04d}",
                last_name=f"{prefix.title()}",
                email=f"{prefix}m{base + n}@example.test",
                registered_on=dt.date(2020, 1, 6),
                account_kind=User.AccountKind.ATTORNEY_FILER,
                password=unusable,
            )
            for n in range(1, members + 1)
        )
        centers = CostCenter.objects.bulk_create(
            CostCenter(paa=paa_account, name=f"Office {n:02d}", created_at=now) for n in range(10)
        )
        first_start, _end = statements.quarter_range(
            *statements.quarters_ending(year, quarter, quarters)[-1]
        )
        PaaMembership.objects.bulk_create(
            PaaMembership(
                paa=paa_account,
                member=person,
                status=PaaMembership.Status.ACTIVE,
                cost_center=centers[i % len(centers)],
                requested_at=first_start - dt.timedelta(days=30),
                started_at=first_start - dt.timedelta(days=30),
            )
            for i, person in enumerate(people)
        )
        if charges:
            _insert_charges(
                paa_account,
                [person.pk for person in people],
                charges,
                start=first_start,
                end=statements.quarter_range(year, quarter)[1],
            )
        billing.rebuild_tallies(payer=paa_account)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_charge")
        cursor.execute("ANALYZE accounts_chargetally")
    return paa_account


def _next_account_number() -> int:
    highest = (
        User.objects.filter(account_number__startswith="9")
        .order_by("-account_number")
        .values_list("account_number", flat=True)
        .first()
    )
    return int(highest) + 1 if highest else 9_000_000


def _insert_charges(
    paa_account: User, ids: list[int], count: int, *, start: dt.datetime, end: dt.datetime
) -> None:
    """``count`` rows, evenly spaced in [start, end), row ``g`` by member ``m = g % members``
    (its ``k = g / members``-th view): a capped document of 1–45 pages ($0.10 a page, at
    most $3.00); each member uses 3 of the 8 courts and 10 of the firm's 50 client codes,
    and gives no code on every third view."""
    step = (end - start).total_seconds() / count
    sql = """
        INSERT INTO accounts_charge
            (account_id, billed_to_id, court_id, item, description, case_number, document,
             pages, amount, client_code, created_at)
        SELECT ids[1 + (g %% cardinality(ids))], %(paa)s,
               (%(courts)s::text[])[
                   1 + ((g %% cardinality(ids) + (g / cardinality(ids)) %% 3) %% 8)],
               'document', 'Docket entry view',
               '1:26-bk-' || lpad((g %% 5000)::text, 5, '0'),
               'entry ' || (1 + g %% 40),
               1 + (g %% 45),
               LEAST(1 + (g %% 45), 30) * 0.10,
               CASE WHEN g %% 3 = 0 THEN ''
                    ELSE 'CLIENT-' || lpad((((g %% cardinality(ids)) * 7
                                             + (g / cardinality(ids)) %% 10) %% 50)::text, 2, '0')
               END,
               %(start)s::timestamptz + make_interval(secs => g * %(step)s)
        FROM generate_series(0, %(count)s - 1) AS g, (SELECT %(ids)s::bigint[] AS ids) AS m
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "paa": paa_account.pk,
                "courts": COURTS,
                "ids": ids,
                "count": count,
                "start": start,
                "step": step,
            },
        )


# The benchmark -------------------------------------------------------------------------------


def hello(request: HttpRequest) -> HttpResponse:
    """The baseline: a trivial view behind the same middleware and session."""
    return HttpResponse("hello", content_type="text/plain")


# The root URLconf uses i18n_patterns, which may not be include()d: splice its patterns in.
urlpatterns = [path("bench/hello/", hello), *import_module(settings.ROOT_URLCONF).urlpatterns]


def _time(client: Client, url: str, runs: int) -> tuple[list[float], int, int]:
    """(milliseconds of each run, status, bytes of the last response), after one warm-up."""
    response = client.get(url)
    _consume(response)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        size = _consume(response)
        times.append((time.perf_counter() - started) * 1000)
    return times, response.status_code, size


def _consume(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "P4: time a 1,000-member, 1,000,000-charge PAA statement (scratch PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000)
        parser.add_argument("--charges", type=int, default=1_000_000)
        parser.add_argument(
            "--quarters",
            type=int,
            default=1,
            help="Spread the charges over this many quarters (1: all in the statement's).",
        )
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--usage-csv-runs", type=int, default=1)

    def handle(self, *args, **options):
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "postgresql":
            raise CommandError("This benchmark needs PostgreSQL; it refuses SQLite.")
        if not name.startswith(("test_", "bench")):
            raise CommandError(
                f"Refusing to write a million rows into {name!r}: run it through "
                "`python bench/paa_statement.py`, which makes a scratch database."
            )
        year, quarter = fees.quarter_of(clock.today())
        out = self.stdout.write
        started = time.perf_counter()
        big = seed_paa(
            members=options["members"],
            charges=options["charges"],
            year=year,
            quarter=quarter,
            quarters=options["quarters"],
            prefix="bench",
        )
        seeded = time.perf_counter() - started
        small = seed_paa(members=10, charges=100, year=year, quarter=quarter, prefix="small")
        out(
            f"seeded: {options['members']} members, {options['charges']:,} charges over "
            f"{options['quarters']} quarter(s) in {seeded:.1f} s (database {name})"
        )
        query = f"?quarter={year}-{quarter}"
        with override_settings(ROOT_URLCONF=__name__):
            client = Client()
            client.force_login(big)
            small_client = Client()
            small_client.force_login(small)
            counts = {}
            for label, who in (("small", small_client), ("large", client)):
                with CaptureQueriesContext(connection) as queries:
                    who.get(f"/account/paa/statement/{query}")
                counts[label] = len(queries)
            out(
                "queries of the statement page: 10 members × 100 charges: "
                f"{counts['small']}; {options['members']} × {options['charges']:,}: "
                f"{counts['large']}"
            )
            if counts["small"] != counts["large"]:
                raise CommandError("The statement's query count grows with its size.")
            runs = options["runs"]
            rows = [
                ("baseline /bench/hello/ (signed in)", "/bench/hello/", runs),
                ("statement page", f"/account/paa/statement/{query}", runs),
                ("statement CSV", f"/account/paa/statement.csv{query}", runs),
                ("raw usage CSV (streamed)", f"/account/paa/usage.csv{query}",
                 options["usage_csv_runs"]),
            ]  # fmt: skip
            results = {}
            for label, url, n in rows:
                if n <= 0:
                    continue
                times, status, size = _time(client, url, n)
                results[label] = times
                base = results.get(rows[0][0])
                ratio = (
                    f"  p50 = {statistics.median(times) / statistics.median(base):,.0f} × baseline"
                    if base and label != rows[0][0]
                    else ""
                )
                out(
                    f"{label:<36} n={n:<3} status {status}  {size:>11,} bytes  "
                    f"p50 {statistics.median(times):8.1f} ms  p95 {_p(times, 0.95):8.1f} ms"
                    f"{ratio}"
                )
        member = PaaMembership.objects.filter(paa=big).select_related("member").first().member
        times = []
        for n in range(options["runs"] * 5):
            started = time.perf_counter()
            billing.record_charge(
                account=member, court_id="flsb", item=fees.Item.DOCUMENT, pages=12,
                now=clock.now(), client_code=f"CLIENT-{n % 3:02d}",
            )  # fmt: skip
            times.append((time.perf_counter() - started) * 1000)
        out(
            f"{'record_charge (charge + tally)':<36} n={len(times):<3}{'':>33}"
            f"p50 {statistics.median(times):8.1f} ms  p95 {_p(times, 0.95):8.1f} ms"
        )
        statement = statements.statement_for(big, year=year, quarter=quarter, today=clock.today())
        out(
            f"statement {statement.label}: {statement.views:,} views, usage "
            f"${statement.usage:,}, owed ${statement.owed:,} "
            f"({len(statement.members)} members, waived ${statement.waived or Decimal(0):,})"
        )
