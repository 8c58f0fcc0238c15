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


def _check(page, name: str) -> None:
    from tests.e2e.conftest import run_axe

    screenshot(page, name)
    violations = run_axe(page)
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_arkansas_scenario_reschedule_emails_the_subscribers(
    page,
    live_server,
    seed_courts,  # noqa: F811
):
    """Arkansas bankruptcy 2021: loaded at 25 Jan 2021 with areb announced for 8 Feb; the
    areb clerk moves it to 29 Mar 2021 on the court page; each confirmed subscriber gets one
    email, and the court page shows the change in its history."""
    from django.core import mail

    from cso_portal.core import services as core_services
    from cso_portal.core.models import OutboundEmail
    from filing.training.scenarios import load_scenario

    load_scenario(name="arkansas-bankruptcy-2021", actor=None, now=clock.now())
    assert clock.today() == dt.date(2021, 1, 25)
    for email in OutboundEmail.objects.filter(sent_at__isnull=True):  # load-time confirmations
        core_services.deliver_email(email_id=email.pk, now=clock.real_now())
    mail.outbox.clear()

    page.goto("/courts/areb/")
    page.get_by_role("link", name="Sign in").first.click()
    _sign_in(page, "ark21-arebclerk", DEMO_PASSWORD, DEMO_TOTP_SECRET, "**")
    page.goto("/courts/areb/")
    assert "February 8, 2021" in page.inner_text("main") or "8 Feb 2021" in page.inner_text("main")
    _check(page, "scenario-ark-1-announced")
    page.get_by_role("link", name="Change go-live date").click()
    page.fill("#id_new_date", "2021-03-29")
    page.fill("#id_reason", "Rescheduled: both Arkansas courts go live together on 29 March 2021.")
    _check(page, "scenario-ark-2-reschedule")
    page.get_by_role("button", name="Change go-live date").click()
    page.wait_for_url("**/courts/areb/")
    assert "subscribers notified" in page.inner_text("main")
    _check(page, "scenario-ark-3-rescheduled")

    for email in OutboundEmail.objects.filter(sent_at__isnull=True):
        core_services.deliver_email(email_id=email.pk, now=clock.real_now())
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["ark21-agent@training.example.test", "ark21-upgraded@training.example.test"]
    assert all("New date: 29 March 2021" in message.body for message in mail.outbox)


def test_sdfla_scenario_reset_until_26_march_and_lf95(
    page,
    live_server,
    seed_courts,  # noqa: F811
):
    """S.D. Florida bankruptcy 2022 at 20 Mar 2022: the attorney who forgot her court-issued
    password resets it (the reset form works); after 26 Mar the form says only the help desk
    can; the new attorney registering on the court's CurrentGen site is asked for LF-95."""
    from cso_portal.core.services import set_simulated_date
    from filing.training.scenarios import load_scenario
    from linking.models import CmecfResetToken

    load_scenario(name="sdfla-bankruptcy-2022", actor=None, now=clock.now())
    assert clock.today() == dt.date(2022, 3, 20)

    page.goto("/account/link/flsb/reset/")
    if "/accounts/login/" in page.url:
        _sign_in(page, "fls22-forgot", DEMO_PASSWORD, DEMO_TOTP_SECRET, "**/account/link/flsb/**")
        page.goto("/account/link/flsb/reset/")
    page.fill("#id_login", "fls22-rforgot")
    _check(page, "scenario-fl-1-reset-form")
    page.get_by_role("button", name="Email me a reset link").click()
    page.wait_for_load_state()
    _check(page, "scenario-fl-2-reset-sent")
    assert CmecfResetToken.objects.filter(cmecf_account__login="fls22-rforgot").count() == 1

    set_simulated_date(day=dt.date(2022, 3, 27), actor=None, reason="e2e", now=clock.real_now())
    page.goto("/account/link/flsb/reset/")
    assert page.locator("#id_login").count() == 0  # no form after the deadline
    assert "(305)" in page.inner_text("main") or "help desk" in page.inner_text("main")
    _check(page, "scenario-fl-3-reset-closed")

    # The new attorney, before go-live: the court's own site registers filers; LF-95 first.
    page.context.clear_cookies()
    page.goto("/ecf/flsb/register/")
    _sign_in(page, "fls22-newatty", DEMO_PASSWORD, DEMO_TOTP_SECRET, "**/ecf/flsb/register/**")
    assert "LF-95" in page.inner_text("main")
    _check(page, "scenario-fl-4-lf95")
