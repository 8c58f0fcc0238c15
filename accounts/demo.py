"""The demo cast loaded by ``make run`` (embedded default and demo mode only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import User

# One shared training password: this is a simulation and the accounts hold nothing real.
DEMO_PASSWORD = "rehearse-nextgen-golive"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    email: str
    registered_on: dt.date
    account_kind: str
    is_shared: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    note: str = ""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "attorney1",
        "Avery",
        "Attorney",
        "avery.attorney@example.test",
        dt.date(2016, 3, 1),
        User.AccountKind.ATTORNEY_FILER,
        note="upgraded attorney filer",
    ),
    DemoAccount(
        "legacy",
        "Lee",
        "Legacy",
        "lee.legacy@example.test",
        dt.date(2009, 5, 20),
        User.AccountKind.ATTORNEY_FILER,
        note="legacy attorney (registered 2009, must upgrade)",
    ),
    DemoAccount(
        "agent001",
        "Fran",
        "Agent",
        "fran.agent@example.test",
        dt.date(2019, 1, 15),
        User.AccountKind.NON_ATTORNEY_FILER,
        note="filing agent",
    ),
    DemoAccount(
        "firmshared",
        "Shared",
        "Research",
        "research@firm.example.test",
        dt.date(2015, 6, 1),
        User.AccountKind.CASE_SEARCH,
        is_shared=True,
        note="shared firm account (search only)",
    ),
    DemoAccount(
        "pscstaff",
        "Pat",
        "Service",
        "psc.staff@example.test",
        dt.date(2015, 1, 5),
        User.AccountKind.CASE_SEARCH,
        is_staff=True,
        is_superuser=True,
        note="PACER Service Center staff (console)",
    ),
)
