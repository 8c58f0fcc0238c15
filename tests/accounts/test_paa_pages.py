"""The PAA administrator's pages: the home (members, pending requests, adding a member by
last name and account number), withdrawing a request, "Remove PACER Account(s) from My
PAA", the settings, a legacy PAA, who may open what, query budgets, and the console."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CostCenter, PaaMembership, PaaProfile
from accounts.services import paa
from courts.models import CourtStaff
from courts.services import add_court_staff, make_psc_staff
from cso_portal.core.models import OutboundEmail
from cso_portal.core.services import render_email
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRM = "Rivera & Okafor LLP"
HOME = "/account/paa/"
ADD = "/account/paa/members/add/"
REMOVE = "/account/paa/members/remove/"
SETTINGS = "/account/paa/settings/"


@pytest.fixture
def firm(db):
    """An upgraded PAA of a firm, with its administrator's contact and billing address."""
    return PaaFactory(firm=FIRM, with_contact=True, username="riveraokafor")


@pytest.fixture
def holder(db):
    """The attorney the firm adds: Dana Okafor, account 2345678."""
    return UserFactory(
        attorney=True, first_name="Dana", last_name="Okafor", account_number="2345678"
    )


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words, without tags and extra whitespace, entities decoded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html(response))).split())


def main(response) -> str:
    return html(response).split('id="main-content"')[1].split("</main>")[0]


def add(client, last_name="Okafor", number="2345678"):
    return client.post(ADD, {"last_name": last_name, "account_number": number})


def templates_sent() -> list[str]:
    return list(OutboundEmail.objects.order_by("pk").values_list("template", flat=True))


def assert_emails_render(firm_name: str = FIRM) -> None:
    """Every outbox email renders (subject and text) and names the firm."""
    for row in OutboundEmail.objects.order_by("pk"):
        message = render_email(row)
        assert message.subject.strip(), row.template
        assert firm_name in message.body or firm_name in message.subject, row.template
        assert "{{" not in message.body, row.template
        assert "{%" not in message.body, row.template


# Who may open what ---------------------------------------------------------------------------


PAA_PAGES = [HOME, REMOVE, SETTINGS]


@pytest.mark.parametrize("path", PAA_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", HOME),
        ("post", ADD),
        ("get", REMOVE),
        ("post", REMOVE),
        ("get", SETTINGS),
        ("post", "/account/paa/members/1/withdraw/"),
    ],
)
def test_an_individual_account_gets_404_on_every_paa_page(client, attorney, method, path):
    client.force_login(attorney)

    response = getattr(client, method)(path, {"last_name": "X", "account_number": "1234567"})

    assert response.status_code == 404


def test_another_paas_request_cannot_be_withdrawn(client, firm):
    other = PaaMembershipFactory(requested=True)
    client.force_login(firm)

    response = client.post(f"/account/paa/members/{other.pk}/withdraw/")

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == PaaMembership.Status.REQUESTED
    assert client.post("/account/paa/members/999999/withdraw/").status_code == 404


# The home -------------------------------------------------------------------------------------


def test_home_shows_the_firm_its_members_and_requests_and_links(client, firm, holder):
    center = CostCenter.objects.create(paa=firm, name="Phoenix office", created_at=PINNED_NOW)
    PaaMembershipFactory(paa=firm, member=holder, cost_center=center)
    waiting = PaaMembershipFactory(
        paa=firm, requested=True, member=UserFactory(first_name="Lee", last_name="Park")
    )
    PaaMembershipFactory(paa=firm, ended=True, member=UserFactory(last_name="Gone"))
    client.force_login(firm)

    response = client.get(HOME)

    assert response.status_code == 200
    words = text(response)
    assert FIRM in words
    members = html(response).split('id="members"')[1].split("</table>")[0]
    assert "Dana Okafor" in members
    assert "2345678" in members
    assert "Phoenix office" in members
    assert "November 16, 2026" in members
    assert "Gone" not in members
    pending = html(response).split('id="pending"')[1].split("</table>")[0]
    assert "Lee Park" in pending
    assert f'action="/account/paa/members/{waiting.pk}/withdraw/"' in pending
    links = set(re.findall(r'href="([^"]+)"', main(response)))
    assert {
        reverse("accounts:paa_statement"),
        reverse("accounts:paa_payments"),
        reverse("filing:paa_readiness"),
        REMOVE,
        SETTINGS,
    } <= links
    assert f'action="{ADD}"' in html(response)


def test_a_paa_without_members_is_told_how_to_add_one(client, firm):
    client.force_login(firm)

    words = text(client.get(HOME))

    assert "No account is a member yet." in words
    assert "Add a member" in words


# Adding a member -----------------------------------------------------------------------------


def test_adding_a_member_by_last_name_and_number_sends_a_request(client, firm, holder):
    client.force_login(firm)

    response = add(client, last_name=" okafor ", number="234-5678")

    assert response.status_code == 302
    membership = PaaMembership.objects.get()
    assert (membership.paa, membership.member, membership.status) == (firm, holder, "requested")
    page = client.get(HOME)
    assert "We asked the holder of account 234-5678 to join your PAA." in text(page)
    assert "Dana Okafor" in html(page).split('id="pending"')[1]
    assert templates_sent() == [
        "accounts/email/paa_requested_member",
        "accounts/email/paa_requested_paa",
    ]
    assert_emails_render()
    to_member = render_email(OutboundEmail.objects.get(template__endswith="requested_member"))
    assert to_member.to == [holder.email]
    assert "Manage My Account → Maintenance → PAA membership" in to_member.body
    assert "/account/paa-membership/" in to_member.body
    assert "Nothing changes for your account unless you accept." in to_member.body


def _comparable(response) -> str:
    """The page without what differs by design: the typed values and the CSRF token."""
    page = main(response)
    return re.sub(r'value="[^"]*"', 'value=""', page)


@pytest.mark.parametrize(
    ("last_name", "number"),
    [
        ("Okafor", "2345679"),  # someone else's number, or nobody's
        ("Smith", "2345678"),  # the right number, another last name
        ("Okafor", "12"),  # not an account number at all
        ("Rivera", "9999999"),
    ],
)
def test_every_wrong_pair_gets_the_same_generic_page(client, firm, holder, last_name, number):
    PaaFactory(account_number="9999999", last_name="Rivera")  # a PAA cannot be a member
    client.force_login(firm)
    reference = add(client, last_name="Nobody", number="1111111")

    response = add(client, last_name=last_name, number=number)

    assert response.status_code == 200
    assert paa.NO_MATCH in text(response)
    assert _comparable(response) == _comparable(reference)
    assert f'value="{last_name}"' in html(response)  # nothing typed is lost
    assert not PaaMembership.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_member_already_asked_or_in_the_paa_gets_the_same_message(client, firm, holder):
    PaaMembershipFactory(paa=firm, member=holder, requested=True)
    client.force_login(firm)

    response = add(client)

    assert paa.NO_MATCH in text(response)
    assert PaaMembership.objects.count() == 1


def test_missing_fields_are_marked_and_nothing_is_counted(client, firm):
    client.force_login(firm)

    response = client.post(ADD, {"last_name": "", "account_number": ""})

    words = text(response)
    assert "Give the account holder's last name." in words
    assert "Give the account number." in words
    assert "usa-form-group--error" in html(response)


def test_add_attempts_are_rate_limited_with_a_429(client, firm, holder):
    client.force_login(firm)
    for _attempt in range(paa.ADD_ATTEMPTS_PER_HOUR):
        assert add(client, last_name="Wrong").status_code == 200

    response = add(client)  # even the right pair, now

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many attempts" in text(response)
    assert "Try again in 60 minutes." in text(response)
    assert not PaaMembership.objects.exists()


def test_withdrawing_a_request_tells_both_sides(client, firm, holder):
    membership = PaaMembershipFactory(paa=firm, member=holder, requested=True)
    client.force_login(firm)

    response = client.post(f"/account/paa/members/{membership.pk}/withdraw/", follow=True)

    membership.refresh_from_db()
    assert membership.status == PaaMembership.Status.WITHDRAWN
    assert "You withdrew the request to Dana Okafor (2345678)." in text(response)
    assert 'id="pending"' not in html(response)
    assert templates_sent() == [
        "accounts/email/paa_withdrawn_member",
        "accounts/email/paa_withdrawn_paa",
    ]
    assert_emails_render()
    again = client.post(f"/account/paa/members/{membership.pk}/withdraw/", follow=True)
    assert "That request was already answered or withdrawn." in text(again)


def test_withdraw_is_post_only(client, firm, holder):
    membership = PaaMembershipFactory(paa=firm, member=holder, requested=True)
    client.force_login(firm)

    assert client.get(f"/account/paa/members/{membership.pk}/withdraw/").status_code == 405


# Removing members ----------------------------------------------------------------------------


@pytest.fixture
def members(firm):
    return [
        PaaMembershipFactory(paa=firm, member=UserFactory(last_name=name, first_name="A"))
        for name in ("Adams", "Baker", "Chen")
    ]


def test_the_remove_page_lists_active_members_as_checkboxes(client, firm, members):
    PaaMembershipFactory(paa=firm, requested=True, member=UserFactory(last_name="Waiting"))
    client.force_login(firm)

    response = client.get(REMOVE)

    assert response.status_code == 200
    page = html(response)
    assert "Remove PACER Account(s) from My PAA" in page
    boxes = re.findall(r'type="checkbox"[^>]*name="memberships" value="(\d+)"', page)
    assert boxes == [str(m.pk) for m in members]
    assert "Waiting" not in page
    assert 'name="remark"' in page


def test_removing_several_members_at_once_with_a_remark(client, firm, members):
    client.force_login(firm)

    response = client.post(
        REMOVE,
        {"memberships": [members[0].pk, members[2].pk], "remark": "Left the firm in November."},
        follow=True,
    )

    assert "You removed 2 accounts from your PAA." in text(response)
    statuses = {m.pk: m.status for m in PaaMembership.objects.all()}
    assert statuses == {members[0].pk: "ended", members[1].pk: "active", members[2].pk: "ended"}
    ended = PaaMembership.objects.get(pk=members[0].pk)
    assert ended.remark == "Left the firm in November."
    assert ended.events.last().reason == "Left the firm in November."
    assert sorted(templates_sent()) == sorted(
        ["accounts/email/paa_removed_member", "accounts/email/paa_removed_paa"] * 2
    )
    assert_emails_render()
    to_member = render_email(OutboundEmail.objects.filter(template__endswith="_member").first())
    assert "Left the firm in November." in to_member.body
    assert "Adams" not in text(client.get(HOME)).split("Waiting for")[0].split("Members")[1]


def test_removing_needs_a_remark_and_a_choice_and_keeps_what_was_chosen(client, firm, members):
    client.force_login(firm)

    no_remark = client.post(REMOVE, {"memberships": [members[1].pk], "remark": "   "})
    no_choice = client.post(REMOVE, {"remark": "Left."})

    assert no_remark.status_code == 200
    assert "Give a remark: it is emailed to each account holder." in text(no_remark)
    assert f'value="{members[1].pk}" checked' in html(no_remark)
    assert "Choose at least one account." in text(no_choice)
    assert 'value="Left."' not in html(no_choice)  # a textarea keeps it as its content
    assert "Left.</textarea>" in html(no_choice)
    assert set(PaaMembership.objects.values_list("status", flat=True)) == {"active"}
    assert not OutboundEmail.objects.exists()


def test_another_paas_member_cannot_be_removed(client, firm, members):
    stranger = PaaMembershipFactory()
    client.force_login(firm)

    response = client.post(REMOVE, {"memberships": [stranger.pk], "remark": "Not mine."})

    assert response.status_code == 200
    assert "is not a member any more" in text(response)
    stranger.refresh_from_db()
    assert stranger.status == "active"


# A legacy PAA ----------------------------------------------------------------------------------


@pytest.fixture
def legacy_firm(db):
    firm = PaaFactory(legacy=True, firm="Old Firm LLP", username="oldfirm1")
    PaaMembership.objects.create(
        paa=firm, member=UserFactory(last_name="Hidden"), status="active",
        requested_at=PINNED_NOW, started_at=PINNED_NOW,
    )  # fmt: skip
    return firm


def test_a_legacy_paa_sees_why_and_its_statement_and_payments_but_no_members(client, legacy_firm):
    client.force_login(legacy_firm)

    response = client.get(HOME)

    assert response.status_code == 200
    words = text(response)
    assert (
        "Your PAA is a legacy account. Upgrade it before you add, remove or list members" in words
    )
    assert "Hidden" not in words
    assert 'id="members"' not in html(response)
    links = set(re.findall(r'href="([^"]+)"', main(response)))
    assert {
        reverse("accounts:upgrade"),
        reverse("accounts:paa_statement"),
        reverse("accounts:paa_payments"),
    } <= links
    assert REMOVE not in links
    assert SETTINGS not in links
    assert f'action="{ADD}"' not in html(response)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", REMOVE, {}),
        ("post", REMOVE, {"memberships": ["1"], "remark": "x"}),
        ("get", SETTINGS, {}),
        ("post", SETTINGS, {"action": "cost_center", "name": "Office"}),
        ("post", ADD, {"last_name": "Hidden", "account_number": "2000000"}),
    ],
)
def test_a_legacy_paa_cannot_add_remove_or_change_members(client, legacy_firm, method, path, data):
    client.force_login(legacy_firm)

    response = getattr(client, method)(path, data)

    assert response.status_code == 200
    assert "Upgrade it before you add, remove or list members" in text(response)
    assert "Hidden" not in text(response)
    assert PaaMembership.objects.get().status == "active"
    assert not CostCenter.objects.exists()


# Settings ------------------------------------------------------------------------------------


def test_client_codes_can_be_made_mandatory_and_optional_again(client, firm):
    client.force_login(firm)

    on = client.post(
        SETTINGS, {"action": "client_codes", "client_code_required": "on"}, follow=True
    )
    assert "Client codes are now mandatory" in text(on)
    assert PaaProfile.objects.get(account=firm).client_code_required
    assert "checked" in html(on).split('name="client_code_required"')[1].split(">")[0]

    off = client.post(SETTINGS, {"action": "client_codes"}, follow=True)
    assert "Client codes are now optional" in text(off)
    assert not PaaProfile.objects.get(account=firm).client_code_required


def test_cost_centers_are_created_and_members_put_in_one(client, firm, members):
    client.force_login(firm)

    created = client.post(SETTINGS, {"action": "cost_center", "name": "Tucson office"}, follow=True)
    assert "Cost center “Tucson office” added." in text(created)
    duplicate = client.post(SETTINGS, {"action": "cost_center", "name": "Tucson office"})
    assert "The PAA has a cost center of that name already." in text(duplicate)
    center = CostCenter.objects.get(paa=firm)

    chosen = [members[0].pk, members[1].pk]
    assigned = client.post(
        SETTINGS, {"action": "assign", "cost_center": center.pk, "memberships": chosen}, follow=True
    )

    assert "2 members are now in Tucson office." in text(assigned)
    table = html(assigned).split('id="cost-centers"')[1].split("</table>")[0]
    assert re.search(r"Tucson office</th><td>2</td>", table)
    assert [m.cost_center_id for m in PaaMembership.objects.order_by("pk")] == [
        center.pk,
        center.pk,
        None,
    ]
    assert "Tucson office" in html(client.get(HOME)).split('id="members"')[1]


def test_another_paas_cost_center_or_bad_input_is_refused(client, firm, members):
    foreign = CostCenter.objects.create(paa=PaaFactory(), name="Theirs", created_at=PINNED_NOW)
    CostCenter.objects.create(paa=firm, name="Ours", created_at=PINNED_NOW)
    client.force_login(firm)

    foreign_center = client.post(
        SETTINGS, {"action": "assign", "cost_center": foreign.pk, "memberships": [members[0].pk]}
    )
    nonsense = client.post(SETTINGS, {"action": "assign", "cost_center": "x", "memberships": ["y"]})
    unnamed = client.post(SETTINGS, {"action": "cost_center", "name": " "})
    no_action = client.post(SETTINGS, {"action": "drop tables"}, follow=True)

    assert "Choose one of the PAA's cost centers." in text(foreign_center)
    assert "Choose one of the PAA's cost centers." in text(nonsense)
    assert "is not a member any more" in text(nonsense)
    assert "Give the cost center a name." in text(unnamed)
    assert "Nothing was changed" in text(no_action)
    assert not PaaMembership.objects.filter(cost_center__isnull=False).exists()


# Query budgets ---------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _grow(firm, count: int) -> None:
    center = CostCenter.objects.get_or_create(
        paa=firm, name="Main office", defaults={"created_at": PINNED_NOW}
    )[0]
    for _ in range(count):
        PaaMembershipFactory(paa=firm, cost_center=center)
        PaaMembershipFactory(paa=firm, requested=True)


@pytest.mark.parametrize("path", [HOME, REMOVE, SETTINGS])
def test_paa_pages_take_as_many_queries_for_30_members_as_for_3(
    client, firm, path, django_assert_max_num_queries
):
    client.force_login(firm)
    _grow(firm, 3)
    few = _queries(client, path)
    _grow(firm, 27)

    with django_assert_max_num_queries(few):
        response = client.get(path)

    assert response.status_code == 200
    assert few <= 8, few


# The console -----------------------------------------------------------------------------------


def test_psc_staff_see_memberships_with_their_history_read_only(client, staff, firm, holder):
    membership = paa.request_membership(
        paa=firm, last_name="Okafor", account_number="2345678", ip=None, now=PINNED_NOW
    )
    paa.accept_membership(membership=membership, now=PINNED_NOW)
    client.force_login(staff)

    listing = client.get(reverse("admin:accounts_paamembership_changelist"))
    detail = client.get(reverse("admin:accounts_paamembership_change", args=[membership.pk]))
    profiles = client.get(reverse("admin:accounts_paaprofile_changelist"))

    assert listing.status_code == 200
    assert FIRM in text(listing)
    assert holder.username in text(listing)
    assert detail.status_code == 200
    assert "Waiting for the account holder" in html(detail)
    assert "Member" in html(detail)
    assert 'name="_save"' not in html(detail)
    assert FIRM in text(profiles)
    assert client.get(reverse("admin:accounts_paamembership_add")).status_code == 403


def test_court_clerks_do_not_see_paas_in_the_console(client, firm):
    court = CourtFactory(id="azb")
    clerk = UserFactory(username="azbclerk7", with_totp=True)
    add_court_staff(court=court, user=clerk, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    client.force_login(clerk)

    assert client.get(reverse("admin:accounts_paamembership_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_paaprofile_changelist")).status_code == 403


def test_pacer_service_center_group_members_see_paas_read_only(client, firm):
    psc = UserFactory(username="pscgroup1", with_totp=True)
    make_psc_staff(user=psc)
    PaaMembershipFactory(paa=firm)
    client.force_login(psc)

    listing = client.get(reverse("admin:accounts_paamembership_changelist"))

    assert listing.status_code == 200
    assert FIRM in text(listing)
    assert client.get(reverse("admin:accounts_paaprofile_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_paaprofile_add")).status_code == 403
