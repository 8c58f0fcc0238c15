"""PAA membership by consent and who pays: the services, end to end."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts import fees
from accounts.models import Charge, PaaMembership
from accounts.services import billing, paa
from cso_portal.core.models import OutboundEmail
from tests.conftest import PINNED_NOW
from tests.factories import PaaFactory, UserFactory

pytestmark = pytest.mark.django_db
LATER = PINNED_NOW + dt.timedelta(days=1)


def _charge(account, now):
    return billing.record_charge(
        account=account, court_id="flsb", item=fees.Item.DOCUMENT, pages=5, now=now
    )


def test_consent_then_billing_to_the_paa_then_back_after_leaving():
    firm = PaaFactory(firm="Rivera & Okafor LLP")
    attorney = UserFactory(attorney=True, last_name="Rivera", account_number="2345678")
    membership = paa.request_membership(
        paa=firm, last_name="rivera", account_number="234-5678", ip="10.0.0.1", now=PINNED_NOW
    )
    assert membership.status == PaaMembership.Status.REQUESTED
    # Until the holder accepts, nothing changes.
    assert _charge(attorney, PINNED_NOW).billed_to == attorney
    paa.accept_membership(membership=membership, now=PINNED_NOW)
    assert _charge(attorney, LATER).billed_to == firm
    paa.leave_paa(membership=membership, now=LATER + dt.timedelta(hours=1))
    assert _charge(attorney, LATER + dt.timedelta(hours=2)).billed_to == attorney
    # Charges already made keep their payer: the quarter is split between the two.
    assert list(Charge.objects.values_list("billed_to", flat=True).order_by("pk")) == [
        attorney.pk,
        firm.pk,
        attorney.pk,
    ]
    kinds = set(OutboundEmail.objects.values_list("template", flat=True))
    assert {"accounts/email/paa_requested_member", "accounts/email/paa_left_paa"} <= kinds
    events = list(membership.events.values_list("from_status", "to_status"))
    assert events == [("", "requested"), ("requested", "active"), ("active", "ended")]


@pytest.mark.parametrize(
    ("last_name", "number"),
    [("Smith", "2345678"), ("Rivera", "9999999"), ("Rivera", "12"), ("", "2345678")],
)
def test_wrong_pairs_get_one_generic_message(last_name, number):
    firm = PaaFactory()
    UserFactory(attorney=True, last_name="Rivera", account_number="2345678")
    with pytest.raises(paa.PaaRefused) as refused:
        paa.request_membership(
            paa=firm, last_name=last_name, account_number=number, ip=None, now=PINNED_NOW
        )
    assert refused.value.message == paa.NO_MATCH
    assert not PaaMembership.objects.exists()


def test_add_attempts_are_limited():
    firm = PaaFactory()
    for _ in range(paa.ADD_ATTEMPTS_PER_HOUR):
        with pytest.raises(paa.PaaRefused):
            paa.request_membership(
                paa=firm, last_name="X", account_number="1234567", ip="10.0.0.2", now=PINNED_NOW
            )
    with pytest.raises(paa.TooManyAttempts):
        paa.request_membership(
            paa=firm, last_name="X", account_number="1234567", ip="10.0.0.2", now=PINNED_NOW
        )


def test_a_legacy_paa_must_upgrade_before_managing_members():
    firm = PaaFactory(legacy=True)
    UserFactory(attorney=True, last_name="Rivera", account_number="2345678")
    with pytest.raises(paa.PaaRefused, match="legacy"):
        paa.request_membership(
            paa=firm, last_name="Rivera", account_number="2345678", ip=None, now=PINNED_NOW
        )
