"""Shared fixtures: personas, the pinned clock, and service availability."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory

# A fixed moment for tests that don't care which day it is (a Monday, in court hours).
PINNED_NOW = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


class PortalClient(Client):
    """The test client, where ``force_login`` of an account with two-factor authentication
    stands for a complete sign-in, second factor included (as allauth records it). Tests of
    the sign-in itself post to the real pages instead."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        from allauth.account.internal.flows.login import record_authentication
        from django.test import RequestFactory

        from accounts.rules import has_mfa

        if has_mfa(user):
            # Record it the way allauth's own sign-in does, in this client's session.
            request = RequestFactory().get("/")
            request.session = self.session
            record_authentication(request, user, "password", username=user.username)
            record_authentication(request, user, "mfa", type="totp")
            request.session.save()


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture(autouse=True)
def _no_n_plus_one(request):
    """Fail a test during which a request ran one SELECT per row (cso_portal.core.querywatch)."""
    from cso_portal.core import querywatch

    querywatch.take_findings()
    yield
    found = querywatch.take_findings()
    report = os.environ.get("CSO_NPLUSONE_REPORT")
    if found and report:
        with open(report, "a") as out:
            out.writelines(f"{request.node.nodeid}\t{line}\n" for line in found)
    elif found:
        pytest.fail("N+1 queries:\n" + "\n".join(found), pytrace=False)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate limits, the training clock's cached date)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
    """PACER Service Center staff, with the authenticator app the console requires."""
    return UserFactory(psc_staff=True, with_totp=True, username="pscstaff")


# Service report ---------------------------------------------------------------------------
# CI must show that the tests needing PostgreSQL, Redis, a worker and Chromium really ran.
SERVICE_MARKERS = ("postgres", "redis", "worker", "browser")
_service_tests: dict[str, set[str]] = {}
_outcomes: dict[str, str] = {}


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"cso-portal database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})"


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in SERVICE_MARKERS:
            if item.get_closest_marker(marker):
                _service_tests.setdefault(marker, set()).add(item.nodeid)


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _outcomes[report.nodeid] = report.outcome


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section("services used by this run")
    for marker in SERVICE_MARKERS:
        nodeids = _service_tests.get(marker, set())
        counts: dict[str, int] = {}
        for nodeid in nodeids:
            outcome = _outcomes.get(nodeid, "not run")
            counts[outcome] = counts.get(outcome, 0) + 1
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"
        terminalreporter.write_line(f"{marker:>9}: {summary}")
