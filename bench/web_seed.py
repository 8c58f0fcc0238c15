# Known throwaway credentials of a scratch database; SQL built from our own table and column
# names and integers only (no outside input).
# ruff: noqa: S105, S608
"""Data for the HTTP benchmarks, written straight into the scratch database.

Passwords are hashed once with the production hasher and the hash shared by every bench
account (hashing 1,000 passwords would take minutes and measure nothing); large sets are
cloned from one template row with ``INSERT … SELECT generate_series`` (PROOF.md, P3).
Only ever run against a ``cso_bench_web…`` database (bench/harness.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools

# The sign-in password of every bench account and the court-issued password of every bench
# CM/ECF login (known to the load generator; this is a throwaway scratch database).
PASSWORD = "bench passphrase: correct horse battery staple"
CMECF_PASSWORD = "court-issued bench Pa55word"
# Base32 secret of the bench clerks' authenticator app.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
REGISTERED_ON = dt.date(2018, 4, 2)

# Account numbers: 7 digits, unique. Cloned rows use 4,000,000 + n; ORM-made ones count
# up from 5,000,000.
_numbers = itertools.count(5_000_000)


def now() -> dt.datetime:
    from cso_portal import clock

    return clock.now()


@functools.cache
def password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@functools.cache
def cmecf_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(CMECF_PASSWORD)


def make_users(prefix: str, count: int, *, kind: str = "attorney_filer") -> list:
    """``count`` upgraded accounts ``<prefix>00001…`` with a verified primary email."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{i:05d}",
            email=f"{prefix}{i:05d}@example.test",
            first_name="Bench",
            last_name=f"{prefix.title()} {i:05d}",
            account_number=str(next(_numbers)),
            registered_on=REGISTERED_ON,
            account_type=User.AccountType.UPGRADED,
            account_kind=kind,
            password=password_hash(),
        )
        for i in range(1, count + 1)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users
    )
    return users


def make_court(court_id: str, name: str | None = None):
    """A NextGen bankruptcy court (live since 2021) whose clerks review link requests."""
    from courts.models import Court

    court, _ = Court.objects.get_or_create(
        id=court_id,
        defaults={
            "feed_code": court_id.upper(),
            "name": name or f"Bench Bankruptcy Court {court_id.upper()}",
            "court_type": Court.CourtType.BANKRUPTCY,
            "circuit": "08",
            "state": "Arkansas",
            "web_url": f"https://www.{court_id}.uscourts.gov/",
            "ecf_url": f"https://ecf.{court_id}.uscourts.gov/",
            "nextgen_date": dt.date(2021, 3, 29),
            "nextgen_source": "https://www.example.test/nextgen-notice",
        },
    )
    return court


def make_clerk(court, username: str = "benchclerk"):
    """A clerk of ``court`` with an authenticator app (the console requires two factors)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from courts.models import CourtStaff
    from courts.services import add_court_staff

    (user,) = make_users(username, 1, kind="case_search")
    TOTP.activate(user, TOTP_SECRET)
    add_court_staff(court=court, user=user, role=CourtStaff.Role.CLERK, now=now())
    return user


def make_cmecf_accounts(court, users, *, prefix: str = "bl", linked: bool = False) -> list:
    """One active attorney login per user in ``court`` (same name and email); linked and
    retired when ``linked``."""
    from linking.models import CmecfAccount

    at = now()
    return CmecfAccount.objects.bulk_create(
        CmecfAccount(
            court=court,
            login=f"{prefix}{user.username}",
            password=cmecf_hash(),
            holder_name=user.get_full_name(),
            email_of_record=user.email,
            bar_id=f"AR{user.pk}",
            role=CmecfAccount.Role.ATTORNEY,
            status=CmecfAccount.Status.RETIRED if linked else CmecfAccount.Status.ACTIVE,
            linked_account=user if linked else None,
            linked_at=at if linked else None,
        )
        for user in users
    )


def link_history(user, courts) -> None:
    """``user`` linked in each of ``courts`` through an approved request with its events."""
    from linking.models import LinkEvent, LinkRequest

    at = now()
    for court, account in zip(
        courts, [make_cmecf_accounts(c, [user], linked=True)[0] for c in courts], strict=True
    ):
        request = LinkRequest.objects.create(
            pacer_account=user,
            court=court,
            cmecf_account=account,
            status=LinkRequest.Status.APPROVED,
            submitted_at=at - dt.timedelta(days=2),
            verified_at=at - dt.timedelta(days=2),
            decided_at=at - dt.timedelta(days=1),
            expires_at=at + dt.timedelta(days=28),
        )
        LinkEvent.objects.bulk_create(
            LinkEvent(request=request, from_status=a, to_status=b, created_at=at)
            for a, b in (("", "submitted"), ("submitted", "verified"), ("verified", "approved"))
        )


def pending_request(user, account, *, submitted_at=None):
    """A request waiting for the clerk (``pending_review``), as processing leaves it."""
    from linking.models import LinkEvent, LinkRequest

    at = submitted_at or now()
    request = LinkRequest.objects.create(
        pacer_account=user,
        court=account.court,
        cmecf_account=account,
        status=LinkRequest.Status.PENDING_REVIEW,
        submitted_at=at,
        verified_at=at,
        expires_at=at + dt.timedelta(days=28),
        processing_enqueued_at=at,
    )
    LinkEvent.objects.create(request=request, from_status="", to_status="submitted", created_at=at)
    return request


def _columns(table: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        return [
            column.name
            for column in connection.introspection.get_table_description(cursor, table)
            if column.name != "id"
        ]


def clone_pending_requests(template, *, prefix: str, first: int, last: int) -> int:
    """Clone ``template`` (a pending request with its account and login) into requests
    ``first``…``last``, each with its own PACER account (verified email) and CM/ECF login,
    submitted one minute apart. Four INSERT … SELECT generate_series statements."""
    from django.db import connection, transaction

    user_table, email_table = "accounts_user", "account_emailaddress"
    login_table, request_table = "linking_cmecfaccount", "linking_linkrequest"
    name = f"'{prefix}' || lpad(g::text, 7, '0')"
    user_over = {
        "username": name,
        "email": f"{name} || '@example.test'",
        "account_number": "(4000000 + g)::text",
        "last_login": "NULL",
    }
    login_over = {
        "login": name,
        "email_of_record": f"{name} || '@example.test'",
        "bar_id": "'AR' || g",
        "linked_account_id": "NULL",
        "linked_at": "NULL",
    }

    def clone(table: str, template_pk: int, over: dict) -> str:
        columns = _columns(table)
        exprs = [over.get(c, f't."{c}"') for c in columns]
        quoted = ", ".join(f'"{c}"' for c in columns)
        return (
            f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(exprs)} '
            f'FROM "{table}" t CROSS JOIN generate_series({first}, {last}) AS g '
            f"WHERE t.id = {int(template_pk)}"
        )

    request_columns = _columns(request_table)
    request_over = {
        "pacer_account_id": "u.id",
        "cmecf_account_id": "c.id",
        "submitted_at": "t.submitted_at - make_interval(mins => g)",
        "verified_at": "t.verified_at - make_interval(mins => g)",
    }
    request_exprs = [request_over.get(c, f't."{c}"') for c in request_columns]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(clone(user_table, template.pacer_account_id, user_over))
        cursor.execute(
            f'INSERT INTO "{email_table}" (user_id, email, verified, "primary") '
            f"SELECT id, email, true, true FROM \"{user_table}\" WHERE username LIKE '{prefix}%%' "
            f"AND substr(username, {len(prefix) + 1})::int BETWEEN {first} AND {last}"
        )
        cursor.execute(clone(login_table, template.cmecf_account_id, login_over))
        cursor.execute(
            f'INSERT INTO "{request_table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in request_columns)}) '  # noqa: E501
            f"SELECT {', '.join(request_exprs)} "
            f'FROM "{request_table}" t '
            f"CROSS JOIN generate_series({first}, {last}) AS g "
            f'JOIN "{user_table}" u ON u.username = {name} '
            f'JOIN "{login_table}" c ON c.court_id = t.court_id AND c.login = {name} '
            f"WHERE t.id = {int(template.pk)}"
        )
        created = cursor.rowcount
    with connection.cursor() as cursor:
        for table in (user_table, email_table, login_table, request_table):
            cursor.execute(f'ANALYZE "{table}"')
    return created
