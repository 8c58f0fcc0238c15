"""The fee ledger: recording a billable view, reading an account's own bill back by
quarter, and (simulated) payments toward a quarter's bill.

``record_charge`` is the one door for a charge (filing calls it for every billable view);
the usage reads aggregate in the database, never by looping rows in Python. A PAA's
statement is :mod:`accounts.services.statements`'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import logging
import re
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import fees
from accounts.models import Charge, ChargeTally, Payment, User
from accounts.services import statements

logger = logging.getLogger(__name__)


def payer_for(account: User, *, now: dt.datetime) -> User:
    """Who pays a charge ``account`` makes at ``now``: its PAA while it is an active member,
    else the account itself. The payer is written on the charge row, so a membership that
    ends later does not move charges already made (a split quarter bills each payer for
    its own part)."""
    from accounts.models import PaaMembership

    paa = (
        PaaMembership.objects.filter(
            member=account, status=PaaMembership.Status.ACTIVE, started_at__lte=now
        )
        .select_related("paa__paa_profile")
        .first()
    )
    return paa.paa if paa is not None else account


CLIENT_CODE_REQUIRED = gettext_lazy(
    "Your firm's PACER Administrative Account requires a client code for every billable "
    "view. Enter one to continue: nothing has been billed."
)


class ClientCodeRequired(Exception):
    """The account's PAA makes client codes mandatory and the view came without one:
    nothing was billed (ask for a code, then bill with it)."""

    def __init__(self) -> None:
        self.message = str(CLIENT_CODE_REQUIRED)
        super().__init__(self.message)


def _client_code_required_by(payer: User) -> bool:
    """Whether the PAA ``payer`` (its profile loaded by :func:`payer_for`) makes client
    codes mandatory."""
    profile = getattr(payer, "paa_profile", None)
    return bool(profile is not None and profile.client_code_required)


@transaction.atomic
def record_charge(
    *,
    account: User,
    court_id: str,
    item: str,
    pages: int,
    now: dt.datetime,
    description: str = "",
    case_number: str = "",
    document: str = "",
    client_code: str = "",
) -> Charge | None:
    """Write one charge row for a view of ``pages`` pages of ``item`` (an
    :class:`accounts.fees.Item`) by ``account`` and return it; None for a free item (a free
    look or an opinion writes no row). The amount is :func:`accounts.fees.fee`'s.

    While ``account`` is a member of a PAA the charge bills to the PAA; when that PAA makes
    client codes mandatory, a view without one raises :class:`ClientCodeRequired` and writes
    nothing. Each charge is added to its running tally (for the quarterly statements)."""
    amount = fees.fee(item, pages)
    if fees.Item(item) in fees.FREE:
        return None
    payer = payer_for(account, now=now)
    client_code = client_code.strip()[:32]
    if not client_code and payer.pk != account.pk and _client_code_required_by(payer):
        raise ClientCodeRequired
    charge = Charge.objects.create(
        account=account,
        billed_to=payer,
        court_id=court_id,
        item=item,
        description=description[:300],
        case_number=case_number[:64],
        document=document[:64],
        pages=pages,
        amount=amount,
        client_code=client_code,
        created_at=now,
    )
    _add_to_tally(charge)
    return charge


def _add_to_tally(charge: Charge) -> None:
    """Add ``charge`` to its running tally (:class:`accounts.models.ChargeTally`): one
    ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite alike), so two charges of the
    same group at once both count."""
    year, quarter = fees.quarter_of(
        timezone.localtime(charge.created_at, timezone.get_default_timezone()).date()
    )
    quote = connection.ops.quote_name
    table = quote(ChargeTally._meta.db_table)
    key = ["billed_to_id", "year", "quarter", "account_id", "court_id", "client_code"]
    sums = ["views", "pages", "total"]
    columns = ", ".join(quote(name) for name in key + sums)
    updates = ", ".join(f"{quote(n)} = {table}.{quote(n)} + excluded.{quote(n)}" for n in sums)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 9)}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(quote(name) for name in key)}) DO UPDATE SET {updates}"
    )
    params = [
        charge.billed_to_id, year, quarter, charge.account_id, charge.court_id,
        charge.client_code, 1, charge.pages, charge.amount,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def rebuild_tallies(*, payer: User | None = None) -> int:
    """Recompute the running tallies from the charges — all of them, or those billed to
    ``payer`` — and return how many tallies there are now. For charges written without
    :func:`record_charge` (bulk loads, benchmarks) and for repairs; the statement reads
    the tallies."""
    charges = Charge.objects.all()
    tallies = ChargeTally.objects.all()
    if payer is not None:
        charges = charges.filter(billed_to=payer)
        tallies = tallies.filter(billed_to=payer)
    tallies.delete()
    zone = timezone.get_default_timezone()
    rows = (
        charges.annotate(
            year=ExtractYear("created_at", tzinfo=zone),
            quarter=ExtractQuarter("created_at", tzinfo=zone),
        )
        .values("billed_to", "account", "year", "quarter", "court_id", "client_code")
        .annotate(views=Count("pk"), pages=Sum("pages"), total=Sum("amount"))
        .order_by()
    )
    made = ChargeTally.objects.bulk_create(
        (
            ChargeTally(
                billed_to_id=row["billed_to"],
                account_id=row["account"],
                year=row["year"],
                quarter=row["quarter"],
                court_id=row["court_id"],
                client_code=row["client_code"],
                views=row["views"],
                pages=row["pages"] or 0,
                total=row["total"] or 0,
            )
            for row in rows.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    return len(made)


@dataclasses.dataclass(frozen=True)
class QuarterUsage:
    year: int
    quarter: int
    pages: int
    views: int
    total: Decimal

    @property
    def label(self) -> str:
        return fees.quarter_label(self.year, self.quarter)

    @property
    def owed(self) -> Decimal:
        return fees.owed_for_quarter(self.total)

    @property
    def waived(self) -> bool:
        return self.total > 0 and self.owed == 0

    @property
    def waiver_left(self) -> Decimal:
        return fees.waiver_left(self.total)

    @property
    def waiver_used_percent(self) -> int:
        """How much of the $30 waiver the quarter has used, 0–100 (for the meter)."""
        used = min(self.total, fees.QUARTERLY_WAIVER) / fees.QUARTERLY_WAIVER
        return int(used * 100)


def _own_bill(account: User):
    """``account``'s own bill: the charges it made and pays itself (not those billed to a
    PAA while it was a member)."""
    return Charge.objects.filter(account=account, billed_to=account)


def usage_by_quarter(account: User, *, limit: int = 8) -> list[QuarterUsage]:
    """``account``'s own bill per quarter, newest first (one aggregate query). Charges
    billed to a PAA while the account was a member are on the PAA's statement, not here.

    Quarters follow the portal's time zone (``USE_TZ``: the extraction happens in the
    current time zone)."""
    rows = (
        _own_bill(account)
        .annotate(year=ExtractYear("created_at"), quarter=ExtractQuarter("created_at"))
        .values("year", "quarter")
        .annotate(pages=Sum("pages"), views=Count("pk"), total=Sum("amount"))
        .order_by("-year", "-quarter")[:limit]
    )
    return [
        QuarterUsage(
            year=row["year"],
            quarter=row["quarter"],
            pages=row["pages"] or 0,
            views=row["views"],
            total=fees.cents(row["total"] or Decimal("0")),
        )
        for row in rows
    ]


def current_quarter_usage(account: User, *, today: dt.date) -> QuarterUsage:
    """The running meter: ``account``'s own bill in ``today``'s quarter (zero when none)."""
    year, quarter = fees.quarter_of(today)
    start, end = statements.quarter_range(year, quarter)
    totals = (
        _own_bill(account)
        .filter(created_at__gte=start, created_at__lt=end)
        .aggregate(pages=Sum("pages"), views=Count("pk"), total=Sum("amount"))
    )
    return QuarterUsage(
        year=year,
        quarter=quarter,
        pages=totals["pages"] or 0,
        views=totals["views"],
        total=fees.cents(totals["total"] or Decimal("0")),
    )


def charges_in_quarter(account: User, *, year: int, quarter: int):
    """The rows of one quarter of ``account``'s own bill, newest first (a queryset)."""
    start, end = statements.quarter_range(year, quarter)
    return (
        _own_bill(account)
        .filter(created_at__gte=start, created_at__lt=end)
        .order_by("-created_at", "-pk")
    )


@dataclasses.dataclass(frozen=True)
class BilledElsewhere:
    """The account's charges of a quarter that are on a PAA's statement instead."""

    paa_id: int
    firm_name: str
    views: int
    total: Decimal


def billed_to_paas(account: User, *, year: int, quarter: int) -> list[BilledElsewhere]:
    """``account``'s charges of the quarter billed to a PAA while it was a member, per PAA
    (one aggregate query): "N views billed to <firm> (PAA)"."""
    start, end = statements.quarter_range(year, quarter)
    rows = (
        Charge.objects.filter(account=account, created_at__gte=start, created_at__lt=end)
        .exclude(billed_to=account)
        .values("billed_to", "billed_to__paa_profile__firm_name", "billed_to__username")
        .annotate(views=Count("pk"), total=Sum("amount"))
        .order_by("billed_to")
    )
    return [
        BilledElsewhere(
            paa_id=row["billed_to"],
            firm_name=row["billed_to__paa_profile__firm_name"] or row["billed_to__username"],
            views=row["views"],
            total=fees.cents(row["total"] or Decimal("0")),
        )
        for row in rows
    ]


# Payments (simulated) -------------------------------------------------------------------------

# A card number the simulated processor always declines (as filing's).
DECLINED_TEST_CARD = "4000000000000002"
# The most one payment may be (a typo guard).
MAX_PAYMENT = Decimal("100000.00")


class PaymentRefused(Exception):
    """The payment was not made; ``message`` says why and ``field`` which input it is
    about (``amount``, ``quarter``, ``method``, ``card``, ``routing``, ``bank_account``, or
    None)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


def luhn_ok(number: str) -> bool:
    """The card number checksum."""
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def routing_number_ok(routing: str) -> bool:
    """The ABA routing number checksum: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 mod 10."""
    if not re.fullmatch(r"\d{9}", routing):
        return False
    d = [int(c) for c in routing]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10 == 0


def _token(prefix: str, secret: str, now: dt.datetime) -> str:
    """What stands for the card or bank account at the (simulated) processor: a keyed hash,
    which cannot be turned back into the number."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{prefix}:{secret}:{now.date()}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{prefix}_{digest[:24]}"


def _tokenize(method: str, number: str, now: dt.datetime) -> tuple[str, str]:
    """(last4, token) of the card or the bank account, or :class:`PaymentRefused`."""
    if method == Payment.Method.CARD:
        digits = re.sub(r"[\s-]", "", number or "")
        if not re.fullmatch(r"\d{13,19}", digits) or not luhn_ok(digits):
            raise PaymentRefused(
                _("The card number is not valid. Check it and try again."), field="card"
            )
        if digits == DECLINED_TEST_CARD:
            raise PaymentRefused(_("The card was declined. Use another card."), field="card")
        return digits[-4:], _token("card", digits, now)
    if method == Payment.Method.BANK:
        routing, _sep, account_number = (number or "").partition(":")
        routing = re.sub(r"[\s-]", "", routing)
        account_number = re.sub(r"[\s-]", "", account_number)
        if not routing_number_ok(routing):
            raise PaymentRefused(
                _("The routing number is not valid: it is the 9 digits printed first on a check."),
                field="routing",
            )
        if not re.fullmatch(r"\d{4,17}", account_number):
            raise PaymentRefused(
                _("The bank account number is not valid: 4 to 17 digits."), field="bank_account"
            )
        return account_number[-4:], _token("ach", f"{routing}:{account_number}", now)
    raise PaymentRefused(_("Choose how to pay: card or bank account."), field="method")


@transaction.atomic(durable=True)
def record_payment(
    *,
    account: User,
    amount: Decimal,
    method: str,
    number: str,
    year: int,
    quarter: int,
    actor: User,
    now: dt.datetime,
) -> Payment:
    """A (simulated) payment by ``account`` toward its bill for the quarter — a PAA's
    statement or an individual account's own bill; PACER fees only (filing fees are paid
    by card when filing). ``number`` is a card number, or ``"routing:account"`` for a US
    bank account (ACH). Only the last four digits and an irreversible token are kept.
    Refused (:class:`PaymentRefused`, nothing saved) for a bad number, an amount that is
    not positive or more than the quarter's balance."""
    try:
        amount = Decimal(amount)
    except (ArithmeticError, TypeError, ValueError):
        raise PaymentRefused(
            _("Enter the amount in dollars, e.g. 45.10."), field="amount"
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise PaymentRefused(
            _("Enter an amount of at least $0.01, in dollars and cents."), field="amount"
        )
    if amount > MAX_PAYMENT:
        raise PaymentRefused(
            _("One payment may be at most $%(max)s.") % {"max": MAX_PAYMENT}, field="amount"
        )
    if amount != fees.cents(amount):
        raise PaymentRefused(_("Enter the amount in dollars and cents."), field="amount")
    try:
        statements.quarter_range(year, quarter)
    except (ValueError, OverflowError, TypeError):
        raise PaymentRefused(_("Choose a quarter to pay."), field="quarter") from None
    last4, token = _tokenize(method, number, now)
    # One payment at a time per payer, so two at once cannot both pay the same balance.
    User.objects.select_for_update().filter(pk=account.pk).first()
    balance = statements.balance_of(account, year=year, quarter=quarter)
    if amount > balance:
        label = fees.quarter_label(year, quarter)
        if balance <= 0:
            message = _("Nothing is owed for %(quarter)s.") % {"quarter": label}
        else:
            message = _("%(quarter)s has a balance of $%(balance)s: pay at most that.") % {
                "quarter": label,
                "balance": balance,
            }
        raise PaymentRefused(message, field="amount")
    payment = Payment.objects.create(
        account=account,
        kind=Payment.Kind.PAYMENT,
        amount=amount,
        method=method,
        last4=last4,
        token=token,
        year=year,
        quarter=quarter,
        created_at=now,
        actor=actor,
    )
    logger.info(
        "Payment %s: $%s by account %s toward %s", payment.pk, amount, account.pk, label_of(payment)
    )
    return payment


@transaction.atomic
def record_credit(
    *,
    account: User,
    amount: Decimal,
    year: int,
    quarter: int,
    note: str,
    actor: User | None,
    now: dt.datetime,
) -> Payment:
    """A credit toward ``account``'s bill for the quarter (PACER Service Center staff:
    a refund, a billing correction). Lowers the balance like a payment."""
    amount = fees.cents(Decimal(amount))
    if amount <= 0:
        raise PaymentRefused(_("A credit is a positive amount."), field="amount")
    statements.quarter_range(year, quarter)
    return Payment.objects.create(
        account=account,
        kind=Payment.Kind.CREDIT,
        amount=amount,
        year=year,
        quarter=quarter,
        note=(note or "").strip()[:300],
        created_at=now,
        actor=actor,
    )


def label_of(payment: Payment) -> str:
    return fees.quarter_label(payment.year, payment.quarter)


def payments_of(account: User):
    """``account``'s payments and credits, newest first (a queryset)."""
    return Payment.objects.filter(account=account).select_related("actor")
