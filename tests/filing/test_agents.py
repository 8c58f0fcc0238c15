"""Filing agents (seed 003, acceptance 2): an attorney designates a registered filing agent,
the agent chooses the attorney with Change User and files for them, the attorney reads the
agent's transaction log, and removal refuses the agent's next filing at once. Designation
refusals. (The pages' permissions, access, date ranges and query budgets:
test_agents_pages.py.)"""

from __future__ import annotations

import pytest

from cso_portal.core.models import OutboundEmail
from cso_portal.core.services import render_email
from filing.errors import AgentRefused, FilingRefused
from filing.models import FilingAgent
from filing.services import agents as agent_services
from tests.conftest import PINNED_NOW, PortalClient
from tests.factories import UserFactory
from tests.filing.agent_helpers import (
    AGENTS,
    CARD_POST,
    CHANGE_USER,
    GENERIC,
    TEST_CARD,
    designate,
    errors,
    file_motion,
    file_on_page,
    filing_as,
    text,
)
from tests.filing.factories import (
    CaseFactory,
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


# Acceptance 2, end to end ---------------------------------------------------------------------


def test_an_agent_files_for_the_attorney_until_removed(
    client, attorney_in_flsb, agent_in_flsb, agent_client, flsb, case, frozen_clock
):
    attorney, agent = attorney_in_flsb, agent_in_flsb
    client.force_login(attorney)

    # The attorney designates the agent by PACER username (any letter case).
    page = client.get(AGENTS)
    assert "Designate a filing agent" in text(page)
    assert [c[0] for c in page.context["form"].fields["court"].choices] == ["flsb"]
    response = designate(client, "AGENT9", may_pay_fees="on")
    assert response.status_code == 302
    designation = FilingAgent.objects.get(principal=attorney, agent=agent, court=flsb)
    assert designation.may_pay_fees
    page = client.get(AGENTS)
    assert "Pat Agent is now your filing agent in" in text(page)
    assert "Pat Agent (agent9) Active Yes Nov 16, 2026" in text(page)
    # Both sides are told.
    emails = OutboundEmail.objects.filter(template="filing/email/agent_designated")
    assert sorted(e.to for e in emails) == sorted([attorney.email, agent.email])
    message = render_email(emails.first())
    assert "designated Pat Agent as their filing agent" in message.body
    assert "/ecf/flsb/change-user/" in message.body
    assert "Filing agent designated" in message.subject

    # The agent sees whom they file for, and picks the attorney with Change User.
    mine = agent_client.get(AGENTS)
    assert "Attorneys you file for" in text(mine)
    assert f"({attorney.username}) — you may pay fees online" in text(mine)
    assert 'href="/ecf/flsb/change-user/"' in mine.content.decode()
    change = agent_client.get(CHANGE_USER)
    assert "You are filing as yourself." in text(change)
    assert [c[0] for c in change.context["form"].fields["file_as"].choices] == [
        "self",
        str(attorney.pk),
    ]
    response = agent_client.post(CHANGE_USER, {"file_as": str(attorney.pk)})
    assert response.status_code == 302
    change = agent_client.get(CHANGE_USER)
    assert f"You are filing for {attorney.full_name} ({attorney.username})" in text(change)
    assert filing_as(agent_client, agent, flsb) == attorney

    # The agent files as the attorney on the court's ECF filing page: the docket shows the
    # attorney, the entry records the agent.
    response = file_on_page(agent_client, case)
    assert response.status_code == 200, text(response)
    assert "Notice of Electronic Filing" in text(response)
    entry = case.entries.get(number=1)
    assert entry.filer == attorney
    assert entry.submitted_by == agent
    assert entry.filer_name == attorney.full_name
    assert entry.text.startswith(f"Motion filed by {attorney.full_name}.")
    response = file_on_page(agent_client, case, event="motion_relief_stay", **CARD_POST)
    assert response.status_code == 200, text(response)
    paid = case.entries.get(number=2)
    assert (paid.filer, paid.submitted_by, paid.payment.payer) == (attorney, agent, agent)

    # The attorney's log of this agent lists both filings in the default range…
    log = client.get(f"{AGENTS}{designation.pk}/log/")
    assert log.status_code == 200
    page = text(log)
    assert f"{case.number} 1 Motion —" in page
    assert f"{case.number} 2 Motion for Relief from Stay $199.00" in page
    assert [row["entry"] for row in log.context["rows"]] == [paid, entry]
    # …and not outside the chosen range.
    before = client.get(
        f"{AGENTS}{designation.pk}/log/", {"start": "2026-10-01", "end": "2026-11-15"}
    )
    assert before.context["rows"] == []
    assert "This agent filed nothing for you in that range." in text(before)
    today = client.get(
        f"{AGENTS}{designation.pk}/log/", {"start": "2026-11-16", "end": "2026-11-16"}
    )
    assert len(today.context["rows"]) == 2

    # The attorney removes the agent: at once, the next filing for the attorney is refused.
    response = client.post(f"{AGENTS}{designation.pk}/remove/")
    assert response.status_code == 302
    assert "can no longer file for you" in text(client.get(AGENTS))
    removed = OutboundEmail.objects.filter(template="filing/email/agent_removed")
    assert sorted(e.to for e in removed) == sorted([attorney.email, agent.email])
    assert "removed Pat Agent as their filing agent" in render_email(removed.first()).body
    refused = file_on_page(agent_client, case)
    assert refused.status_code == 403
    assert "use Change User to choose whom you file for" in text(refused)
    with pytest.raises(FilingRefused, match="has not designated you as a filing agent"):
        file_motion(agent, flsb, case, for_whom=attorney)
    assert case.entries.count() == 2

    # Change User no longer offers the attorney, and forgets the choice.
    assert filing_as(agent_client, agent, flsb) is None
    change = agent_client.get(CHANGE_USER)
    assert [c[0] for c in change.context["form"].fields["file_as"].choices] == ["self"]
    assert attorney.username not in text(change)
    refused = agent_client.post(CHANGE_USER, {"file_as": str(attorney.pk)})
    assert refused.status_code == 200
    assert "Choose yourself or an attorney who has designated you" in text(refused)
    # The attorney still reads what the agent filed before the removal.
    assert len(client.get(f"{AGENTS}{designation.pk}/log/").context["rows"]) == 2
    assert "Removed" in text(client.get(f"{AGENTS}{designation.pk}/"))


def test_an_agent_serving_two_attorneys_switches_with_change_user(
    agent_in_flsb, agent_client, flsb, case, frozen_clock
):
    first = FilingRightFactory(court=flsb, holder__first_name="Ann", holder__last_name="First")
    second = FilingRightFactory(court=flsb, holder__first_name="Bob", holder__last_name="Second")
    for right in (first, second):
        FilingAgentFactory(principal=right.holder, agent=agent_in_flsb, court=flsb)

    choices = agent_client.get(CHANGE_USER).context["form"].fields["file_as"].choices
    assert [c[1] for c in choices] == [
        "Myself",
        f"Ann First ({first.holder.username})",
        f"Bob Second ({second.holder.username})",
    ]
    agent_client.post(CHANGE_USER, {"file_as": str(first.holder.pk)})
    entry_a = file_motion(
        agent_in_flsb, flsb, case, for_whom=filing_as(agent_client, agent_in_flsb, flsb)
    )
    agent_client.post(CHANGE_USER, {"file_as": str(second.holder.pk)})
    assert "You now file for Bob Second in this court." in text(agent_client.get(CHANGE_USER))
    entry_b = file_motion(
        agent_in_flsb, flsb, case, for_whom=filing_as(agent_client, agent_in_flsb, flsb)
    )
    assert (entry_a.filer, entry_b.filer) == (first.holder, second.holder)
    assert entry_a.submitted_by == entry_b.submitted_by == agent_in_flsb

    # As themself, a filing agent cannot file.
    agent_client.post(CHANGE_USER, {"file_as": "self"})
    assert filing_as(agent_client, agent_in_flsb, flsb) is None
    with pytest.raises(FilingRefused, match="use Change User"):
        file_motion(agent_in_flsb, flsb, case, for_whom=None)

    # Each attorney's log shows only what the agent filed for them.
    client = PortalClient()
    client.force_login(first.holder)
    designation = FilingAgent.objects.get(principal=first.holder)
    log = client.get(f"{AGENTS}{designation.pk}/log/")
    assert [row["entry"] for row in log.context["rows"]] == [entry_a]


def test_an_agent_pays_fees_only_when_the_attorney_allows_it(
    client, attorney_in_flsb, agent_in_flsb, flsb, case, frozen_clock
):
    designation = FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb)
    with pytest.raises(FilingRefused, match="has not allowed you to pay fees online"):
        file_motion(
            agent_in_flsb,
            flsb,
            case,
            for_whom=attorney_in_flsb,
            event="motion_relief_stay",
            card=TEST_CARD,
        )
    assert not case.entries.exists()
    # Fee-free filings need no permission.
    file_motion(agent_in_flsb, flsb, case, for_whom=attorney_in_flsb)

    client.force_login(attorney_in_flsb)
    client.post(f"{AGENTS}{designation.pk}/", {"may_pay_fees": "on"})
    entry = file_motion(
        agent_in_flsb,
        flsb,
        case,
        for_whom=attorney_in_flsb,
        event="motion_relief_stay",
        card=TEST_CARD,
    )
    assert entry.payment.amount == 199


def test_an_agent_cannot_file_for_an_attorney_without_a_designation(
    agent_in_flsb, attorney_in_flsb, flsb, case, frozen_clock
):
    with pytest.raises(FilingRefused, match="has not designated you"):
        file_motion(agent_in_flsb, flsb, case, for_whom=attorney_in_flsb)


def test_a_designation_in_another_court_does_not_carry_over(
    agent_in_flsb, attorney_in_flsb, flsb, other_court, case, frozen_clock
):
    FilingRightFactory(holder=attorney_in_flsb, court=other_court)
    FilingRightFactory(holder=agent_in_flsb, court=other_court, filing_agent=True)
    FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=other_court)
    with pytest.raises(FilingRefused, match="has not designated you"):
        file_motion(agent_in_flsb, flsb, case, for_whom=attorney_in_flsb)


# Designation refusals -------------------------------------------------------------------------


def test_designation_refusals_about_the_other_account_share_one_message(
    client, attorney_in_flsb, flsb, other_court, frozen_clock
):
    not_registered = UserFactory(filing_agent=True, username="plainuser")
    elsewhere = UserFactory(filing_agent=True, username="elsewhere")
    FilingRightFactory(holder=elsewhere, court=other_court, filing_agent=True)
    another_attorney = FilingRightFactory(court=flsb).holder
    legacy = UserFactory(filing_agent=True, legacy=True, username="oldagent")
    FilingRightFactory(holder=legacy, court=flsb, filing_agent=True)
    revoked = UserFactory(filing_agent=True, username="revoked")
    FilingRightFactory(holder=revoked, court=flsb, filing_agent=True, revoked=True)
    shared = UserFactory(filing_agent=True, shared=True, username="sharedagent")
    FilingRightFactory(holder=shared, court=flsb, filing_agent=True)
    client.force_login(attorney_in_flsb)

    messages = set()
    for username in (
        "nobody-by-that-name",
        not_registered.username,
        elsewhere.username,
        another_attorney.username,
        legacy.username,
        revoked.username,
        shared.username,
    ):
        response = designate(client, username)
        assert response.status_code == 200, username
        assert response.context["form"].data["agent_username"] == username  # nothing lost
        messages.update(errors(response))
    assert len(messages) == 1
    assert next(iter(messages)).startswith(GENERIC)
    assert not FilingAgent.objects.exists()


def test_designating_yourself_is_refused_with_its_own_message(
    client, attorney_in_flsb, frozen_clock
):
    client.force_login(attorney_in_flsb)
    response = designate(client, attorney_in_flsb.username.upper())
    assert "That is your own PACER username." in text(response)
    with pytest.raises(AgentRefused, match=GENERIC):
        agent_services.designate_agent(
            principal=attorney_in_flsb,
            court=attorney_in_flsb.filing_rights.get().court,
            agent_username=attorney_in_flsb.username,
            may_pay_fees=False,
            now=PINNED_NOW,
        )
    assert not FilingAgent.objects.exists()


def test_a_non_attorney_cannot_designate_agents(agent_in_flsb, agent_client, flsb, frozen_clock):
    other_agent = UserFactory(filing_agent=True, username="otheragent")
    FilingRightFactory(holder=other_agent, court=flsb, filing_agent=True)

    page = agent_client.get(AGENTS)
    assert "Designate a filing agent" not in text(page)
    response = agent_client.post(AGENTS, {"court": "flsb", "agent_username": "otheragent"})
    assert response.status_code == 302
    assert "Only attorneys and trustees" in text(agent_client.get(AGENTS))
    with pytest.raises(AgentRefused, match="Only attorneys and trustees"):
        agent_services.designate_agent(
            principal=agent_in_flsb,
            court=flsb,
            agent_username="otheragent",
            may_pay_fees=False,
            now=PINNED_NOW,
        )
    assert not FilingAgent.objects.exists()


def test_an_attorney_cannot_designate_in_a_court_where_they_do_not_file(
    client, attorney_in_flsb, agent_in_flsb, other_court, frozen_clock
):
    FilingRightFactory(holder=agent_in_flsb, court=other_court, filing_agent=True)
    client.force_login(attorney_in_flsb)
    response = designate(client, court="azb")
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(errors(response))
    assert not FilingAgent.objects.exists()


def test_a_trustee_designates_and_a_second_designation_is_refused(
    client, agent_in_flsb, flsb, frozen_clock
):
    trustee = FilingRightFactory(court=flsb, trustee=True).holder
    client.force_login(trustee)
    assert designate(client).status_code == 302
    again = designate(client)
    assert errors(again) == ["That agent already files for you in this court."]
    assert FilingAgent.objects.filter(principal=trustee).count() == 1


def test_a_removed_agent_can_be_designated_again(
    client, attorney_in_flsb, agent_in_flsb, flsb, frozen_clock
):
    FilingAgentFactory(principal=attorney_in_flsb, agent=agent_in_flsb, court=flsb, removed=True)
    client.force_login(attorney_in_flsb)
    assert designate(client).status_code == 302
    page = text(client.get(AGENTS))
    assert "Active" in page
    assert "Removed" in page


def test_the_page_explains_who_uses_it(client, frozen_clock):
    client.force_login(UserFactory())
    page = text(client.get(AGENTS))
    assert "Who uses this page" in page
    assert "Attorneys and trustees with filing rights in a court designate" in page
    assert "Designate a filing agent" not in page


def test_a_registered_agent_not_yet_designated_is_told_their_username(agent_client, frozen_clock):
    page = text(agent_client.get(AGENTS))
    assert "No attorney has designated you yet. Give them your PACER username, agent9" in page
    assert "You are registered as a filing agent in: U.S. Bankruptcy Court" in page
