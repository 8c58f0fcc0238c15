"""Base pages as a visitor sees them: home, health, demo mailbox, error pages."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import path

from cso_portal.core.models import MailMessage
from cso_portal.core.views import forget_broker_check
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIMULATION_NOTICE = "not affiliated with the U.S. Courts or PACER"


def test_home_explains_the_simulation_and_links_to_sign_up(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert SIMULATION_NOTICE in body
    assert "Central Sign-On" in body
    assert 'href="/account/register/"' in body
    assert 'class="usa-skipnav"' in body
    assert "An official website of the United States government" not in body


def test_sign_in_page_is_on_the_portal_layout(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert SIMULATION_NOTICE in response.content.decode()


def test_healthz_reports_database_broker_and_worker(client):
    forget_broker_check()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "worker": {"status": "unknown", "last_heartbeat_age_seconds": None},
    }


def test_healthz_is_503_when_the_broker_is_down(client):
    from cso_portal import celery_app

    forget_broker_check()
    assert client.get("/healthz").status_code == 200
    working = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        # Checked once per process every few seconds: the last answer stands meanwhile.
        assert client.get("/healthz").json()["broker"] == "ok"
        forget_broker_check()
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = working
        forget_broker_check()
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def _send(to, subject="Verify your email"):
    with override_settings(EMAIL_BACKEND="cso_portal.core.mail.DatabaseEmailBackend"):
        mail.EmailMultiAlternatives(
            subject, "Open http://testserver/x", "portal@example.test", to=to
        ).send()
    return MailMessage.objects.get(subject=subject)


def test_mailbox_shows_a_user_only_their_own_mail(client):
    avery = UserFactory(username="avery001")
    blake = UserFactory(username="blake001")
    mine = _send(["Avery <AVERY001@example.test>"], "For Avery")
    theirs = _send([blake.email], "For Blake")

    client.force_login(avery)
    listing = client.get("/mailbox/").content.decode()
    assert "For Avery" in listing
    assert "For Blake" not in listing
    assert client.get(f"/mailbox/{mine.pk}/").status_code == 200
    # Someone else's message and a missing one look the same.
    assert client.get(f"/mailbox/{theirs.pk}/").status_code == 404
    assert client.get("/mailbox/999999/").status_code == 404


def test_staff_see_every_message(client, staff):
    _send(["someone@example.test"], "For someone")
    client.force_login(staff)
    assert "For someone" in client.get("/mailbox/").content.decode()


def test_mailbox_needs_sign_in(client):
    response = client.get("/mailbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@override_settings(DEBUG=False, CSO_DEMO_MODE=False)
def test_mailbox_does_not_exist_outside_demo_mode(client, attorney):
    client.force_login(attorney)
    assert client.get("/mailbox/").status_code == 404


def test_mailbox_lists_without_n_plus_one(client, attorney, django_assert_max_num_queries):
    for n in range(30):
        _send([attorney.email], f"Message {n}")
    client.force_login(attorney)
    client.get("/mailbox/")  # the first request of a session also records the session
    with django_assert_max_num_queries(8):
        response = client.get("/mailbox/")
    assert response.status_code == 200


def _boom(request):
    raise RuntimeError("secret internals")


# The root URLconf uses i18n_patterns, which may not be include()d: splice its patterns in.
urlpatterns = [path("boom/", _boom), *import_module("cso_portal.urls").urlpatterns]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_unexpected_error_shows_the_portal_error_page_without_internals(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert SIMULATION_NOTICE in body
    assert "secret internals" not in body
    assert "Traceback" not in body


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
