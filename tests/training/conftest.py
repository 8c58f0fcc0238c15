"""Training fixtures: demo mode on, the seeds' courts as load_courts leaves them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.courts.factories import CourtFactory


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.CSO_DEMO_MODE = True


@pytest.fixture
def seed_courts(db):
    """areb, arwb, azb and flsb with the published (final) schedule of the reference data."""
    return {
        court.id: court
        for court in (
            CourtFactory(id="areb", name="U.S. Bankruptcy Court, Eastern District of Arkansas",
                         court_type="bankruptcy", nextgen_date=dt.date(2021, 3, 29)),
            CourtFactory(id="arwb", name="U.S. Bankruptcy Court, Western District of Arkansas",
                         court_type="bankruptcy", nextgen_date=dt.date(2021, 3, 29)),
            CourtFactory(id="azb", name="U.S. Bankruptcy Court, District of Arizona",
                         court_type="bankruptcy", nextgen_date=dt.date(2021, 6, 28)),
            CourtFactory(id="flsb", name="U.S. Bankruptcy Court, Southern District of Florida",
                         court_type="bankruptcy", nextgen_date=dt.date(2022, 4, 4)),
        )
    }  # fmt: skip
