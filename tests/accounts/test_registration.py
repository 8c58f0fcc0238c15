"""Registration by account kind: step 1 (the kind), step 2 (allauth's sign-up form), email
verification, the duplicate-identity hold and the PACER Service Center's decision on it,
the console, shared accounts and the demo personas."""

from __future__ import annotations

import datetime as dt
import functools
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command

from accounts import rules
from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import AccountEvent, User
from accounts.services import registration
from cso_portal import clock
from cso_portal.core import tasks
from cso_portal.core.models import OutboundEmail
from tests.accounts.test_allauth_pages import assert_on_our_layout
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long training passphrase"
CASE_SEARCH = User.AccountKind.CASE_SEARCH
ATTORNEY = User.AccountKind.ATTORNEY_FILER
NON_ATTORNEY = User.AccountKind.NON_ATTORNEY_FILER
COMMON_REQUIRED = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_line1",
    "city",
    "region",
    "postal_code",
    "country",
    "username",
    "password1",
    "password2",
)
KIND_REQUIRED = {
    CASE_SEARCH: (),
    ATTORNEY: ("bar_number", "bar_state"),
    NON_ATTORNEY: ("filer_role",),
}
KIND_ONLY_FIELDS = {"bar_number", "bar_state", "filer_role", "is_shared", "firm_name"}
KIND_FIELDS = {
    CASE_SEARCH: {"is_shared"},
    ATTORNEY: {"bar_number", "bar_state"},
    NON_ATTORNEY: {"filer_role"},
}


def signup_data(kind: str = ATTORNEY, **overrides) -> dict:
    """A complete, valid step 2 for ``kind``: Jordan Rivera of Phoenix."""
    data = {
        "kind": kind,
        "first_name": "Jordan",
        "last_name": "Rivera",
        "email": "jordan.rivera@example.test",
        "phone": "(602) 555-0143",
        "address_line1": "401 West Washington Street",
        "address_line2": "Suite 200",
        "city": "Phoenix",
        "region": "Arizona",
        "postal_code": "85003",
        "country": "United States",
        "username": "jrivera2026",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    if kind == ATTORNEY:
        data |= {"bar_number": "031234", "bar_state": "Arizona"}
    if kind == NON_ATTORNEY:
        data |= {"filer_role": User.FilerRole.FILING_AGENT}
    return data | overrides


def sign_up(client, kind: str = ATTORNEY, **overrides):
    return client.post("/accounts/signup/", signup_data(kind, **overrides))


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def verify_email(client, message) -> None:
    """Open the emailed link and confirm, as the registrant does."""
    path = re.sub(r"^https?://[^/]+", "", confirmation_link(message))
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302


def deliver_outbox() -> list[OutboundEmail]:
    """Run the worker's delivery for each outbox email (what Celery does after commit)."""
    rows = list(OutboundEmail.objects.order_by("pk"))
    for row in rows:
        tasks.deliver_email.apply(kwargs={"email_id": row.pk})
    return rows


def html_of(message) -> str:
    return next(content for content, kind in message.alternatives if kind == "text/html")


# Step 1: the account kind -------------------------------------------------------------------


def test_step_one_explains_each_kind_shared_accounts_and_the_paa(client):
    response = client.get("/account/register/")

    page = assert_on_our_layout(response)
    html = response.content.decode()
    for label in (
        "Case search only",
        "Attorney filer",
        "Non-attorney filer",
        "PACER Administrative Account",
    ):
        assert label in html
    assert html.count('class="usa-radio__input usa-radio__input--tile"') == 4
    assert "can never link a CM/ECF account or e-file" in html
    assert "PACER Administrative Account (PAA)" in html
    assert "no case access, no filing" in html
    assert "usa-step-indicator" in page.classes
    assert 'aria-current="step"' in html
    assert "Step</span>" in html
    assert "usa-step-indicator__segment--current" in html


def test_choosing_a_kind_continues_to_allauths_sign_up_page(client):
    response = client.get("/account/register/", {"kind": ATTORNEY, "next": "/courts/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?kind=attorney_filer&next=%2Fcourts%2F"


def test_continuing_without_a_kind_says_what_is_missing(client):
    response = client.get("/account/register/", {"kind": ""})

    assert_on_our_layout(response)
    html = response.content.decode()
    assert "Choose the kind of account you need." in html
    assert "usa-form-group--error" in html


def test_the_firm_account_kind_can_be_chosen(client):
    response = client.get("/account/register/", {"kind": User.AccountKind.PAA})

    assert response["Location"] == "/accounts/signup/?kind=paa"


def test_an_unknown_kind_cannot_be_chosen(client):
    response = client.get("/account/register/", {"kind": "firm"})

    assert response.status_code == 200
    assert "Choose one of the kinds of account listed." in response.content.decode()


def test_a_next_address_elsewhere_is_dropped(client):
    response = client.get("/account/register/", {"kind": CASE_SEARCH, "next": "https://evil.test/"})

    assert response["Location"] == "/accounts/signup/?kind=case_search"


@pytest.mark.parametrize("query", ["", "?kind=", "?kind=nonsense", "?next=/courts/"], ids=repr)
def test_the_sign_up_page_without_a_kind_sends_the_visitor_to_step_one(client, query):
    response = client.get(f"/accounts/signup/{query}")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/register/")


def test_a_signed_in_account_is_not_asked_to_register(client, attorney):
    client.force_login(attorney)

    assert client.get("/account/register/")["Location"] == "/account/"


def test_site_links_to_registration_go_to_step_one(client):
    html = client.get("/").content.decode()

    assert 'href="/account/register/"' in html
    assert 'href="/accounts/signup/"' not in html


# Step 2: the details, by kind ---------------------------------------------------------------


@pytest.mark.parametrize("kind", [CASE_SEARCH, ATTORNEY, NON_ATTORNEY])
def test_step_two_asks_each_kind_for_its_own_fields(client, kind):
    response = client.get("/accounts/signup/", {"kind": kind})

    page = assert_on_our_layout(response)
    html = response.content.decode()
    ids = {control.get("id") for control in page.controls}
    for name in COMMON_REQUIRED:
        assert f"id_{name}" in ids
    for name in KIND_ONLY_FIELDS:
        assert (f"id_{name}" in ids) == (name in KIND_FIELDS[kind]), name
    assert f'<input type="hidden" name="kind" value="{kind}"' in html
    assert f'action="/accounts/signup/?kind={kind}"' in html
    assert "usa-step-indicator__segment--complete" in html
    assert "Your details" in html
    assert 'autocomplete="address-line1"' in html


@pytest.mark.parametrize("kind", [CASE_SEARCH, ATTORNEY, NON_ATTORNEY])
def test_every_field_each_kind_needs_is_required(client, kind):
    response = client.post("/accounts/signup/", {"kind": kind})

    assert_on_our_layout(response)
    html = response.content.decode()
    for name in (*COMMON_REQUIRED, *KIND_REQUIRED[kind]):
        assert f'id="id_{name}_error"' in html, name
    assert 'id="id_address_line2_error"' not in html
    assert User.objects.count() == 0


def test_bad_input_gets_clear_messages_and_keeps_what_was_typed(client):
    response = sign_up(
        client,
        phone="call me",
        postal_code="8500",
        username="jrivera",
        password2="a different passphrase",
    )

    page = assert_on_our_layout(response)
    html = response.content.decode()
    assert "Please check the fields marked below" in html
    assert "Enter a phone number with its area code, for example (602) 555-0143." in html
    assert "Enter a 5-digit ZIP code (or ZIP+4), for example 85003." in html
    assert "at least 8 characters" in html
    assert "You must type the same password each time." in html
    # Everything typed comes back, except the passwords (never sent back to the browser).
    for value in ("Jordan", "Rivera", "jordan.rivera@example.test", "call me", "8500",
                  "401 West Washington Street", "Suite 200", "031234", "jrivera"):  # fmt: skip
        assert f'value="{value}"' in html, value
    assert '<option value="Arizona" selected>' in html
    assert PASSWORD not in html
    assert "type your password in both" in html
    phone = next(c for c in page.controls if c.get("id") == "id_phone")
    assert phone["aria-describedby"] == "id_phone_helptext id_phone_error"
    assert User.objects.count() == 0


def test_a_posted_form_without_a_kind_asks_for_step_one(client):
    data = signup_data(ATTORNEY)
    del data["kind"]

    response = client.post("/accounts/signup/", data)

    assert response.status_code == 200
    assert "Choose the kind of account first (step 1 of registration)." in response.content.decode()
    assert User.objects.count() == 0


def test_a_non_us_address_needs_no_zip_code_format(client):
    response = sign_up(client, country="Canada", region="Ontario", postal_code="K1A 0B1")

    assert response.status_code == 302
    assert User.objects.get().postal_code == "K1A 0B1"


@pytest.mark.parametrize("username", ["jriver", "j7char1"])
def test_new_accounts_need_a_username_of_at_least_8_characters(client, username):
    response = sign_up(client, username=username)

    assert response.status_code == 200
    assert "Ensure this value has at least 8 characters" in response.content.decode()
    assert not User.objects.exists()


# A completed sign-up ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        (CASE_SEARCH, {}, {"is_shared": False, "bar_number": "", "filer_role": ""}),
        (CASE_SEARCH, {"is_shared": "on"}, {"is_shared": True}),
        (ATTORNEY, {}, {"bar_number": "031234", "bar_state": "Arizona", "filer_role": ""}),
        (NON_ATTORNEY, {"filer_role": "pro_se"}, {"filer_role": "pro_se", "bar_number": ""}),
    ],
)
def test_each_kind_signs_up_with_its_details(client, frozen_clock, kind, extra, expected):
    response = sign_up(client, kind, **extra)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="jrivera2026")
    assert user.account_kind == kind
    assert re.fullmatch(r"[1-9]\d{6}", user.account_number)
    assert user.account_type == User.AccountType.UPGRADED
    assert user.registered_on == clock.today()
    assert user.registration_status == User.RegistrationStatus.ACTIVE
    assert (user.first_name, user.last_name) == ("Jordan", "Rivera")
    assert user.phone == "(602) 555-0143"
    assert (user.address_line1, user.address_line2) == ("401 West Washington Street", "Suite 200")
    assert (user.city, user.region, user.postal_code) == ("Phoenix", "Arizona", "85003")
    assert user.country == "United States"
    for name, value in expected.items():
        assert getattr(user, name) == value, name
    event = user.events.get()
    assert event.kind == AccountEvent.Kind.REGISTERED
    assert event.detail == {"kind": kind, "shared": expected.get("is_shared", False)}
    assert event.created_at == clock.now()


def test_only_the_chosen_kinds_fields_are_saved(client):
    sign_up(client, CASE_SEARCH, bar_number="999", bar_state="Texas", filer_role="trustee")
    sign_up(
        client,
        ATTORNEY,
        is_shared="on",
        filer_role="trustee",
        username="jrivera2027",
        email="j.rivera@elsewhere.test",
    )

    searcher, attorney = User.objects.order_by("pk")
    assert (searcher.bar_number, searcher.bar_state, searcher.filer_role) == ("", "", "")
    assert (attorney.is_shared, attorney.filer_role) == (False, "")


def test_a_shared_firm_account_can_search_but_never_link_or_file(client):
    sign_up(client, CASE_SEARCH, is_shared="on")

    user = User.objects.get()
    assert user.is_shared
    assert rules.refusal_to_search(user) is None
    assert "Shared PACER accounts" in rules.refusal_to_link_or_file(user, clock.today())


def test_account_numbers_of_new_registrations_differ(client):
    sign_up(client)
    sign_up(
        client,
        username="otherperson",
        email="other.person@example.test",
        first_name="Other",
        last_name="Person",
        phone="(480) 555-0100",
        address_line1="1 East Washington Street",
        postal_code="85004",
    )

    first, second = User.objects.order_by("pk")
    assert first.account_number != second.account_number
    assert first.registration_status == second.registration_status == "active"


# Email verification -------------------------------------------------------------------------


def test_email_verification_comes_before_anything_else(client):
    sign_up(client, CASE_SEARCH)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jordan.rivera@example.test"]

    # Not signed in, and signing in only leads back to verification.
    assert client.get("/account/")["Location"].startswith("/accounts/login/")
    login = client.post("/accounts/login/", {"login": "jrivera2026", "password": PASSWORD})
    assert login["Location"] == "/accounts/confirm-email/"
    assert client.get("/account/")["Location"].startswith("/accounts/login/")

    verify_email(client, message)
    assert EmailAddress.objects.get(email="jordan.rivera@example.test").verified
    login = client.post("/accounts/login/", {"login": "jrivera2026", "password": PASSWORD})
    assert login.status_code == 302
    response = client.get("/account/")
    assert response.status_code == 200
    assert User.objects.get().account_number in response.content.decode()


def test_the_same_address_again_creates_no_second_account(client):
    UserFactory(username="jordanr01", email="jordan.rivera@example.test")

    response = sign_up(client, email="Jordan.Rivera@example.test")

    # allauth's enumeration protection: the same page as a success, an email to the owner.
    assert response["Location"] == "/accounts/confirm-email/"
    assert not User.objects.filter(username="jrivera2026").exists()
    assert len(mail.outbox) == 1


# Duplicate identity ---------------------------------------------------------------------


def existing(**fields) -> User:
    """An existing account, nothing in common with Jordan Rivera unless told."""
    defaults = {
        "username": "existing01",
        "first_name": "Casey",
        "last_name": "Morgan",
        "email": "casey.morgan@firm.test",
        "phone": "(520) 555-0190",
        "address_line1": "1840 East Speedway Boulevard",
        "postal_code": "85719",
    }
    return UserFactory(**(defaults | fields))


@pytest.mark.parametrize(
    ("existing_fields", "new_fields", "matched"),
    [
        pytest.param(
            {"first_name": "jordan", "last_name": "RIVERA", "phone": "602.555.0143"},
            {},
            ["name", "phone"],
            id="name-and-phone",
        ),
        pytest.param(
            {
                "email": "jordan.rivera@example.test",
                "address_line1": "401 west washington street.",
                "postal_code": "85003-2217",
            },
            {"email": "Jordan.Rivera+court@example.test"},
            ["email", "address"],
            id="plus-address-and-address",
        ),
        pytest.param(
            {
                "email": "jordan.rivera+pacer@example.test",
                "first_name": "Jordan",
                "last_name": "Rivera",
            },
            {},
            ["name", "email"],
            id="name-and-their-plus-address",
        ),
        pytest.param(
            {
                "phone": "+1 602 555 0143",
                "address_line1": "401 West  Washington Street",
                "postal_code": "85003",
            },
            {},
            ["phone", "address"],
            id="phone-with-country-code-and-address",
        ),
        pytest.param(
            {
                "first_name": "Jordan",
                "last_name": "Rivera",
                "email": "jordan.rivera@example.test",
                "phone": "6025550143",
            },
            {"email": "jordan.rivera+new@example.test"},
            ["name", "email", "phone"],
            id="three-fields",
        ),
    ],
)
def test_a_registration_matching_an_account_on_two_fields_is_held(
    client, existing_fields, new_fields, matched
):
    other = existing(**existing_fields)

    response = sign_up(client, **new_fields)

    # The same answer as any new registration: the page reveals no existing account.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="jrivera2026")
    assert user.registration_status == User.RegistrationStatus.ON_HOLD
    held = user.events.get(kind=AccountEvent.Kind.REGISTRATION_HELD)
    assert held.detail == {"matched_fields": matched, "matching_accounts": 1}
    # Names of fields only: none of either account's values.
    for value in ("Rivera", "602", "555", "jordan", "85003", "Washington", other.email):
        assert value.lower() not in str(held.detail).lower()
    assert not other.events.exists()


def test_an_address_added_to_an_existing_account_counts_too(client):
    other = existing(first_name="Jordan", last_name="Rivera")
    EmailAddress.objects.create(user=other, email="jr@firm.test", verified=True)

    sign_up(client, email="JR+filings@firm.test")

    held = User.objects.get(username="jrivera2026").events.get(kind="registration_held")
    assert held.detail["matched_fields"] == ["name", "email"]


@pytest.mark.parametrize(
    ("existing_fields", "new_fields"),
    [
        pytest.param({"first_name": "Jordan", "last_name": "Rivera"}, {}, id="name-only"),
        pytest.param({"phone": "602-555-0143"}, {}, id="phone-only"),
        pytest.param(
            {"email": "jordan.rivera@example.test"},
            {"email": "jordan.rivera+2@example.test"},
            id="plus-address-only",
        ),
        pytest.param(
            {"address_line1": "401 West Washington Street", "postal_code": "85003"},
            {},
            id="address-only",
        ),
        pytest.param(
            {
                "address_line1": "401 West Washington Street",
                "postal_code": "85004",
                "phone": "6025550143",
            },
            {},
            id="same-street-other-zip-and-phone",
        ),
        pytest.param(
            {"first_name": "Jordan", "last_name": "Rivers", "phone": "6025550143"},
            {},
            id="similar-name-and-phone",
        ),
    ],
)
def test_one_matching_field_is_not_a_duplicate(client, existing_fields, new_fields):
    existing(**existing_fields)

    response = sign_up(client, **new_fields)

    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="jrivera2026")
    assert user.registration_status == User.RegistrationStatus.ACTIVE
    assert not user.events.filter(kind=AccountEvent.Kind.REGISTRATION_HELD).exists()


def test_matches_spread_over_two_accounts_are_not_a_duplicate(client):
    existing(username="existing01", first_name="Jordan", last_name="Rivera")
    existing(username="existing02", email="other@firm.test", phone="(602) 555-0143")

    sign_up(client)

    assert User.objects.get(username="jrivera2026").registration_status == "active"


@pytest.mark.parametrize(
    ("address", "normalized"),
    [
        ("A.Lee+court@Firm.test", "a.lee@firm.test"),
        ("a.lee@firm.test", "a.lee@firm.test"),
        ("a+b+c@x.test", "a@x.test"),
        ("+tag@x.test", "+tag@x.test"),
        (" Mixed@Case.TEST ", "mixed@case.test"),
    ],
)
def test_plus_addressing_is_one_mailbox(address, normalized):
    assert registration.normalize_email(address) == normalized


def test_a_held_registrant_verifies_the_address_and_then_sees_the_hold_on_sign_in(client):
    existing(first_name="Jordan", last_name="Rivera", phone="602 555 0143")

    response = sign_up(client)

    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    verify_email(client, mail.outbox[0])
    assert EmailAddress.objects.get(email="jordan.rivera@example.test").verified
    assert client.get("/account/")["Location"].startswith("/accounts/login/")

    login = client.post("/accounts/login/", {"login": "jrivera2026", "password": PASSWORD})

    assert login.status_code == 200
    assert "Your registration is under review" in login.content.decode()
    assert client.get("/account/")["Location"].startswith("/accounts/login/")
    # A wrong password says nothing about the hold.
    wrong = client.post("/accounts/login/", {"login": "jrivera2026", "password": "not it at all"})
    assert "under review" not in wrong.content.decode()


# The PACER Service Center's decision ------------------------------------------------------


@pytest.fixture
def held(db):
    return UserFactory(
        username="heldfiler1", first_name="Jordan", on_hold=True, email="jordan@firm.test"
    )


def test_releasing_a_held_registration_activates_it_and_emails_once(
    held, staff, frozen_clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        registration.release_registration(user=held, actor=staff, now=clock.now())

    held.refresh_from_db()
    assert held.registration_status == User.RegistrationStatus.ACTIVE
    event = held.events.get()
    assert (event.kind, event.actor, event.created_at) == (
        "registration_released",
        staff,
        clock.now(),
    )
    assert event.detail == {"from": "on_hold", "to": "active"}
    assert len(callbacks) == 1
    (row,) = deliver_outbox()
    assert row.to == "jordan@firm.test"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jordan@firm.test"]
    assert "registration is approved" in message.subject
    for part in (message.body, html_of(message)):
        assert "training simulation" in part
        assert "Hello Jordan," in part
        assert "heldfiler1" in part
        assert held.account_number in part
        assert "/accounts/login/" in part


def test_rejecting_a_held_registration_records_the_reason_and_emails_once(held, staff):
    reason = "You already have PACER account 2000001. Sign in with it."

    registration.reject_registration(user=held, actor=staff, reason=reason, now=clock.now())

    held.refresh_from_db()
    assert held.registration_status == User.RegistrationStatus.REJECTED
    event = held.events.get()
    assert (event.kind, event.actor) == ("registration_rejected", staff)
    assert event.detail == {"from": "on_hold", "to": "rejected", "reason": reason}
    deliver_outbox()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "not accepted" in message.subject
    for part in (message.body, html_of(message)):
        assert "training simulation" in part
        assert reason in part
        assert "/accounts/password/reset/" in part


@pytest.mark.parametrize(
    ("trait", "decide"),
    [
        ("on_hold", "release_twice"),
        ("on_hold", "reject_after_release"),
        (None, "release"),
        (None, "reject"),
        ("rejected", "release"),
        ("rejected", "reject"),
    ],
)
def test_only_a_held_registration_can_be_decided(staff, trait, decide):
    user = UserFactory(username="decided01", **({trait: True} if trait else {}))
    release = registration.release_registration
    reject = registration.reject_registration
    if decide in ("release_twice", "reject_after_release"):
        release(user=user, actor=staff, now=clock.now())
    status_before = User.objects.get(pk=user.pk).registration_status
    emails_before = OutboundEmail.objects.count()

    if decide in ("release_twice", "release"):
        attempt = functools.partial(release, user=user, actor=staff, now=clock.now())
    else:
        attempt = functools.partial(
            reject, user=user, actor=staff, reason="duplicate", now=clock.now()
        )

    with pytest.raises(registration.RegistrationNotOnHold):
        attempt()

    assert User.objects.get(pk=user.pk).registration_status == status_before
    assert OutboundEmail.objects.count() == emails_before


def test_a_rejection_needs_a_reason(held, staff):
    with pytest.raises(ValueError, match="reason"):
        registration.reject_registration(user=held, actor=staff, reason="  ", now=clock.now())

    held.refresh_from_db()
    assert held.registration_status == User.RegistrationStatus.ON_HOLD


def test_a_rejected_account_cannot_sign_in_and_is_told_why(client):
    UserFactory(username="rejected01", rejected=True)

    response = client.post("/accounts/login/", {"login": "rejected01", "password": TEST_PASSWORD})

    assert response.status_code == 403
    assert "This registration was not accepted" in response.content.decode()
    assert client.get("/account/")["Location"].startswith("/accounts/login/")


def test_a_released_account_signs_in(client, held, staff):
    registration.release_registration(user=held, actor=staff, now=clock.now())

    response = client.post("/accounts/login/", {"login": "heldfiler1", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


# The console ------------------------------------------------------------------------------

CHANGELIST = "/console/accounts/user/"


@pytest.fixture
def psc(db):
    """PACER Service Center staff with two-factor authentication (the console needs it)."""
    return UserFactory(psc_staff=True, with_totp=True, username="pscstaff2")


def test_the_console_lists_held_registrations(client, psc, held):
    UserFactory(username="activeone")
    client.force_login(psc)

    response = client.get(CHANGELIST, {"registration": "held"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "heldfiler1" in html
    assert "activeone" not in html
    assert "On hold (to review)" in html


def test_releasing_from_the_console_reports_each_account(client, psc, held):
    UserFactory(username="activeone")
    active = User.objects.get(username="activeone")
    client.force_login(psc)

    response = client.post(
        CHANGELIST,
        {"action": "release_registrations", "_selected_action": [held.pk, active.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Released the registration of heldfiler1 (" in html
    assert "the registrant was emailed." in html
    assert "Left activeone (" in html
    assert "its registration is not on hold (Active)." in html
    held.refresh_from_db()
    assert held.registration_status == "active"
    assert held.events.get().actor == psc
    assert OutboundEmail.objects.count() == 1


def test_rejecting_from_the_console_asks_for_the_reason_first(client, psc, held):
    client.force_login(psc)
    selected = {"action": "reject_registrations", "_selected_action": [held.pk]}

    ask = client.post(CHANGELIST, selected)

    assert ask.status_code == 200
    assert "Reason (sent to each registrant)" in ask.content.decode()
    assert f"<li>{held.username} ({held.account_number})" in ask.content.decode()
    assert "&rsaquo; Reject registrations" in ask.content.decode()
    assert User.objects.get(pk=held.pk).registration_status == "on_hold"

    blank = client.post(CHANGELIST, selected | {"confirm": "1", "reason": ""})
    assert "This field is required." in blank.content.decode()

    done = client.post(
        CHANGELIST, selected | {"confirm": "1", "reason": "Duplicate of 2000001."}, follow=True
    )

    assert "Rejected the registration of heldfiler1 (" in done.content.decode()
    held.refresh_from_db()
    assert held.registration_status == "rejected"
    assert held.events.get().detail["reason"] == "Duplicate of 2000001."
    deliver_outbox()
    assert len(mail.outbox) == 1
    assert "Duplicate of 2000001." in mail.outbox[0].body


def test_the_account_page_shows_history_duplicates_and_keeps_identity_read_only(client, psc, staff):
    original = existing(first_name="Jordan", last_name="Rivera", username="original1")
    held = UserFactory(
        username="heldfiler1",
        first_name="Jordan",
        last_name="Rivera",
        phone="(520) 555-0190",
        on_hold=True,
    )
    for _ in range(25):
        AccountEvent.objects.create(user=held, kind="sign_in_failed", created_at=clock.now())
    AccountEvent.objects.create(user=held, kind="registration_held", created_at=clock.now())
    client.force_login(psc)
    url = f"{CHANGELIST}{held.pk}/change/"

    html = client.get(url).content.decode()

    assert "latest account events (newest 20)" in html.lower()
    assert html.count("Sign-in failed") == 19
    assert f"/console/accounts/user/{original.pk}/change/" in html
    assert "name, phone" in html
    for name in ("account_number", "account_type", "registration_status"):
        assert f'name="{name}"' not in html, name
    assert 'name="phone"' in html


def test_staff_cannot_add_accounts_in_the_console(client, psc):
    client.force_login(psc)

    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_the_console_refuses_non_staff(client, held):
    filer = UserFactory(username="plainfiler", attorney=True)
    client.force_login(filer)

    response = client.post(
        CHANGELIST, {"action": "release_registrations", "_selected_action": [held.pk]}
    )

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert User.objects.get(pk=held.pk).registration_status == "on_hold"


def test_account_events_are_read_only_in_the_console(client, psc, held):
    AccountEvent.objects.create(user=held, kind="registered", created_at=clock.now())
    client.force_login(psc)

    listing = client.get("/console/accounts/accountevent/")

    assert listing.status_code == 200
    assert "heldfiler1" in listing.content.decode()
    assert client.get("/console/accounts/accountevent/add/").status_code == 403


# Demo personas and factory traits -----------------------------------------------------


def test_demo_personas_cover_each_account_state(capsys):
    call_command("load_demo_accounts")
    call_command("load_demo_accounts")

    out = capsys.readouterr().out
    assert out.count("created") == len(DEMO_ACCOUNTS)
    assert DEMO_PASSWORD in out
    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {spec.username for spec in DEMO_ACCOUNTS}
    legacy = users["lgcy12"]
    assert (legacy.account_type, legacy.registered_on) == ("legacy", dt.date(2012, 5, 20))
    assert len(legacy.username) == 6
    assert users["attorney1"].account_type == "upgraded"
    assert users["attorney1"].bar_state == "Arkansas"
    assert users["firmshared"].is_shared
    assert users["inactive1"].case_search_status == "inactive"
    assert users["inactive1"].account_kind == CASE_SEARCH
    assert users["agent001"].filer_role == User.FilerRole.FILING_AGENT
    assert users["prose001"].filer_role == User.FilerRole.PRO_SE
    assert users["pscstaff"].is_staff
    for user in users.values():
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", user.phone), user.username
        assert user.address_line1
        assert re.fullmatch(r"\d{5}", user.postal_code)
        assert user.username in out


def test_demo_personas_created_before_they_had_details_get_them():
    spec = next(spec for spec in DEMO_ACCOUNTS if spec.username == "agent001")
    from accounts import services

    services.ensure_demo_account(spec=spec, password=DEMO_PASSWORD, today=clock.today())

    call_command("load_demo_accounts")

    agent = User.objects.get(username="agent001")
    assert agent.filer_role == User.FilerRole.FILING_AGENT
    assert agent.phone


@pytest.mark.parametrize(
    ("trait", "expected"),
    [
        ("legacy_2012", {"account_type": "legacy", "registered_on": dt.date(2012, 5, 20)}),
        ("inactive", {"case_search_status": "inactive"}),
        ("on_hold", {"registration_status": "on_hold"}),
        ("rejected", {"registration_status": "rejected"}),
        ("bar_admitted", {"account_kind": ATTORNEY, "bar_state": "Arkansas"}),
        ("filing_agent", {"account_kind": NON_ATTORNEY, "filer_role": "filing_agent"}),
        ("pro_se", {"account_kind": NON_ATTORNEY, "filer_role": "pro_se"}),
        ("with_contact", {"postal_code": "85003"}),
        ("shared", {"is_shared": True}),
    ],
)
def test_factory_traits_make_each_state(trait, expected):
    user = UserFactory(**{trait: True})

    for name, value in expected.items():
        assert getattr(user, name) == value
    if trait == "legacy_2012":
        assert len(user.username) == 6


def test_saving_an_account_in_the_console_keeps_its_number_and_history(client, psc, held):
    for _ in range(25):
        AccountEvent.objects.create(user=held, kind="signed_in", created_at=clock.now())
    client.force_login(psc)
    url = f"{CHANGELIST}{held.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name in form.fields
        if (value := form.initial.get(name)) not in (None, False, "")
        and not isinstance(value, list | tuple)
    }
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(k): v for k, v in management.initial.items()}
        for index, event in enumerate(inline.formset.get_queryset()):
            data[f"{inline.formset.prefix}-{index}-id"] = event.pk
            data[f"{inline.formset.prefix}-{index}-user"] = held.pk
    data |= {
        "phone": "(602) 555-0199",
        "account_number": "7654321",
        "registration_status": "active",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = User.objects.get(pk=held.pk)
    assert saved.phone == "(602) 555-0199"
    assert saved.account_number == held.account_number
    assert saved.registration_status == "on_hold"
    assert saved.events.count() == 25
