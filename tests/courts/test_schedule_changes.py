"""Schedule changes by court staff, and the email updates they send (seed 003)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail

from courts import services
from courts.models import Court, GoLiveChange, Subscription
from cso_portal import clock
from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _court(court_id, name, court_type=Court.CourtType.BANKRUPTCY, nextgen_date=None):
    return Court.objects.create(
        id=court_id,
        feed_code=court_id.upper() + "K",
        name=name,
        court_type=court_type,
        circuit="09",
        nextgen_date=nextgen_date,
    )


@pytest.fixture
def azb(db):
    return _court("azb", "Arizona Bankruptcy Court", nextgen_date=dt.date(2021, 6, 28))


@pytest.fixture
def areb(db):
    return _court("areb", "Arkansas Eastern Bankruptcy Court", nextgen_date=dt.date(2021, 3, 29))


@pytest.fixture
def clerk_of_azb(azb):
    """Clerk of court A."""
    user = UserFactory(username="azbclerk1")
    services.add_court_staff(court=azb, user=user, role="clerk", now=clock.now())
    return user


@pytest.fixture
def clerk_of_areb(areb):
    """Clerk of court B."""
    user = UserFactory(username="arebclerk1")
    services.add_court_staff(court=areb, user=user, role="clerk", now=clock.now())
    return user


def _deliver_all_twice():
    """Run every outbox delivery task twice, as a redelivered message would."""
    for _round in range(2):
        for email_id in OutboundEmail.objects.values_list("pk", flat=True):
            core_tasks.deliver_email.apply(kwargs={"email_id": email_id})


def _link(message, kind):
    match = re.search(
        rf"http://127\.0\.0\.1:8000(/courts/subscriptions/{kind}/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def _subscribe_and_confirm(client, court, email):
    mail.outbox.clear()
    client.post(f"/courts/{court.id}/subscribe/", {"email": email})
    _deliver_all_twice()
    (message,) = [m for m in mail.outbox if email in m.to]
    response = client.post(_link(message, "confirm"))
    assert response.status_code == 200
    mail.outbox.clear()


def test_subscribing_needs_a_confirmation_from_the_inbox(client, azb):
    response = client.post("/courts/azb/subscribe/", {"email": "Reader@Example.test"})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.status) == ("reader@example.test", "pending")
    _deliver_all_twice()
    assert len(mail.outbox) == 1
    confirm_path = _link(mail.outbox[0], "confirm")

    # Opening the link (or a mail scanner fetching it) confirms nothing; the button does.
    assert client.get(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "pending"
    assert client.post(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"


def test_a_reschedule_by_the_courts_clerk_emails_each_confirmed_subscriber_once(
    client, azb, clerk_of_azb, django_capture_on_commit_callbacks
):
    _subscribe_and_confirm(client, azb, "one@example.test")
    _subscribe_and_confirm(client, azb, "two@example.test")
    client.post("/courts/azb/subscribe/", {"email": "never-confirmed@example.test"})
    _deliver_all_twice()
    mail.outbox.clear()

    client.force_login(clerk_of_azb)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/courts/azb/schedule/", {"new_date": "2021-07-12", "reason": "Vendor delay"}
        )
    assert response.status_code == 302
    # One delivery task per confirmed subscriber, queued only once the change is committed.
    assert len(callbacks) == 2
    assert OutboundEmail.objects.filter(template="courts/email/schedule_change").count() == 2
    _deliver_all_twice()

    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.test", "two@example.test"]
    message = mail.outbox[0]
    assert "Arizona Bankruptcy Court" in message.subject
    assert "Vendor delay" in message.body
    assert "/courts/subscriptions/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe_url.startswith("<http://127.0.0.1:8000/courts/subscriptions/unsubscribe/")
    # Links carry no address, and the outbox stores no link or token.
    assert "one@example.test" not in unsubscribe_url
    for email in OutboundEmail.objects.all():
        assert "subscriptions/" not in str(email.context)
    azb.refresh_from_db()
    assert azb.nextgen_date == dt.date(2021, 7, 12)
    change = GoLiveChange.objects.get(court=azb)
    assert (change.old_date, change.new_date, change.actor, change.reason) == (
        dt.date(2021, 6, 28),
        dt.date(2021, 7, 12),
        clerk_of_azb,
        "Vendor delay",
    )


def test_unsubscribing_from_the_link_in_a_message_stops_further_updates(client, azb, clerk_of_azb):
    _subscribe_and_confirm(client, azb, "leaver@example.test")
    services.change_go_live_date(
        court=azb, new_date=dt.date(2021, 7, 1), actor=clerk_of_azb, reason="a", now=clock.now()
    )
    _deliver_all_twice()
    (message,) = mail.outbox
    assert client.post(_link(message, "unsubscribe")).status_code == 200
    mail.outbox.clear()

    services.change_go_live_date(
        court=azb, new_date=dt.date(2021, 7, 8), actor=clerk_of_azb, reason="b", now=clock.now()
    )
    _deliver_all_twice()
    assert mail.outbox == []


def test_a_clerk_of_another_court_cannot_change_azb(client, azb, clerk_of_areb):
    client.force_login(clerk_of_areb)
    assert client.get("/courts/azb/schedule/").status_code == 404
    response = client.post("/courts/azb/schedule/", {"new_date": "2022-01-03", "reason": "x"})
    assert response.status_code == 404
    azb.refresh_from_db()
    assert azb.nextgen_date == dt.date(2021, 6, 28)
    assert not GoLiveChange.objects.exists()
    # Their own court works.
    assert client.get("/courts/areb/schedule/").status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, azb):
    response = client.post("/courts/azb/schedule/", {"new_date": "2022-01-03", "reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not GoLiveChange.objects.exists()


def test_an_attorney_cannot_change_a_schedule(client, azb):
    client.force_login(UserFactory(attorney=True, username="attorney9"))
    response = client.post("/courts/azb/schedule/", {"new_date": "2022-01-03", "reason": "x"})
    assert response.status_code == 404
    assert not GoLiveChange.objects.exists()


def test_help_desk_staff_cannot_change_a_schedule(client, azb):
    helper = UserFactory(username="azbhelpdesk")
    services.add_court_staff(court=azb, user=helper, role="help_desk", now=clock.now())
    client.force_login(helper)
    response = client.post("/courts/azb/schedule/", {"new_date": "2022-01-03", "reason": "x"})
    assert response.status_code == 404
    assert not GoLiveChange.objects.exists()


def test_a_date_far_in_the_future_is_refused_with_a_message(client, azb, clerk_of_azb):
    client.force_login(clerk_of_azb)
    response = client.post("/courts/azb/schedule/", {"new_date": "9999-12-31", "reason": "x"})
    assert response.status_code == 200
    assert "Enter a date between 1995 and 2100" in response.content.decode()
    assert not GoLiveChange.objects.exists()
    assert client.get("/courts/nextgen.ics").status_code == 200


def test_one_click_unsubscribe_works_without_a_csrf_cookie(azb, clerk_of_azb):
    from django.test import Client

    browser = Client()
    _subscribe_and_confirm(browser, azb, "oneclick@example.test")
    services.change_go_live_date(
        court=azb, new_date=dt.date(2021, 7, 1), actor=clerk_of_azb, reason="a", now=clock.now()
    )
    _deliver_all_twice()
    (message,) = mail.outbox
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        url.removeprefix("http://127.0.0.1:8000"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Subscription.objects.get(email="oneclick@example.test").status == "unsubscribed"


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe(client, azb, clerk_of_azb):
    client.post("/courts/azb/subscribe/", {"email": "changed@example.test"})
    _deliver_all_twice()
    (confirmation,) = mail.outbox
    confirm_path = _link(confirmation, "confirm")
    unsubscribe_path = _link(confirmation, "unsubscribe")
    assert client.post(confirm_path).status_code == 200
    assert client.post(unsubscribe_path).status_code == 200

    assert client.post(confirm_path).status_code == 400
    assert Subscription.objects.get().status == "unsubscribed"


def test_subscription_requests_for_one_address_are_limited(client, azb, areb):
    for n in range(5):
        court = azb if n % 2 else areb
        assert (
            client.post(f"/courts/{court.id}/subscribe/", {"email": "v@example.test"}).status_code
            == 302
        )
    response = client.post("/courts/azb/subscribe/", {"email": "V@example.test"})
    assert response.status_code == 429
    assert "Too many subscription requests" in response.content.decode()
    assert OutboundEmail.objects.count() == 2  # one confirmation per court, resends throttled


def test_pacer_service_center_staff_can_change_any_court(client, azb, staff):
    client.force_login(staff)
    response = client.post("/courts/azb/schedule/", {"new_date": "", "reason": "Postponed"})
    assert response.status_code == 302
    azb.refresh_from_db()
    assert azb.nextgen_date is None


def test_the_same_date_again_is_refused_with_a_message(client, azb, clerk_of_azb):
    client.force_login(clerk_of_azb)
    response = client.post("/courts/azb/schedule/", {"new_date": "2021-06-28", "reason": "x"})
    assert response.status_code == 200
    assert "already the court" in response.content.decode()
    assert not GoLiveChange.objects.exists()


def test_repeated_subscribe_requests_send_one_confirmation(client, azb, frozen_clock):
    for _ in range(4):
        response = client.post("/courts/azb/subscribe/", {"email": "target@example.test"})
        assert response.status_code == 302
    _deliver_all_twice()
    assert len(mail.outbox) == 1
    frozen_clock.shift(dt.timedelta(minutes=11))
    client.post("/courts/azb/subscribe/", {"email": "target@example.test"})
    _deliver_all_twice()
    assert len(mail.outbox) == 2


def test_tampered_links_are_refused(client, azb):
    response = client.post("/courts/subscriptions/confirm/1:abc:def/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert client.post("/courts/subscriptions/unsubscribe/garbage/").status_code == 400


def test_a_bad_email_is_explained_and_nothing_is_stored(client, azb):
    response = client.post("/courts/azb/subscribe/", {"email": "not-an-email"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Subscription.objects.exists()


def test_removing_a_clerks_last_court_ends_console_access(azb, clerk_of_azb):
    assert clerk_of_azb.is_staff
    services.remove_court_staff(court=azb, user=clerk_of_azb)
    clerk_of_azb.refresh_from_db()
    assert not clerk_of_azb.is_staff
