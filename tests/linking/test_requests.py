"""The link request state machine: preconditions, transitions, processing, decisions and
their emails, expiry and the sweeper."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from courts.models import Court
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from linking import services, tasks
from linking.errors import IllegalTransition, LinkRefused, ReasonRequired
from linking.models import CmecfAccount, LinkEvent, LinkRequest
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.linking.factories import CmecfAccountFactory, LinkRequestFactory

pytestmark = pytest.mark.django_db

NOW = PINNED_NOW
S = LinkRequest.Status


def _events(request):
    return list(LinkEvent.objects.filter(request=request).values_list("from_status", "to_status"))


def _deliver_all():
    for pk in OutboundEmail.objects.filter(status="pending").values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})


# Submit -------------------------------------------------------------------------------------


def test_submit_creates_a_submitted_request_and_queues_processing_after_commit(
    holder, cmecf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        request = services.submit_link_request(pacer_account=holder, cmecf_account=cmecf, now=NOW)
    assert request.status == S.SUBMITTED
    assert request.court_id == "azb"
    assert request.submitted_at == NOW
    assert request.expires_at == NOW + dt.timedelta(days=14)
    assert request.processing_enqueued_at is not None
    assert _events(request) == [("", S.SUBMITTED)]
    assert LinkEvent.objects.get(request=request).actor == holder
    assert len(callbacks) == 1  # the processing task, only after commit


def test_expiry_follows_the_courts_setting(holder, cmecf, court):
    Court.objects.filter(pk=court.pk).update(link_request_expiry_days=30)
    cmecf.refresh_from_db()
    request = services.submit_link_request(pacer_account=holder, cmecf_account=cmecf, now=NOW)
    assert request.expires_at == NOW + dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"legacy": True}, "Upgrade your account first"),
        ({"shared": True}, "Shared PACER accounts cannot be used to link"),
        ({"on_hold": True}, "waiting for PACER Service Center review"),
        ({"email_verified": False}, "Verify your email address"),
    ],
)
def test_account_rules_refuse_with_their_own_message(cmecf, traits, message):
    account = UserFactory(attorney=True, **traits)
    with pytest.raises(LinkRefused) as refused:
        services.submit_link_request(pacer_account=account, cmecf_account=cmecf, now=NOW)
    assert message in refused.value.reason
    assert not LinkRequest.objects.exists()


def test_mfa_refusal_once_the_filer_skipped_too_often(cmecf, settings):
    settings.CSO_MFA_FILER_ENFORCEMENT_DATE = dt.date(2026, 1, 1)
    account = UserFactory(attorney=True, mfa_prompt_skips=4)
    with pytest.raises(LinkRefused, match="Set up two-factor authentication"):
        services.submit_link_request(pacer_account=account, cmecf_account=cmecf, now=NOW)


def test_linking_opens_on_the_go_live_date_not_the_day_before(holder):
    court = CourtFactory(upcoming=True)  # goes live 28 Nov 2026
    login = CmecfAccountFactory(court=court)
    day_before = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)
    with pytest.raises(LinkRefused) as refused:
        services.submit_link_request(pacer_account=holder, cmecf_account=login, now=day_before)
    assert refused.value.reason.startswith("Linking opens on November 28, 2026")

    go_live = dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC)
    request = services.submit_link_request(pacer_account=holder, cmecf_account=login, now=go_live)
    assert request.status == S.SUBMITTED


def test_the_training_clock_decides_the_day(holder, frozen_clock):
    """Services take ``now`` from the one clock: a trainer setting the day before go-live
    makes linking refuse; the go-live day makes it open."""
    from cso_portal import clock
    from cso_portal.core.services import set_simulated_date

    court = CourtFactory(upcoming=True)
    login = CmecfAccountFactory(court=court)
    set_simulated_date(day=dt.date(2026, 11, 27), actor=None, reason="rehearsal", now=NOW)
    with pytest.raises(LinkRefused, match="Linking opens on November 28, 2026"):
        services.submit_link_request(pacer_account=holder, cmecf_account=login, now=clock.now())
    set_simulated_date(day=dt.date(2026, 11, 28), actor=None, reason="go-live day", now=NOW)
    request = services.submit_link_request(
        pacer_account=holder, cmecf_account=login, now=clock.now()
    )
    assert request.submitted_at.date() == dt.date(2026, 11, 28)


def test_a_court_without_a_date_says_so(holder):
    login = CmecfAccountFactory(court=CourtFactory(currentgen=True, name="Test Court X"))
    with pytest.raises(LinkRefused, match="Test Court X has not announced"):
        services.submit_link_request(pacer_account=holder, cmecf_account=login, now=NOW)


def test_a_login_linked_to_someone_else_is_refused(holder, court):
    login = CmecfAccountFactory(court=court, linked=True)
    with pytest.raises(LinkRefused, match="already linked to a PACER account"):
        services.submit_link_request(pacer_account=holder, cmecf_account=login, now=NOW)


def test_a_login_already_linked_to_me_is_refused_with_its_own_message(holder, court):
    login = CmecfAccountFactory(court=court, linked=True, linked_account=holder)
    with pytest.raises(LinkRefused, match="already linked to your PACER account"):
        services.submit_link_request(pacer_account=holder, cmecf_account=login, now=NOW)


def test_a_second_login_in_the_same_court_points_to_filing_agents(holder, court):
    CmecfAccountFactory(court=court, linked=True, linked_account=holder)
    second = CmecfAccountFactory(court=court)
    with pytest.raises(LinkRefused, match="use filing agents"):
        services.submit_link_request(pacer_account=holder, cmecf_account=second, now=NOW)


def test_an_open_request_in_the_court_blocks_another(holder, cmecf, court):
    services.submit_link_request(pacer_account=holder, cmecf_account=cmecf, now=NOW)
    other = CmecfAccountFactory(court=court)
    with pytest.raises(LinkRefused, match="already have a link request for this court"):
        services.submit_link_request(pacer_account=holder, cmecf_account=other, now=NOW)


def test_a_retired_or_court_locked_login_cannot_be_linked(holder, court):
    for trait in ("retired", "court_locked"):
        login = CmecfAccountFactory(court=court, **{trait: True})
        with pytest.raises(LinkRefused, match="can no longer be used"):
            services.submit_link_request(pacer_account=holder, cmecf_account=login, now=NOW)


def test_the_database_allows_one_open_request_per_court(holder, court):
    from django.db import IntegrityError, transaction

    LinkRequestFactory(pacer_account=holder, court=court, pending_review=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkRequestFactory(pacer_account=holder, court=court)
    LinkRequestFactory(pacer_account=holder, court=court, rejected=True)  # closed ones: fine


# Processing ---------------------------------------------------------------------------------


def test_processing_moves_to_pending_review_and_a_second_run_changes_nothing(holder, cmecf):
    request = services.submit_link_request(pacer_account=holder, cmecf_account=cmecf, now=NOW)
    with time_machine.travel(NOW, tick=False):
        tasks.process_link_request.apply(kwargs={"request_id": request.pk})
        request.refresh_from_db()
        assert request.status == S.PENDING_REVIEW
        assert request.verified_at == NOW
        assert request.flags == []
        assert request.clerk_digest is None  # awaits the next digest; no email per request
        events_before = _events(request)

        tasks.process_link_request.apply(kwargs={"request_id": request.pk})
    request.refresh_from_db()
    assert request.status == S.PENDING_REVIEW
    assert (
        _events(request)
        == events_before
        == [
            ("", S.SUBMITTED),
            (S.SUBMITTED, S.VERIFIED),
            (S.VERIFIED, S.PENDING_REVIEW),
        ]
    )
    assert OutboundEmail.objects.count() == 0


def test_processing_an_unknown_request_does_nothing():
    assert services.process_link_request(request_id=987654, now=NOW) is None


def test_flags_for_the_clerk(court):
    pacer = UserFactory(attorney=True, first_name="Jordan", last_name="Reyes")
    login = CmecfAccountFactory(
        court=court, holder_name="Jordan Reyes-Smith", email_of_record="jr@elsewhere.test"
    )
    rival = UserFactory(attorney=True)
    LinkRequestFactory(pacer_account=rival, court=court, cmecf_account=login, pending_review=True)
    request = LinkRequestFactory(pacer_account=pacer, court=court, cmecf_account=login)

    services.process_link_request(request_id=request.pk, now=NOW)

    request.refresh_from_db()
    assert request.flags == ["name_differs", "email_differs", "several_requests_for_login"]


def test_names_match_across_order_case_initials_and_suffixes(court):
    pacer = UserFactory(attorney=True, first_name="José", last_name="Núñez")
    login = CmecfAccountFactory(
        court=court, holder_name="NUNEZ, Jose R., Esq.", email_of_record=pacer.email.upper()
    )
    request = LinkRequestFactory(pacer_account=pacer, court=court, cmecf_account=login)
    services.process_link_request(request_id=request.pk, now=NOW)
    request.refresh_from_db()
    assert request.flags == []


def test_processing_fails_a_request_whose_preconditions_no_longer_hold(holder, cmecf):
    request = services.submit_link_request(pacer_account=holder, cmecf_account=cmecf, now=NOW)
    holder.is_shared = True
    holder.save(update_fields=["is_shared"])

    services.process_link_request(request_id=request.pk, now=NOW)

    request.refresh_from_db()
    assert request.status == S.FAILED
    assert "Shared PACER accounts" in request.reason
    assert request.decided_at == NOW
    assert _events(request)[-1] == (S.VERIFIED, S.FAILED)
    email = OutboundEmail.objects.get()
    assert (email.to, email.template) == (holder.email, "linking/email/failed")
    _deliver_all()
    assert "Shared PACER accounts" in mail.outbox[0].body
    assert "training simulation" in mail.outbox[0].body


def test_a_court_without_review_approves_at_once(holder):
    court = CourtFactory(appellate=True, nextgen=True, link_review_required=False)
    login = CmecfAccountFactory(court=court, holder_name=holder.full_name)
    request = services.submit_link_request(pacer_account=holder, cmecf_account=login, now=NOW)

    services.process_link_request(request_id=request.pk, now=NOW)

    request.refresh_from_db()
    assert request.status == S.APPROVED
    assert request.decided_by is None
    assert _events(request) == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.VERIFIED),
        (S.VERIFIED, S.APPROVED),
    ]
    login.refresh_from_db()
    assert (login.linked_account, login.status) == (holder, CmecfAccount.Status.RETIRED)
    assert OutboundEmail.objects.filter(template="linking/email/linked").count() == 2


def test_the_loader_creates_appellate_courts_without_review():
    from courts.services import load_reference_data

    load_reference_data(now=NOW)
    assert not Court.objects.filter(court_type="appellate", link_review_required=True).exists()
    assert not Court.objects.filter(court_type="district", link_review_required=False).exists()


# Approval -----------------------------------------------------------------------------------


def test_approval_links_retires_the_login_and_emails_every_verified_address_once(
    holder, cmecf, clerk, django_capture_on_commit_callbacks
):
    request = LinkRequestFactory(
        pacer_account=holder, court=cmecf.court, cmecf_account=cmecf, pending_review=True
    )
    later = NOW + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks() as callbacks:
        approved = services.approve_link_request(request=request, actor=clerk, now=later)

    assert approved.status == S.APPROVED
    assert (approved.decided_at, approved.decided_by) == (later, clerk)
    cmecf.refresh_from_db()
    assert cmecf.linked_account == holder
    assert cmecf.linked_at == later
    assert cmecf.status == CmecfAccount.Status.RETIRED
    assert _events(approved) == [(S.PENDING_REVIEW, S.APPROVED)]
    assert LinkEvent.objects.get(request=request).actor == clerk
    emails = OutboundEmail.objects.filter(template="linking/email/linked")
    assert sorted(emails.values_list("to", flat=True)) == [
        "avery@example.test",
        "avery@home.example.test",
    ]
    assert len(callbacks) == 2  # delivery queued after commit, one per address

    with time_machine.travel(later, tick=False):
        _deliver_all()
        for pk in emails.values_list("pk", flat=True):  # delivery run twice: sent once
            core_tasks.deliver_email.apply(kwargs={"email_id": pk})
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "your account has been linked" in message.subject.lower()
    assert "your account has been linked" in message.body
    assert "alawson" in message.body
    assert "This wasn't me?" in message.body
    assert "http://127.0.0.1:8000/account/" in message.body
    assert "(800) 676-6856" in message.body
    assert "training simulation" in message.body
    html = message.alternatives[0][0]
    assert "This wasn&#x27;t me?" in html or "This wasn't me?" in html
    assert 'href="http://127.0.0.1:8000/account/"' in html

    # The retired login no longer works on the link form either.
    with pytest.raises(services.BadCredentials):
        services.check_cmecf_credentials(
            court=cmecf.court,
            login="alawson",
            password="court-issued Pa55word",
            pacer_account=holder,
            ip="203.0.113.9",
            now=later,
        )


def test_approving_twice_raises_and_sends_nothing_more(holder, cmecf, clerk):
    request = LinkRequestFactory(
        pacer_account=holder, court=cmecf.court, cmecf_account=cmecf, pending_review=True
    )
    services.approve_link_request(request=request, actor=clerk, now=NOW)
    with pytest.raises(IllegalTransition) as illegal:
        services.approve_link_request(request=request, actor=clerk, now=NOW)
    assert (illegal.value.from_status, illegal.value.to_status) == (S.APPROVED, S.APPROVED)
    assert OutboundEmail.objects.count() == 2
    assert LinkEvent.objects.filter(request=request).count() == 1


def test_approval_is_refused_when_the_login_was_linked_meanwhile(holder, court, clerk):
    login = CmecfAccountFactory(court=court)
    first = LinkRequestFactory(court=court, cmecf_account=login, pending_review=True)
    second = LinkRequestFactory(
        pacer_account=holder, court=court, cmecf_account=login, pending_review=True
    )
    services.approve_link_request(request=first, actor=clerk, now=NOW)
    with pytest.raises(LinkRefused):
        services.approve_link_request(request=second, actor=clerk, now=NOW)
    second.refresh_from_db()
    assert second.status == S.PENDING_REVIEW


# Rejection, cancellation, expiry ------------------------------------------------------------


def test_rejection_needs_a_reason_and_tells_the_holder_what_to_do_next(holder, cmecf, clerk):
    request = LinkRequestFactory(
        pacer_account=holder, court=cmecf.court, cmecf_account=cmecf, pending_review=True
    )
    with pytest.raises(ReasonRequired):
        services.reject_link_request(request=request, actor=clerk, reason="  ", now=NOW)

    rejected = services.reject_link_request(
        request=request, actor=clerk, reason="The bar number does not match.", now=NOW
    )
    assert rejected.status == S.REJECTED
    assert rejected.reason == "The bar number does not match."
    assert (rejected.decided_at, rejected.decided_by) == (NOW, clerk)
    assert _events(rejected) == [(S.PENDING_REVIEW, S.REJECTED)]
    _deliver_all()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [holder.email]
    assert "The bar number does not match." in message.body
    assert "(602) 682-4000 (Phoenix)" in message.body
    assert "Attorney Admissions/E-File Registration" in message.body
    assert "Try linking again" in message.alternatives[0][0]
    assert "training simulation" in message.body


@pytest.mark.parametrize("trait", ["submitted", "verified", "pending_review"])
def test_the_requester_may_cancel_an_open_request(holder, cmecf, trait):
    traits = {} if trait == "submitted" else {trait: True}
    request = LinkRequestFactory(
        pacer_account=holder, court=cmecf.court, cmecf_account=cmecf, **traits
    )
    cancelled = services.cancel_link_request(request=request, actor=holder, now=NOW)
    assert cancelled.status == S.CANCELLED
    assert cancelled.decided_by == holder
    assert _events(cancelled) == [(trait, S.CANCELLED)]


def test_expiry_closes_open_requests_past_their_date_and_tells_the_holder(holder, cmecf):
    due = LinkRequestFactory(
        pacer_account=holder, court=cmecf.court, cmecf_account=cmecf, pending_review=True
    )
    not_yet = LinkRequestFactory(court=cmecf.court, pending_review=True)
    not_yet.expires_at = NOW + dt.timedelta(days=20)
    not_yet.save(update_fields=["expires_at"])
    decided = LinkRequestFactory(court=cmecf.court, rejected=True)

    later = NOW + dt.timedelta(days=15)
    assert services.expire_link_requests(now=later) == 1
    assert services.expire_link_requests(now=later) == 0

    due.refresh_from_db()
    assert due.status == S.EXPIRED
    assert due.reason == "No decision within 14 days."
    assert _events(due) == [(S.PENDING_REVIEW, S.EXPIRED)]
    not_yet.refresh_from_db()
    decided.refresh_from_db()
    assert (not_yet.status, decided.status) == (S.PENDING_REVIEW, S.REJECTED)
    _deliver_all()
    assert [m.to for m in mail.outbox] == [[holder.email]]
    assert "within 14 days" in mail.outbox[0].body


# Every transition: legal ones move, illegal ones raise --------------------------------------

CLOSED = ["approved", "rejected", "cancelled", "expired", "failed"]


@pytest.mark.parametrize("state", ["submitted", "verified", *CLOSED])
def test_approve_is_illegal_outside_pending_review(clerk, state):
    traits = {} if state == "submitted" else {state: True}
    request = LinkRequestFactory(**traits)
    with pytest.raises(IllegalTransition):
        services.approve_link_request(request=request, actor=clerk, now=NOW)
    request.refresh_from_db()
    assert request.status == state


@pytest.mark.parametrize("state", ["submitted", "verified", *CLOSED])
def test_reject_is_illegal_outside_pending_review(clerk, state):
    traits = {} if state == "submitted" else {state: True}
    request = LinkRequestFactory(**traits)
    with pytest.raises(IllegalTransition):
        services.reject_link_request(request=request, actor=clerk, reason="No.", now=NOW)


@pytest.mark.parametrize("state", CLOSED)
def test_cancel_is_illegal_once_decided(state):
    request = LinkRequestFactory(**{state: True})
    with pytest.raises(IllegalTransition):
        services.cancel_link_request(request=request, actor=request.pacer_account, now=NOW)


@pytest.mark.parametrize("state", ["verified", "pending_review", *CLOSED])
def test_processing_only_starts_from_submitted(state):
    request = LinkRequestFactory(**{state: True})
    assert services.process_link_request(request_id=request.pk, now=NOW) is None
    request.refresh_from_db()
    assert request.status == state
    assert not LinkEvent.objects.filter(request=request).exists()


def test_no_event_is_written_for_a_refused_move(clerk):
    request = LinkRequestFactory(rejected=True)
    with pytest.raises(IllegalTransition):
        services.cancel_link_request(request=request, actor=clerk, now=NOW)
    assert not LinkEvent.objects.exists()


# The sweeper --------------------------------------------------------------------------------


def test_the_sweeper_requeues_only_requests_stuck_in_submitted(
    holder, cmecf, django_capture_on_commit_callbacks
):
    real = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)
    stuck = LinkRequestFactory(
        pacer_account=holder,
        court=cmecf.court,
        cmecf_account=cmecf,
        processing_enqueued_at=real - dt.timedelta(minutes=3),
    )
    fresh = LinkRequestFactory(processing_enqueued_at=real - dt.timedelta(seconds=30))
    LinkRequestFactory(pending_review=True, processing_enqueued_at=real - dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.sweep_link_requests(now=real) == 1
    assert len(callbacks) == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.processing_enqueued_at == real
    assert fresh.processing_enqueued_at == real - dt.timedelta(seconds=30)
    assert services.sweep_link_requests(now=real) == 0  # just re-queued: not stale yet
