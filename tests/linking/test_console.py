"""The clerks' console for linking: the court-scoped queue, its approve / reject actions
(through the services), the dashboard, the CM/ECF logins (add, roster import) and the demo
logins."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal.core.models import OutboundEmail
from linking.models import CmecfAccount, LinkEvent, LinkRequest
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.linking.factories import CmecfAccountFactory, LinkRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

S = LinkRequest.Status
QUEUE = "/console/linking/linkrequest/"
ACCOUNTS = "/console/linking/cmecfaccount/"
IMPORT = "/console/linking/cmecfaccount/import/"
DASHBOARD = "/console/linking/linkrequest/dashboard/"
DAY = dt.timedelta(days=1)


@pytest.fixture
def areb(db):
    return CourtFactory(id="areb", name="Arkansas Eastern Bankruptcy Court", nextgen=True)


def _clerk_of(court, username):
    user = UserFactory(username=username, with_totp=True)  # the console requires MFA
    add_court_staff(court=court, user=user, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    return user


@pytest.fixture
def azb_clerk(court):
    return _clerk_of(court, "azbclerk9")


@pytest.fixture
def areb_clerk(areb):
    return _clerk_of(areb, "arebclerk9")


@pytest.fixture
def azb_pending(holder, cmecf):
    return LinkRequestFactory(
        pacer_account=holder, court=cmecf.court, cmecf_account=cmecf, pending_review=True
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _act(client, action, *pks, **extra):
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
    return client.post(QUEUE, data, follow=True)


# The queue is court-scoped ------------------------------------------------------------------


def test_a_clerk_sees_only_their_courts_requests(client, court, areb, areb_clerk, azb_pending):
    areb_request = LinkRequestFactory(court=areb, pending_review=True)
    client.force_login(areb_clerk)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [areb_request.pk]
    assert client.get(f"{QUEUE}{areb_request.pk}/change/").status_code == 200


def test_psc_staff_see_every_courts_requests(client, staff, areb, azb_pending):
    areb_request = LinkRequestFactory(court=areb, pending_review=True)
    client.force_login(staff)
    response = client.get(QUEUE)
    assert {row.pk for row in response.context["cl"].result_list} == {
        azb_pending.pk,
        areb_request.pk,
    }
    assert client.get(f"{QUEUE}?court__id__exact=areb").context["cl"].result_count == 1


def test_another_courts_request_is_as_if_missing_by_url(client, areb_clerk, azb_pending):
    client.force_login(areb_clerk)
    response = client.get(f"{QUEUE}{azb_pending.pk}/change/")
    assert response.status_code == 404
    assert client.get(f"{QUEUE}99999/change/").status_code == 404


def test_a_forged_action_on_another_courts_request_changes_nothing(client, areb_clerk, azb_pending):
    client.force_login(areb_clerk)
    _act(client, "approve_requests", azb_pending.pk)
    _act(client, "reject_requests", azb_pending.pk, confirm="1", reason="Not ours to reject.")
    azb_pending.refresh_from_db()
    assert azb_pending.status == S.PENDING_REVIEW
    assert not LinkEvent.objects.filter(request=azb_pending).exists()
    assert not OutboundEmail.objects.exists()


def test_the_request_page_is_read_only_and_shows_both_accounts_and_history(
    client, azb_clerk, azb_pending
):
    LinkEvent.objects.create(
        request=azb_pending,
        from_status=S.VERIFIED,
        to_status=S.PENDING_REVIEW,
        created_at=PINNED_NOW,
    )
    azb_pending.flags = [LinkRequest.Flag.NAME_DIFFERS]
    azb_pending.save(update_fields=["flags"])
    client.force_login(azb_clerk)
    page = client.get(f"{QUEUE}{azb_pending.pk}/change/")
    html = page.content.decode()
    assert "alawson" in html
    assert "Lawson, Avery B." in html
    assert azb_pending.pacer_account.account_number in html  # the PACER account
    assert "PACER name differs from the CM/ECF name" in html
    assert "Waiting for the court" in html  # the history inline
    assert 'name="_save"' not in html  # nothing to edit
    assert (
        client.post(f"{QUEUE}{azb_pending.pk}/change/", {"status": "approved"}).status_code == 403
    )
    azb_pending.refresh_from_db()
    assert azb_pending.status == S.PENDING_REVIEW


# Approve and reject through the services ----------------------------------------------------


def test_approve_action_links_through_the_service_and_reports_each_request(
    client, azb_clerk, azb_pending, court
):
    already = LinkRequestFactory(court=court, approved=True)
    client.force_login(azb_clerk)
    response = _act(client, "approve_requests", azb_pending.pk, already.pk)

    azb_pending.refresh_from_db()
    assert (azb_pending.status, azb_pending.decided_by) == (S.APPROVED, azb_clerk)
    event = LinkEvent.objects.get(request=azb_pending)
    assert (event.to_status, event.actor) == (S.APPROVED, azb_clerk)
    assert azb_pending.cmecf_account.linked_account == azb_pending.pacer_account
    # One "linked" email per verified address of the PACER account.
    verified = set(
        EmailAddress.objects.filter(user=azb_pending.pacer_account, verified=True).values_list(
            "email", flat=True
        )
    )
    emails = OutboundEmail.objects.filter(template="linking/email/linked")
    assert sorted(emails.values_list("to", flat=True)) == sorted(verified)
    assert len(verified) == 2
    notes = _messages(response)
    assert any(f"Approved request #{azb_pending.pk}" in note for note in notes)
    assert any(f"Left request #{already.pk} as it was" in note for note in notes)


def test_reject_asks_for_a_reason_then_rejects_through_the_service(client, azb_clerk, azb_pending):
    client.force_login(azb_clerk)
    page = client.post(
        QUEUE, {"action": "reject_requests", "_selected_action": [str(azb_pending.pk)]}
    )
    assert page.status_code == 200
    assert "linking/admin/reject.html" in [t.name for t in page.templates]
    # Confirmed without a reason: asked again, nothing changes.
    again = client.post(
        QUEUE,
        {
            "action": "reject_requests",
            "_selected_action": [str(azb_pending.pk)],
            "confirm": "1",
            "reason": "  ",
        },
    )
    assert again.status_code == 200
    assert again.context["form"].errors
    azb_pending.refresh_from_db()
    assert azb_pending.status == S.PENDING_REVIEW

    response = _act(
        client,
        "reject_requests",
        azb_pending.pk,
        confirm="1",
        reason="Bar number does not match our roster.",
    )
    azb_pending.refresh_from_db()
    assert azb_pending.status == S.REJECTED
    assert azb_pending.reason == "Bar number does not match our roster."
    event = LinkEvent.objects.get(request=azb_pending)
    assert (event.actor, event.reason) == (azb_clerk, "Bar number does not match our roster.")
    assert OutboundEmail.objects.filter(template="linking/email/rejected").count() == 1
    assert any("Rejected request" in note for note in _messages(response))


# The list page's query count -----------------------------------------------------------------


def test_the_queue_query_count_does_not_grow_with_rows(
    client, court, azb_clerk, django_assert_max_num_queries
):
    LinkRequestFactory.create_batch(100, court=court, pending_review=True, flags=["name_differs"])
    client.force_login(azb_clerk)
    assert client.get(QUEUE).status_code == 200  # warm (session, permissions, clock cache)
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 100


def test_the_psc_queue_query_count_does_not_grow_with_rows(
    client, court, staff, django_assert_max_num_queries
):
    LinkRequestFactory.create_batch(100, court=court, pending_review=True)
    client.force_login(staff)
    assert client.get(QUEUE).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 100


def test_a_psc_member_queue_query_count_does_not_grow_with_rows(
    client, court, django_assert_max_num_queries
):
    from courts.services import make_psc_staff
    from tests.factories import UserFactory

    member = UserFactory(username="pscqueue1", with_totp=True)
    make_psc_staff(user=member)
    LinkRequestFactory.create_batch(100, court=court, pending_review=True)
    client.force_login(member)
    assert client.get(QUEUE).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 100


def test_queue_filters_and_search(client, court, azb_clerk, azb_pending):
    LinkRequestFactory(court=court, rejected=True, submitted_at=PINNED_NOW - 40 * DAY)
    azb_pending.flags = ["email_differs"]
    azb_pending.save(update_fields=["flags"])
    client.force_login(azb_clerk)

    def count(query):
        return client.get(f"{QUEUE}?{query}").context["cl"].result_count

    assert count("status__exact=pending_review") == 1
    assert count("flagged=yes") == 1
    assert count("flagged=no") == 1
    assert count("age=older") == 1
    assert count("q=alawson") == 1
    assert count(f"q={azb_pending.pacer_account.account_number}") == 1
    assert count("q=Lawson") == 1


# The dashboard ------------------------------------------------------------------------------


def test_dashboard_numbers_on_a_known_dataset(client, court, areb, azb_clerk):
    now = PINNED_NOW  # Monday 09:00 in Chicago
    LinkRequestFactory.create_batch(2, court=court, pending_review=True)
    LinkRequestFactory(court=court, verified=True)  # open, not yet for review
    # Decided after 1, 2, 4 and 10 days: median 3 days; two of them this week.
    for took, decided_at, trait in (
        (1, now - dt.timedelta(hours=1), "approved"),
        (2, now - dt.timedelta(hours=2), "rejected"),
        (4, now - 3 * DAY, "approved"),
        (10, now - 8 * DAY, "rejected"),
    ):
        LinkRequestFactory(
            court=court,
            submitted_at=decided_at - took * DAY,
            decided_at=decided_at,
            **{trait: True},
        )
    LinkRequestFactory(court=court, cancelled=True)  # not a decision of the court
    CmecfAccountFactory(court=court)
    # 9 azb logins (one per request, plus one), 2 linked by the approvals.
    LinkRequestFactory.create_batch(3, court=areb, pending_review=True)  # another court

    client.force_login(azb_clerk)
    assert DASHBOARD in client.get(QUEUE).content.decode()
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row.court_id == "azb"
    assert (row.pending, row.decided_this_week) == (2, 2)
    assert row.median_to_decision == 3 * DAY
    assert (row.linked, row.accounts) == (2, 9)
    assert "22%" in response.content.decode()


def test_dashboard_query_count_is_fixed(client, court, staff, django_assert_max_num_queries):
    for _ in range(20):
        LinkRequestFactory(court=court, rejected=True, decided_at=PINNED_NOW)
    client.force_login(staff)
    client.get(DASHBOARD)
    with django_assert_max_num_queries(10):
        response = client.get(DASHBOARD)
    assert response.context["rows"][0].decided_this_week == 20


# CM/ECF logins ------------------------------------------------------------------------------


def test_clerk_sees_and_adds_logins_only_in_their_court(client, court, areb, azb_clerk):
    mine = CmecfAccountFactory(court=court, login="mine")
    theirs = CmecfAccountFactory(court=areb, login="theirs")
    client.force_login(azb_clerk)
    assert [a.pk for a in client.get(ACCOUNTS).context["cl"].result_list] == [mine.pk]
    assert client.get(f"{ACCOUNTS}{theirs.pk}/change/").status_code in (302, 404)

    form = {
        "court": "azb",
        "login": "NewFiler",
        "initial_password": "court-secret-123",
        "holder_name": "New Filer",
        "email_of_record": "new.filer@example.test",
        "bar_id": "AZ1",
        "role": "attorney",
    }
    refused = client.post(f"{ACCOUNTS}add/", {**form, "court": "areb"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors
    duplicate = client.post(f"{ACCOUNTS}add/", {**form, "login": "MINE"})
    assert "login" in duplicate.context["adminform"].form.errors

    assert client.post(f"{ACCOUNTS}add/", form).status_code == 302
    created = CmecfAccount.objects.get(login="NewFiler")
    assert created.court_id == "azb"
    assert created.password != "court-secret-123"
    assert check_password("court-secret-123", created.password)
    page = client.get(f"{ACCOUNTS}{created.pk}/change/").content.decode()
    assert created.password not in page
    assert "court-secret-123" not in page


def _upload(client, text, court="azb"):
    upload = SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT, {"court": court, "file": upload})


ROSTER_HEADER = "login,password,holder_name,email_of_record,bar_id,role\n"


def test_roster_import_creates_logins_with_hashed_passwords(client, court, azb_clerk):
    client.force_login(azb_clerk)
    assert client.get(IMPORT).status_code == 200
    response = _upload(
        client,
        ROSTER_HEADER
        + "jdoe,pw-one-111,Jane Doe,jane@example.test,AZ100,attorney\n"
        + "ttrust,pw-two-222,Tom Trust,tom@example.test,,Trustee\n",
    )
    assert response.status_code == 302
    accounts = CmecfAccount.objects.filter(court=court).order_by("login")
    assert [(a.login, a.role) for a in accounts] == [("jdoe", "attorney"), ("ttrust", "trustee")]
    assert check_password("pw-one-111", accounts[0].password)
    assert "pw-one-111" not in accounts[0].password


def test_roster_with_one_bad_row_imports_nothing_and_names_the_line(client, court, azb_clerk):
    CmecfAccountFactory(court=court, login="taken")
    client.force_login(azb_clerk)
    response = _upload(
        client,
        ROSTER_HEADER
        + "jdoe,pw-one-111,Jane Doe,jane@example.test,AZ100,attorney\n"
        + "JDOE,pw-two-222,Jane Again,jane2@example.test,,attorney\n"
        + "Taken,pw-3,Tina,not-an-email,,wizard\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "Line 3: The login “JDOE” is already on line 2 of this file." in html
    assert "Line 4: The court already has the login “Taken”." in html
    assert "Line 4: “not-an-email” is not a valid email address." in html
    assert "Line 4: Unknown role “wizard”" in html
    assert list(CmecfAccount.objects.filter(court=court).values_list("login", flat=True)) == [
        "taken"
    ]


def test_roster_import_is_limited_to_the_clerks_courts(client, court, areb, azb_clerk):
    client.force_login(azb_clerk)
    response = _upload(client, ROSTER_HEADER + "x1,pw,X One,x@example.test,,\n", court="areb")
    assert response.status_code == 200
    assert "court" in response.context["form"].errors
    assert not CmecfAccount.objects.exists()


# Demo logins --------------------------------------------------------------------------------


def test_demo_cmecf_accounts_load_once(db, capsys):
    call_command("load_courts", verbosity=0)
    call_command("load_demo_accounts", verbosity=0)
    call_command("load_demo_cmecf_accounts")
    first = capsys.readouterr().out
    assert "azb-issued-2016" in first  # printed with their passwords (training only)
    count = CmecfAccount.objects.count()
    call_command("load_demo_cmecf_accounts")
    assert CmecfAccount.objects.count() == count == 7
    assert "created" not in capsys.readouterr().out
    assert set(CmecfAccount.objects.values_list("court_id", flat=True)) == {
        "azb",
        "areb",
        "arwb",
        "flsb",
        "ca8",
    }
    assert (
        CmecfAccount.objects.filter(court_id="azb", email_of_record__startswith="lee.").count() == 2
    )
    trustee = CmecfAccount.objects.get(court_id="flsb")
    assert trustee.role == CmecfAccount.Role.TRUSTEE
    assert check_password("flsb-issued-2019", trustee.password)
