"""``manage.py load_courts``: the 208 CM/ECF courts, their counties and go-live schedules."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courts import reference
from courts.models import Court, CourtCounty, GoLiveChange
from courts.services import change_go_live_date, load_reference_data
from cso_portal import clock

FEED_DATE = dt.date(2023, 1, 10)


def load_courts() -> str:
    out = StringIO()
    call_command("load_courts", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db, frozen_clock):
    return load_courts()


def history(court_id: str) -> list[tuple[dt.date | None, dt.date | None]]:
    return [
        (change.old_date, change.new_date)
        for change in GoLiveChange.objects.filter(court_id=court_id)
    ]


def snapshot() -> dict:
    return {
        "courts": list(Court.objects.order_by("pk").values()),
        "counties": list(CourtCounty.objects.order_by("pk").values()),
        "changes": list(GoLiveChange.objects.order_by("pk").values()),
    }


# The catalog ---------------------------------------------------------------------------------


def test_loads_the_208_cmecf_courts_by_type(loaded):
    assert Court.objects.count() == 208
    by_type = {
        court_type: Court.objects.filter(court_type=court_type).count()
        for court_type in Court.CourtType.values
    }
    assert by_type == {"district": 95, "bankruptcy": 94, "appellate": 16, "national": 3}
    assert not Court.objects.filter(feed_code__in=["00PCL", "SCOTUS"]).exists()
    assert "Courts: 208" in loaded
    assert "208 created, 0 updated, 0 unchanged" in loaded


# Court id → (type, feed code): ids come from the ECF host, the BAPs' from their feed code.
EXPECTED_IDS = {
    "areb": ("bankruptcy", "AREBK"),
    "arwb": ("bankruptcy", "ARWBK"),
    "azb": ("bankruptcy", "AZBK"),
    "flsb": ("bankruptcy", "FLSBK"),
    "ca8": ("appellate", "08CA"),
    "cadc": ("appellate", "1DCCA"),
    "bap1": ("appellate", "01BAP"),
    "bap9": ("appellate", "09BAP"),
    "bap10": ("appellate", "10BAP"),
    "cofc": ("national", "USFCC"),
    "cit": ("national", "CITDC"),
    "jpml": ("national", "JPMLDC"),
    "ohndad": ("district", "OHNDAD"),
    "ohnd": ("district", "OHNDC"),
}


def test_court_ids_are_the_ecf_host_ids(loaded):
    found = {
        court_id: (court_type, feed_code)
        for court_id, court_type, feed_code in Court.objects.filter(
            pk__in=EXPECTED_IDS
        ).values_list("id", "court_type", "feed_code")
    }
    assert found == EXPECTED_IDS


def test_feed_fields(loaded):
    areb = Court.objects.get(pk="areb")
    assert areb.name == "Arkansas Eastern Bankruptcy Court"
    assert areb.official_name == "Eastern District of Arkansas"
    assert (areb.circuit, areb.state) == ("08", "Arkansas")
    assert areb.ecf_url == "https://ecf.areb.uscourts.gov"
    assert areb.rss_url == "https://ecf.areb.uscourts.gov/cgi-bin/rss_outside.pl"
    assert areb.software_version == "NextGen CM/ECF Release 1.7.1 (Revision 1.7.1.1)"
    assert areb.cmecf_since == dt.date(2001, 12, 17)
    assert (areb.pdf_size_limit_mb, areb.merge_doc_size_limit_mb) == (Decimal(10), Decimal(30))
    assert areb.help_desk == [{"phone": "501-918-5590", "division": ""}]
    assert areb.locations[0]["address"] == "300 W. Second St., Little Rock, AR 72201"
    assert set(areb.locations[0]) == {"name", "address", "email", "hours", "phone"}

    ohndad = Court.objects.get(pk="ohndad")
    assert ohndad.name == "Ohio Northern District Court (asbestos)"
    assert ohndad.state == "Ohio"
    assert ohndad.locations[0]["address"].startswith("337 U.S. Federal Building & Courthouse")

    cit = Court.objects.get(pk="cit")
    assert cit.official_name == "U.S. Court of International Trade"  # the feed says "Live Database"
    assert cit.state == ""
    assert cit.locations[0]["email"] == "cmecf_helpdesk@cit.uscourts.gov"
    assert cit.pdf_size_limit_mb == Decimal("50.0")

    assert Court.objects.get(pk="med").help_desk[0] == {
        "phone": "866-820-5315 ext. 1",
        "division": "Bangor",
    }
    assert Court.objects.get(pk="nmid").state == "Northern Mariana Islands"
    assert Court.objects.get(pk="cafc").state == ""
    assert Court.objects.get(pk="cofc").cmecf_since == dt.date(2003, 3, 17)
    # Every court in the January 2023 feed runs NextGen.
    assert not Court.objects.exclude(nextgen_evidence_date=FEED_DATE).exists()


def test_counties_find_the_courts_serving_them(loaded):
    courts = set(
        CourtCounty.objects.filter(name="Pulaski", state="Arkansas").values_list(
            "court_id", flat=True
        )
    )
    assert {"areb", "ared", "ca8"} <= courts
    assert "arwb" not in courts
    assert CourtCounty.objects.count() == 10085
    assert CourtCounty.objects.filter(court_id="hid", name="American Samoa").get().state == (
        "American Samoa"
    )


# Idempotence -----------------------------------------------------------------------------------


def test_a_second_run_writes_nothing(loaded):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        output = load_courts()
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert snapshot() == before
    assert "0 created, 0 updated, 208 unchanged" in output
    assert "0 created, 0 removed" in output
    assert "0 recorded, 45 kept" in output


def test_a_rerun_restores_feed_fields_and_leaves_the_schedule_alone(loaded):
    Court.objects.filter(pk="areb").update(name="Renamed", pdf_size_limit_mb=None)
    CourtCounty.objects.filter(court_id="areb", name="Pulaski").delete()
    CourtCounty.objects.create(court_id="areb", name="Nowhere", state="Arkansas")

    output = load_courts()

    areb = Court.objects.get(pk="areb")
    assert (areb.name, areb.pdf_size_limit_mb) == ("Arkansas Eastern Bankruptcy Court", 10)
    assert areb.nextgen_date == dt.date(2021, 3, 29)
    assert "0 created, 1 updated, 207 unchanged" in output
    assert "1 created, 1 removed" in output
    assert CourtCounty.objects.filter(court_id="areb", name="Pulaski").exists()
    assert not CourtCounty.objects.filter(name="Nowhere").exists()


def test_a_clerks_later_change_survives_a_reload(loaded):
    change_go_live_date(
        court=Court.objects.get(pk="azb"),
        new_date=dt.date(2021, 7, 12),
        actor=None,
        reason="Postponed a fortnight",
        now=clock.now(),
    )
    load_courts()
    azb = Court.objects.get(pk="azb")
    assert azb.nextgen_date == dt.date(2021, 7, 12)
    assert history("azb") == [
        (None, dt.date(2021, 6, 28)),
        (dt.date(2021, 6, 28), dt.date(2021, 7, 12)),
    ]


def test_inconsistent_reference_data_loads_nothing(db, frozen_clock):
    rows = reference.read_go_live_csv()
    rows[0] = {**rows[0], "court_id": "ca9"}  # 08CA is ca8
    with pytest.raises(reference.ReferenceDataError, match="08CA"):
        load_reference_data(now=clock.now(), go_live_rows=rows)
    assert not Court.objects.exists()
    assert not CourtCounty.objects.exists()


def test_the_feed_must_give_208_courts_with_unique_ids():
    data = json.loads(reference.FEED_PATH.read_text())
    assert len(reference.parse_feed(data).courts) == 208

    short = copy.deepcopy(data)
    short["data"] = [entry for entry in short["data"] if entry["court_id"] != "AREBK"]
    with pytest.raises(reference.ReferenceDataError, match="expected 208"):
        reference.parse_feed(short)

    clash = copy.deepcopy(data)
    arwb = next(entry for entry in clash["data"] if entry["court_id"] == "ARWBK")
    arwb["login_url"] = "https://ecf.areb.uscourts.gov"
    with pytest.raises(reference.ReferenceDataError, match=r"duplicate court ids.*areb"):
        reference.parse_feed(clash)


# The go-live schedule ---------------------------------------------------------------------------


def test_arkansas_announced_then_rescheduled(loaded):
    areb = Court.objects.get(pk="areb")
    arwb = Court.objects.get(pk="arwb")
    assert areb.nextgen_date == arwb.nextgen_date == dt.date(2021, 3, 29)
    assert history("areb") == [
        (None, dt.date(2021, 2, 8)),
        (dt.date(2021, 2, 8), dt.date(2021, 3, 29)),
    ]
    assert history("arwb") == [
        (None, dt.date(2021, 2, 1)),
        (dt.date(2021, 2, 1), dt.date(2021, 3, 29)),
    ]
    first, second = GoLiveChange.objects.filter(court_id="areb")
    assert "seed 001" in first.reason
    assert "Coming Soon" in first.reason
    assert first.source == "Court notice (seed 001)"
    assert "March 29, 2021" in second.reason
    assert second.source == "Court notice (seed 000)"
    assert second.is_reschedule
    assert first.actor is None
    assert (areb.nextgen_date_confirmed, areb.nextgen_date_note) == (True, "")
    assert areb.nextgen_source == "Court notice (seed 000)"


def test_arkansas_goes_nextgen_on_its_go_live_date(loaded):
    areb = Court.objects.get(pk="areb")
    assert areb.status_on(dt.date(2021, 3, 28)) == Court.Generation.CURRENTGEN
    assert areb.status_on(dt.date(2021, 3, 29)) == Court.Generation.NEXTGEN
    assert areb.status_on(dt.date(2021, 3, 30)) == Court.Generation.NEXTGEN


def test_arizona_and_southern_florida_from_their_notices(loaded):
    azb = Court.objects.get(pk="azb")
    assert azb.nextgen_date == dt.date(2021, 6, 28)
    assert history("azb") == [(None, dt.date(2021, 6, 28))]
    assert azb.nextgen_source == "Court notice (seed 003)"  # the notice, not the CSV

    flsb = Court.objects.get(pk="flsb")
    assert flsb.nextgen_date == dt.date(2022, 4, 4)
    assert flsb.password_reset_deadline == dt.date(2022, 3, 26)
    assert flsb.required_local_form == "LF-95"
    assert Court.objects.exclude(required_local_form="").count() == 1


def test_csv_dates_with_their_notes_and_doubts(loaded):
    nmid = Court.objects.get(pk="nmid")
    assert nmid.nextgen_date is None
    assert nmid.nextgen_date_note == "~end of January 2022"
    assert not nmid.nextgen_date_confirmed
    assert history("nmid") == [(None, None)]

    nvd = Court.objects.get(pk="nvd")
    assert nvd.nextgen_date == dt.date(2022, 2, 1)
    assert not nvd.nextgen_date_confirmed
    assert nvd.nextgen_date_note == "2022-02-01?"
    change = GoLiveChange.objects.get(court_id="nvd")
    assert "UNCONFIRMED" in change.reason
    assert change.source == nvd.nextgen_source
    assert nvd.nextgen_source.startswith("https://www.nvd.uscourts.gov/")

    ca8 = Court.objects.get(pk="ca8")
    assert (ca8.nextgen_date, ca8.nextgen_date_confirmed, ca8.nextgen_date_note) == (
        dt.date(2017, 1, 17),
        True,
        "",
    )
    nysb = Court.objects.get(pk="nysb")
    assert nysb.nextgen_date == dt.date(2018, 10, 22)
    assert nysb.nextgen_date_note == "2018-10-22 (implementation 10/19-10/21/2018)"
    assert GoLiveChange.objects.values("court").distinct().count() == 45


def test_a_court_without_a_published_date_is_nextgen_from_the_feed_date(loaded):
    alnb = Court.objects.get(pk="alnb")
    assert alnb.nextgen_date is None
    assert alnb.nextgen_evidence_date == FEED_DATE
    assert not alnb.schedule_changes.exists()
    assert alnb.status_on(dt.date(2023, 1, 9)) == Court.Generation.CURRENTGEN
    assert alnb.status_on(FEED_DATE) == Court.Generation.NEXTGEN


# Parsing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/17/2001", dt.date(2001, 12, 17)),
        ("6/1/07", dt.date(2007, 6, 1)),
        ("1-1-2005", dt.date(2005, 1, 1)),
        ("[08/02/04]", dt.date(2004, 8, 2)),
        ("October 17, 2005", dt.date(2005, 10, 17)),
        ("June 1, 2009", dt.date(2009, 6, 1)),
        ("January 21st, 2003", dt.date(2003, 1, 21)),
        ("October 14. 2003", dt.date(2003, 10, 14)),
        ("5 July 2005", dt.date(2005, 7, 5)),
        ("Oct 12, 2004", dt.date(2004, 10, 12)),
        ("Date the court started using CM/ECF June 16, 2003", dt.date(2003, 6, 16)),
        ("First Case 10/1/97; All Civil 10/1/99; All Criminal 11/1/02", dt.date(1997, 10, 1)),
        ("E-Filing of Criminal January 1, 2007; Civil: January 1, 2008.", dt.date(2007, 1, 1)),
        ("April 2002", None),
        ("[February, 2003]", None),
        ("2003", None),
        ("6.1 date 2/15/2014", None),
        ("CM/ECF version 3.1.2 - Oct. 16, 2006", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_cmecf_since(text, expected):
    assert reference.parse_cmecf_since(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50", Decimal(50)),
        ("35 MB", Decimal(35)),
        ("50.0MB", Decimal(50)),
        ("10.1MB", Decimal("10.1")),
        ("25.0 MB Per PDF Document.  There is NO Maximum for a Total filing", Decimal(25)),
        ("300000 MB", None),  # more than the field holds
        ("", None),
        (None, None),
    ],
)
def test_parse_megabytes(text, expected):
    assert reference.parse_megabytes(text) == expected


@pytest.mark.parametrize(
    ("nextgen_date", "status", "day", "confirmed", "note"),
    [
        ("2017-01-17", "announced go-live (court page)", dt.date(2017, 1, 17), True, ""),
        ("2019-08-26 06:00", "court presentation", dt.date(2019, 8, 26), True, "2019-08-26 06:00"),
        ("2022-02-01?", "FAQ heading - UNCONFIRMED", dt.date(2022, 2, 1), False, "2022-02-01?"),
        ("2022-02-01?", "FAQ heading", dt.date(2022, 2, 1), False, "2022-02-01?"),
        ("2021-03-01", "announced but unconfirmed", dt.date(2021, 3, 1), False, ""),
        ("~end of January 2022", "anticipated only", None, False, "~end of January 2022"),
        ('"Spring 2019"', "planned - UNCONFIRMED", None, False, '"Spring 2019"'),
    ],
)
def test_parse_go_live_row(nextgen_date, status, day, confirmed, note):
    schedule = reference.parse_go_live_row(
        {"nextgen_date": nextgen_date, "date_status": status, "source": "https://x.test/"}
    )
    (step,) = schedule.steps
    assert (step.new_date, schedule.confirmed, schedule.note) == (day, confirmed, note)
    assert (step.reason, step.source, schedule.source) == (
        status,
        "https://x.test/",
        "https://x.test/",
    )
