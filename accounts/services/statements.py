"""Quarterly bills, computed in the database: a PACER Administrative Account's statement
itemized by member, and an individual account's own bill.

Whose bill a charge is on was decided when it was made: ``Charge.billed_to`` is the PAA
while the viewer was an active member, else the viewer's own account
(``accounts.services.billing.payer_for``). So a quarter split between two payers bills
each for its own part, and the $30 waiver (:func:`accounts.fees.owed_for_quarter`) applies
per account per quarter to the part each payer is billed.

Everything here aggregates in SQL — a fixed number of queries, however many charge rows —
and loops in Python over aggregates only (at most one row per member). The aggregates
read the running tallies that ``record_charge`` keeps beside the charges
(:class:`accounts.models.ChargeTally`: per payer, account, quarter, court and client
code), so a statement of a million charges sums a few rows per member; the raw usage
export reads the charges themselves. Quarters follow the portal's time zone
(``TIME_ZONE``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import fees
from accounts.models import Charge, ChargeTally, PaaMembership, Payment, User

# Quarters of history on a statement (24 months).
HISTORY_QUARTERS = 8
ZERO = Decimal("0.00")


# Quarters -----------------------------------------------------------------------------------


def quarter_range(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    """The quarter as a half-open range of aware moments in the portal's time zone (the
    bounds of :func:`accounts.fees.quarter_bounds` at local midnight): index-friendly, unlike
    filtering on the local date of each row."""
    start, end = fees.quarter_bounds(year, quarter)
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end, dt.time.min, tzinfo=zone),
    )


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarters_ending(
    year: int, quarter: int, count: int = HISTORY_QUARTERS
) -> list[tuple[int, int]]:
    """``count`` quarters up to and including (``year``, ``quarter``), newest first."""
    quarters = [(year, quarter)]
    while len(quarters) < count:
        quarters.append(previous_quarter(*quarters[-1]))
    return quarters


def parse_quarter(value: str) -> tuple[int, int] | None:
    """``"2026-4"`` (or ``"2026-Q4"``) → (2026, 4); None when it is not a quarter the fee
    schedule knows."""
    match = re.fullmatch(r"\s*(\d{4})-[Qq]?([1-4])\s*", value or "")
    if not match:
        return None
    year, quarter = int(match[1]), int(match[2])
    if year < 1:
        return None
    try:
        quarter_range(year, quarter)
    except (ValueError, OverflowError):
        return None
    return year, quarter


def quarter_value(year: int, quarter: int) -> str:
    """The ``?quarter=`` value of a quarter: ``"2026-4"``."""
    return f"{year}-{quarter}"


# What a statement is made of ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Usage:
    """Views, pages and their total; ``owed`` is None where the waiver does not apply to
    the group as such (a court, a client code: the waiver is per account)."""

    label: str
    views: int
    pages: int
    total: Decimal
    owed: Decimal | None = None

    @property
    def waived(self) -> Decimal:
        return ZERO if self.owed is None else fees.cents(self.total - self.owed)


@dataclasses.dataclass(frozen=True)
class MemberLine:
    """One account on the bill: its usage billed to this payer in the quarter, and what
    that makes owed after the $30 waiver (per account per quarter)."""

    account_id: int
    account_number: str
    name: str
    cost_center: str
    views: int
    pages: int
    total: Decimal
    owed: Decimal = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "owed", fees.owed_for_quarter(self.total))

    @property
    def waived(self) -> bool:
        return self.total > 0 and self.owed == 0


@dataclasses.dataclass(frozen=True)
class QuarterBalance:
    """A quarter in the history: usage, owed, payments, credits and the balance."""

    year: int
    quarter: int
    usage: Decimal
    owed: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def label(self) -> str:
        return fees.quarter_label(self.year, self.quarter)

    @property
    def value(self) -> str:
        return quarter_value(self.year, self.quarter)

    @property
    def balance(self) -> Decimal:
        return fees.cents(self.owed - self.paid - self.credited)


@dataclasses.dataclass(frozen=True)
class Statement:
    """One payer's bill for one quarter."""

    payer: User
    year: int
    quarter: int
    members: list[MemberLine]
    by_court: list[Usage]
    by_client_code: list[Usage]
    by_cost_center: list[Usage]
    payments: list[Payment]
    history: list[QuarterBalance]

    @property
    def label(self) -> str:
        return fees.quarter_label(self.year, self.quarter)

    @property
    def value(self) -> str:
        return quarter_value(self.year, self.quarter)

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """First and last day of the quarter."""
        start, end = fees.quarter_bounds(self.year, self.quarter)
        return start, end - dt.timedelta(days=1)

    @functools.cached_property
    def views(self) -> int:
        return sum(line.views for line in self.members)

    @functools.cached_property
    def pages(self) -> int:
        return sum(line.pages for line in self.members)

    @functools.cached_property
    def usage(self) -> Decimal:
        return fees.cents(sum((line.total for line in self.members), ZERO))

    @functools.cached_property
    def owed(self) -> Decimal:
        return fees.cents(sum((line.owed for line in self.members), ZERO))

    @functools.cached_property
    def waived(self) -> Decimal:
        return fees.cents(self.usage - self.owed)

    @functools.cached_property
    def paid(self) -> Decimal:
        return _sum_kind(self.payments, Payment.Kind.PAYMENT)

    @functools.cached_property
    def credited(self) -> Decimal:
        return _sum_kind(self.payments, Payment.Kind.CREDIT)

    @functools.cached_property
    def balance(self) -> Decimal:
        """Owed − payments − credits (negative: a credit balance)."""
        return fees.cents(self.owed - self.paid - self.credited)

    @functools.cached_property
    def members_billed(self) -> int:
        return sum(1 for line in self.members if line.views)


def _sum_kind(payments: list[Payment], kind: str) -> Decimal:
    return fees.cents(sum((p.amount for p in payments if p.kind == kind), ZERO))


def _money(value) -> Decimal:
    """An aggregate as cents (SQLite may hand back a float or an int)."""
    return fees.cents(Decimal(str(value)) if value is not None else ZERO)


def _display_name(first: str, last: str, username: str) -> str:
    return " ".join(part for part in (first, last) if part) or username


# Queries -------------------------------------------------------------------------------------


def charges_billed_to(payer: User, *, year: int, quarter: int) -> QuerySet[Charge]:
    """The charges on ``payer``'s bill for the quarter (unordered)."""
    start, end = quarter_range(year, quarter)
    return Charge.objects.filter(billed_to=payer, created_at__gte=start, created_at__lt=end)


def _tallies(payer: User, *, year: int, quarter: int) -> QuerySet[ChargeTally]:
    return ChargeTally.objects.filter(billed_to=payer, year=year, quarter=quarter)


SUMS = {"views": Sum("views"), "pages": Sum("pages"), "total": Sum("total")}


def _usage_of(queryset: QuerySet, field: str, empty_label: str) -> list[Usage]:
    """Usage grouped by ``field`` (one aggregate query), sorted by it, the empty group
    (``empty_label``) last."""
    rows = queryset.values(field).annotate(**SUMS).order_by()
    return [
        Usage(
            label=row[field] or empty_label,
            views=row["views"] or 0,
            pages=row["pages"] or 0,
            total=_money(row["total"]),
        )
        for row in sorted(rows, key=lambda row: (not row[field], row[field]))
    ]


def member_lines(payer: User, *, year: int, quarter: int) -> list[MemberLine]:
    """Each account's part of ``payer``'s bill for the quarter, sorted by name (one
    aggregate query; for a PAA one more for its members of the quarter, each listed, those
    without charges at zero)."""
    rows = _tallies(payer, year=year, quarter=quarter).values("account").annotate(**SUMS)
    sums = {row["account"]: row for row in rows.order_by()}
    if payer.account_kind == User.AccountKind.PAA:
        people = _members_of_quarter(payer, year=year, quarter=quarter)
    else:  # an individual account's own bill: its own charges only
        people = {payer.pk: (payer.account_number, _display_name(
            payer.first_name, payer.last_name, payer.username), "")}  # fmt: skip
    unknown = set(sums) - set(people)
    if unknown:  # not a member of the quarter (a membership removed by staff): still billed
        for user in User.objects.filter(pk__in=unknown).only(
            "account_number", "first_name", "last_name", "username"
        ):
            people[user.pk] = (
                user.account_number,
                _display_name(user.first_name, user.last_name, user.username),
                "",
            )
    lines = []
    for account_id, (number, name, cost_center) in people.items():
        row = sums.get(account_id, {})
        lines.append(
            MemberLine(
                account_id=account_id,
                account_number=number,
                name=name,
                cost_center=cost_center,
                views=row.get("views") or 0,
                pages=row.get("pages") or 0,
                total=_money(row.get("total")),
            )
        )
    if payer.account_kind != User.AccountKind.PAA and not sums:
        return []
    return sorted(lines, key=lambda line: (line.name.casefold(), line.account_number))


def _members_of_quarter(paa: User, *, year: int, quarter: int) -> dict[int, tuple[str, str, str]]:
    """{member id: (account number, name, cost center)} of the accounts that were members
    of ``paa`` at some time in the quarter (one query, no model instances). A member who
    left and came back shows the cost center of their latest membership of the quarter."""
    start, end = quarter_range(year, quarter)
    rows = (
        PaaMembership.objects.filter(
            paa=paa,
            status__in=(PaaMembership.Status.ACTIVE, PaaMembership.Status.ENDED),
            started_at__lt=end,
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
        .order_by("started_at", "pk")
        .values_list(
            "member_id",
            "member__account_number",
            "member__first_name",
            "member__last_name",
            "member__username",
            "cost_center__name",
        )
    )
    return {
        member_id: (number, _display_name(first, last, username), cost_center or "")
        for member_id, number, first, last, username, cost_center in rows
    }


def _by_cost_center(lines: list[MemberLine]) -> list[Usage]:
    groups: dict[str, list[MemberLine]] = {}
    for line in lines:
        groups.setdefault(line.cost_center, []).append(line)
    return [
        Usage(
            label=name or _("No cost center"),
            views=sum(line.views for line in group),
            pages=sum(line.pages for line in group),
            total=fees.cents(sum((line.total for line in group), ZERO)),
            owed=fees.cents(sum((line.owed for line in group), ZERO)),
        )
        for name, group in sorted(groups.items(), key=lambda item: (not item[0], item[0]))
    ]


def history(payer: User, *, year: int, quarter: int) -> list[QuarterBalance]:
    """The :data:`HISTORY_QUARTERS` quarters up to (``year``, ``quarter``), newest first:
    usage, owed (waiver per account per quarter), payments, credits and balance. Two
    queries: one aggregate over the charges' tallies, one over the payments."""
    quarters = quarters_ending(year, quarter)
    owed = _owed_by_quarter(payer, quarters)
    payments: dict[tuple[int, int, str], Decimal] = {}
    rows = (
        Payment.objects.filter(_in_quarters(quarters), account=payer)
        .values("year", "quarter", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        payments[(row["year"], row["quarter"], row["kind"])] = _money(row["total"])
    return [
        QuarterBalance(
            year=y,
            quarter=q,
            usage=owed.get((y, q), (ZERO, ZERO))[0],
            owed=owed.get((y, q), (ZERO, ZERO))[1],
            paid=payments.get((y, q, Payment.Kind.PAYMENT), ZERO),
            credited=payments.get((y, q, Payment.Kind.CREDIT), ZERO),
        )
        for y, q in quarters
    ]


def _in_quarters(quarters: list[tuple[int, int]]) -> Q:
    condition = Q()
    for y, q in quarters:
        condition |= Q(year=y, quarter=q)
    return condition


def _owed_by_quarter(
    payer: User, quarters: list[tuple[int, int]]
) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """{(year, quarter): (usage, owed)} in one query: the ORM sums each account's part of
    each quarter, and a thin outer SELECT applies the waiver to each part and sums per
    quarter, so no per-account row comes back to Python."""
    inner = (
        ChargeTally.objects.filter(_in_quarters(quarters), billed_to=payer)
        .values("year", "quarter", "account")
        .annotate(part=Sum("total"))
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    # The waiver is our own constant, written as a numeric literal (a parameter would be
    # compared as text by SQLite).
    waiver = f"{fees.QUARTERLY_WAIVER:f}"
    outer = (
        f"SELECT t.year, t.quarter, SUM(t.part), "  # noqa: S608 (the ORM's parameterized SQL)
        f"SUM(CASE WHEN t.part > {waiver} THEN t.part ELSE 0 END) "
        f"FROM ({sql}) t GROUP BY t.year, t.quarter"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        return {
            (int(y), int(q)): (_money(usage), _money(owed))
            for y, q, usage, owed in cursor.fetchall()
        }


def statement_for(payer: User, *, year: int, quarter: int, today: dt.date) -> Statement:
    """``payer``'s bill for the quarter — a PAA's statement itemized by member, or an
    individual account's own bill (then its one line is the account itself) — with the
    groupings by court, client code and cost center, the quarter's payments and credits,
    and the history of the :data:`HISTORY_QUARTERS` quarters up to ``today``'s (or the
    chosen quarter, when later). A fixed number of queries (seven for a PAA)."""
    tallies = _tallies(payer, year=year, quarter=quarter)
    lines = member_lines(payer, year=year, quarter=quarter)
    latest = max(fees.quarter_of(today), (year, quarter))
    return Statement(
        payer=payer,
        year=year,
        quarter=quarter,
        members=lines,
        by_court=_usage_of(tallies, "court_id", "—"),
        by_client_code=_usage_of(tallies, "client_code", _("No client code")),
        by_cost_center=_by_cost_center(lines),
        payments=list(
            Payment.objects.filter(account=payer, year=year, quarter=quarter)
            .select_related("actor")
            .order_by("created_at", "pk")
        ),
        history=history(payer, year=latest[0], quarter=latest[1]),
    )


def balance_of(payer: User, *, year: int, quarter: int) -> Decimal:
    """What ``payer`` still owes for the quarter: owed (after the waiver, per account)
    minus payments and credits. Two queries."""
    owed = _owed_by_quarter(payer, [(year, quarter)]).get((year, quarter), (ZERO, ZERO))[1]
    settled = Payment.objects.filter(account=payer, year=year, quarter=quarter).aggregate(
        total=Sum("amount")
    )["total"]
    return fees.cents(owed - _money(settled))
