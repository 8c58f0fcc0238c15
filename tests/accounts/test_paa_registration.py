"""Registering a PACER Administrative Account (PAA) as its own kind, through the real pages:
step 1 offers it, step 2 asks for the firm's name (required) besides the administrator's name,
contact and the billing address; the new account is of kind PAA with its firm details."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail

from accounts import rules
from accounts.models import AccountEvent, PaaProfile, User
from accounts.services import registration
from cso_portal import clock
from tests.accounts.test_allauth_pages import assert_on_our_layout
from tests.accounts.test_registration import PASSWORD, signup_data, verify_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAA = User.AccountKind.PAA
FIRM = "Rivera & Okafor LLP"


def paa_data(**overrides) -> dict:
    """Jordan Rivera registers the firm's PAA (the firm's office is the billing address)."""
    return signup_data(PAA, **({"firm_name": FIRM, "username": "riveraokafor"} | overrides))


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_step_one_offers_the_paa_with_what_it_is_for(client):
    response = client.get("/account/register/")

    words = text(response)
    assert "PACER Administrative Account For a firm's administrator: one bill for the firm's " in (
        words
    )
    assert "individual accounts; no case access, no filing" in words
    assert 'value="paa"' in response.content.decode()


def test_step_two_asks_a_paa_for_the_firm_administrator_and_billing_address(client):
    response = client.get("/accounts/signup/", {"kind": PAA})

    page = assert_on_our_layout(response)
    ids = {control.get("id") for control in page.controls}
    assert {"id_firm_name", "id_first_name", "id_last_name", "id_email", "id_phone"} <= ids
    assert {"id_address_line1", "id_city", "id_postal_code", "id_username"} <= ids
    assert not ids & {"id_bar_number", "id_bar_state", "id_filer_role", "id_is_shared"}
    words = text(response)
    assert "Account kind: PACER Administrative Account" in words
    legends = re.findall(r'<legend class="usa-legend usa-legend--large">([^<]+)</legend>',
                         response.content.decode())  # fmt: skip
    assert [unescape(legend) for legend in legends] == [
        "Firm",
        "Administrator's name",
        "How to reach the administrator",
        "Billing address",
        "Sign-in details",
    ]


@pytest.mark.parametrize("firm_name", [None, "", "   "])
def test_a_paa_needs_the_firms_name_and_loses_nothing_else(client, firm_name):
    data = paa_data()
    if firm_name is None:
        del data["firm_name"]
    else:
        data["firm_name"] = firm_name

    response = client.post("/accounts/signup/?kind=paa", data)

    assert response.status_code == 200
    assert "Give the firm's name." in text(response)
    assert 'value="401 West Washington Street"' in response.content.decode()
    assert not User.objects.exists()
    assert not PaaProfile.objects.exists()


def test_other_kinds_ignore_a_posted_firm_name(client):
    client.post("/accounts/signup/", signup_data(User.AccountKind.ATTORNEY_FILER, firm_name=FIRM))

    user = User.objects.get()
    assert user.account_kind == User.AccountKind.ATTORNEY_FILER
    assert not PaaProfile.objects.exists()


def test_a_firm_registers_its_paa_through_the_real_pages(client, frozen_clock):
    # Step 1: the kind.
    step_one = client.get("/account/register/", {"kind": PAA})
    assert step_one["Location"] == "/accounts/signup/?kind=paa"
    assert client.get(step_one["Location"]).status_code == 200

    # Step 2: the details.
    response = client.post(
        "/accounts/signup/?kind=paa", paa_data(firm_name="  Rivera &  Okafor LLP ")
    )
    assert response["Location"] == "/accounts/confirm-email/"

    user = User.objects.get(username="riveraokafor")
    assert user.account_kind == PAA
    assert user.account_type == User.AccountType.UPGRADED
    assert user.registration_status == User.RegistrationStatus.ACTIVE
    assert (user.first_name, user.last_name, user.phone) == ("Jordan", "Rivera", "(602) 555-0143")
    assert (user.address_line1, user.city, user.postal_code) == (
        "401 West Washington Street",
        "Phoenix",
        "85003",
    )
    profile = PaaProfile.objects.get(account=user)
    assert profile.firm_name == FIRM
    assert profile.created_at == clock.now()
    assert not profile.client_code_required
    assert user.events.get().kind == AccountEvent.Kind.REGISTERED
    # A PAA has no case access and no filing privileges (seed 004).
    assert rules.refusal_to_search(user)
    assert rules.refusal_to_link_or_file(user, clock.today())

    # Step 3: verify the email; the session then opens the PAA's home.
    verify_email(client, mail.outbox[0])
    client.post("/accounts/login/", {"login": "riveraokafor", "password": PASSWORD})
    home = client.get("/account/paa/")
    assert home.status_code == 200
    assert FIRM in text(home)
    assert "Add a member" in text(home)
    overview = client.get("/account/")
    assert 'href="/account/paa/"' in overview.content.decode()


def test_a_paa_is_not_held_as_a_duplicate_of_its_administrators_own_account(client):
    # The administrator already has an individual account with the same name, phone and
    # address (a different email): the firm's PAA is another kind of account.
    UserFactory(
        username="jrivera01",
        first_name="Jordan",
        last_name="Rivera",
        phone="(602) 555-0143",
        address_line1="401 West Washington Street",
        postal_code="85003",
    )

    client.post("/accounts/signup/?kind=paa", paa_data())

    user = User.objects.get(username="riveraokafor")
    assert user.registration_status == User.RegistrationStatus.ACTIVE


def test_a_second_paa_of_the_same_administrator_and_address_is_held(client):
    client.post("/accounts/signup/?kind=paa", paa_data())
    client.post(
        "/accounts/signup/?kind=paa",
        paa_data(email="billing@riveraokafor.test", username="riveraokafor2"),
    )

    second = User.objects.get(username="riveraokafor2")
    assert second.registration_status == User.RegistrationStatus.ON_HOLD
    assert PaaProfile.objects.filter(account=second).exists()


def test_registration_details_keep_the_firm_name_off_the_account():
    details = registration.registration_details(kind=PAA, data={"firm_name": FIRM, "city": "X"})

    assert details == {"account_kind": PAA, "city": "X"}
    with pytest.raises(ValueError, match="not registration details"):
        registration.seed_account_details(user=UserFactory(), details={"firm_name": FIRM})
