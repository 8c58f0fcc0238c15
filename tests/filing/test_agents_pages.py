"""Filing-agent pages: permissions and removal, access (404 for someone else's), Change
User's edge cases, the transaction log's date range, and query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso_portal.core.models import OutboundEmail
from tests.conftest import PINNED_NOW, PortalClient
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.agent_helpers import (
    AGENTS,
    CHANGE_USER,
    filing_as,
    text,
)
from tests.filing.factories import (
    CaseFactory,
    DocketEntryFactory,
    FilingAgentFactory,
    FilingRightFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def attorney_in_flsb(attorney, flsb):
    FilingRightFactory(holder=attorney, court=flsb)
    return attorney


@pytest.fixture
def agent_in_flsb(agent_user, flsb):
    FilingRightFactory(holder=agent_user, court=flsb, filing_agent=True)
    return agent_user


@pytest.fixture
def case(flsb):
    return CaseFactory(court=flsb)


@pytest.fixture
def agent_client(agent_in_flsb):
    client = PortalClient()
    client.force_login(agent_in_flsb)
    return client


# Permissions and removal ----------------------------------------------------------------------


def test_the_attorney_changes_permissions(client, attorney_in_flsb, agent_in_flsb, flsb):
    designation = FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    client.force_login(attorney_in_flsb)
    url = f"{AGENTS}{designation.pk}/"

    assert client.post(url, {"may_pay_fees": "on"}).status_code == 302
    designation.refresh_from_db()
    assert designation.may_pay_fees
    assert "The agent's permissions are saved." in text(client.get(url))
    client.post(url, {})
    designation.refresh_from_db()
    assert not designation.may_pay_fees


def test_a_removed_designation_offers_no_changes(client, attorney_in_flsb, agent_in_flsb, flsb):
    designation = FilingAgentFactory(
        principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb, removed=True
    )
    client.force_login(attorney_in_flsb)
    url = f"{AGENTS}{designation.pk}/"
    page = text(client.get(url))
    assert "can no longer file for you" in page
    assert "Save permissions" not in page
    assert "Remove agent" not in page
    client.post(url, {"may_pay_fees": "on"})
    assert "That agent was removed; designate them again." in text(client.get(url))
    designation.refresh_from_db()
    assert not designation.may_pay_fees
    client.post(f"{url}remove/")
    assert "That agent was already removed." in text(client.get(AGENTS))
    assert not OutboundEmail.objects.filter(template="filing/email/agent_removed").exists()


def test_remove_is_post_only(client, attorney_in_flsb, agent_in_flsb, flsb):
    designation = FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    client.force_login(attorney_in_flsb)
    assert client.get(f"{AGENTS}{designation.pk}/remove/").status_code == 405
    designation.refresh_from_db()
    assert designation.is_active


# Access ---------------------------------------------------------------------------------------


def test_someone_elses_designation_pages_answer_404(
    client, other_attorney, attorney_in_flsb, agent_in_flsb, agent_client, flsb
):
    designation = FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    client.force_login(other_attorney)
    for url in (f"{AGENTS}{designation.pk}/", f"{AGENTS}{designation.pk}/log/"):
        assert client.get(url).status_code == 404
        assert agent_client.get(url).status_code == 404  # the agent is not the principal
    assert client.post(f"{AGENTS}{designation.pk}/remove/").status_code == 404
    assert client.post(f"{AGENTS}{designation.pk}/", {"may_pay_fees": "on"}).status_code == 404
    assert client.get(f"{AGENTS}999999/").status_code == 404
    designation.refresh_from_db()
    assert designation.is_active
    assert not designation.may_pay_fees


@pytest.mark.parametrize(
    "url", [AGENTS, f"{AGENTS}1/", f"{AGENTS}1/log/", CHANGE_USER], ids=lambda u: u
)
def test_signed_out_is_sent_to_sign_in(client, flsb, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_change_user_in_a_currentgen_court_explains(agent_client, frozen_clock):
    CourtFactory(id="arb", name="U.S. Bankruptcy Court, Arkansas", upcoming=True)
    response = agent_client.get("/ecf/arb/change-user/")
    assert response.status_code == 200
    assert "Change User works in NextGen CM/ECF only" in text(response)
    assert agent_client.post("/ecf/arb/change-user/", {"file_as": "self"}).status_code == 200
    assert agent_client.get("/ecf/nosuchcourt/change-user/").status_code == 404


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1", "1' OR 1=1"])
def test_change_user_rejects_bad_choices_with_a_message(
    agent_client, attorney_in_flsb, agent_in_flsb, flsb, frozen_clock, value
):
    FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    response = agent_client.post(CHANGE_USER, {"file_as": value})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert filing_as(agent_client, agent_in_flsb, flsb) is None


# The transaction log's date range ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-11-10", "end": "2026-11-01"}, "The start date is after the end date."),
        ({"start": "yesterday", "end": "2026-11-01"}, "Enter a valid date."),
        ({"start": "2026-11-01"}, "This field is required."),
        ({"start": "2020-01-01", "end": "2026-11-01"}, "Choose a range of at most 366 days."),
    ],
)
def test_a_bad_date_range_gets_a_message_and_keeps_what_was_typed(
    client, attorney_in_flsb, agent_in_flsb, flsb, frozen_clock, params, message
):
    designation = FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    client.force_login(attorney_in_flsb)
    response = client.get(f"{AGENTS}{designation.pk}/log/", params)
    assert response.status_code == 200
    assert message in text(response)
    assert response.context["rows"] is None
    assert f'value="{params["start"]}"' in response.content.decode()


def test_the_log_defaults_to_the_last_30_days(
    client, attorney_in_flsb, agent_in_flsb, flsb, frozen_clock
):
    designation = FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    case = CaseFactory(court=flsb)
    for number, days_ago in ((1, 45), (2, 29), (3, 0)):
        DocketEntryFactory(
            case=case,
            number=number,
            filer=attorney_in_flsb,
            submitted_by=agent_in_flsb,
            filed_at=PINNED_NOW - dt.timedelta(days=days_ago),
        )
    client.force_login(attorney_in_flsb)
    response = client.get(f"{AGENTS}{designation.pk}/log/")
    assert [row["entry"].number for row in response.context["rows"]] == [3, 2]
    assert response.context["form"].initial == {
        "start": dt.date(2026, 10, 17),
        "end": dt.date(2026, 11, 16),
    }
    assert "From October 17, 2026 to November 16, 2026" in text(response)


# Query budgets --------------------------------------------------------------------------------


def _count(client, url, params=None) -> int:
    client.get(url, params)  # warm the training clock's cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_the_attorneys_agents_page_has_a_fixed_query_count(
    client, flsb, other_court, frozen_clock, django_assert_max_num_queries
):
    def attorney_with(n: int):
        attorney = UserFactory(attorney=True)
        FilingRightFactory(holder=attorney, court=flsb)
        FilingRightFactory(holder=attorney, court=other_court)
        for i in range(n):
            FilingAgentFactory(
                principal=attorney, court=flsb if i % 2 else other_court, removed=i % 3 == 0
            )
        return attorney

    client.force_login(attorney_with(2))
    few = _count(client, AGENTS)
    client.force_login(attorney_with(20))
    many = _count(client, AGENTS)
    assert few == many
    with django_assert_max_num_queries(5):
        client.get(AGENTS)


def test_the_agents_side_and_change_user_have_a_fixed_query_count(
    flsb, frozen_clock, django_assert_max_num_queries
):
    def agent_for(n: int):
        agent = UserFactory(filing_agent=True)
        FilingRightFactory(holder=agent, court=flsb, filing_agent=True)
        for _ in range(n):
            FilingAgentFactory(principal=FilingRightFactory(court=flsb).holder, agent=agent,
                               court=flsb)  # fmt: skip
        client = PortalClient()
        client.force_login(agent)
        return client

    few, many = agent_for(1), agent_for(10)
    assert _count(few, AGENTS) == _count(many, AGENTS)
    assert _count(few, CHANGE_USER) == _count(many, CHANGE_USER)
    with django_assert_max_num_queries(5):
        many.get(CHANGE_USER)


def test_the_log_has_a_fixed_query_count(
    client, attorney_in_flsb, flsb, frozen_clock, django_assert_max_num_queries
):
    def log_with(n: int) -> str:
        designation = FilingAgentFactory(principal=attorney_in_flsb, court=flsb)
        case = CaseFactory(court=flsb)
        for number in range(1, n + 1):
            DocketEntryFactory(
                case=case,
                number=number,
                filer=attorney_in_flsb,
                submitted_by=designation.agent,
                filed_at=PINNED_NOW - dt.timedelta(hours=number),
            )
        return f"{AGENTS}{designation.pk}/log/"

    client.force_login(attorney_in_flsb)
    few, many = log_with(2), log_with(40)
    assert _count(client, few) == _count(client, many)
    with django_assert_max_num_queries(5):
        client.get(many)
