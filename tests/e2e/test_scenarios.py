"""Browser test (Chromium): a trainer loads the Arizona bankruptcy 2021 scenario in the console,
previews and moves the training clock to azb's go-live day, and the scenario's attorney links
her court-issued login on the court's ECF site. Screenshots in artifacts/scenario-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from cso_portal import clock
from linking.models import LinkRequest
from tests.e2e.conftest import screenshot
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory
from tests.training.conftest import seed_courts  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GO_LIVE = dt.date(2021, 6, 28)


def _sign_in(page, username: str, password: str, secret: str, then: str) -> None:
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.get_by_role(
        "button", name=re.compile(r"sign in|verify|continue", re.IGNORECASE)
    ).first.click()
    page.wait_for_url(then)


def test_arizona_scenario_load_move_the_clock_and_link_on_go_live_day(
    page,
    browser,
    live_server,
    seed_courts,  # noqa: F811
):
    UserFactory(psc_staff=True, with_totp=True, username="trainer")

    # The trainer loads the scenario …
    page.goto("/console/core/clockchange/scenarios/")
    page.wait_for_url("**/accounts/login/**")
    _sign_in(page, "trainer", TEST_PASSWORD, TEST_TOTP_SECRET, "**/clockchange/scenarios/")
    row = page.locator("tr[data-scenario='arizona-bankruptcy-2021']")
    row.get_by_role("button", name="Load").click()
    page.locator(".scenario-report").wait_for()
    logins = page.locator("table.scenario-logins").inner_text()
    assert "az21-mgarcia" in logins
    assert "azb-issued-2016" in logins
    screenshot(page, "scenario-1-arizona-loaded")
    assert clock.today() == dt.date(2021, 6, 21)

    # … previews a week on (azb goes live in it) and moves the clock.
    page.get_by_role("link", name="Open the clock").click()
    page.fill("#id_date", GO_LIVE.isoformat())
    page.get_by_role("button", name="Preview").click()
    going_live = page.locator("ul.going-live")
    assert "District of Arizona (azb)" in going_live.inner_text()
    screenshot(page, "scenario-2-clock-preview")
    page.get_by_role("button", name="Move the clock to 28 Jun 2021").click()
    page.locator(".messagelist .success").wait_for()
    assert clock.today() == GO_LIVE
    screenshot(page, "scenario-3-clock-moved")

    # The scenario's attorney links her court-issued login on go-live day.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    attorney = context.new_page()
    try:
        attorney.goto("/ecf/azb/")
        _sign_in(attorney, "az21-upgraded", DEMO_PASSWORD, DEMO_TOTP_SECRET, "**/ecf/azb/")
        attorney.get_by_text("Utilities", exact=True).click()
        attorney.get_by_role("link", name="Link a CM/ECF account to my PACER account").click()
        attorney.wait_for_url("**/accounts/reauthenticate/**")
        attorney.fill("#id_password", DEMO_PASSWORD)
        attorney.get_by_role("button", name="Confirm").click()
        attorney.wait_for_url("**/account/link/azb/")
        attorney.fill("#id_login", "az21-mgarcia")
        attorney.fill("#id_password", "azb-issued-2016")
        attorney.get_by_role("button", name="Next").click()
        attorney.wait_for_url("**/account/link/azb/verify/")
        attorney.get_by_role("button", name="Submit").click()
        attorney.wait_for_url(re.compile(r"/account/link/requests/\d+/$"))
        assert attorney.get_by_text("Your link request was submitted to the court.").is_visible()
        screenshot(attorney, "scenario-4-arizona-linked")
    finally:
        context.close()
    request = LinkRequest.objects.get(pacer_account__username="az21-upgraded")
    assert request.cmecf_account.login == "az21-mgarcia"
