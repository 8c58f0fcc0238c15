"""Browser test (Chromium), acceptance 1 of the PAA issue: a firm administrator registers a
PACER Administrative Account, adds the attorney by last name + account number, the attorney
accepts, views a billed document, and the charge appears on the PAA's quarter statement and
not on the attorney's own bill; the attorney leaves, and the next charge bills to the
attorney. Our pages pass axe; screenshots in artifacts/paa-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.core import mail

from accounts.models import Charge, PaaMembership, User
from tests.courts.factories import CourtFactory
from tests.e2e.conftest import run_axe, screenshot
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.filing.factories import CaseFactory, DocketEntryFactory, document_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long firm billing passphrase"
FIRM = {
    "#id_firm_name": "Capitol Avenue Legal Group LLP",
    "#id_first_name": "Morgan",
    "#id_last_name": "Administrator",
    "#id_email": "billing@capitol-legal.example.test",
    "#id_phone": "(501) 555-0190",
    "#id_address_line1": "425 West Capitol Avenue",
    "#id_city": "Little Rock",
    "#id_region": "Arkansas",
    "#id_postal_code": "72201",
    "#id_username": "capitoladmin",
    "#id_password1": PASSWORD,
    "#id_password2": PASSWORD,
}


def _check(page, name: str) -> None:
    screenshot(page, f"paa-{name}")
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def _view_document(page, court_id: str, case_pk: int) -> None:
    """Open document 1 of the case and press View Document (billed); wait for the PDF."""
    page.goto(f"/ecf/{court_id}/cases/{case_pk}/doc/1/")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="View Document").click()
    assert answer.value.status == 200
    assert answer.value.headers["content-type"] == "application/pdf"


def test_a_firm_registers_a_paa_and_bills_its_attorney_until_they_leave(page, browser, live_server):
    flsb = CourtFactory(
        id="flsb", name="U.S. Bankruptcy Court, Southern District of Florida", bankruptcy=True,
        nextgen_date=dt.date(2022, 4, 4),
    )  # fmt: skip
    case = CaseFactory(court=flsb, number="1:22-bk-11234", last_entry_number=1)
    document_for(DocketEntryFactory(case=case, number=1), pages=5)
    attorney = UserFactory(
        attorney=True, with_totp=True, username="attorney1", first_name="Avery",
        last_name="Attorney", account_number="4410001",
    )  # fmt: skip

    # 1. The firm's administrator registers a PAA (step 1: the kind; step 2: the details).
    page.goto("/account/register/")
    page.locator("label.usa-radio__label", has_text="PACER Administrative Account").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/accounts/signup/?kind=paa")
    for selector, value in FIRM.items():
        page.fill(selector, value)
    _check(page, "1-register")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    admin = User.objects.get(username="capitoladmin")
    assert admin.account_kind == User.AccountKind.PAA
    assert admin.paa_profile.firm_name == "Capitol Avenue Legal Group LLP"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        page.fill("#id_login", "capitoladmin")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
        page.wait_for_load_state()
    if "/account/two-factor/" in page.url:  # a PAA is asked to set up two-factor; skip for now
        page.get_by_role("button", name=re.compile("Skip", re.IGNORECASE)).first.click()
        page.wait_for_load_state()

    # 2. It adds the attorney by last name and account number.
    page.goto("/account/paa/")
    page.fill("#id_last_name", "Attorney")
    page.fill("#id_account_number", "4410001")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/account/paa/")
    _check(page, "2-request-sent")
    membership = PaaMembership.objects.get(paa=admin, member=attorney)
    assert membership.status == PaaMembership.Status.REQUESTED

    # 3. The attorney sees the request in Manage My Account and accepts it.
    lawyer_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    lawyer = lawyer_context.new_page()
    try:
        lawyer.goto("/account/")
        lawyer.fill("#id_login", "attorney1")
        lawyer.fill("#id_password", TEST_PASSWORD)
        lawyer.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
        lawyer.fill("#id_code", pyotp.TOTP(TEST_TOTP_SECRET).now())
        lawyer.get_by_role(
            "button", name=re.compile(r"sign in|verify|continue", re.IGNORECASE)
        ).first.click()
        lawyer.wait_for_url("**/account/")
        assert "Capitol Avenue Legal Group LLP" in lawyer.inner_text("main")
        _check(lawyer, "3-notice")
        lawyer.goto("/account/paa-membership/")
        lawyer.get_by_role("button", name="Accept").click()
        lawyer.wait_for_load_state()
        _check(lawyer, "4-member")
        membership.refresh_from_db()
        assert membership.status == PaaMembership.Status.ACTIVE

        # 4. A billed view while a member bills the PAA.
        _view_document(lawyer, "flsb", case.pk)
        first = Charge.objects.get()
        assert (first.account, first.billed_to, str(first.amount)) == (attorney, admin, "0.50")

        # 5. The PAA's statement shows it, itemized by member; the attorney's own bill doesn't.
        page.goto("/account/paa/statement/")
        statement = page.inner_text("main")
        assert "4410001" in statement
        assert "$0.50" in statement
        _check(page, "5-statement")
        lawyer.goto("/account/usage/")
        own = lawyer.inner_text("main")
        assert "Capitol Avenue Legal Group LLP" in own  # "billed to the firm's PAA"
        _check(lawyer, "6-own-usage-while-member")

        # 6. The attorney leaves; the next charge bills to the attorney.
        lawyer.goto("/account/paa-membership/")
        lawyer.get_by_role("link", name="Leave this PAA").click()
        lawyer.get_by_role("button", name="Yes, leave the PAA").click()
        lawyer.wait_for_load_state()
        membership.refresh_from_db()
        assert membership.status == PaaMembership.Status.ENDED
        _view_document(lawyer, "flsb", case.pk)
        second = Charge.objects.exclude(pk=first.pk).get()
        assert (second.account, second.billed_to) == (attorney, attorney)
        lawyer.goto("/account/usage/")
        assert "$0.50" in lawyer.inner_text("main")
        _check(lawyer, "7-own-usage-after-leaving")
    finally:
        lawyer_context.close()
