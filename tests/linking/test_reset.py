"""CM/ECF password reset during linking (seed 003), closed after the court's reset deadline
(seed 004): the emailed link works once, within an hour, and no token sits in the database."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail

from cso_portal.core import tasks as core_tasks
from cso_portal.core.models import OutboundEmail
from linking import services
from linking.models import CmecfResetToken
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.linking.factories import CmecfAccountFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand-new court password"
LINK = re.compile(r"https?://\S+(/account/link/reset/[^/\s]+/)")


@pytest.fixture
def resettable(court, cmecf):
    """azb with a reset deadline after the pinned date (the clock is pinned by frozen_clock)."""
    court.password_reset_deadline = dt.date(2026, 12, 31)
    court.save(update_fields=["password_reset_deadline"])
    return cmecf


def ask(client, court, login):
    return client.post(f"/account/link/{court.pk}/reset/", {"login": login})


def deliver_all() -> None:
    for pk in OutboundEmail.objects.filter(status="pending").values_list("pk", flat=True):
        core_tasks.deliver_email.apply(kwargs={"email_id": pk})


def emailed_path() -> str:
    assert len(mail.outbox) == 1
    match = LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def check(court, password):
    return services.check_cmecf_credentials(
        court=court,
        login="alawson",
        password=password,
        pacer_account=_Someone(),
        ip=None,
        now=PINNED_NOW,
    )


class _Someone:
    """Stands for whoever checks the credentials (only its pk is used, for rate limits)."""

    pk = "reset-test"


def test_the_credential_page_offers_the_reset(client, holder, court, frozen_clock):
    from tests.linking.test_pages import reauthenticate

    reauthenticate(client, holder)
    response = client.get(f"/account/link/{court.pk}/")
    assert "Forgot your CM/ECF password?" in response.content.decode()
    assert f'href="/account/link/{court.pk}/reset/"' in response.content.decode()


def test_the_emailed_link_sets_a_new_password_once(client, holder, court, resettable, frozen_clock):
    client.force_login(holder)
    response = ask(client, court, "ALawson")  # logins are case-insensitive
    assert response.status_code == 200
    assert "If that login exists and can be reset, we emailed its address of record" in (
        response.content.decode()
    )
    assert OutboundEmail.objects.count() == 1
    deliver_all()
    deliver_all()  # a second delivery run sends nothing more
    assert mail.outbox[0].to == [resettable.email_of_record]
    path = emailed_path()

    client.logout()  # the link works from any browser
    form = client.get(path)
    assert form.status_code == 200
    assert "alawson" in form.content.decode()
    done = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 200
    assert "CM/ECF password changed" in done.content.decode()
    assert check(court, NEW_PASSWORD).pk == resettable.pk

    again = client.post(path, {"new_password1": "another one!", "new_password2": "another one!"})
    assert again.status_code == 410
    assert client.get(path).status_code == 410
    assert check(court, NEW_PASSWORD).pk == resettable.pk


def test_a_reset_lifts_the_lockout(court, resettable, frozen_clock):
    resettable.failed_attempts, resettable.locked_until, resettable.lock_count = 3, None, 2
    resettable.save()
    token = services.request_cmecf_reset(
        court=court, login="alawson", now=PINNED_NOW, today=PINNED_NOW.date()
    )
    account = services.reset_cmecf_password(
        token=services.reset_link_token(token.pk), new_password=NEW_PASSWORD, now=PINNED_NOW
    )
    assert (account.failed_attempts, account.lock_count, account.locked_until) == (0, 0, None)


def test_an_expired_link_is_refused(client, holder, court, resettable, frozen_clock):
    client.force_login(holder)
    ask(client, court, "alawson")
    deliver_all()
    path = emailed_path()
    client.logout()
    frozen_clock.shift(dt.timedelta(hours=1, minutes=1))
    assert client.get(path).status_code == 410
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    with pytest.raises(services.BadCredentials):
        check(court, NEW_PASSWORD)


def test_a_forged_link_is_refused(client, court, resettable, frozen_clock):
    token = services.request_cmecf_reset(
        court=court, login="alawson", now=PINNED_NOW, today=PINNED_NOW.date()
    )
    forged = services.reset_link_token(token.pk)[:-2] + "xx"
    assert client.get(f"/account/link/reset/{forged}/").status_code == 410
    assert client.get(f"/account/link/reset/{token.pk}/").status_code == 410


def test_after_the_deadline_only_the_help_desk_can_reset(client, holder, frozen_clock):
    flsb = CourtFactory(
        id="flsb",
        name="U.S. Bankruptcy Court, Southern District of Florida",
        court_type="bankruptcy",
        nextgen=True,
        password_reset_deadline=dt.date(2022, 3, 26),
        help_desk=[{"phone": "(305) 714-1800", "division": "Miami"}],
    )
    CmecfAccountFactory(court=flsb, login="flfiler")
    client.force_login(holder)
    page = client.get("/account/link/flsb/reset/")
    text = html.unescape(page.content.decode())
    assert "Only the court's help desk can reset it now: (305) 714-1800" in text
    assert "March 26, 2022" in text
    response = ask(client, flsb, "flfiler")
    assert "Only the court's help desk can reset it now" in html.unescape(response.content.decode())
    assert OutboundEmail.objects.count() == 0
    assert CmecfResetToken.objects.count() == 0
    assert (
        services.request_cmecf_reset(
            court=flsb, login="flfiler", now=PINNED_NOW, today=dt.date(2022, 3, 27)
        )
        is None
    )
    # On the deadline itself the reset still works.
    assert services.request_cmecf_reset(
        court=flsb, login="flfiler", now=PINNED_NOW, today=dt.date(2022, 3, 26)
    )


@pytest.mark.parametrize("login", ["nobody", "retired1"])
def test_an_unknown_or_unusable_login_gets_the_same_page_and_no_email(
    client, holder, court, resettable, frozen_clock, login
):
    CmecfAccountFactory(court=court, login="retired1", retired=True)
    client.force_login(holder)
    known = ask(client, court, "alawson")
    OutboundEmail.objects.all().delete()
    CmecfResetToken.objects.all().delete()
    unknown = ask(client, court, login)
    assert unknown.status_code == known.status_code == 200
    assert unknown.templates[0].name == known.templates[0].name == "linking/reset_requested.html"
    assert "If that login exists and can be reset" in unknown.content.decode()
    assert OutboundEmail.objects.count() == 0
    assert CmecfResetToken.objects.count() == 0


def test_requests_are_rate_limited_per_login(client, holder, court, resettable, frozen_clock):
    client.force_login(holder)
    for _ in range(3):
        assert ask(client, court, "alawson").status_code == 200
    assert ask(client, court, "ALAWSON").status_code == 429
    assert OutboundEmail.objects.count() == 3


def test_no_token_is_stored_anywhere(client, holder, court, resettable, frozen_clock):
    client.force_login(holder)
    ask(client, court, "alawson")
    deliver_all()
    token = emailed_path().rstrip("/").rsplit("/", 1)[1]
    signature = token.rsplit(":", 1)[1]
    email = OutboundEmail.objects.get()
    assert email.context == {"token_id": CmecfResetToken.objects.get().pk}
    stored = [repr(email.context)] + [repr(row) for row in CmecfResetToken.objects.values_list()]
    assert not any(signature in value or token in value for value in stored)
