"""The clerks' digest (one email per clerk per round, never twice) and the access helpers
(a clerk sees only their courts' requests; holders only their own; 404 alike)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.http import Http404

from courts.models import CourtStaff
from courts.services import add_court_staff, make_psc_staff
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from linking import access, services, tasks
from linking.models import ClerkDigest, LinkRequest
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.linking.factories import LinkRequestFactory

pytestmark = pytest.mark.django_db

NOW = PINNED_NOW


def _reviewable(court, n):
    requests = [LinkRequestFactory(court=court) for _ in range(n)]
    for request in requests:
        services.process_link_request(request_id=request.pk, now=NOW)
    return requests


def test_three_requests_make_one_email_per_clerk_and_a_rerun_sends_nothing(court, clerk):
    second_clerk = UserFactory(username="azbclerk2")
    add_court_staff(court=court, user=second_clerk, role=CourtStaff.Role.CLERK, now=NOW)
    help_desk = UserFactory(username="azbhelp")
    add_court_staff(court=court, user=help_desk, role=CourtStaff.Role.HELP_DESK, now=NOW)
    other_court = CourtFactory(nextgen=True)
    other_clerk = UserFactory(username="otherclerk")
    add_court_staff(court=other_court, user=other_clerk, role=CourtStaff.Role.CLERK, now=NOW)
    _reviewable(court, 3)
    LinkRequestFactory(court=court)  # still submitted: not reviewable yet

    later = NOW + dt.timedelta(minutes=5)
    assert services.send_clerk_digests(now=later) == 1
    assert services.send_clerk_digests(now=later + dt.timedelta(minutes=5)) == 0

    digest = ClerkDigest.objects.get()
    assert (digest.court, digest.request_count, digest.window_end) == (court, 3, later)
    emails = OutboundEmail.objects.filter(template="linking/email/clerk_digest")
    assert sorted(emails.values_list("to", flat=True)) == sorted([clerk.email, second_clerk.email])
    assert all("azb" in key for key in emails.values_list("dedupe_key", flat=True))

    for pk in emails.values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "3 new link requests to review" in message.subject
    assert "3 new link requests are waiting for review" in message.body
    assert "Waiting in all: 3" in message.body
    assert "/console/" in message.body
    assert "training simulation" in message.body


def test_a_new_request_after_a_digest_makes_a_new_digest(court, clerk):
    _reviewable(court, 2)
    services.send_clerk_digests(now=NOW)
    _reviewable(court, 1)
    assert services.send_clerk_digests(now=NOW + dt.timedelta(minutes=5)) == 1
    newest = ClerkDigest.objects.first()
    assert newest.request_count == 1
    emails = OutboundEmail.objects.filter(to=clerk.email).order_by("pk")
    assert emails.count() == 2
    assert emails.last().context["pending_total"] == 3
    assert emails.last().context["new_count"] == 1


def test_the_digest_task_uses_the_clock(court, clerk, frozen_clock):
    _reviewable(court, 1)
    tasks.send_clerk_digests.apply()
    tasks.send_clerk_digests.apply()
    assert ClerkDigest.objects.get().window_end == NOW
    assert OutboundEmail.objects.filter(to=clerk.email).count() == 1


def test_beat_runs_the_linking_tasks():
    from django.conf import settings

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "linking.send_clerk_digests",
        "linking.expire_link_requests",
        "linking.sweep_link_requests",
    } <= scheduled


# Access -------------------------------------------------------------------------------------


def test_a_clerk_sees_only_their_courts_requests(court, clerk):
    mine = LinkRequestFactory(court=court, pending_review=True)
    theirs = LinkRequestFactory(court=CourtFactory(id="areb", nextgen=True), pending_review=True)

    assert list(access.link_requests_for_clerk(clerk)) == [mine]
    assert access.get_link_request_for_clerk(clerk, mine.pk) == mine
    with pytest.raises(Http404):
        access.get_link_request_for_clerk(clerk, theirs.pk)
    with pytest.raises(Http404):
        access.get_link_request_for_clerk(clerk, 999999)
    with pytest.raises(Http404):
        access.get_link_request_for_clerk(clerk, "not-a-number")


def test_psc_staff_see_every_court_and_strangers_none(court):
    LinkRequestFactory(court=court)
    LinkRequestFactory(court=CourtFactory(nextgen=True))
    psc = UserFactory()
    make_psc_staff(user=psc)
    assert access.link_requests_for_clerk(psc).count() == 2
    assert access.link_requests_for_clerk(UserFactory()).count() == 0


def test_a_holder_opens_only_their_own_request(holder):
    from django.contrib.auth.models import AnonymousUser

    mine = LinkRequestFactory(pacer_account=holder)
    other = LinkRequestFactory()
    assert access.get_link_request_for_holder(holder, mine.pk) == mine
    with pytest.raises(Http404):
        access.get_link_request_for_holder(holder, other.pk)
    with pytest.raises(Http404):
        access.get_link_request_for_holder(AnonymousUser(), mine.pk)
    assert LinkRequest.objects.count() == 2
