"""Browser check of the public court pages: they render with USWDS, pass axe, and read well on a
desktop and on a phone (screenshots in artifacts/)."""

from __future__ import annotations

import datetime as dt

import pytest

from cso_portal import clock
from tests.courts.factories import CourtCountyFactory, CourtFactory, GoLiveChangeFactory
from tests.e2e.conftest import run_axe, screenshot
from tests.e2e.test_smoke import _describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def courts(db):
    today = clock.today()
    flsb = CourtFactory(
        id="flsb",
        name="Florida Southern Bankruptcy Court",
        official_name="U.S. Bankruptcy Court for the Southern District of Florida",
        bankruptcy=True,
        state="Florida",
        circuit="11",
        nextgen_date=dt.date(2022, 4, 4),
        nextgen_source="https://www.flsb.uscourts.gov/nextgen-cmecf-information",
        password_reset_deadline=dt.date(2022, 3, 26),
        required_local_form="LF-95",
        pdf_size_limit_mb="50.00",
        merge_doc_size_limit_mb="50.00",
        help_desk=[
            {"phone": "954-769-5700", "division": "Ft. Lauderdale"},
            {"phone": "305-714-1800", "division": "Miami"},
            {"phone": "561-514-4100", "division": "West Palm Beach"},
        ],
        locations=[
            {
                "name": "Southern District of Florida",
                "address": "C. Clyde Atkins United States Courthouse, 301 N. Miami Avenue, "
                "Room 150, Miami, FL 33128",
                "email": "Webmaster_FLSB@flsb.uscourts.gov",
                "hours": "8:30 a.m. through 4:00 p.m. -- Monday Through Friday",
                "phone": "Miami Division (305) 714-1800  -- CM/ECF Help Desk (305) 714-1791",
            },
            {
                "name": "Southern District of Florida [west Palm Beach Division]",
                "address": "1515 North Flagler Drive, 8th Floor, West Palm Beach, FL 33401",
                "hours": "8:30 a.m. through 4:00 p.m. -- Monday Through Friday",
                "phone": "561-514-4100",
            },
        ],
    )
    GoLiveChangeFactory(
        court=flsb,
        new_date=dt.date(2022, 3, 7),
        reason="Announced in the court's NextGen notice",
        source="https://www.flsb.uscourts.gov/nextgen-announcement",
        changed_at=dt.datetime(2021, 12, 1, 17, 0, tzinfo=dt.UTC),
    )
    GoLiveChangeFactory(
        court=flsb,
        old_date=dt.date(2022, 3, 7),
        new_date=dt.date(2022, 4, 4),
        reason="Moved to April so filers can reset forgotten passwords first",
        source="Court notice “CM/ECF NextGen is LIVE!”",
        changed_at=dt.datetime(2022, 2, 15, 17, 0, tzinfo=dt.UTC),
    )
    CourtCountyFactory(court=flsb, name="Miami Dade", state="Florida")
    CourtFactory(
        id="areb",
        name="Arkansas Eastern Bankruptcy Court",
        bankruptcy=True,
        nextgen=True,
        circuit="08",
    )
    CourtFactory(
        id="ca8",
        name="U.S. Court of Appeals for the Eighth Circuit",
        appellate=True,
        evidence_only=True,
        state="Missouri",
        circuit="08",
    )
    CourtFactory(
        id="kyed",
        name="Kentucky Eastern District Court",
        state="Kentucky",
        circuit="06",
        nextgen_date=today + dt.timedelta(days=12),
    )
    CourtFactory(
        id="dcd",
        name="District of Columbia District Court",
        unconfirmed=True,
        state="District of Columbia",
        circuit="DC",
        nextgen_date=today + dt.timedelta(days=75),
    )
    return flsb


def _check(page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response.status == 200
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Source Sans Pro Web" in font
    # Nothing runs off the right edge of the window.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is {overflow}px wider than the window"
    shot = screenshot(page, name)
    assert shot.stat().st_size > 10_000
    violations = run_axe(page)
    assert violations == [], _describe(violations)


def test_court_list_filters_and_passes_axe(page, courts):
    _check(page, "/courts/", "courts")
    assert page.get_by_text("5 courts match.").is_visible()

    page.get_by_label("Status today").select_option("nextgen")
    page.get_by_role("button", name="Find courts").click()
    page.wait_for_url("**/courts/?*status=nextgen*")
    assert page.get_by_text("3 courts match.").is_visible()
    assert page.get_by_role("link", name="Florida Southern Bankruptcy Court").is_visible()
    assert page.get_by_role("link", name="Kentucky Eastern District Court").count() == 0

    # A bad filter: an error on the page, not a server error.
    _check(page, "/courts/?circuit=99&county=Miami+Dade", "courts_error")
    assert page.get_by_text("Check the filters").is_visible()


def test_court_page_passes_axe(page, courts):
    _check(page, "/courts/flsb/", "court_detail")
    assert page.get_by_role("heading", name="Florida Southern Bankruptcy Court", level=1)
    assert page.get_by_text("Live since 4 Apr 2022").is_visible()
    assert page.get_by_text("New attorneys must complete local form LF-95 first").is_visible()
    _check(page, "/courts/kyed/", "court_detail_upcoming")
    assert page.get_by_text("Goes live in 12 days").is_visible()


def test_email_update_pages_pass_axe(page, courts):
    _check(page, "/courts/subscriptions/confirm/some-token/", "subscription_confirm")
    assert page.get_by_role("button", name="Confirm email updates").is_visible()
    page.get_by_role("button", name="Confirm email updates").click()
    assert page.get_by_role("heading", name="This link is not valid or has expired").is_visible()
    assert run_axe(page) == []


def test_court_pages_on_a_phone(page, courts):
    page.set_viewport_size(PHONE)
    _check(page, "/courts/", "courts_mobile")
    _check(page, "/courts/flsb/", "court_detail_mobile")
