"""Browser test (Chromium), acceptance 1 of the filing issue: a new attorney asks for e-file
registration in flsb and is asked for local form LF-95; the flsb clerk approves in the
console; the attorney files a PDF in a case through the court's ECF pages; every attorney of
record gets exactly one NEF; the NEF's free look works once. Our pages pass axe; screenshots
in artifacts/filing-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal import clock
from cso_portal.core.models import OutboundEmail
from cso_portal.core.services import render_email
from filing.models import DocketEntry, EfileRegistration, FilingRight, Nef
from tests.courts.factories import CourtFactory
from tests.e2e.conftest import run_axe, screenshot
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.filing.factories import AttorneyOfRecordFactory, CaseFactory, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, name: str) -> None:
    screenshot(page, f"filing-{name}")
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def _sign_in(page, username: str) -> None:
    page.fill("#id_login", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
    page.fill("#id_code", pyotp.TOTP(TEST_TOTP_SECRET).now())
    page.get_by_role(
        "button", name=re.compile(r"sign in|verify|continue", re.IGNORECASE)
    ).first.click()


def test_new_attorney_registers_in_flsb_files_and_every_attorney_gets_one_nef(
    page, browser, live_server
):
    flsb = CourtFactory(
        id="flsb",
        name="U.S. Bankruptcy Court, Southern District of Florida",
        bankruptcy=True,
        nextgen_date=dt.date(2022, 4, 4),
        required_local_form="LF-95",
        pdf_size_limit_mb=10,
    )
    clerk = UserFactory(with_totp=True, username="flsbclerk", first_name="Rosa", last_name="Diaz")
    add_court_staff(court=flsb, user=clerk, role=CourtStaff.Role.CLERK, now=clock.now())
    case = CaseFactory(court=flsb, number="1:22-bk-10001", title="In re Marisol Rivera")
    of_record = [
        AttorneyOfRecordFactory(case=case, attorney__username=name).attorney
        for name in ("drivera", "tokafor")
    ]
    newcomer = UserFactory(
        attorney=True, with_totp=True, username="jnewman", first_name="Jo", last_name="Newman"
    )

    # 1. Manage My Account → Maintenance → Attorney Admissions / E-File Registration.
    page.goto("/account/maintenance/")
    page.wait_for_url("**/accounts/login/**")
    _sign_in(page, "jnewman")
    page.wait_for_url("**/account/maintenance/")
    page.get_by_role("link", name="Attorney Admissions / E-File Registration", exact=True).click()
    page.locator("label[for=court_type_bankruptcy]").click()
    _check(page, "1-court-type")
    page.get_by_role("button", name="Next").click()
    page.select_option("#id_court", "flsb")
    page.locator("form:has(#id_court)").get_by_role("button", name="Next").click()
    page.wait_for_url("**/account/efile/new/attorney/flsb/")
    assert "LF-95" in page.inner_text("main")
    page.locator("label", has_text="E-file registration (admitted attorney)").click()
    page.fill("#id_bar_number", "0123456")
    page.locator("label[for=id_terms_accepted]").click()
    page.get_by_role("button", name="Submit").click()
    # Without the local form the request is refused and what was typed is kept.
    assert "LF-95" in page.locator(".usa-alert--error, .usa-error-message").first.inner_text()
    assert page.input_value("#id_bar_number") == "0123456"
    _check(page, "2-asked-for-lf95")
    page.fill("#id_local_form_completed_on", "2026-11-10")
    if not page.is_checked("#id_terms_accepted"):
        page.locator("label[for=id_terms_accepted]").click()
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(re.compile(r"/account/efile/\d+/$"))
    _check(page, "3-request-waiting")
    registration = EfileRegistration.objects.get(pacer_account=newcomer)
    assert (registration.court_id, registration.local_form) == ("flsb", "LF-95")
    assert registration.status == EfileRegistration.Status.PENDING_REVIEW

    # 2. The flsb clerk approves it in the console.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    console = context.new_page()
    try:
        console.goto("/console/filing/efileregistration/")
        _sign_in(console, "flsbclerk")
        console.wait_for_url("**/console/filing/efileregistration/")
        row = console.locator("#result_list tbody tr", has_text="Newman")
        assert row.count() == 1
        assert "LF-95" in row.inner_text()
        screenshot(console, "filing-4-clerk-queue")
        row.locator("input.action-select").check()
        console.select_option("select[name=action]", label="Approve selected requests")
        console.get_by_role("button", name="Go").click()
        console.locator(".messagelist .success").wait_for()
        screenshot(console, "filing-5-clerk-approved")
    finally:
        context.close()
    registration.refresh_from_db()
    assert registration.status == EfileRegistration.Status.APPROVED
    assert FilingRight.objects.filter(holder=newcomer, court=flsb).exists()

    # 3. The attorney files a PDF in the case through the court's ECF pages.
    page.goto(f"/ecf/flsb/cases/{case.pk}/file/")
    page.select_option("#id_event", "notice_of_appearance")
    _check(page, "6-choose-event")
    page.get_by_role("button", name="Next").click()
    page.set_input_files(
        "#id_document",
        files=[{"name": "appearance.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(3)}],
    )
    _check(page, "7-file")
    page.get_by_role("button", name="Submit the filing").click()
    page.get_by_text("Notice of Electronic Filing").first.wait_for()
    _check(page, "8-nef-receipt")
    entry = DocketEntry.objects.get(case=case)
    assert (entry.filer, entry.submitted_by, entry.document.page_count) == (newcomer, newcomer, 3)

    # 4. Exactly one NEF (and one email) per attorney of record, the filer included.
    everyone = [newcomer, *of_record]
    nef_emails = OutboundEmail.objects.filter(template="filing/email/nef")
    assert sorted(nef_emails.values_list("to", flat=True)) == sorted(a.email for a in everyone)
    assert Nef.objects.filter(entry=entry).count() == 3

    # 5. The free look works once (signed out: the link is the credential).
    email = nef_emails.get(to=of_record[0].email)
    body = render_email(email).body
    link = re.search(r"https?://[^/\s]+(/ecf/free-look/\S+/)", body).group(1)
    reader = browser.new_context(base_url=live_server.url)
    try:
        look = reader.new_page()
        look.goto(link)
        _check(look, "9-free-look")
        with look.expect_response(lambda r: r.request.method == "POST") as answer:
            look.get_by_role("button", name="View Document (free look)").click()
        response = answer.value
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        look.goto(link)
        assert look.get_by_text("The free look of this notice was used.").is_visible()
        _check(look, "10-free-look-used")
    finally:
        reader.close()
    nef = Nef.objects.get(entry=entry, email=of_record[0].email)
    assert nef.free_look_used_at is not None

    # 6. The docket report shows the filing (and is billed); the Usage tab shows the charge.
    page.goto(f"/ecf/flsb/cases/{case.pk}/")
    assert "Notice of Appearance filed by Jo Newman." in page.inner_text("main")
    _check(page, "11-docket")
    page.goto("/account/usage/")
    assert "$0.10" in page.inner_text("main")
    _check(page, "12-usage")
