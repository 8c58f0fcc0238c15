"""The demo cast loaded by ``make run`` (embedded default and demo mode only).

One persona per account state the training walks through (issue 4): an upgraded attorney, a
legacy attorney (registered 2012, 6-character username), a shared firm account, an inactive
search-only account, a filing agent, a pro se filer and PACER Service Center staff. The
courts' clerks come from ``courts``' ``load_demo_clerks``. Phone numbers are 555-01xx
(reserved for fiction); addresses are real public buildings, never a person's home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accounts import services
from accounts.models import User
from accounts.services import registration
from cso_portal import clock

# One shared training password: this is a simulation and the accounts hold nothing real.
DEMO_PASSWORD = "rehearse-nextgen-golive"  # noqa: S105
# The console requires two-factor authentication: demo staff and clerks get this authenticator
# app secret (base32), printed by the loaders; add it to any authenticator app to sign in.
# The firm of the demo PACER Administrative Account (firmadmin).
DEMO_FIRM_NAME = "Capitol Avenue Legal Group LLP"
DEMO_TOTP_SECRET = "CSOPORTALDEMOSTAFFTOTPTRAINING22"  # noqa: S105


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
    # What registration would have asked (registration.seed_account_details).
    details: dict[str, Any] = field(default_factory=dict, hash=False)


def _address(line1: str, city: str, region: str, postal_code: str, line2: str = "") -> dict:
    return {
        "address_line1": line1,
        "address_line2": line2,
        "city": city,
        "region": region,
        "postal_code": postal_code,
        "country": "United States",
    }


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "attorney1",
        "Avery",
        "Attorney",
        "avery.attorney@example.test",
        dt.date(2016, 3, 1),
        User.AccountKind.ATTORNEY_FILER,
        note="upgraded attorney filer",
        details={
            "phone": "(501) 555-0142",
            **_address(
                "425 West Capitol Avenue", "Little Rock", "Arkansas", "72201", line2="Suite 1700"
            ),
            "bar_number": "2016042",
            "bar_state": "Arkansas",
        },
    ),
    DemoAccount(
        "lgcy12",
        "Lee",
        "Legacy",
        "lee.legacy2012@example.test",
        dt.date(2012, 5, 20),
        User.AccountKind.ATTORNEY_FILER,
        note="legacy attorney (registered 2012, 6-character username, must upgrade)",
        details={
            "phone": "(602) 555-0187",
            **_address("2 North Central Avenue", "Phoenix", "Arizona", "85004", line2="Suite 1800"),
            "bar_number": "012345",
            "bar_state": "Arizona",
        },
    ),
    DemoAccount(
        "agent001",
        "Fran",
        "Agent",
        "fran.agent@example.test",
        dt.date(2019, 1, 15),
        User.AccountKind.NON_ATTORNEY_FILER,
        note="filing agent (non-attorney filer)",
        details={
            "phone": "(480) 555-0116",
            **_address(
                "1 East Washington Street", "Phoenix", "Arizona", "85004", line2="Suite 500"
            ),
            "filer_role": User.FilerRole.FILING_AGENT,
        },
    ),
    DemoAccount(
        "firmshared",
        "Shared",
        "Research",
        "research@firm.example.test",
        dt.date(2015, 6, 1),
        User.AccountKind.CASE_SEARCH,
        is_shared=True,
        note="shared firm account (search only; never links or e-files)",
        details={
            "phone": "(501) 555-0100",
            **_address(
                "425 West Capitol Avenue", "Little Rock", "Arkansas", "72201", line2="Suite 1700"
            ),
            "is_shared": True,
        },
    ),
    DemoAccount(
        "inactive1",
        "Ira",
        "Inactive",
        "ira.inactive@example.test",
        dt.date(2017, 9, 12),
        User.AccountKind.CASE_SEARCH,
        note="inactive search-only account (cannot search until staff reactivate it)",
        details={
            "phone": "(870) 555-0163",
            **_address("300 South Church Street", "Jonesboro", "Arkansas", "72401"),
            "case_search_status": User.CaseSearchStatus.INACTIVE,
        },
    ),
    DemoAccount(
        "prose001",
        "Robin",
        "Prose",
        "robin.prose@example.test",
        dt.date(2021, 4, 6),
        User.AccountKind.NON_ATTORNEY_FILER,
        note="pro se filer (non-attorney filer)",
        details={
            "phone": "(520) 555-0129",
            **_address(
                "1840 East Speedway Boulevard", "Tucson", "Arizona", "85719", line2="Unit 12"
            ),
            "filer_role": User.FilerRole.PRO_SE,
        },
    ),
    DemoAccount(
        "firmadmin",
        "Morgan",
        "Administrator",
        "billing@capitol-legal.example.test",
        dt.date(2020, 2, 3),
        User.AccountKind.PAA,
        note="PACER Administrative Account of Capitol Avenue Legal Group LLP (no case access)",
        details={
            "phone": "(501) 555-0190",
            **_address(
                "425 West Capitol Avenue", "Little Rock", "Arkansas", "72201", line2="Suite 1700"
            ),
        },
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
        details={
            "phone": "(210) 555-0111",
            **_address("615 East Houston Street", "San Antonio", "Texas", "78205"),
        },
    ),
)


@transaction.atomic
def ensure_demo_account_with_details(
    *, spec: DemoAccount, password: str, today: dt.date
) -> tuple[User, bool]:
    """Create the persona unless it exists (then return it as it is), with the details
    registration would have asked for. A persona created before personas had details (no
    phone yet) gets them now. Returns (user, created)."""
    user, created = services.ensure_demo_account(spec=spec, password=password, today=today)
    if spec.details and (created or not user.phone):
        registration.seed_account_details(user=user, details=spec.details)
    if spec.account_kind == User.AccountKind.PAA and not hasattr(user, "paa_profile"):
        from accounts.services import paa

        paa.create_paa_profile(account=user, firm_name=DEMO_FIRM_NAME, now=clock.now())
    return user, created
