"""Clerk readiness statistics (console: e-file registrations → Readiness statistics): the
numbers match counts computed here in Python over the rows the test made, scoped by court,
the same in the CSV, with a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from linking.models import CmecfAccount, LinkRequest
from tests.conftest import PINNED_NOW
from tests.filing.factories import EfileRegistrationFactory
from tests.linking.factories import CmecfAccountFactory, LinkRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

PAGE = "/console/filing/efileregistration/statistics/"
CSV = "/console/filing/efileregistration/statistics.csv"
HOUR = dt.timedelta(hours=1)
OPEN_TRAITS = ("submitted", "verified", "pending_review")
DECIDED_TRAITS = ("approved", "rejected")
OTHER_TRAITS = ("cancelled", "expired", "failed")


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return ordered[middle - 1] + (ordered[middle] - ordered[middle - 1]) / 2


def populate(court, size: int) -> dict:
    """``size`` rows of each kind in ``court``, at varied times; returns the numbers computed
    in Python from the rows made."""
    accounts: list[CmecfAccount] = []
    requests: list[LinkRequest] = []
    registrations = []
    for i in range(size):
        kind = ("active", "linked", "retired", "court_locked")[i % 4]
        accounts.append(
            CmecfAccountFactory(court=court, **({kind: True} if kind != "active" else {}))
        )
        trait = (OPEN_TRAITS + DECIDED_TRAITS + OTHER_TRAITS)[i % 8]
        submitted = PINNED_NOW - (i * 7 + 3) * HOUR
        link_request = LinkRequestFactory(
            court=court, submitted_at=submitted, **({trait: True} if trait != "submitted" else {})
        )
        if trait in DECIDED_TRAITS:
            link_request.decided_at = submitted + (i * 5 + 1) * HOUR
            link_request.save(update_fields=["decided_at"])
        requests.append(link_request)
        accounts.append(link_request.cmecf_account)
        status = ("pending", "approved", "rejected", "cancelled")[i % 3 if i % 5 else 0]
        registrations.append(
            EfileRegistrationFactory(court=court, **({status: True} if status != "pending" else {}))
        )
    linked = sum(1 for a in accounts if a.linked_account_id)
    active_unlinked = sum(
        1 for a in accounts if not a.linked_account_id and a.status == CmecfAccount.Status.ACTIVE
    )
    waiting = [r.submitted_at for r in requests if r.status in LinkRequest.OPEN_STATUSES]
    decided = [
        r.decided_at - r.submitted_at
        for r in requests
        if r.status in (LinkRequest.Status.APPROVED, LinkRequest.Status.REJECTED)
    ]
    return {
        "linked": linked,
        "active_unlinked": active_unlinked,
        "pending": len(waiting),
        "oldest": PINNED_NOW - min(waiting) if waiting else None,
        "median_age": PINNED_NOW - _median(waiting) if waiting else None,
        "median_decision": _median(decided) if decided else None,
        "registrations": sum(1 for r in registrations if r.status == "pending_review"),
    }


def _row(response, court_id):
    return next(row for row in response.context["rows"] if row.court_id == court_id)


def _csv(client) -> dict[str, dict[str, str]]:
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return {line["court_id"]: line for line in csv.DictReader(io.StringIO(response.text))}


def _hours(duration):
    return f"{duration.total_seconds() / 3600:.1f}"


def test_statistics_match_counts_computed_independently(client, flsb, flsb_clerk):
    expected = populate(flsb, 11)
    client.force_login(flsb_clerk)
    response = client.get(PAGE)
    assert response.status_code == 200
    row = _row(response, "flsb")
    assert row.linked == expected["linked"]
    assert row.active_unlinked == expected["active_unlinked"]
    assert row.requests_pending == expected["pending"]
    assert row.oldest_pending_age == expected["oldest"]
    assert row.median_pending_age == expected["median_age"]
    assert row.median_to_decision == expected["median_decision"]
    assert row.registrations_pending == expected["registrations"]
    share = expected["linked"] / (expected["linked"] + expected["active_unlinked"])
    assert row.linked_share == pytest.approx(share)
    html = response.content.decode()
    assert f"{expected['linked']} / {expected['linked'] + expected['active_unlinked']}" in html
    assert "(live)" in html  # flsb went live on 4 Apr 2022

    line = _csv(client)["flsb"]
    assert int(line["linked"]) == expected["linked"]
    assert int(line["active_unlinked"]) == expected["active_unlinked"]
    assert line["linked_percent"] == f"{share * 100:.1f}"
    assert int(line["link_requests_pending"]) == expected["pending"]
    assert line["oldest_pending_hours"] == _hours(expected["oldest"])
    assert line["median_pending_hours"] == _hours(expected["median_age"])
    assert line["median_to_decision_hours"] == _hours(expected["median_decision"])
    assert int(line["efile_registrations_pending"]) == expected["registrations"]
    assert line["nextgen_date"] == "2022-04-04"


def test_a_clerk_sees_only_their_court_and_staff_see_all(
    client, flsb, flsb_clerk, other_court, other_clerk, staff
):
    populate(flsb, 4)
    expected_b = populate(other_court, 6)
    client.force_login(other_clerk)
    response = client.get(PAGE)
    assert [row.court_id for row in response.context["rows"]] == ["azb"]
    assert _row(response, "azb").requests_pending == expected_b["pending"]
    assert "flsb" not in response.content.decode()
    assert list(_csv(client)) == ["azb"]

    client.force_login(staff)
    assert [row.court_id for row in client.get(PAGE).context["rows"]] == ["azb", "flsb"]


def test_a_court_without_rows_shows_dashes_and_an_upcoming_go_live(client, flsb, flsb_clerk):
    flsb.nextgen_date = dt.date(2026, 11, 28)
    flsb.save(update_fields=["nextgen_date"])
    client.force_login(flsb_clerk)
    response = client.get(PAGE)
    row = _row(response, "flsb")
    assert (row.linked_share, row.median_to_decision, row.oldest_pending_age) == (None, None, None)
    assert row.days_to_go_live == 12
    assert "in 12 days" in response.content.decode()
    assert _csv(client)["flsb"]["linked_percent"] == ""


def test_signed_out_and_plain_users_are_kept_out(client, flsb, attorney):
    assert client.get(PAGE).status_code == 302
    assert client.get(CSV).status_code == 302
    client.force_login(attorney)
    assert client.get(PAGE).status_code in (302, 403)
    assert client.get(CSV).status_code in (302, 403)


def test_the_query_count_does_not_grow_with_rows(
    client, flsb, flsb_clerk, other_court, django_assert_max_num_queries
):
    populate(other_court, 3)
    client.force_login(flsb_clerk)
    counts = []
    for size in (3, 30):
        populate(flsb, size if not counts else size - 3)
        for url in (PAGE, CSV):
            assert client.get(url).status_code == 200  # warm (session, permissions)
        with django_assert_max_num_queries(12) as page_queries:
            assert client.get(PAGE).status_code == 200
        with django_assert_max_num_queries(12) as csv_queries:
            assert client.get(CSV).status_code == 200
        counts.append((len(page_queries), len(csv_queries)))
    assert counts[0] == counts[1], counts
    assert _row(client.get(PAGE), "flsb").requests_pending > 3
