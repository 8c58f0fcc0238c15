"""The public court pages: "Is my court on NextGen?", one court, iCalendar feeds, and the
email-update pages. Courts come from tests.courts.factories, never from the loader."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courts import ical, services, tokens
from courts.models import Court, CourtCounty, Subscription
from cso_portal import clock
from cso_portal.core import services as core_services
from cso_portal.core.models import OutboundEmail
from tests.courts.factories import CourtCountyFactory, CourtFactory, GoLiveChangeFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 16 Nov 2026 in Chicago (the portal's time zone) whatever the hour of these moments.
PINNED_DAY = dt.date(2026, 11, 16)


def _moment(day: dt.date, hour: int = 18) -> dt.datetime:
    """Noon-ish in Chicago on ``day`` (18:00 UTC is 12:00 CST)."""
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def _text(html: str) -> str:
    """The page's text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _ids(response) -> list[str]:
    return [court.id for court, _status in response.context["rows"]]


# The list: "Is my court on NextGen?" -------------------------------------------------------


@pytest.fixture
def catalog(db):
    """Five courts, one per schedule state, in two states and three circuits."""
    return {
        "areb": CourtFactory(
            id="areb",
            name="Arkansas Eastern Bankruptcy Court",
            bankruptcy=True,
            nextgen=True,
            state="Arkansas",
            circuit="08",
        ),
        "ca8": CourtFactory(
            id="ca8",
            name="U.S. Court of Appeals for the Eighth Circuit",
            appellate=True,
            evidence_only=True,
            state="Missouri",
            circuit="08",
        ),
        "kyed": CourtFactory(
            id="kyed", name="Kentucky Eastern District Court", state="Kentucky", circuit="06"
        ),
        "flsb": CourtFactory(
            id="flsb",
            name="Florida Southern Bankruptcy Court",
            bankruptcy=True,
            upcoming=True,
            state="Florida",
            circuit="11",
        ),
        "dcd": CourtFactory(
            id="dcd",
            name="District of Columbia District Court",
            unconfirmed=True,
            state="District of Columbia",
            circuit="DC",
        ),
    }


@pytest.fixture
def counties(catalog):
    CourtCountyFactory(court=catalog["areb"], name="Pulaski", state="Arkansas")
    CourtCountyFactory(court=catalog["ca8"], name="Pulaski", state="Arkansas")
    CourtCountyFactory(court=catalog["kyed"], name="Pulaski", state="Kentucky")
    CourtCountyFactory(court=catalog["flsb"], name="Miami Dade", state="Florida")


def test_list_shows_every_court_with_its_status_today(client, catalog, frozen_clock):
    response = client.get("/courts/")
    body = response.content.decode()

    assert response.status_code == 200
    assert sorted(_ids(response)) == sorted(catalog)
    assert "5 courts match." in body
    assert "Status as of 16 Nov 2026." in body
    assert 'class="usa-table usa-table--stacked' in body
    assert 'href="/courts/areb/"' in body
    assert 'data-label="Status today"' in body
    statuses = {court.id: status for court, status in response.context["rows"]}
    assert statuses == {
        "areb": "nextgen",
        "ca8": "nextgen",
        "kyed": "currentgen",
        "flsb": "currentgen",
        "dcd": "currentgen",
    }
    assert "29 Mar 2021" in body  # areb's go-live date
    assert "Date not published" in body  # ca8: NextGen by evidence, no date
    assert "29 Jan 2027" in body
    assert "(unconfirmed)" in body  # dcd
    assert "8th Circuit" in body
    assert "D.C. Circuit" in body
    assert "11th Circuit" in body


def test_the_list_can_be_searched_by_name_or_id(client, catalog, frozen_clock):
    assert _ids(client.get("/courts/", {"q": "arkansas"})) == ["areb"]
    assert _ids(client.get("/courts/", {"q": "FLSB"})) == ["flsb"]
    assert _ids(client.get("/courts/", {"q": "  eighth   circuit "})) == ["ca8"]
    assert _ids(client.get("/courts/", {"q": "no such court"})) == []
    assert (
        "No court matches these filters." in client.get("/courts/", {"q": "zzz"}).content.decode()
    )


def test_the_list_filters_by_type(client, catalog, frozen_clock):
    assert sorted(_ids(client.get("/courts/", {"type": "bankruptcy"}))) == ["areb", "flsb"]
    assert _ids(client.get("/courts/", {"type": "appellate"})) == ["ca8"]
    assert _ids(client.get("/courts/", {"type": "national"})) == []


def test_the_list_filters_by_circuit(client, catalog, frozen_clock):
    assert sorted(_ids(client.get("/courts/", {"circuit": "08"}))) == ["areb", "ca8"]
    assert _ids(client.get("/courts/", {"circuit": "DC"})) == ["dcd"]


def test_state_choices_are_the_states_of_courts_and_counties(client, counties, frozen_clock):
    form = client.get("/courts/").context["form"]
    states = [value for value, _label in form.fields["state"].choices]
    assert states == ["", "Arkansas", "District of Columbia", "Florida", "Kentucky", "Missouri"]


def test_the_list_filters_by_state_of_the_court_or_its_counties(client, counties, frozen_clock):
    # ca8 sits in Missouri but serves Arkansas counties.
    assert sorted(_ids(client.get("/courts/", {"state": "Arkansas"}))) == ["areb", "ca8"]
    assert _ids(client.get("/courts/", {"state": "Missouri"})) == ["ca8"]


def test_the_list_finds_the_courts_serving_a_county(client, counties, frozen_clock):
    assert sorted(_ids(client.get("/courts/", {"county": "pulaski"}))) == ["areb", "ca8", "kyed"]
    assert sorted(_ids(client.get("/courts/", {"county": "Pulaski County"}))) == [
        "areb",
        "ca8",
        "kyed",
    ]
    both = client.get("/courts/", {"county": "Pulaski", "state": "Kentucky"})
    assert _ids(both) == ["kyed"]
    assert _ids(client.get("/courts/", {"county": "miami dade"})) == ["flsb"]
    assert _ids(client.get("/courts/", {"county": "Miami Dade", "state": "Arkansas"})) == []


def test_the_list_filters_by_status_today(client, catalog, frozen_clock):
    assert sorted(_ids(client.get("/courts/", {"status": "nextgen"}))) == ["areb", "ca8"]
    assert sorted(_ids(client.get("/courts/", {"status": "currentgen"}))) == [
        "dcd",
        "flsb",
        "kyed",
    ]
    # On flsb's go-live day it moves over.
    frozen_clock.move_to(_moment(dt.date(2026, 11, 28)))
    assert sorted(_ids(client.get("/courts/", {"status": "nextgen"}))) == [
        "areb",
        "ca8",
        "flsb",
    ]


def test_filters_combine(client, counties, frozen_clock):
    response = client.get("/courts/", {"type": "bankruptcy", "status": "nextgen", "circuit": "08"})
    assert _ids(response) == ["areb"]


def test_bad_filter_input_gets_a_form_error_and_the_page_still_shows(client, catalog, frozen_clock):
    response = client.get(
        "/courts/",
        {"type": "supreme", "circuit": "99", "state": "Narnia", "status": "bogus", "q": "x" * 101},
    )
    body = response.content.decode()

    assert response.status_code == 200
    assert "Check the filters" in body
    assert 'class="usa-error-message"' in body
    form = response.context["form"]
    assert set(form.errors) == {"type", "circuit", "state", "status", "q"}
    # Nothing valid was asked for, so every court is listed.
    assert sorted(_ids(response)) == sorted(catalog)


@pytest.mark.parametrize("field", ["q", "county"])
def test_a_null_character_is_a_form_error_not_a_server_error(client, catalog, field, frozen_clock):
    response = client.get("/courts/", {field: "Pulaski\x00"})
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_bad_filter_leaves_the_good_ones_applied(client, catalog, frozen_clock):
    response = client.get("/courts/", {"type": "bankruptcy", "circuit": "nope"})
    assert response.status_code == 200
    assert "circuit" in response.context["form"].errors
    assert sorted(_ids(response)) == ["areb", "flsb"]


# Status in SQL agrees with Court.status_on -------------------------------------------------

_SCHEDULES = [
    # (nextgen_date, nextgen_evidence_date)
    (None, None),
    (dt.date(2021, 3, 29), None),
    (dt.date(2026, 11, 28), None),
    (None, dt.date(2023, 1, 10)),
    # A published date later than the evidence: the date wins (status_on uses it first).
    (dt.date(2024, 6, 3), dt.date(2023, 1, 10)),
    (dt.date(2022, 4, 4), dt.date(2023, 1, 10)),
]


def test_status_in_the_database_agrees_with_status_on_for_every_court_and_day():
    courts = [
        CourtFactory(nextgen_date=date, nextgen_evidence_date=evidence)
        for date, evidence in _SCHEDULES
    ]
    days = {PINNED_DAY, dt.date(2000, 1, 1), dt.date(2100, 1, 1)}
    for date, evidence in _SCHEDULES:
        for known in (date, evidence):
            if known:
                days |= {known - dt.timedelta(days=1), known, known + dt.timedelta(days=1)}

    for day in sorted(days):
        nextgen = set(Court.objects.nextgen_on(day).values_list("id", flat=True))
        currentgen = set(Court.objects.currentgen_on(day).values_list("id", flat=True))
        expected = {court.id for court in courts if court.status_on(day) == "nextgen"}
        assert nextgen == expected, day
        assert currentgen == {court.id for court in courts} - expected, day
        assert set(Court.objects.with_status_on("nextgen", day).values_list("id", flat=True)) == (
            nextgen
        )


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown status"):
        Court.objects.with_status_on("maybe", PINNED_DAY)


# Queries: the list costs the same for 5 or 208 courts ---------------------------------------


def _many_courts(number: int = 208) -> None:
    traits = [{"nextgen": True}, {"currentgen": True}, {"evidence_only": True}, {"upcoming": True}]
    courts = [
        CourtFactory.build(id=f"c{n:03d}", name=f"Court {n:03d}", **traits[n % len(traits)])
        for n in range(number)
    ]
    Court.objects.bulk_create(courts)
    CourtCounty.objects.bulk_create(
        CourtCounty(court=court, name=f"County {n % 40}", state=("Arkansas", "Texas")[n % 2])
        for n, court in enumerate(courts)
    )


@pytest.mark.parametrize(
    "query",
    [{}, {"status": "nextgen"}, {"county": "County 7", "state": "Texas", "type": "district"}],
)
def test_the_list_of_208_courts_takes_a_constant_number_of_queries(
    client, frozen_clock, django_assert_max_num_queries, query
):
    _many_courts(208)
    with django_assert_max_num_queries(6):
        response = client.get("/courts/", query)
    assert response.status_code == 200
    if not query:
        assert len(response.context["rows"]) == 208
        assert "208 courts match." in response.content.decode()


def test_the_list_query_count_does_not_grow_with_courts(client, frozen_clock):
    _many_courts(4)
    client.get("/courts/")  # the training clock caches its date on the first request
    with CaptureQueriesContext(connection) as few:
        client.get("/courts/")
    Court.objects.bulk_create(CourtFactory.build(id=f"m{n:03d}", nextgen=True) for n in range(200))
    with CaptureQueriesContext(connection) as many:
        client.get("/courts/")
    assert len(many) == len(few)


# One court ------------------------------------------------------------------------------------


@pytest.fixture
def flsb(db):
    court = CourtFactory(
        id="flsb",
        name="Florida Southern Bankruptcy Court",
        official_name="U.S. Bankruptcy Court for the Southern District of Florida",
        bankruptcy=True,
        state="Florida",
        circuit="11",
        nextgen_date=dt.date(2022, 4, 4),
        nextgen_source="https://www.flsb.uscourts.gov/nextgen",
        password_reset_deadline=dt.date(2022, 3, 26),
        required_local_form="LF-95",
        pdf_size_limit_mb="50.00",
        merge_doc_size_limit_mb="50.00",
        help_desk=[
            {"phone": "954-769-5700", "division": "Ft. Lauderdale"},
            {"phone": "305-714-1800", "division": "Miami"},
        ],
        locations=[
            {
                "name": "Southern District of Florida",
                "address": "301 N. Miami Avenue, Room 150, Miami, FL 33128",
                "email": "Webmaster_FLSB@flsb.uscourts.gov",
                "hours": "8:30 a.m. through 4:00 p.m.",
                "phone": "(305) 714-1800",
            }
        ],
    )
    GoLiveChangeFactory(
        court=court,
        old_date=None,
        new_date=dt.date(2022, 3, 7),
        reason="Announced in the court's NextGen notice",
        source="https://www.flsb.uscourts.gov/notice-1",
        changed_at=dt.datetime(2021, 12, 1, 17, 0, tzinfo=dt.UTC),
    )
    GoLiveChangeFactory(
        court=court,
        old_date=dt.date(2022, 3, 7),
        new_date=dt.date(2022, 4, 4),
        reason="Postponed to April",
        source="Court notice",
        changed_at=dt.datetime(2022, 2, 15, 17, 0, tzinfo=dt.UTC),
    )
    return court


def test_unknown_court_is_404(client):
    assert client.get("/courts/nosuch/").status_code == 404


def test_court_page_shows_status_date_history_and_contacts(client, flsb, frozen_clock):
    response = client.get("/courts/flsb/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Florida Southern Bankruptcy Court</h1>" in body
    assert "U.S. Bankruptcy Court for the Southern District of Florida" in body
    assert "11th Circuit" in body
    assert "Bankruptcy" in body
    assert "Status on 16 Nov 2026" in body
    assert 'class="cso-status__value">NextGen<' in body
    assert "Live since 4 Apr 2022" in body
    assert "4 Apr 2022" in body
    # The reschedule history, oldest first, with no personal names.
    history = response.context["history"]
    assert [(c.old_date, c.new_date) for c, _who in history] == [
        (None, dt.date(2022, 3, 7)),
        (dt.date(2022, 3, 7), dt.date(2022, 4, 4)),
    ]
    assert [who for _c, who in history] == ["Published notice", "Published notice"]
    assert "7 Mar 2022 → 4 Apr 2022" in _text(body)
    # Loaded history has no meaningful "recorded" date: it says where it comes from.
    assert "15 Feb 2022" not in body
    assert _text(body).count("From the published record") == 2
    assert "Postponed to April" in body
    assert 'href="https://www.flsb.uscourts.gov/notice-1"' in body
    # Help desk and offices.
    assert "954-769-5700 — Ft. Lauderdale" in body
    assert "301 N. Miami Avenue, Room 150, Miami, FL 33128" in body
    assert 'href="mailto:Webmaster_FLSB@flsb.uscourts.gov"' in body
    assert "8:30 a.m. through 4:00 p.m." in body
    assert "PDF size limit: 50 MB per document." in body
    # Real court sites are marked and never leak the referrer.
    assert 'href="https://www.flsb.uscourts.gov/" rel="noopener noreferrer"' in body
    assert 'href="https://ecf.flsb.uscourts.gov/" rel="noopener noreferrer"' in body
    assert "real court site — this simulation does not contact it" in body
    # Email updates and calendar.
    assert "Email Updates" in body
    assert "Subscribe for automatic notices when this page is updated." in body
    assert 'action="/courts/flsb/subscribe/"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'href="/courts/flsb.ics"' in body
    # Nobody signed in: no schedule button.
    assert "/courts/flsb/schedule/" not in body


def test_court_page_checklist_follows_the_court_notices(client, flsb, frozen_clock):
    body = client.get("/courts/flsb/").content.decode()

    assert 'class="usa-process-list"' in body
    assert "Get your own individual PACER account" in body
    assert "Shared PACER accounts cannot be used to file in NextGen." in body
    assert "Upgrade it if you registered before 11 Aug 2014" in body
    assert "Know your court-issued CM/ECF login and password" in body
    assert "The court does not have access to your current login and password." in body
    assert "reset your password before 26 Mar 2022" in body
    assert "“Link a CM/ECF account to my PACER account”" in body
    assert "New attorneys must complete local form LF-95 first" in body
    assert "Use filing agents instead of several filing logins" in body


def test_court_page_without_local_form_or_deadline_leaves_them_out(client, frozen_clock):
    CourtFactory(id="kyed", name="Kentucky Eastern District Court", currentgen=True)
    body = client.get("/courts/kyed/").content.decode()

    assert "LF-95" not in body
    assert "local form" not in body
    assert "reset your password before" not in body
    assert "contact the court's help desk" in body
    assert 'class="cso-status__value">CurrentGen<' in body
    assert "No go-live date has been announced yet." in body
    assert "No change of the go-live date has been recorded." in body
    assert "On or after the go-live date, link your accounts" in body


def test_appellate_courts_use_their_own_link_wording(client, frozen_clock):
    court = CourtFactory(appellate=True, nextgen=True)
    body = client.get(f"/courts/{court.id}/").content.decode()

    assert "“Link my filer account to my PACER account”" in body
    assert "Link a CM/ECF account to my PACER account" not in body


def test_a_court_on_nextgen_by_evidence_only_says_the_date_is_not_published(client, frozen_clock):
    court = CourtFactory(evidence_only=True)
    body = client.get(f"/courts/{court.id}/").content.decode()

    assert 'class="cso-status__value">NextGen<' in body
    assert "Date not published" in body
    assert "10 Jan 2023" in body


def test_an_unconfirmed_date_says_so_and_shows_the_note(client, frozen_clock):
    court = CourtFactory(unconfirmed=True)
    body = client.get(f"/courts/{court.id}/").content.decode()

    assert "29 Jan 2027" in body
    assert "(unconfirmed)" in body
    assert "This date is unconfirmed" in body
    assert "~end of January 2027" in body


@pytest.mark.parametrize(
    ("moment", "countdown", "status"),
    [
        (_moment(dt.date(2026, 11, 16)), "Goes live in 12 days", "CurrentGen"),
        (_moment(dt.date(2026, 11, 27)), "Goes live in 1 day", "CurrentGen"),
        # 03:00 UTC on the 28th is still the 27th in Chicago.
        (dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC), "Goes live in 1 day", "CurrentGen"),
        (_moment(dt.date(2026, 11, 28)), "Goes live today", "NextGen"),
        (_moment(dt.date(2026, 12, 1)), "Live since 28 Nov 2026", "NextGen"),
    ],
)
def test_countdown_to_go_live(client, moment, countdown, status):
    court = CourtFactory(upcoming=True)
    with time_machine.travel(moment, tick=False):
        body = client.get(f"/courts/{court.id}/").content.decode()
    assert countdown in body
    assert f'class="cso-status__value">{status}<' in body


def test_staff_who_manage_the_court_see_the_change_button(client, flsb, frozen_clock):
    clerk = UserFactory(username="flsbclerk")
    services.add_court_staff(court=flsb, user=clerk, role="clerk", now=clock.now())
    other_clerk = UserFactory(username="otherclerk")
    services.add_court_staff(
        court=CourtFactory(id="kyed"), user=other_clerk, role="clerk", now=clock.now()
    )

    client.force_login(other_clerk)
    assert "/courts/flsb/schedule/" not in client.get("/courts/flsb/").content.decode()
    client.force_login(clerk)
    body = client.get("/courts/flsb/").content.decode()
    assert 'href="/courts/flsb/schedule/"' in body
    assert "Change go-live date" in body


def test_history_names_roles_never_people(client, flsb, staff, frozen_clock):
    clerk = UserFactory(username="flsbclerk", first_name="Quentin", last_name="Zebulon")
    services.add_court_staff(court=flsb, user=clerk, role="clerk", now=clock.now())
    services.change_go_live_date(
        court=flsb,
        new_date=dt.date(2022, 5, 2),
        actor=clerk,
        reason="Clerk moved it",
        now=clock.now(),
    )
    services.change_go_live_date(
        court=flsb,
        new_date=dt.date(2022, 5, 9),
        actor=staff,
        reason="PSC moved it",
        now=clock.now(),
    )
    response = client.get("/courts/flsb/")
    body = response.content.decode()

    assert [who for _c, who in response.context["history"]] == [
        "Published notice",
        "Published notice",
        "Court staff",
        "PACER Service Center",
    ]
    assert "Quentin" not in body
    assert "Zebulon" not in body
    assert "flsbclerk" not in body
    assert "pscstaff" not in body


def test_court_page_queries_do_not_grow_with_history(client, flsb, staff, frozen_clock):
    def move(day):
        services.change_go_live_date(
            court=flsb, new_date=day, actor=staff, reason="moved", now=clock.now()
        )

    move(dt.date(2022, 6, 1))
    client.get("/courts/flsb/")  # the training clock caches its date on the first request
    with CaptureQueriesContext(connection) as before:
        client.get("/courts/flsb/")
    for n in range(5):
        move(dt.date(2022, 6, 2 + n))
    with CaptureQueriesContext(connection) as after:
        response = client.get("/courts/flsb/")
    assert len(response.context["history"]) == 8
    assert len(after) == len(before)


# iCalendar feeds ------------------------------------------------------------------------------


def _events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _assert_rfc5545_lines(content: bytes) -> None:
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    for line in content.split(b"\r\n"):
        assert len(line) <= 75, line


def test_feed_of_all_go_live_dates(client, catalog, frozen_clock, settings):
    response = client.get("/courts/nextgen.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    _assert_rfc5545_lines(response.content)
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert "PRODID" in calendar
    assert "NextGen" in str(calendar["X-WR-CALNAME"])
    events = _events(response)
    # Only courts with a published date: not ca8 (evidence only) nor kyed (none).
    assert set(events) == {
        "areb-nextgen@cso-portal.test",
        "flsb-nextgen@cso-portal.test",
        "dcd-nextgen@cso-portal.test",
    }
    areb = events["areb-nextgen@cso-portal.test"]
    assert areb.decoded("DTSTART") == dt.date(2021, 3, 29)
    assert areb.decoded("DTEND") == dt.date(2021, 3, 30)
    assert str(areb["SUMMARY"]) == "Arkansas Eastern Bankruptcy Court: NextGen CM/ECF go-live"
    assert str(areb["URL"]) == f"{settings.CSO_SITE_URL}/courts/areb/"
    assert areb.decoded("DTSTAMP") == dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)
    assert "https://www.example.test/nextgen-notice" in str(areb["DESCRIPTION"])
    dcd = events["dcd-nextgen@cso-portal.test"]
    assert "Unconfirmed" in str(dcd["DESCRIPTION"])
    assert "~end of January 2027" in str(dcd["DESCRIPTION"])


def test_feed_of_one_court(client, flsb, frozen_clock):
    response = client.get("/courts/flsb.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response)
    assert list(events) == ["flsb-nextgen@cso-portal.test"]
    assert events["flsb-nextgen@cso-portal.test"].decoded("DTSTART") == dt.date(2022, 4, 4)


def test_feed_of_a_court_without_a_date_is_an_empty_calendar(client, frozen_clock):
    CourtFactory(id="kyed", currentgen=True)
    response = client.get("/courts/kyed.ics")

    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_feed_of_an_unknown_court_is_404(client):
    assert client.get("/courts/nosuch.ics").status_code == 404


def test_feed_escapes_text_and_folds_long_lines(client, frozen_clock):
    name = "Court of Commas, Semicolons; and Back\\slashes — Ünïcödé " + "é" * 40
    CourtFactory(id="odd", name=name, nextgen=True, nextgen_source="Notice; dated 1 Feb, 2021")
    response = client.get("/courts/odd.ics")

    _assert_rfc5545_lines(response.content)
    assert b"Commas\\, Semicolons\\; and Back\\\\slashes" in response.content.replace(b"\r\n ", b"")
    event = _events(response)["odd-nextgen@cso-portal.test"]
    assert str(event["SUMMARY"]) == f"{name}: NextGen CM/ECF go-live"
    assert "Source: Notice; dated 1 Feb, 2021" in str(event["DESCRIPTION"])


def test_fold_never_splits_a_character():
    line = "DESCRIPTION:" + "€" * 100
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line
    assert ical.fold("short") == "short"


def test_escape_text():
    assert ical.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


# Email updates: pages and emails --------------------------------------------------------------


@pytest.fixture
def subscription(flsb, frozen_clock):
    return services.subscribe(court=flsb, email="Reader@Example.test", now=clock.now())


def test_confirm_link_shows_a_button_and_post_confirms(client, subscription):
    token = tokens.confirm_token(subscription)
    url = f"/courts/subscriptions/confirm/{token}/"

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Confirm email updates" in body
    assert 'method="post"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING

    done = client.post(url)
    assert done.status_code == 200
    assert (
        "You will get email updates for Florida Southern Bankruptcy Court" in done.content.decode()
    )


def test_unsubscribe_link_shows_a_button_and_post_unsubscribes(client, subscription):
    token = tokens.unsubscribe_token(subscription)
    url = f"/courts/subscriptions/unsubscribe/{token}/"

    page = client.get(url)
    assert page.status_code == 200
    assert ">Unsubscribe</button>" in page.content.decode()

    done = client.post(url)
    assert done.status_code == 200
    assert (
        "You will no longer get email updates for Florida Southern Bankruptcy Court"
        in done.content.decode()
    )


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_invalid_links_give_the_invalid_link_page(client, subscription, kind):
    response = client.post(f"/courts/subscriptions/{kind}/not-a-token/")
    assert response.status_code == 400
    assert "This link is not valid or has expired" in response.content.decode()


def test_subscribing_with_a_bad_address_shows_the_error(client, flsb, frozen_clock):
    response = client.post("/courts/flsb/subscribe/", {"email": "not an address"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="usa-error-message"' in body
    assert 'action="/courts/flsb/subscribe/"' in body


def test_subscribing_returns_to_the_court_page_with_a_message(client, flsb, frozen_clock):
    response = client.post("/courts/flsb/subscribe/", {"email": "a@example.test"}, follow=True)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()


def test_change_schedule_page_renders_the_form_with_a_cancel_link(
    client, flsb, staff, frozen_clock
):
    client.force_login(staff)
    response = client.get("/courts/flsb/schedule/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "Change the go-live date of Florida Southern Bankruptcy Court" in body
    assert 'name="new_date"' in body
    assert 'name="reason"' in body
    assert 'href="/courts/flsb/"' in body
    assert "Cancel" in body


def _rendered(template: str):
    return core_services.render_email(OutboundEmail.objects.get(template=template))


def test_confirmation_email_has_the_links_and_says_it_is_a_simulation(subscription, settings):
    message = _rendered("courts/email/confirm_subscription")
    html = message.alternatives[0][0]

    assert "Confirm email updates for Florida Southern Bankruptcy Court" in message.subject
    assert f"{settings.CSO_SITE_URL}/courts/subscriptions/confirm/" in message.body
    assert f"{settings.CSO_SITE_URL}/courts/subscriptions/unsubscribe/" in message.body
    assert "training simulation" in message.body
    assert "training simulation" in html
    assert f'href="{settings.CSO_SITE_URL}/courts/subscriptions/confirm/' in html


def test_schedule_change_email_shows_readable_dates_and_links(flsb, staff, settings, frozen_clock):
    flsb.name = "Florida Southern Bankruptcy Court & Annex"
    flsb.save()
    subscription = services.subscribe(court=flsb, email="reader@example.test", now=clock.now())
    services.confirm_subscription(token=tokens.confirm_token(subscription), now=clock.now())
    services.change_go_live_date(
        court=flsb,
        new_date=dt.date(2022, 5, 2),
        actor=staff,
        reason="Moved for training <week>",
        now=clock.now(),
    )
    message = _rendered("courts/email/schedule_change")
    html = message.alternatives[0][0]

    assert "Florida Southern Bankruptcy Court & Annex" in message.subject
    assert "Florida Southern Bankruptcy Court & Annex" in message.body  # plain text: no escaping
    assert "Old date: 4 April 2022" in message.body
    assert "New date: 2 May 2022" in message.body
    assert "Reason: Moved for training <week>" in message.body
    assert f"{settings.CSO_SITE_URL}/courts/flsb/" in message.body
    assert re.search(
        rf"{re.escape(settings.CSO_SITE_URL)}/courts/subscriptions/unsubscribe/\S+/", message.body
    )
    assert "training simulation" in message.body
    assert "Moved for training &lt;week&gt;" in html  # HTML: escaped
    assert "training simulation" in html


def test_schedule_change_email_when_the_date_is_withdrawn(flsb, staff, frozen_clock):
    subscription = services.subscribe(court=flsb, email="reader@example.test", now=clock.now())
    services.confirm_subscription(token=tokens.confirm_token(subscription), now=clock.now())
    services.change_go_live_date(
        court=flsb, new_date=None, actor=staff, reason="Postponed", now=clock.now()
    )
    message = _rendered("courts/email/schedule_change")
    assert "New date: withdrawn (no date announced)" in message.body
