"""The court pages on the real catalog (the 2023 PACER feed plus the seeds' dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from icalendar import Calendar

from courts.models import Court
from cso_portal import clock
from cso_portal.core import services as core_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db):
    call_command("load_courts", verbosity=0)


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_arkansas_shows_the_rescheduled_date_and_the_earlier_one(client, catalog):
    body = _page(client, "/courts/areb/")
    assert "29 Mar 2021" in body
    assert "8 Feb 2021" in body
    assert "Link a CM/ECF account to my PACER account" in body


def test_arizona_and_south_florida_show_the_seeds_dates(client, catalog):
    assert "28 Jun 2021" in _page(client, "/courts/azb/")
    flsb = _page(client, "/courts/flsb/")
    assert "4 Apr 2022" in flsb
    assert "26 Mar 2022" in flsb
    assert "LF-95" in flsb


def test_appellate_courts_use_the_filer_account_wording(client, catalog):
    assert "Link my filer account to my PACER account" in _page(client, "/courts/ca8/")


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2021, 3, 28), "CurrentGen"),
        (dt.date(2021, 3, 29), "NextGen"),
        (dt.date(2021, 3, 30), "NextGen"),
    ],
)
def test_areb_changes_generation_on_its_go_live_date(client, catalog, staff, day, status):
    core_services.set_simulated_date(day=day, actor=staff, reason="", now=clock.real_now())
    areb = Court.objects.get(pk="areb")
    assert areb.status_on(clock.today()) == status.lower()
    body = _page(client, "/courts/areb/")
    assert f'<p class="cso-status__value">{status}</p>' in body
    assert f"Status on {day:%-d %b %Y}" in body
    listing = _page(client, f"/courts/?q=areb&status={status.lower()}")
    assert "Arkansas Eastern Bankruptcy Court" in listing


def test_the_whole_catalog_lists_in_constant_queries(
    client, catalog, django_assert_max_num_queries
):
    client.get("/courts/")  # warm the training clock's cache, as any earlier page would
    with django_assert_max_num_queries(6):
        body = _page(client, "/courts/")
    assert body.count('href="/courts/') >= 208
    with django_assert_max_num_queries(6):
        _page(client, "/courts/?state=Arkansas&county=Pulaski&status=nextgen")


def test_find_my_court_by_county(client, catalog):
    body = _page(client, "/courts/?county=Pulaski&state=Arkansas")
    for name in ("Arkansas Eastern Bankruptcy Court", "Arkansas Eastern District Court"):
        assert name in body


def test_the_go_live_calendar_parses_and_has_the_seeds_dates(client, catalog):
    response = client.get("/courts/nextgen.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    starts = {
        str(event["UID"]).split("-")[0]: event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
    }
    assert starts["areb"] == dt.date(2021, 3, 29)
    assert starts["arwb"] == dt.date(2021, 3, 29)
    assert starts["azb"] == dt.date(2021, 6, 28)
    assert starts["flsb"] == dt.date(2022, 4, 4)
    assert len(starts) == Court.objects.exclude(nextgen_date=None).count()
