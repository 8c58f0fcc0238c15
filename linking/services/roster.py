"""A clerk's import of the court's filer roster: court-issued CM/ECF logins from a CSV file.

Every row is checked before anything is written; one bad row and nothing is imported (the
clerk fixes the file and sends it again). Passwords are hashed on the way in; the clear
values are never stored or shown back.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import logging
import secrets
from collections.abc import Iterable, Mapping

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from courts.models import Court
from linking.errors import LinkingError
from linking.models import CmecfAccount, CmecfResetToken

logger = logging.getLogger(__name__)

ROSTER_COLUMNS = ("login", "password", "holder_name", "email_of_record", "bar_id", "role")
REQUIRED_COLUMNS = ("login", "password", "holder_name", "email_of_record")
# A roster is a court's filer list, not a bulk-load channel.
MAX_ROWS = 5000

_LOGIN_MAX = CmecfAccount._meta.get_field("login").max_length
_NAME_MAX = CmecfAccount._meta.get_field("holder_name").max_length
_EMAIL_MAX = CmecfAccount._meta.get_field("email_of_record").max_length
_BAR_MAX = CmecfAccount._meta.get_field("bar_id").max_length


@dataclasses.dataclass(frozen=True)
class RosterRow:
    """One data row of the file and the line it starts on (the header is line 1)."""

    line: int
    values: Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class RosterError:
    """What is wrong with one line of the file (line 0: the file as a whole)."""

    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class RosterInvalid(LinkingError):
    """The roster has errors (``errors``, one or more per bad line); nothing was imported."""

    def __init__(self, errors: list[RosterError]) -> None:
        super().__init__(f"{len(errors)} roster error(s)")
        self.errors = errors


def read_roster_csv(text: str) -> list[RosterRow]:
    """Parse a roster's CSV text (a header row naming the columns, then one filer a row).

    Raises :class:`RosterInvalid` when the header lacks a required column or names an
    unknown one, or when the file has no rows."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in ROSTER_COLUMNS]
    errors = []
    if missing:
        errors.append(
            RosterError(1, _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        )
    if unknown:
        errors.append(
            RosterError(1, _("Unknown column(s): %(columns)s.") % {"columns": ", ".join(unknown)})
        )
    if errors:
        raise RosterInvalid(errors)
    reader.fieldnames = header
    rows = []
    line = reader.line_num + 1
    for record in reader:
        if None in record:
            errors.append(RosterError(line, _("More values than columns.")))
        values = {key: (value or "").strip() for key, value in record.items() if key}
        if any(values.values()):  # blank lines are skipped
            rows.append(RosterRow(line, values))
        line = reader.line_num + 1
    if errors:
        raise RosterInvalid(errors)
    return rows


def _role(value: str) -> str | None:
    """The role code for a cell: a code or a label, any letter case; blank is attorney."""
    if not value:
        return CmecfAccount.Role.ATTORNEY
    wanted = value.strip().lower()
    for code, label in CmecfAccount.Role.choices:
        if wanted in (code, str(label).lower(), code.replace("_", " "), code.replace("_", "-")):
            return code
    return None


def _check_row(values: Mapping[str, str], *, taken: set[str], seen: dict[str, int]):
    """The row's problems (messages) and, if none, the unsaved account's fields."""
    problems = []
    login = values.get("login", "")
    if not login:
        problems.append(_("The login is empty."))
    elif len(login) > _LOGIN_MAX or any(ch.isspace() for ch in login):
        problems.append(
            _("The login must be at most %(max)s characters, without spaces.") % {"max": _LOGIN_MAX}
        )
    elif login.lower() in taken:
        problems.append(_("The court already has the login “%(login)s”.") % {"login": login})
    elif login.lower() in seen:
        problems.append(
            _("The login “%(login)s” is already on line %(line)s of this file.")
            % {"login": login, "line": seen[login.lower()]}
        )
    if not values.get("password"):
        problems.append(_("The password is empty."))
    name = values.get("holder_name", "")
    if not name:
        problems.append(_("The holder's name is empty."))
    elif len(name) > _NAME_MAX:
        problems.append(
            _("The holder's name is longer than %(max)s characters.") % {"max": _NAME_MAX}
        )
    email = values.get("email_of_record", "")
    try:
        if len(email) > _EMAIL_MAX:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        problems.append(_("“%(email)s” is not a valid email address.") % {"email": email})
    bar_id = values.get("bar_id", "")
    if len(bar_id) > _BAR_MAX:
        problems.append(_("The bar id is longer than %(max)s characters.") % {"max": _BAR_MAX})
    role = _role(values.get("role", ""))
    if role is None:
        problems.append(
            _("Unknown role “%(role)s” (one of: %(roles)s).")
            % {"role": values.get("role"), "roles": ", ".join(CmecfAccount.Role.values)}
        )
    fields = {
        "login": login,
        "holder_name": name,
        "email_of_record": email,
        "bar_id": bar_id,
        "role": role,
    }
    return problems, fields


@transaction.atomic(durable=True)
def import_roster(
    *,
    court: Court,
    rows: Iterable[RosterRow | Mapping[str, str]],
    actor,
    now: dt.datetime,
) -> int:
    """Create the court's CM/ECF logins listed in ``rows``, all or none; returns how many.

    Each row gives ``login``, ``password`` (clear; stored hashed), ``holder_name``,
    ``email_of_record``, and optionally ``bar_id`` and ``role`` (a code or label; blank is
    attorney). Raises :class:`RosterInvalid` with every row's errors (line numbers from
    :func:`read_roster_csv`; plain mappings count from line 2, after a header) when any
    row is invalid, including a login (any letter case) already in the court or repeated in
    the file. The caller authorizes ``actor`` for ``court``
    (``courts.access.courts_managed_by``)."""
    rows = [
        row if isinstance(row, RosterRow) else RosterRow(index + 2, row)
        for index, row in enumerate(rows)
    ]
    if not rows:
        raise RosterInvalid([RosterError(0, _("The file lists no filers."))])
    if len(rows) > MAX_ROWS:
        raise RosterInvalid(
            [RosterError(0, _("A roster holds at most %(max)s filers.") % {"max": MAX_ROWS})]
        )
    # Lock the court's row so two imports of one court can't both pass the duplicate check
    # (the case-insensitive unique constraint would stop the second anyway, less kindly).
    Court.objects.select_for_update().filter(pk=court.pk).exists()
    taken = {
        login.lower()
        for login in CmecfAccount.objects.filter(court=court).values_list("login", flat=True)
    }
    seen: dict[str, int] = {}
    errors: list[RosterError] = []
    accounts = []
    for row in rows:
        problems, fields = _check_row(row.values, taken=taken, seen=seen)
        if fields["login"]:
            seen.setdefault(fields["login"].lower(), row.line)
        errors.extend(RosterError(row.line, message) for message in problems)
        if not problems:
            accounts.append(
                CmecfAccount(court=court, password=make_password(row.values["password"]), **fields)
            )
    if errors:
        raise RosterInvalid(errors)
    CmecfAccount.objects.bulk_create(accounts)
    logger.info(
        "roster of %s imported by %s at %s: %s login(s)",
        court.pk,
        getattr(actor, "pk", None),
        now.isoformat(),
        len(accounts),
    )
    return len(accounts)


@transaction.atomic  # not durable: the console calls it inside its change form's atomic block
def create_cmecf_account(
    *,
    court: Court,
    login: str,
    password: str,
    holder_name: str,
    email_of_record: str,
    bar_id: str = "",
    role: str = CmecfAccount.Role.ATTORNEY,
    actor,
    now: dt.datetime,
) -> CmecfAccount:
    """Issue one court login (a clerk's console form, demo data): the password is stored
    hashed. Raises :class:`RosterInvalid` (line 0) if the court has the login in any letter
    case. The caller authorizes ``actor`` for ``court``."""
    login = login.strip()
    if CmecfAccount.objects.filter(court=court, login__iexact=login).exists():
        raise RosterInvalid(
            [RosterError(0, _("The court already has the login “%(login)s”.") % {"login": login})]
        )
    account = CmecfAccount(
        court=court,
        login=login,
        holder_name=holder_name,
        email_of_record=email_of_record,
        bar_id=bar_id,
        role=role,
    )
    account.set_password(password)
    account.save()
    logger.info(
        "CM/ECF login %s issued in %s by %s at %s",
        account.pk,
        court.pk,
        getattr(actor, "pk", None),
        now.isoformat(),
    )
    return account


# A court-assigned login issued to a new CurrentGen filer has no password until its holder
# sets one through the emailed link (valid this long, real time; each link works one hour
# after the email is delivered, like a reset).
ISSUED_LOGIN_LINK_DAYS = 7


@transaction.atomic
def issue_cmecf_login(
    *,
    court: Court,
    login: str,
    holder_name: str,
    email_of_record: str,
    bar_id: str = "",
    role: str = CmecfAccount.Role.ATTORNEY,
    actor,
    now: dt.datetime,
    real_now: dt.datetime,
) -> tuple[CmecfAccount, CmecfResetToken]:
    """Issue a court-assigned login with no usable password, and the reset row whose emailed
    link lets the holder set one (seed 002: CurrentGen courts register filers themselves).
    The caller emails the link (``linking_tags.cmecf_reset_path``) and authorizes ``actor``.
    Raises :class:`RosterInvalid` when the court has the login already."""
    account = create_cmecf_account(
        court=court,
        login=login,
        password=secrets.token_urlsafe(32),  # nobody knows it: the holder sets their own
        holder_name=holder_name,
        email_of_record=email_of_record,
        bar_id=bar_id,
        role=role,
        actor=actor,
        now=now,
    )
    token = CmecfResetToken.objects.create(
        cmecf_account=account,
        created_at=real_now,
        expires_at=real_now + dt.timedelta(days=ISSUED_LOGIN_LINK_DAYS),
    )
    return account, token


def login_taken(court: Court, login: str) -> bool:
    """True when ``court`` has ``login`` in any letter case."""
    return CmecfAccount.objects.filter(court=court, login__iexact=login.strip()).exists()
