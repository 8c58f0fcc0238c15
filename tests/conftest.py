"""Shared fixtures: personas, the pinned clock, and service availability."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import UserFactory

# A fixed moment for tests that don't care which day it is (a Monday, in court hours).
PINNED_NOW = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_clock():
    """Pin the one clock (cso_portal.clock) at PINNED_NOW; yields the traveller to move it."""
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def attorney(db):
    """An upgraded attorney filer with a verified email."""
    return UserFactory(attorney=True, username="attorney1")


@pytest.fixture
def other_attorney(db):
    return UserFactory(attorney=True, username="attorney2")


@pytest.fixture
def staff(db):
    """PACER Service Center staff."""
    return UserFactory(psc_staff=True, username="pscstaff")
