"""The training clock: staff move the date in demo mode; every page says so plainly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from cso_portal import clock
from cso_portal.core import services
from cso_portal.core.models import ClockChange

pytestmark = pytest.mark.django_db


def test_without_a_simulated_date_the_clock_is_real(frozen_clock):
    assert clock.now() == clock.real_now()
    # 15:00 UTC is 09:00 in Chicago on 16 Nov 2026.
    assert clock.today() == dt.date(2026, 11, 16)


def test_a_simulated_date_moves_the_date_and_keeps_the_time_of_day(frozen_clock, staff):
    services.set_simulated_date(
        day=dt.date(2021, 3, 28), actor=staff, reason="Arkansas rehearsal", now=clock.real_now()
    )
    assert clock.today() == dt.date(2021, 3, 28)
    assert clock.now().astimezone(dt.UTC).time() == dt.time(15, 0)
    assert clock.real_now() == dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)

    frozen_clock.shift(dt.timedelta(hours=2))
    assert clock.today() == dt.date(2021, 3, 28)

    services.set_simulated_date(day=None, actor=staff, reason="done", now=clock.real_now())
    assert clock.today() == dt.date(2026, 11, 16)
    assert list(ClockChange.objects.values_list("simulated_date", flat=True)) == [
        None,
        dt.date(2021, 3, 28),
    ]


@override_settings(CSO_DEMO_MODE=False)
def test_outside_demo_mode_the_clock_ignores_simulated_dates(frozen_clock):
    ClockChange.objects.create(simulated_date=dt.date(2021, 3, 28), changed_at=clock.real_now())
    assert clock.today() == dt.date(2026, 11, 16)


def test_every_page_shows_the_simulated_date(client, frozen_clock, staff):
    assert "Simulated date" not in client.get("/").content.decode()
    services.set_simulated_date(
        day=dt.date(2021, 3, 29), actor=staff, reason="", now=clock.real_now()
    )
    for page in ("/", "/courts/", "/accounts/login/"):
        body = client.get(page).content.decode()
        assert "Simulated date: Monday, 29 March 2021" in body
        assert "The real date is 16 November 2026" in body


def test_staff_set_the_clock_in_the_console_and_it_is_audited(client, frozen_clock, staff):
    client.force_login(staff)
    response = client.post(
        "/console/core/clockchange/add/",
        {"simulated_date": "2022-03-20", "reason": "S.D. Fla. rehearsal"},
    )
    assert response.status_code == 302
    change = ClockChange.objects.get()
    assert (change.simulated_date, change.actor, change.reason) == (
        dt.date(2022, 3, 20),
        staff,
        "S.D. Fla. rehearsal",
    )
    assert clock.today() == dt.date(2022, 3, 20)


def test_people_without_console_rights_cannot_move_the_clock(client, attorney):
    client.force_login(attorney)
    response = client.post("/console/core/clockchange/add/", {"simulated_date": "2022-03-20"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not ClockChange.objects.exists()
