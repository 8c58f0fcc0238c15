"""Filing fixtures: the S.D. Fla.-like NextGen bankruptcy court, its clerk, and personas."""

from __future__ import annotations

import pytest

from courts.models import CourtStaff
from courts.services import add_court_staff
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory


@pytest.fixture
def flsb(db):
    """A NextGen bankruptcy court (live since 4 Apr 2022) that asks new attorneys for LF-95."""
    import datetime as dt

    return CourtFactory(
        id="flsb",
        name="U.S. Bankruptcy Court, Southern District of Florida",
        court_type="bankruptcy",
        nextgen_date=dt.date(2022, 4, 4),
        required_local_form="LF-95",
        pdf_size_limit_mb=10,
        help_desk=[{"phone": "(305) 714-1800", "division": "Miami"}],
    )


def _clerk_of(court, username):
    user = UserFactory(username=username, with_totp=True)
    add_court_staff(court=court, user=user, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    return user


@pytest.fixture
def flsb_clerk(flsb):
    """Clerk of court A."""
    return _clerk_of(flsb, "flsbclerk9")


@pytest.fixture
def other_court(db):
    """Court B: another NextGen bankruptcy court."""
    return CourtFactory(id="azb", name="U.S. Bankruptcy Court, District of Arizona",
                        court_type="bankruptcy", nextgen=True)  # fmt: skip


@pytest.fixture
def other_clerk(other_court):
    """Clerk of court B."""
    return _clerk_of(other_court, "azbclerk9")


@pytest.fixture
def agent_user(db):
    """A non-attorney with their own upgraded individual account (a filing agent)."""
    return UserFactory(filing_agent=True, username="agent9", first_name="Pat", last_name="Agent")
