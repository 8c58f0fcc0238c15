"""Linking fixtures: a NextGen court with a clerk, an attorney and a CM/ECF login of theirs."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from courts.models import CourtStaff
from courts.services import add_court_staff
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.linking.factories import CmecfAccountFactory


@pytest.fixture
def court(db):
    """A NextGen bankruptcy court (live since 2021) that reviews link requests."""
    return CourtFactory(
        id="azb",
        name="U.S. Bankruptcy Court, District of Arizona",
        court_type="bankruptcy",
        nextgen=True,
        help_desk=[{"phone": "(602) 682-4000", "division": "Phoenix"}],
    )


@pytest.fixture
def clerk(court):
    user = UserFactory(username="azbclerk", first_name="Casey", last_name="Clerk")
    add_court_staff(court=court, user=user, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    return user


@pytest.fixture
def holder(db):
    """An upgraded attorney with two verified addresses (and one unverified)."""
    user = UserFactory(attorney=True, username="avery", first_name="Avery", last_name="Lawson")
    EmailAddress.objects.create(user=user, email="avery@home.example.test", verified=True)
    EmailAddress.objects.create(user=user, email="old@unverified.example.test", verified=False)
    return user


@pytest.fixture
def cmecf(court, holder):
    """Avery's court-issued login in azb: same name and email as the PACER account."""
    return CmecfAccountFactory(
        court=court,
        login="alawson",
        holder_name="Lawson, Avery B.",
        email_of_record=holder.email,
    )
