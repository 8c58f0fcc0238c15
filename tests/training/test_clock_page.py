"""The staff training pages: the clock (preview what changes, then move) and the scenarios
(Load / Reset). PACER Service Center staff only; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal import clock
from cso_portal.core.models import ClockChange
from cso_portal.core.services import set_simulated_date
from filing.training.preview import preview_clock_change, quarters_closing
from filing.training.scenarios import scenario_counts
from linking.models import LinkRequest
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.factories import EfileRegistrationFactory
from tests.linking.factories import LinkRequestFactory

pytestmark = pytest.mark.usefixtures("frozen_clock")

TODAY = dt.date(2021, 6, 21)
NEW_DATE = dt.date(2021, 7, 5)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def clock_url():
    return reverse("admin:core_training_clock")


@pytest.fixture
def scenarios_url():
    return reverse("admin:core_training_scenarios")


@pytest.fixture
def world(seed_courts):
    """The clock at 21 Jun 2021; requests and registrations around the next two weeks."""
    set_simulated_date(day=TODAY, actor=None, reason="test", now=clock.real_now())
    azb = seed_courts["azb"]
    CourtFactory(id="tst900", name="Court live today", nextgen_date=TODAY)
    CourtFactory(id="tst901", name="Court live on the new date", nextgen_date=NEW_DATE)
    CourtFactory(id="tst902", password_reset_deadline=dt.date(2021, 6, 25))
    expiring = [
        LinkRequestFactory(court=azb, expires_at=_at(dt.date(2021, 6, 30), 12)),
        LinkRequestFactory(court=azb, pending_review=True, expires_at=_at(NEW_DATE, 23)),
    ]
    LinkRequestFactory(court=azb, expires_at=_at(dt.date(2021, 7, 10), 12))  # later
    LinkRequestFactory(court=azb, expires_at=_at(TODAY, 20))  # today: not "after today"
    LinkRequestFactory(
        court=azb, status=LinkRequest.Status.CANCELLED, expires_at=_at(dt.date(2021, 6, 30), 9)
    )
    waiting = EfileRegistrationFactory.create_batch(2, court=azb)
    EfileRegistrationFactory(court=azb, approved=True)
    return {"azb": azb, "expiring": expiring, "waiting": waiting}


def test_preview_lists_courts_deadlines_requests_registrations_and_quarters(world):
    preview = preview_clock_change(today=TODAY, new_date=NEW_DATE)

    assert [court.id for court in preview.courts_going_live] == ["azb", "tst901"]
    assert [court.id for court in preview.reset_deadlines_passing] == ["tst902"]
    assert [request.pk for request in preview.expiring_requests] == [
        request.pk for request in world["expiring"]
    ]
    assert preview.expiring_count == 2
    assert {r.pk for r in preview.waiting_registrations} == {r.pk for r in world["waiting"]}
    assert [quarter.label for quarter in preview.quarters_closing] == ["Q2 2021"]
    assert preview.days == 14
    assert not preview.backwards


def test_moving_back_previews_the_same_span():
    preview_quarters = quarters_closing(dt.date(2021, 3, 30), dt.date(2022, 1, 2))
    assert [quarter.label for quarter in preview_quarters] == [
        "Q1 2021",
        "Q2 2021",
        "Q3 2021",
        "Q4 2021",
    ]
    assert quarters_closing(dt.date(2021, 4, 1), dt.date(2021, 6, 29)) == []


def test_moving_back_is_flagged(world):
    preview = preview_clock_change(today=NEW_DATE, new_date=TODAY)
    assert preview.backwards
    assert [court.id for court in preview.courts_going_live] == ["azb", "tst901"]


def test_staff_see_the_preview_and_move_the_clock(client, staff, world, clock_url):
    client.force_login(staff)
    response = client.get(clock_url, {"date": NEW_DATE.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The training clock says <strong>Monday 21 June 2021</strong>" in page
    assert "U.S. Bankruptcy Court, District of Arizona (azb)" in page
    assert "2 link requests expiring" in page
    assert "2 e-file registrations waiting for their court" in page
    assert "Q2 2021 closes on 30 Jun 2021" in page
    assert "Move the clock to 5 Jul 2021" in page

    response = client.post(clock_url, {"date": NEW_DATE.isoformat(), "reason": "azb go-live"})
    assert response.status_code == 302
    assert clock.today() == NEW_DATE
    change = ClockChange.objects.latest("changed_at", "pk")
    assert (change.actor, change.reason) == (staff, "azb go-live")
    page = client.get(response["Location"]).content.decode()
    assert "The training clock now says 2021-07-05." in page


def test_bad_dates_get_a_clear_message_and_change_nothing(client, staff, world, clock_url):
    client.force_login(staff)
    for value in ("2021-13-40", "tomorrow", "1900-01-01", ""):
        response = client.get(clock_url, {"date": value})
        assert response.status_code == 200
        page = response.content.decode()
        assert "errorlist" in page, value
        response = client.post(clock_url, {"date": value})
        assert response.status_code == 200
    assert clock.today() == TODAY


def test_outside_demo_mode_the_clock_does_not_move(client, staff, world, clock_url, settings):
    settings.CSO_DEMO_MODE = False
    client.force_login(staff)
    response = client.post(clock_url, {"date": NEW_DATE.isoformat()}, follow=True)
    assert "The training clock moves only in demo mode." in response.content.decode()
    assert ClockChange.objects.count() == 1  # the fixture's


def test_only_psc_staff_open_the_training_pages(client, world, clock_url, scenarios_url):
    clerk = UserFactory(username="azbclerk7", with_totp=True)
    add_court_staff(court=world["azb"], user=clerk, role=CourtStaff.Role.CLERK, now=clock.now())
    client.force_login(clerk)
    assert client.get(clock_url).status_code == 403
    assert client.post(clock_url, {"date": NEW_DATE.isoformat()}).status_code == 403
    assert client.post(scenarios_url, {"scenario": "arizona-bankruptcy-2021",
                                       "action": "load"}).status_code == 403  # fmt: skip
    assert clock.today() == TODAY
    assert scenario_counts("arizona-bankruptcy-2021")["accounts"] == 0

    client.logout()
    response = client.get(clock_url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_clock_page_query_count_does_not_grow_with_rows(
    client, staff, world, clock_url, django_assert_max_num_queries
):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as few:
        assert client.get(clock_url, {"date": NEW_DATE.isoformat()}).status_code == 200
    azb = world["azb"]
    for _ in range(10):
        LinkRequestFactory(court=azb, expires_at=_at(dt.date(2021, 7, 1), 10))
    EfileRegistrationFactory.create_batch(10, court=azb)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(clock_url, {"date": NEW_DATE.isoformat()})
    assert "12 link requests expiring" in response.content.decode()


def test_staff_load_and_reset_a_scenario(client, staff, seed_courts, scenarios_url):
    client.force_login(staff)
    response = client.get(scenarios_url)
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "Arkansas bankruptcy 2021",
        "Arizona bankruptcy 2021",
        "S.D. Florida bankruptcy 2022",
    ):
        assert title in page

    response = client.post(scenarios_url, {"scenario": "arizona-bankruptcy-2021", "action": "load"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Scenario arizona-bankruptcy-2021 loaded." in page
    assert "az21-mgarcia" in page
    assert "azb-issued-2016" in page
    assert "az21-trustee" in page
    assert "The training clock says Monday 21 June 2021." in page
    assert scenario_counts("arizona-bankruptcy-2021")["accounts"] == 9

    response = client.post(
        scenarios_url, {"scenario": "arizona-bankruptcy-2021", "action": "reset"}, follow=True
    )
    assert "Scenario arizona-bankruptcy-2021 reset: 9 account(s) removed." in (
        response.content.decode()
    )
    assert scenario_counts("arizona-bankruptcy-2021")["accounts"] == 0

    response = client.post(scenarios_url, {"scenario": "nope", "action": "load"}, follow=True)
    assert "There is no such scenario." in response.content.decode()


def test_a_scenario_whose_court_is_missing_says_so(client, staff, scenarios_url, db):
    client.force_login(staff)
    response = client.post(
        scenarios_url, {"scenario": "sdfla-bankruptcy-2022", "action": "load"}, follow=True
    )
    assert "Court flsb is missing: run manage.py load_courts first." in response.content.decode()
