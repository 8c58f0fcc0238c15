"""E-file registration through the pages (seeds 002, 004): Manage My Account → Maintenance
for NextGen courts, the court's own ECF site for CurrentGen courts, the requests and rights
pages, and what a clerk's decision does to them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from filing.models import EfileRegistration, FilingRight
from filing.services import registration as services
from linking import services as linking_services
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.factories import CaseFactory, EfileRegistrationFactory, FilingRightFactory
from tests.linking.factories import CmecfAccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

S = EfileRegistration.Status
INDEX = "/account/efile/"
CHOOSE = "/account/efile/new/attorney/"
FLSB_FORM = "/account/efile/new/attorney/flsb/"
RESET_LINK = re.compile(r"https?://\S+(/account/link/reset/[^/\s]+/)")
NEW_PASSWORD = "my own court password"


def text(response) -> str:
    return response.content.decode()


def attorney_post(**overrides) -> dict:
    data = {
        "registration_type": "efile_attorney",
        "bar_number": "2016042",
        "bar_state": "Florida",
        "firm_name": "Doe & Roe LLP",
        "phone": "(305) 555-0100",
        "notes": "",
        "local_form_completed_on": "2026-11-10",
        "local_form_reference": "LF95-7731",
        "terms_accepted": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def deliver(template: str) -> None:
    for pk in OutboundEmail.objects.filter(template=template).values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})


@pytest.fixture
def arb(db):
    """A CurrentGen bankruptcy court that registers filers itself and lets them propose a
    login (seed 002)."""
    return CourtFactory(
        id="arb",
        name="U.S. Bankruptcy Court, Western District of Arkansas",
        court_type="bankruptcy",
        currentgen=True,
        filer_may_propose_login=True,
    )


# Choosing the court --------------------------------------------------------------------------


def test_signed_out_is_sent_to_sign_in(client, flsb):
    for url in (INDEX, CHOOSE, FLSB_FORM, "/ecf/flsb/register/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_only_the_two_audiences_exist(client, attorney):
    client.force_login(attorney)
    assert client.get("/account/efile/new/judges/").status_code == 404
    assert client.get("/account/efile/new/judges/flsb/").status_code == 404


def test_court_type_then_court_nextgen_here_currentgen_on_their_site(client, attorney, flsb, arb):
    client.force_login(attorney)
    first = client.get(CHOOSE)
    assert first.status_code == 200
    assert 'name="court_type"' in text(first)
    assert 'name="court"' not in text(first)

    second = client.get(CHOOSE, {"court_type": "bankruptcy"})
    page = text(second)
    assert '<option value="flsb">' in page
    assert '<option value="arb">' not in page  # CurrentGen: not choosable here …
    assert 'href="/ecf/arb/register/"' in page  # … but sent to its own ECF site

    assert client.get(CHOOSE, {"court": "flsb"})["Location"] == FLSB_FORM
    currentgen = client.get(CHOOSE, {"court": "arb"})
    assert "registers filers itself" in text(currentgen)
    assert 'href="/ecf/arb/register/"' in text(currentgen)
    # Bad input gets a message, not an error page.
    assert "Choose a court type" in text(client.get(CHOOSE, {"court_type": "moon"}))
    assert "There is no court" in text(client.get(CHOOSE, {"court": "nope"}))
    # The form of a CurrentGen court says where to go instead.
    form = client.get("/account/efile/new/attorney/arb/")
    assert 'name="registration_type"' not in text(form)
    assert 'href="/ecf/arb/register/"' in text(form)


def test_each_audience_offers_only_its_registration_types(client, attorney, flsb, agent_user):
    client.force_login(attorney)
    page = text(client.get(FLSB_FORM))
    assert 'value="pro_hac_vice"' in page
    assert 'value="filing_agent"' not in page
    client.force_login(agent_user)
    page = text(client.get("/account/efile/new/non-attorney/flsb/"))
    for kind in ("filing_agent", "pro_se", "creditor", "trustee", "court_reporter"):
        assert f'value="{kind}"' in page
    assert 'value="efile_attorney"' not in page
    assert "LF-95" not in page  # non-attorneys are not asked for the local form
    assert 'name="bar_number"' not in page


# The whole flow: flsb's LF-95, the clerk's approval ------------------------------------------


def test_attorney_in_flsb_is_asked_for_lf95_then_the_clerk_approves(
    client, attorney, flsb, flsb_clerk
):
    client.force_login(attorney)
    form = client.get(FLSB_FORM)
    page = text(form)
    assert f"{flsb.name} requires new attorneys to complete local form LF-95 first" in page
    assert 'name="local_form_completed_on"' in page
    assert "electronic filing terms" in page
    assert 'name="terms_accepted"' in page

    refused = client.post(FLSB_FORM, attorney_post(local_form_completed_on=""))
    assert refused.status_code == 200
    assert "complete local form LF-95 first" in text(refused)
    assert 'value="Doe &amp; Roe LLP"' in text(refused)  # nothing typed is lost
    assert not EfileRegistration.objects.exists()

    no_terms = client.post(FLSB_FORM, attorney_post(terms_accepted=None))
    assert "Accept the court" in text(no_terms)
    future = client.post(FLSB_FORM, attorney_post(local_form_completed_on="2027-01-01"))
    assert "cannot be in the future" in text(future)
    assert "Enter a valid date" in text(
        client.post(FLSB_FORM, attorney_post(local_form_completed_on="tuesday"))
    )
    assert not EfileRegistration.objects.exists()

    submitted = client.post(FLSB_FORM, attorney_post(), follow=True)
    request = EfileRegistration.objects.get()
    assert submitted.redirect_chain[-1][0] == f"/account/efile/{request.pk}/"
    page = text(submitted)
    assert "Your e-file registration request was submitted" in page
    assert "Waiting for the court" in page
    assert "LF-95" in page
    assert "LF95-7731" in page
    assert "Cancel this request" in page
    assert (request.status, request.local_form, str(request.local_form_completed_on)) == (
        S.PENDING_REVIEW,
        "LF-95",
        "2026-11-10",
    )
    assert OutboundEmail.objects.filter(template="filing/email/registration_received").count() == 1

    # One open request per court: the form now says so up front.
    again = text(client.get(FLSB_FORM))
    assert "already have an e-file registration request waiting" in again
    assert f'href="/account/efile/{request.pk}/"' in again
    assert 'name="registration_type"' not in again

    services.approve_efile_registration(registration=request, actor=flsb_clerk, now=PINNED_NOW)
    detail = text(client.get(f"/account/efile/{request.pk}/"))
    assert "Approved" in detail
    assert "Cancel this request" not in detail
    index = text(client.get(INDEX))
    assert "U.S. Bankruptcy Court, Southern District of Florida (flsb)" in index
    assert "E-file registration" in index
    assert "All cases" in index
    assert "November 16, 2026" in index
    assert "already have filing rights" in text(client.get(FLSB_FORM))
    deliver("filing/email/registration_approved")
    assert len(mail.outbox) == 1
    assert "You may now e-file in U.S. Bankruptcy Court" in mail.outbox[0].body
    assert "/account/efile/" in mail.outbox[0].body


def test_pro_hac_vice_needs_a_case_number_of_the_court(client, attorney, flsb, flsb_clerk):
    case = CaseFactory(court=flsb)
    client.force_login(attorney)
    missing = client.post(FLSB_FORM, attorney_post(registration_type="pro_hac_vice"))
    assert "names the case it is for" in text(missing)
    unknown = client.post(
        FLSB_FORM, attorney_post(registration_type="pro_hac_vice", case_number="9:99-bk-99999")
    )
    assert "has no case 9:99-bk-99999" in text(unknown)
    assert not EfileRegistration.objects.exists()
    client.post(FLSB_FORM, attorney_post(registration_type="pro_hac_vice", case_number=case.number))
    request = EfileRegistration.objects.get()
    assert request.case_number == case.number
    services.approve_efile_registration(registration=request, actor=flsb_clerk, now=PINNED_NOW)
    index = text(client.get(INDEX))
    assert f"Case {case.number} only (pro hac vice)" in index
    detail = text(client.get(f"/account/efile/{request.pk}/"))
    assert f"you may file in case {case.number}" in detail


def test_rejection_shows_the_reason(client, attorney, flsb, flsb_clerk):
    request = EfileRegistrationFactory(pacer_account=attorney, court=flsb)
    services.reject_efile_registration(
        registration=request, actor=flsb_clerk, reason="No LF-95 on file.", now=PINNED_NOW
    )
    client.force_login(attorney)
    page = text(client.get(f"/account/efile/{request.pk}/"))
    assert "Rejected" in page
    assert "No LF-95 on file." in page
    assert "submit a new request" in page


# Refusals up front ---------------------------------------------------------------------------


def test_legacy_and_shared_accounts_get_their_own_messages(client, flsb):
    legacy = UserFactory(attorney=True, legacy=True)
    client.force_login(legacy)
    for url in (CHOOSE, FLSB_FORM):
        page = text(client.get(url))
        assert "Only upgraded PACER accounts work with NextGen" in page
        assert 'href="/account/upgrade/"' in page
    assert not text(client.get(FLSB_FORM)).count('name="registration_type"')
    response = client.post(FLSB_FORM, attorney_post())
    assert "Only upgraded PACER accounts" in text(response)

    shared = UserFactory(shared=True)
    client.force_login(shared)
    page = text(client.get(FLSB_FORM))
    assert "Shared PACER accounts cannot be used to link or e-file" in page
    assert 'name="registration_type"' not in page
    assert not EfileRegistration.objects.exists()


# Detail, cancel and whose request it is ------------------------------------------------------


def test_cancel_while_waiting(client, attorney, flsb):
    request = EfileRegistrationFactory(pacer_account=attorney, court=flsb)
    client.force_login(attorney)
    assert client.get(f"/account/efile/{request.pk}/cancel/").status_code == 405
    response = client.post(f"/account/efile/{request.pk}/cancel/", follow=True)
    assert "is cancelled" in text(response)
    request.refresh_from_db()
    assert request.status == S.CANCELLED
    assert "Cancelled by the requester." in text(response)  # the history
    again = client.post(f"/account/efile/{request.pk}/cancel/", follow=True)
    assert "already decided" in text(again)


def test_someone_elses_request_is_as_if_missing(client, attorney, other_attorney, flsb):
    request = EfileRegistrationFactory(pacer_account=attorney, court=flsb)
    client.force_login(other_attorney)
    assert client.get(f"/account/efile/{request.pk}/").status_code == 404
    assert client.get("/account/efile/99999/").status_code == 404
    assert client.post(f"/account/efile/{request.pk}/cancel/").status_code == 404
    request.refresh_from_db()
    assert request.status == S.PENDING_REVIEW
    assert f"#{request.pk}" not in text(client.get(INDEX))


# CurrentGen courts register filers on their own ECF site (seed 002) -------------------------


def test_currentgen_court_site_registration_issues_a_login_whose_password_the_filer_sets(
    client, attorney, arb, staff
):
    client.force_login(attorney)
    legacy_login = text(client.get("/ecf/arb/"))
    assert 'href="/ecf/arb/register/"' in legacy_login
    assert "Register for e-filing in this court" in legacy_login
    page = text(client.get("/ecf/arb/register/"))
    assert 'name="requested_login"' in page
    assert 'value="court_reporter"' in page
    assert 'value="efile_attorney"' in page

    CmecfAccountFactory(court=arb, login="taken1")
    taken = client.post("/ecf/arb/register/", attorney_post(requested_login="TAKEN1"))
    assert "already has the login TAKEN1" in text(taken)
    bad = client.post("/ecf/arb/register/", attorney_post(requested_login="no spaces"))
    assert "Use letters, digits" in text(bad)

    submitted = client.post(
        "/ecf/arb/register/", attorney_post(requested_login="jdoe-esq"), follow=True
    )
    request = EfileRegistration.objects.get()
    assert request.channel == EfileRegistration.Channel.COURT_SITE
    assert request.requested_login == "jdoe-esq"
    assert "court-assigned CM/ECF login" in text(submitted)

    services.approve_efile_registration(registration=request, actor=staff, now=PINNED_NOW)
    assert "issued you the CM/ECF login jdoe-esq" in text(
        client.get(f"/account/efile/{request.pk}/")
    )
    deliver("filing/email/registration_login_issued")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Your court-assigned CM/ECF login is jdoe-esq." in body
    path = RESET_LINK.search(body).group(1)

    client.logout()  # the emailed link works from any browser
    form = client.get(path)
    assert form.status_code == 200
    assert "jdoe-esq" in text(form)
    done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "CM/ECF password changed" in text(done)
    account = linking_services.check_cmecf_credentials(
        court=arb,
        login="jdoe-esq",
        password=NEW_PASSWORD,
        pacer_account=attorney,
        ip=None,
        now=PINNED_NOW,
    )
    request.refresh_from_db()
    assert account == request.issued_cmecf_account
    assert not FilingRight.objects.exists()


def test_a_court_that_assigns_logins_does_not_ask_for_one(client, attorney):
    CourtFactory(id="akb", name="Assigning Court", court_type="bankruptcy", currentgen=True)
    client.force_login(attorney)
    assert 'name="requested_login"' not in text(client.get("/ecf/akb/register/"))


def test_a_nextgen_court_sends_site_registration_to_manage_my_account(client, attorney, flsb):
    client.force_login(attorney)
    page = text(client.get("/ecf/flsb/register/"))
    assert "is on NextGen CM/ECF" in page
    assert f'href="{FLSB_FORM}"' in page
    assert 'name="registration_type"' not in page
    assert client.post("/ecf/flsb/register/", attorney_post()).status_code == 200
    assert not EfileRegistration.objects.exists()
    assert client.get("/ecf/nowhere/register/").status_code == 404


# Query budgets -------------------------------------------------------------------------------


def _requests_and_rights(holder, flsb, n: int) -> EfileRegistration:
    for _ in range(n):
        EfileRegistrationFactory(pacer_account=holder, court=flsb, cancelled=True)
        FilingRightFactory(holder=holder)
    return EfileRegistrationFactory(pacer_account=holder, court=flsb)


def test_the_pages_query_counts_do_not_grow_with_rows(client, flsb, django_assert_max_num_queries):
    few, many = UserFactory(attorney=True), UserFactory(attorney=True)
    few_open = _requests_and_rights(few, flsb, 3)
    many_open = _requests_and_rights(many, flsb, 30)
    counts = {}
    for name, user, open_request in (("few", few, few_open), ("many", many, many_open)):
        client.force_login(user)
        client.get(INDEX)  # warm the session and caches
        client.get(f"/account/efile/{open_request.pk}/")
        counts[name] = (
            count_queries(client, INDEX),
            count_queries(client, f"/account/efile/{open_request.pk}/"),
        )
    assert counts["few"] == counts["many"], counts
    with django_assert_max_num_queries(8):
        response = client.get(INDEX)
    assert len(response.context["rights"]) == 30
    # 30 cancelled, 30 approved (behind the rights) and the open one.
    assert len(response.context["registrations"]) == 61
