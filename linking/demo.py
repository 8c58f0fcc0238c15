"""Demo court-issued CM/ECF logins (``manage.py load_demo_cmecf_accounts``), for training.

The personas of ``accounts.demo`` held these logins before their courts moved to NextGen:

- ``attorney1`` (Avery Attorney, Little Rock) in ``areb``, ``arwb`` and ``azb``, and a filer
  account in the Eighth Circuit (``ca8``, an appellate court: links without review);
- ``lgcy12`` (Lee Legacy, Phoenix) held **two** logins in ``azb``: a PACER account links only
  one of them per court, the other's work goes to filing agents (seed 003);
- a chapter 7 trustee of ``flsb`` (no PACER account yet: she registers, upgrades, links).

Names and emails match the personas' PACER accounts, so their requests carry no flags.
The passwords are printed by the command: this is a simulation and the logins hold nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from courts.models import Court
from linking.models import CmecfAccount
from linking.services import create_cmecf_account

Role = CmecfAccount.Role


@dataclass(frozen=True)
class DemoCmecfAccount:
    court_id: str
    login: str
    password: str
    holder_name: str
    email_of_record: str
    bar_id: str
    role: str
    note: str


DEMO_CMECF_ACCOUNTS: tuple[DemoCmecfAccount, ...] = (
    DemoCmecfAccount(
        "azb", "aattorney", "azb-issued-2016", "Avery Attorney",
        "avery.attorney@example.test", "2016042", Role.ATTORNEY, "attorney1's azb login",
    ),
    DemoCmecfAccount(
        "areb", "aattorney", "areb-issued-2016", "Avery Attorney",
        "avery.attorney@example.test", "2016042", Role.ATTORNEY, "attorney1's areb login",
    ),
    DemoCmecfAccount(
        "arwb", "aattorney", "arwb-issued-2017", "Avery Attorney",
        "avery.attorney@example.test", "2016042", Role.ATTORNEY, "attorney1's arwb login",
    ),
    DemoCmecfAccount(
        "ca8", "aattorney8", "ca8-issued-2017", "Avery Attorney",
        "avery.attorney@example.test", "2016042", Role.ATTORNEY,
        "attorney1's Eighth Circuit filer account (appellate: linked at once)",
    ),
    DemoCmecfAccount(
        "azb", "llegacy", "azb-issued-2012", "Lee Legacy",
        "lee.legacy2012@example.test", "012345", Role.ATTORNEY,
        "lgcy12's first azb login (seed 003: links this one)",
    ),
    DemoCmecfAccount(
        "azb", "llegacy2", "azb-issued-2014", "Lee Legacy",
        "lee.legacy2012@example.test", "012345", Role.ATTORNEY,
        "lgcy12's second azb login (seed 003: use filing agents instead)",
    ),
    DemoCmecfAccount(
        "flsb", "ttrustee", "flsb-issued-2019", "Terry Trustee",
        "terry.trustee@example.test", "", Role.TRUSTEE,
        "chapter 7 trustee of flsb (no PACER account yet)",
    ),
)  # fmt: skip


class MissingCourt(Exception):
    """A demo login's court is not loaded (run ``manage.py load_courts`` first)."""


def ensure_demo_cmecf_accounts(
    *, now: dt.datetime
) -> list[tuple[DemoCmecfAccount, CmecfAccount, bool]]:
    """Create the demo logins that don't exist yet (by court and login, any letter case);
    returns (spec, account, created) for each. Existing logins are left as they are (a
    linked or reset one stays so)."""
    courts = Court.objects.in_bulk({spec.court_id for spec in DEMO_CMECF_ACCOUNTS})
    for spec in DEMO_CMECF_ACCOUNTS:
        if spec.court_id not in courts:
            raise MissingCourt(spec.court_id)
    results = []
    for spec in DEMO_CMECF_ACCOUNTS:
        court = courts[spec.court_id]
        account = CmecfAccount.objects.filter(court=court, login__iexact=spec.login).first()
        created = account is None
        if created:
            account = create_cmecf_account(
                court=court,
                login=spec.login,
                password=spec.password,
                holder_name=spec.holder_name,
                email_of_record=spec.email_of_record,
                bar_id=spec.bar_id,
                role=spec.role,
                actor=None,
                now=now,
            )
        results.append((spec, account, created))
    return results
