"""A PAA with members, cost centers and charges over two quarters (one member left mid-
quarter), shared by the statement, statement page and CSV tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from accounts import fees
from accounts.services import billing, paa
from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory

CHICAGO = ZoneInfo("America/Chicago")  # the portal's time zone
TODAY = dt.date(2026, 11, 16)  # the tests' pinned day, in Q4 2026
JOINED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=CHICAGO)
LEFT = dt.datetime(2026, 11, 1, 12, 0, tzinfo=CHICAGO)


def _views(account, n, when, *, court="flsb", code="", pages=40):
    """``n`` capped document views ($3.00 each) by ``account`` from ``when``, an hour apart."""
    for i in range(n):
        billing.record_charge(
            account=account,
            court_id=court,
            item=fees.Item.DOCUMENT,
            pages=pages,
            now=when + dt.timedelta(hours=i),
            case_number="1:26-bk-00012",
            document=f"entry {i + 1}",
            client_code=code,
        )


def make_billed_firm():
    """Rivera & Okafor LLP, with three members since June 2026 and one who never viewed:

    - Ada Rivera (Litigation): Q3 5 views ($15, waived), one of them on the last evening
      of Q3 in Chicago; Q4 11 views ($33, owed), 4 of them in azb with code SMITH-01.
    - Ben Okafor (Bankruptcy): Q3 11 views ($33); Q4 2 views ($6, waived).
    - Cy Lee (Litigation): Q4 12 views ($36) while a member, left on Nov 1, then 5 views
      ($15) on his own bill.
    - Dee Park: a member, no views.
    """
    paa_account = PaaFactory(firm="Rivera & Okafor LLP", first_name="Rosa", last_name="Rivera")
    ada = UserFactory(attorney=True, first_name="Ada", last_name="Rivera")
    ben = UserFactory(attorney=True, first_name="Ben", last_name="Okafor")
    cy = UserFactory(attorney=True, first_name="Cy", last_name="Lee")
    dee = UserFactory(attorney=True, first_name="Dee", last_name="Park")
    memberships = {
        user: PaaMembershipFactory(
            paa=paa_account, member=user, requested_at=JOINED, started_at=JOINED
        )
        for user in (ada, ben, cy, dee)
    }
    litigation = paa.create_cost_center(paa=paa_account, name="Litigation", now=JOINED)
    bankruptcy = paa.create_cost_center(paa=paa_account, name="Bankruptcy", now=JOINED)
    paa.assign_cost_center(
        paa=paa_account, memberships=[memberships[ada], memberships[cy]], cost_center=litigation
    )
    paa.assign_cost_center(paa=paa_account, memberships=[memberships[ben]], cost_center=bankruptcy)

    _views(ada, 4, dt.datetime(2026, 8, 3, 9, 0, tzinfo=CHICAGO))
    _views(ada, 1, dt.datetime(2026, 9, 30, 23, 30, tzinfo=CHICAGO))  # still Q3 in Chicago
    _views(ben, 11, dt.datetime(2026, 8, 10, 9, 0, tzinfo=CHICAGO))
    _views(ada, 7, dt.datetime(2026, 10, 1, 0, 30, tzinfo=CHICAGO))  # Q4 from its first hour
    _views(ada, 4, dt.datetime(2026, 10, 20, 9, 0, tzinfo=CHICAGO), court="azb", code="SMITH-01")
    _views(ben, 2, dt.datetime(2026, 10, 21, 9, 0, tzinfo=CHICAGO), code="=HYPERLINK(1)")
    _views(cy, 12, dt.datetime(2026, 10, 5, 9, 0, tzinfo=CHICAGO), code="LEE-7")
    paa.leave_paa(membership=memberships[cy], now=LEFT)
    _views(cy, 5, dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO), code="LEE-7")
    return paa_account, {"ada": ada, "ben": ben, "cy": cy, "dee": dee}
