"""Acceptance 1 of issue 4, in Chromium: sign up as an attorney filer through the real pages,
verify the email from the test mail outbox, sign in, and find Account Type "Upgraded" and the
account number on Manage My Account. Each step is screenshotted into artifacts/; the two
registration pages pass axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_smoke import _describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long training passphrase"
DETAILS = {
    "#id_first_name": "Jordan",
    "#id_last_name": "Rivera",
    "#id_email": "jordan.rivera@example.test",
    "#id_phone": "(602) 555-0143",
    "#id_address_line1": "401 West Washington Street",
    "#id_address_line2": "Suite 200",
    "#id_city": "Phoenix",
    "#id_region": "Arizona",
    "#id_postal_code": "85003",
    "#id_bar_number": "031234",
    "#id_username": "jrivera2026",
    "#id_password1": PASSWORD,
    "#id_password2": PASSWORD,
}


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert violations == [], _describe(violations)


def test_attorney_signs_up_verifies_email_signs_in_and_sees_an_upgraded_account(
    page, browser, live_server
):
    # Step 1: from the header's "Register" to the account kinds.
    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Register"
    ).click()
    page.wait_for_url("**/account/register/")
    assert page.get_by_role("heading", level=1).inner_text() == "Register for a PACER account"
    screenshot(page, "signup-1-account-kind")
    assert_accessible(page)

    # USWDS draws the radio button on its label (the input itself is off-screen).
    page.locator("label.usa-radio__label", has_text=re.compile(r"^Attorney filer")).click()
    assert page.get_by_role("radio", name=re.compile(r"^Attorney filer")).is_checked()
    page.get_by_role("button", name="Continue").click()

    # Step 2: allauth's sign-up page with the attorney's fields.
    page.wait_for_url("**/accounts/signup/?kind=attorney_filer")
    assert page.get_by_text("Account kind: Attorney filer").is_visible()
    assert page.locator("#id_filer_role").count() == 0
    screenshot(page, "signup-2-details-empty")
    assert_accessible(page)
    for selector, value in DETAILS.items():
        page.fill(selector, value)
    page.select_option("#id_bar_state", "Arizona")
    assert page.input_value("#id_country") == "United States"
    screenshot(page, "signup-2-details-filled")
    page.get_by_role("button", name="Create account").click()

    # Step 3: verify the email address.
    page.wait_for_url("**/accounts/confirm-email/")
    screenshot(page, "signup-3-verify-email-sent")
    user = User.objects.get(username="jrivera2026")
    assert re.fullmatch(r"\d{7}", user.account_number)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jordan.rivera@example.test"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)

    # The link opens in a new window of the mail app: no session there yet.
    mail_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        confirm = mail_context.new_page()
        confirm.goto(link)
        screenshot(confirm, "signup-4-confirm-email")
        confirm.get_by_role("button", name="Confirm").click()
        confirm.wait_for_url("**/accounts/login/**")
        screenshot(confirm, "signup-5-confirmed-sign-in")

        # Sign in.
        confirm.fill("#id_login", "jrivera2026")
        confirm.fill("#id_password", PASSWORD)
        confirm.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
        confirm.wait_for_load_state()
        if "/account/two-factor/" in confirm.url:
            # Filers are asked to set up two-factor authentication; they may skip it for now.
            screenshot(confirm, "signup-6-two-factor-prompt")
            skip = confirm.get_by_role("button", name=re.compile("Skip", re.IGNORECASE))
            if skip.count():
                skip.first.click()
                confirm.wait_for_load_state()
        if not confirm.url.endswith("/account/"):
            confirm.goto(f"{live_server.url}/account/")

        # Manage My Account.
        confirm.wait_for_url("**/account/")
        body = confirm.locator("main").inner_text()
        assert "Upgraded" in body
        assert user.account_number in body
        screenshot(confirm, "signup-7-manage-my-account")
    finally:
        mail_context.close()


def test_signup_errors_are_announced_and_accessible(page):
    # What the browser can't check itself: a phone without digits, a short ZIP code,
    # passwords that differ, and no role chosen.
    page.goto("/accounts/signup/?kind=non_attorney_filer")
    details = DETAILS | {
        "#id_phone": "call me",
        "#id_postal_code": "8500",
        "#id_password2": "another long passphrase",
    }
    for selector, value in details.items():
        if page.locator(selector).count():
            page.fill(selector, value)
    page.locator("#id_filer_role").evaluate("select => select.removeAttribute('required')")
    page.get_by_role("button", name="Create account").click()

    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text="Please check the fields").count() == 1
    for name in ("phone", "postal_code", "password2", "filer_role"):
        assert page.locator(f"#id_{name}_error").is_visible(), name
    assert page.input_value("#id_first_name") == "Jordan"
    assert page.input_value("#id_phone") == "call me"
    assert page.input_value("#id_address_line2") == "Suite 200"
    assert page.input_value("#id_password1") == ""
    screenshot(page, "signup-errors")
    assert_accessible(page)


def test_a_duplicate_registration_is_held_and_a_rejected_one_cannot_sign_in(page):
    from accounts.services import registration
    from cso_portal import clock
    from tests.factories import UserFactory

    staff = UserFactory(psc_staff=True, username="pscreview1")
    UserFactory(username="jordanr01", first_name="Jordan", last_name="Rivera", phone="6025550143")
    page.goto("/accounts/signup/?kind=attorney_filer")
    for selector, value in DETAILS.items():
        page.fill(selector, value)
    page.select_option("#id_bar_state", "Arizona")
    page.get_by_role("button", name="Create account").click()

    page.wait_for_load_state()
    # Like every new registrant: nothing on the page says an account with these details exists.
    assert page.get_by_role("heading", level=1).inner_text() == "Verify Your Email Address"
    held = User.objects.get(username="jrivera2026")
    assert held.registration_status == User.RegistrationStatus.ON_HOLD

    page.goto("/accounts/login/")
    page.fill("#id_login", "jrivera2026")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Your registration is under review"
    screenshot(page, "signup-held")
    assert_accessible(page)

    registration.reject_registration(
        user=held, actor=staff, reason="You already have an account.", now=clock.now()
    )
    page.goto("/accounts/login/")
    page.fill("#id_login", "jrivera2026")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()

    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "This registration was not accepted"
    )
    screenshot(page, "signup-rejected-sign-in")
    assert_accessible(page)
