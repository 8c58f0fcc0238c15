"""The clerks' console for e-file registration: the court-scoped queue (flsb's LF-95 shown),
approve / reject through the services with per-request results and decision emails, the
read-only request page, the filing rights list, and query counts that don't grow with rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from filing.models import EfileRegistration, EfileRegistrationEvent, FilingRight
from filing.services.rights import right_in
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.factories import CaseFactory, EfileRegistrationFactory, FilingRightFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

S = EfileRegistration.Status
QUEUE = "/console/filing/efileregistration/"
RIGHTS = "/console/filing/filingright/"
DAY = dt.timedelta(days=1)


@pytest.fixture
def lf95_request(flsb, attorney):
    """A new attorney's request in flsb, LF-95 completed on 10 Nov 2026."""
    return EfileRegistrationFactory(
        pacer_account=attorney,
        court=flsb,
        registration_type="attorney_admission",
        local_form="LF-95",
        local_form_completed_on=dt.date(2026, 11, 10),
        local_form_reference="LF95-7731",
        submitted_at=PINNED_NOW - 2 * DAY,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _act(client, action, *pks, **extra):
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
    return client.post(QUEUE, data, follow=True)


def _deliver(template: str) -> None:
    for pk in OutboundEmail.objects.filter(template=template).values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The queue is court-scoped -------------------------------------------------------------------


def test_the_clerk_sees_the_lf95_in_their_courts_queue(client, flsb_clerk, lf95_request):
    client.force_login(flsb_clerk)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [lf95_request.pk]
    page = response.content.decode()
    assert "LF-95 ✓ 2026-11-10" in page
    assert lf95_request.pacer_account.account_number in page
    assert "Attorney admission" in page
    assert "2\xa0days ago" in page  # timesince joins with a no-break space


def test_another_courts_clerk_sees_nothing_and_gets_404(
    client, other_clerk, lf95_request, other_court
):
    theirs = EfileRegistrationFactory(court=other_court)
    client.force_login(other_clerk)
    assert [r.pk for r in client.get(QUEUE).context["cl"].result_list] == [theirs.pk]
    assert client.get(f"{QUEUE}{lf95_request.pk}/change/").status_code == 404
    assert client.get(f"{QUEUE}99999/change/").status_code == 404
    # A forged action on flsb's request changes nothing and emails no one.
    _act(client, "approve_registrations", lf95_request.pk)
    _act(client, "reject_registrations", lf95_request.pk, confirm="1", reason="Not ours.")
    lf95_request.refresh_from_db()
    assert lf95_request.status == S.PENDING_REVIEW
    assert not FilingRight.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_someone_who_is_not_court_staff_cannot_open_the_console(client, attorney, lf95_request):
    client.force_login(attorney)
    assert client.get(QUEUE).status_code == 302


def test_psc_staff_see_every_court_and_filter_by_court(client, staff, lf95_request, other_court):
    EfileRegistrationFactory(court=other_court)
    client.force_login(staff)
    assert client.get(QUEUE).context["cl"].result_count == 2
    assert client.get(f"{QUEUE}?court__id__exact=flsb").context["cl"].result_count == 1


def test_filters_and_search(client, flsb, flsb_clerk, lf95_request):
    EfileRegistrationFactory(court=flsb, rejected=True, submitted_at=PINNED_NOW - 40 * DAY)
    client.force_login(flsb_clerk)

    def count(query):
        return client.get(f"{QUEUE}?{query}").context["cl"].result_count

    assert count("status__exact=pending_review") == 1
    assert count("local_form=yes") == 1
    assert count("local_form=no") == 1
    assert count("age=older") == 1
    assert count("registration_type__exact=attorney_admission") == 1
    assert count(f"q={lf95_request.pacer_account.account_number}") == 1
    assert count(f"q={lf95_request.pacer_account.last_name}") == 1


def test_the_request_page_is_read_only_with_details_and_history(client, flsb_clerk, lf95_request):
    client.force_login(flsb_clerk)
    page = client.get(f"{QUEUE}{lf95_request.pk}/change/")
    html = page.content.decode()
    assert "LF-95 ✓ 2026-11-10 (LF95-7731)" in html
    assert "2016042 (Florida)" in html
    assert lf95_request.pacer_account.email in html
    assert 'name="_save"' not in html
    assert "Approve this request" in html
    assert "Reject with a reason" in html
    assert client.post(f"{QUEUE}{lf95_request.pk}/change/", {"status": "approved"}).status_code in (
        403,
        404,
    )
    lf95_request.refresh_from_db()
    assert lf95_request.status == S.PENDING_REVIEW


# Approve and reject through the services ------------------------------------------------------


def test_approve_grants_the_right_and_emails_once_reporting_each_request(
    client, flsb, flsb_clerk, lf95_request
):
    already = EfileRegistrationFactory(court=flsb, approved=True)
    client.force_login(flsb_clerk)
    response = _act(client, "approve_registrations", lf95_request.pk, already.pk)

    lf95_request.refresh_from_db()
    assert (lf95_request.status, lf95_request.decided_by) == (S.APPROVED, flsb_clerk)
    right = FilingRight.objects.get(holder=lf95_request.pacer_account, court=flsb)
    assert (right.source, right.registration, right.role) == (
        FilingRight.Source.REGISTRATION,
        lf95_request,
        "attorney",
    )
    event = EfileRegistrationEvent.objects.get(registration=lf95_request)
    assert (event.to_status, event.actor) == (S.APPROVED, flsb_clerk)
    approvals = OutboundEmail.objects.filter(template="filing/email/registration_approved")
    assert list(approvals.values_list("to", flat=True)) == [lf95_request.pacer_account.email]
    notes = _messages(response)
    assert any(f"Approved request #{lf95_request.pk}" in note for note in notes)
    assert any(f"Left request #{already.pk} as it was: it is Approved" in note for note in notes)

    _act(client, "approve_registrations", lf95_request.pk)  # twice: nothing more
    assert approvals.count() == 1
    assert FilingRight.objects.count() == 1


def test_reject_asks_for_a_reason_then_emails_it(client, flsb_clerk, lf95_request):
    client.force_login(flsb_clerk)
    page = client.post(
        QUEUE, {"action": "reject_registrations", "_selected_action": [str(lf95_request.pk)]}
    )
    assert page.status_code == 200
    assert "filing/admin/reject.html" in [t.name for t in page.templates]
    assert "LF-95 ✓ 2026-11-10" in page.content.decode()
    again = client.post(
        QUEUE,
        {
            "action": "reject_registrations",
            "_selected_action": [str(lf95_request.pk)],
            "confirm": "1",
            "reason": "   ",
        },
    )
    assert again.status_code == 200
    assert again.context["form"].errors
    lf95_request.refresh_from_db()
    assert lf95_request.status == S.PENDING_REVIEW

    reason = "LF-95 is not signed. Sign it and submit a new request."
    response = _act(client, "reject_registrations", lf95_request.pk, confirm="1", reason=reason)
    lf95_request.refresh_from_db()
    assert (lf95_request.status, lf95_request.reason) == (S.REJECTED, reason)
    assert any("Rejected request" in note for note in _messages(response))
    _deliver("filing/email/registration_rejected")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [lf95_request.pacer_account.email]
    assert "was not approved" in mail.outbox[0].subject
    assert reason in mail.outbox[0].body
    assert "What you can do next" in mail.outbox[0].body
    assert not FilingRight.objects.exists()


def test_pro_hac_vice_approval_is_limited_to_the_case(client, flsb, flsb_clerk, attorney):
    case, other = CaseFactory(court=flsb), CaseFactory(court=flsb)
    phv = EfileRegistrationFactory(
        pacer_account=attorney,
        court=flsb,
        registration_type="pro_hac_vice",
        case_number=case.number,
    )
    missing = EfileRegistrationFactory(
        court=flsb, registration_type="pro_hac_vice", case_number="9:99-bk-99999"
    )
    client.force_login(flsb_clerk)
    assert case.number in client.get(QUEUE).content.decode()
    response = _act(client, "approve_registrations", phv.pk, missing.pk)
    notes = _messages(response)
    assert any(f"may file in case {case.number}" in note for note in notes)
    assert any("does not exist in" in note for note in notes)
    assert right_in(attorney, flsb, case) is not None
    assert right_in(attorney, flsb, other) is None
    missing.refresh_from_db()
    assert missing.status == S.PENDING_REVIEW

    rights = client.get(RIGHTS).content.decode()
    assert f"{case.number} only (pro hac vice)" in rights


def test_currentgen_approval_issues_the_login(client, attorney):
    arb = CourtFactory(id="arb", court_type="bankruptcy", currentgen=True)
    clerk = UserFactory(username="arbclerk9", with_totp=True)
    add_court_staff(court=arb, user=clerk, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    request = EfileRegistrationFactory(
        pacer_account=attorney,
        court=arb,
        channel=EfileRegistration.Channel.COURT_SITE,
        requested_login="jdoe-esq",
    )
    client.force_login(clerk)
    response = _act(client, "approve_registrations", request.pk)
    assert any("issued the CM/ECF login jdoe-esq" in note for note in _messages(response))
    assert (
        OutboundEmail.objects.filter(template="filing/email/registration_login_issued").count() == 1
    )
    assert "jdoe-esq" in client.get(f"{QUEUE}{request.pk}/change/").content.decode()


# Filing rights -----------------------------------------------------------------------------


def test_rights_are_court_scoped_and_read_only(client, flsb, other_court, flsb_clerk):
    mine = FilingRightFactory(court=flsb)
    theirs = FilingRightFactory(court=other_court)
    client.force_login(flsb_clerk)
    response = client.get(RIGHTS)
    assert [r.pk for r in response.context["cl"].result_list] == [mine.pk]
    assert "All cases" in response.content.decode()
    assert client.get(f"{RIGHTS}{mine.pk}/change/").status_code == 200
    assert 'name="_save"' not in client.get(f"{RIGHTS}{mine.pk}/change/").content.decode()
    assert client.get(f"{RIGHTS}{theirs.pk}/change/").status_code == 404
    assert client.get(f"{RIGHTS}add/").status_code == 403


# Query counts --------------------------------------------------------------------------------


def test_console_query_counts_do_not_grow_with_rows(
    client, flsb, flsb_clerk, django_assert_max_num_queries
):
    def fill(n):
        FilingRight.objects.all().delete()
        EfileRegistration.objects.all().delete()
        rows = EfileRegistrationFactory.create_batch(
            n, court=flsb, local_form="LF-95", local_form_completed_on=dt.date(2026, 11, 10)
        )
        FilingRightFactory.create_batch(n, court=flsb)
        return rows[0]

    client.force_login(flsb_clerk)
    counts = {}
    for n in (3, 30):
        first = fill(n)
        client.get(QUEUE)  # warm (session, permissions, clock cache, content types)
        client.get(f"{QUEUE}{first.pk}/change/")
        counts[n] = (
            _count(client, QUEUE),
            _count(client, f"{QUEUE}{first.pk}/change/"),
            _count(client, RIGHTS),
        )
    assert counts[3] == counts[30], counts
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 60  # 30 + the rights' own approvals
