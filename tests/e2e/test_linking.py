"""Browser test (Chromium): an attorney links a CM/ECF account in azb on its go-live day,
following seed 000's steps — the court's ECF site → Utilities → Link a CM/ECF account… →
credentials → verify → Submit → the request's status page. Each page passes axe;
screenshots in artifacts/link-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from django.utils import timezone

from cso_portal import clock
from cso_portal.core.services import set_simulated_date
from linking.models import LinkRequest
from tests.courts.factories import CourtFactory
from tests.e2e.conftest import run_axe, screenshot
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GO_LIVE = dt.date(2021, 6, 28)


def _check(page, name: str) -> None:
    screenshot(page, f"link-{name}")
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_an_attorney_links_in_azb_on_its_go_live_day(page):
    azb = CourtFactory(
        id="azb",
        name="U.S. Bankruptcy Court, District of Arizona",
        bankruptcy=True,
        nextgen_date=GO_LIVE,
        help_desk=[{"phone": "(602) 682-4000", "division": "Phoenix"}],
    )
    attorney = UserFactory(
        attorney=True, with_totp=True, username="mgarcia", first_name="Maria", last_name="Garcia"
    )
    CmecfAccountFactory(
        court=azb, login="mgarcia-azb", holder_name="Garcia, Maria", email_of_record=attorney.email
    )
    set_simulated_date(day=GO_LIVE, actor=None, reason="azb go-live (e2e)", now=clock.real_now())

    # The court's ECF site asks for the PACER sign-in (Central Sign-On), with two factors.
    page.goto("/ecf/azb/")
    page.fill("#id_login", "mgarcia")
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
    page.fill("#id_code", pyotp.TOTP(TEST_TOTP_SECRET).now())
    page.get_by_role(
        "button", name=re.compile(r"sign in|verify|continue", re.IGNORECASE)
    ).first.click()
    page.wait_for_url("**/ecf/azb/")
    page.get_by_text("Utilities", exact=True).click()
    _check(page, "1-ecf-utilities")

    page.get_by_role("link", name="Link a CM/ECF account to my PACER account").click()
    # Linking needs a recent re-authentication (allauth's own page), then comes back.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("#id_password", TEST_PASSWORD)
    _check(page, "2-reauthenticate")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/link/azb/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Link a CM/ECF account")
    page.fill("#id_login", "mgarcia-azb")
    page.fill("#id_password", CMECF_TEST_PASSWORD)
    _check(page, "3-credentials")
    page.get_by_role("button", name="Next").click()

    page.wait_for_url("**/account/link/azb/verify/")
    assert page.get_by_text(
        "Verify that the CM/ECF account and PACER account listed are accurate. If so, click Submit."
    ).is_visible()
    _check(page, "4-verify")
    page.get_by_role("button", name="Submit").click()

    page.wait_for_url(re.compile(r"/account/link/requests/\d+/$"))
    assert page.get_by_text("Your link request was submitted to the court.").is_visible()
    _check(page, "5-status")
    request = LinkRequest.objects.get(pacer_account=attorney)
    assert request.court_id == "azb"
    assert timezone.localdate(request.submitted_at) == GO_LIVE

    page.goto("/account/courts/")
    _check(page, "6-my-courts")
