"""The account holder's side of PAA membership: the notice in Manage My Account, accepting
or declining a request, the current membership ("Billed to"), leaving with a confirmation,
past memberships, the emails of each change, who may open what, and query budgets."""

from __future__ import annotations

import re
from html import unescape

import pytest

from accounts import fees
from accounts.models import PaaMembership
from accounts.services import billing, paa
from cso_portal import clock
from cso_portal.core.models import OutboundEmail
from cso_portal.core.services import render_email
from tests.conftest import PINNED_NOW
from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRM = "Rivera & Okafor LLP"
PAGE = "/account/paa-membership/"


@pytest.fixture
def firm(db):
    return PaaFactory(firm=FIRM, username="riveraokafor")


@pytest.fixture
def holder(db):
    return UserFactory(
        attorney=True, first_name="Dana", last_name="Okafor", account_number="2345678"
    )


@pytest.fixture
def request_(firm, holder):
    """The firm asked Dana Okafor to join (through the service, as the page does)."""
    return paa.request_membership(
        paa=firm, last_name="Okafor", account_number="2345678", ip=None, now=PINNED_NOW
    )


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html(response))).split())


def templates_sent() -> list[str]:
    return list(OutboundEmail.objects.order_by("pk").values_list("template", flat=True))


def render_all() -> dict[str, str]:
    """Every outbox email rendered (subject + text), by template."""
    rendered = {}
    for row in OutboundEmail.objects.order_by("pk"):
        message = render_email(row)
        assert message.subject.strip(), row.template
        assert message.body.strip(), row.template
        assert "{{" not in message.body, row.template
        assert "{%" not in message.body, row.template
        rendered[row.template] = f"{message.subject}\n{message.body}"
    return rendered


# The notice and the page ---------------------------------------------------------------------


def test_the_holder_sees_the_request_in_manage_my_account(client, holder, request_):
    client.force_login(holder)

    response = client.get("/account/")

    assert (
        f"Firm {FIRM} asked to add your account to its PACER Administrative Account. "
        "Accept or decline" in text(response)
    )
    alert = f'usa-alert--slim margin-bottom-3" role="status" id="paa-request-{request_.pk}"'
    assert alert in html(response)
    notice = html(response).split(f'id="paa-request-{request_.pk}"')[1].split("</p>")[0]
    assert f'href="{PAGE}"' in notice
    assert 'id="billed-to"' not in html(response)


def test_the_maintenance_tab_links_to_paa_membership(client, holder):
    client.force_login(holder)

    response = client.get("/account/maintenance/")

    assert f'href="{PAGE}"' in html(response)
    assert "arrives with the PAA feature" not in html(response)


def test_the_page_offers_accept_and_decline_and_says_nothing_changes_yet(client, holder, request_):
    client.force_login(holder)

    response = client.get(PAGE)

    assert response.status_code == 200
    words = text(response)
    assert f"{FIRM} asked to add your account to its PAA" in words
    assert "Nothing changes for your account unless you accept." in words
    assert f'action="/account/paa-membership/{request_.pk}/accept/"' in html(response)
    assert f'action="/account/paa-membership/{request_.pk}/decline/"' in html(response)
    assert "Your account is not a member of a PAA" in words


def test_accepting_makes_the_account_a_member_billed_to_the_firm(
    client, holder, firm, request_, frozen_clock
):
    client.force_login(holder)

    response = client.post(f"/account/paa-membership/{request_.pk}/accept/", follow=True)

    request_.refresh_from_db()
    assert request_.status == PaaMembership.Status.ACTIVE
    assert request_.started_at == clock.now()
    words = text(response)
    assert f"You joined the PAA of {FIRM}." in words
    current = html(response).split('id="current-membership"')[1].split("</dl>")[0]
    assert f"{FIRM} (PAA)" in unescape(current)
    assert f'href="/account/paa-membership/{request_.pk}/leave/"' in html(response)
    overview = client.get("/account/")
    billed = unescape(html(overview).split('id="billed-to"')[1].split("</div>")[0])
    assert "Billed to" in billed
    assert f"{FIRM} (PAA)" in billed
    assert "paa-request-" not in html(overview)
    # From now on the holder's charges bill to the firm.
    charge = billing.record_charge(
        account=holder, court_id="flsb", item=fees.Item.DOCUMENT, pages=3, now=clock.now()
    )
    assert charge.billed_to == firm
    assert templates_sent()[-2:] == [
        "accounts/email/paa_joined_member",
        "accounts/email/paa_joined_paa",
    ]
    emails = render_all()
    assert "Dana Okafor" in emails["accounts/email/paa_joined_paa"]
    assert FIRM in emails["accounts/email/paa_joined_member"]


def test_declining_changes_nothing_and_tells_both_sides(client, holder, firm, request_):
    client.force_login(holder)

    response = client.post(f"/account/paa-membership/{request_.pk}/decline/", follow=True)

    request_.refresh_from_db()
    assert request_.status == PaaMembership.Status.DECLINED
    assert f"You declined the request of {FIRM}. Nothing changed for your account." in text(
        response
    )
    past = unescape(html(response).split('id="past"')[1].split("</table>")[0])
    assert FIRM in past
    assert "Declined by the account holder" in past
    assert templates_sent()[-2:] == [
        "accounts/email/paa_declined_member",
        "accounts/email/paa_declined_paa",
    ]
    render_all()
    again = client.post(f"/account/paa-membership/{request_.pk}/accept/", follow=True)
    assert "That request is no longer open." in text(again)
    assert PaaMembership.objects.get().status == "declined"


def test_leaving_asks_for_confirmation_then_bills_the_account_again(
    client, holder, firm, frozen_clock
):
    membership = PaaMembershipFactory(paa=firm, member=holder)
    client.force_login(holder)
    leave_url = f"/account/paa-membership/{membership.pk}/leave/"

    confirm = client.get(leave_url)

    assert confirm.status_code == 200
    assert f"Leave the PAA of {FIRM}?" in text(confirm)
    assert f'action="{leave_url}"' in html(confirm)
    membership.refresh_from_db()
    assert membership.status == "active"  # a GET changes nothing

    response = client.post(leave_url, follow=True)

    membership.refresh_from_db()
    assert membership.status == PaaMembership.Status.ENDED
    assert membership.ended_at == clock.now()
    assert f"You left the PAA of {FIRM}." in text(response)
    assert "Your account is not a member of a PAA" in text(response)
    charge = billing.record_charge(
        account=holder, court_id="flsb", item=fees.Item.DOCUMENT, pages=3, now=clock.now()
    )
    assert charge.billed_to == holder
    assert templates_sent() == ["accounts/email/paa_left_member", "accounts/email/paa_left_paa"]
    render_all()
    assert "not a member of that PAA any more" in text(client.get(leave_url, follow=True))


def test_past_memberships_show_the_remark_of_a_removal(client, holder, firm):
    PaaMembershipFactory(paa=firm, member=holder, ended=True, remark="Left the firm.")
    client.force_login(holder)

    past = unescape(html(client.get(PAGE)).split('id="past"')[1].split("</table>")[0])

    assert FIRM in past
    assert "Ended" in past
    assert "Left the firm." in past


def test_accepting_while_a_member_of_another_paa_is_refused_with_the_reason(
    client, holder, request_
):
    PaaMembershipFactory(member=holder)
    client.force_login(holder)

    response = client.post(f"/account/paa-membership/{request_.pk}/accept/", follow=True)

    assert "You are a member of another PAA. Leave it first" in text(response)
    request_.refresh_from_db()
    assert request_.status == "requested"


# Who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["accept", "decline", "leave"])
def test_someone_elses_request_or_membership_is_404(client, request_, action):
    other = UserFactory(attorney=True)
    client.force_login(other)

    response = client.post(f"/account/paa-membership/{request_.pk}/{action}/")

    assert response.status_code == 404
    assert client.post(f"/account/paa-membership/999999/{action}/").status_code == 404
    request_.refresh_from_db()
    assert request_.status == "requested"


def test_a_paa_has_no_membership_pages_and_gets_its_own_links(client, firm, request_):
    client.force_login(firm)

    assert client.get(PAGE).status_code == 404
    assert client.post(f"/account/paa-membership/{request_.pk}/accept/").status_code == 404
    overview = html(client.get("/account/"))
    assert 'href="/account/paa/"' in overview
    maintenance = html(client.get("/account/maintenance/"))
    main = maintenance.split('id="main-content"')[1].split("</main>")[0]
    assert {"/account/paa/", "/account/paa/members/remove/", "/account/paa/settings/"} <= set(
        re.findall(r'href="([^"]+)"', main)
    )
    assert "/account/link/" not in main


def test_accept_decline_and_leave_need_a_post(client, holder, request_):
    client.force_login(holder)

    assert client.get(f"/account/paa-membership/{request_.pk}/accept/").status_code == 405
    assert client.get(f"/account/paa-membership/{request_.pk}/decline/").status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response["Location"].startswith("/accounts/login/")


# Every email of the cycle --------------------------------------------------------------------


def test_every_membership_email_renders_for_both_sides(holder, firm):
    others = [UserFactory(last_name=f"Member{i}", account_number=f"300000{i}") for i in range(4)]
    requests = [
        paa.request_membership(
            paa=firm, last_name=u.last_name, account_number=u.account_number, ip=None,
            now=PINNED_NOW,
        )
        for u in [holder, *others]
    ]  # fmt: skip
    paa.accept_membership(membership=requests[0], now=PINNED_NOW)
    paa.leave_paa(membership=requests[0], now=PINNED_NOW)
    paa.decline_membership(membership=requests[1], now=PINNED_NOW)
    paa.withdraw_membership(membership=requests[2], now=PINNED_NOW)
    paa.accept_membership(membership=requests[3], now=PINNED_NOW)
    paa.remove_members(paa=firm, memberships=[requests[3]], remark="Moved on.", now=PINNED_NOW)

    emails = render_all()

    kinds = ("requested", "joined", "declined", "withdrawn", "removed", "left")
    assert set(emails) == {
        f"accounts/email/paa_{kind}_{side}" for kind in kinds for side in ("member", "paa")
    }
    for template, content in emails.items():
        assert FIRM in content, template
    assert "Moved on." in emails["accounts/email/paa_removed_member"]
    assert (
        "Manage My Account → Maintenance → PAA membership"
        in emails["accounts/email/paa_requested_member"]
    )


# Query budget ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/", PAGE])
def test_the_holders_pages_take_a_fixed_number_of_queries(
    client, holder, path, django_assert_max_num_queries
):
    client.force_login(holder)
    PaaMembershipFactory(member=holder, requested=True)
    client.get(path)
    with django_assert_max_num_queries(4) as few:
        client.get(path)
    for _ in range(8):
        PaaMembershipFactory(member=holder, requested=True)
        PaaMembershipFactory(member=holder, ended=True)
    PaaMembershipFactory(member=holder)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(path)

    assert response.status_code == 200
