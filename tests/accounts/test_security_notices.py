"""Security notices: every change of account information is audited and followed by exactly
one notice per address, each with a "this wasn't me" link that locks the account, ends its
sessions and emails a reset link; the reset unlocks it."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail

from accounts import tokens
from accounts.models import AccountEvent, User
from accounts.services import security
from cso_portal import clock
from tests.conftest import PINNED_NOW
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet harbor lantern ninety"
NOT_ME_LINK = re.compile(r"https?://[^/\s]+(/account/not-me/[^\s/]+/)")
Kind = AccountEvent.Kind


@pytest.fixture
def searcher(db):
    """A case-search account (signs in without the two-factor prompt)."""
    return UserFactory(username="searcher1", email="searcher1@example.test")


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def sign_in(client, user, password: str = TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": user.username, "password": password})


def reauthenticate(client, user) -> None:
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def not_me_path(message) -> str:
    return NOT_ME_LINK.search(message.body).group(1)


def link_in(message, pattern: str) -> str:
    return re.search(rf"https?://[^/\s]+({pattern})", message.body).group(1)


# Every change: one notice per address --------------------------------------------------------


def test_password_change_sends_one_notice_with_a_not_me_link(
    client, searcher, django_capture_on_commit_callbacks
):
    reauthenticate(client, searcher)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    assert recipients() == [searcher.email]
    message = mail.outbox[0]
    assert "Your password has been changed." in message.body
    assert "This wasn't me" in message.body
    assert "training simulation" in message.body
    event = AccountEvent.objects.get(user=searcher, kind=Kind.PASSWORD_CHANGED)
    assert tokens.read_not_me_token(not_me_path(message).split("/")[-2]) == (
        searcher.pk,
        event.pk,
    )
    assert NEW_PASSWORD not in message.body


def test_email_change_tells_the_old_and_the_new_address_once_each(
    client, searcher, django_capture_on_commit_callbacks
):
    old, new = searcher.email, "searcher.new@example.test"
    reauthenticate(client, searcher)

    # 1. Add the address: the new one gets its confirmation, the account's a notice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_add": "", "email": new})
    assert recipients() == sorted([old, new])
    notice = next(m for m in mail.outbox if m.to == [old])
    assert f"The email address {new} was added" in notice.body
    confirm_path = link_in(
        next(m for m in mail.outbox if m.to == [new]), r"/accounts/confirm-email/[^\s]+/"
    )

    # 2. Confirm it (a confirmation, not a change of the account: no notice).
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path)
    assert EmailAddress.objects.get(email=new).verified
    assert mail.outbox == []

    # 3. Make it the primary address: allauth tells the old address, we tell the new one.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_primary": "", "email": new})

    assert recipients() == sorted([old, new])
    for message in mail.outbox:
        assert f"Your email has been changed from {old} to {new}." in message.body
    assert not_me_path(mail.outbox[0]) == not_me_path(mail.outbox[1]), "one change, one event"
    changes = AccountEvent.objects.filter(user=searcher, kind=Kind.EMAIL_CHANGED)
    assert sorted(e.detail["change"] for e in changes) == ["added", "primary"]
    primary = changes.get(detail__change="primary")
    assert (primary.detail["from_email"], primary.detail["to_email"]) == (old, new)


def test_removing_an_address_tells_the_primary_one(
    client, searcher, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=searcher, email="spare@example.test", verified=True)
    reauthenticate(client, searcher)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"action_remove": "", "email": "spare@example.test"})

    assert recipients() == [searcher.email]
    assert AccountEvent.objects.get(user=searcher, kind=Kind.EMAIL_CHANGED).detail == {
        "change": "removed",
        "primary_email": searcher.email,
    }


# allauth sends its two-factor notices on commit, from inside the request: these tests commit
# for real, as production does (a captured callback would run after the request is gone).


@pytest.mark.django_db(transaction=True)
def test_setting_up_an_authenticator_app_sends_one_notice(client, searcher, frozen_clock):
    reauthenticate(client, searcher)
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret

    response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})

    assert response.status_code == 302
    assert recipients() == [searcher.email]
    assert "/account/not-me/" in mail.outbox[0].body
    assert AccountEvent.objects.filter(user=searcher, kind=Kind.MFA_ENABLED).count() == 1
    assert secret not in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_new_recovery_codes_send_one_notice(client):
    user = UserFactory(username="mfauser01", with_totp=True)
    reauthenticate(client, user)

    client.post("/accounts/2fa/recovery-codes/generate/")

    assert recipients() == [user.email]
    assert AccountEvent.objects.filter(user=user, kind=Kind.RECOVERY_CODES_GENERATED).count() == 1


# "This wasn't me" ---------------------------------------------------------------------------


def _password_change_notice(client, user, django_capture_on_commit_callbacks):
    reauthenticate(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/password/change/",
            {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    (message,) = mail.outbox
    mail.outbox.clear()
    return message


def test_not_me_page_explains_before_anything_happens(
    client, searcher, django_capture_on_commit_callbacks
):
    notice = _password_change_notice(client, searcher, django_capture_on_commit_callbacks)
    stranger = client.__class__()

    response = stranger.get(not_me_path(notice))

    assert response.status_code == 200
    assert "Password changed" in text(response)
    assert "Lock my account" in text(response)
    searcher.refresh_from_db()
    assert searcher.locked_at is None


def test_not_me_locks_ends_sessions_and_emails_a_reset_link_that_unlocks(
    client, searcher, django_capture_on_commit_callbacks
):
    # The intruder, signed in elsewhere, changes the password; the holder gets the notice.
    intruder = client.__class__()
    assert sign_in(intruder, searcher).status_code == 302
    notice = _password_change_notice(intruder, searcher, django_capture_on_commit_callbacks)
    holder = client.__class__()

    with django_capture_on_commit_callbacks(execute=True):
        response = holder.post(not_me_path(notice))

    assert response.status_code == 302
    searcher.refresh_from_db()
    assert searcher.locked_at is not None
    kinds = list(
        AccountEvent.objects.filter(user=searcher).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds[-2:] == [Kind.REPORTED_NOT_ME, Kind.LOCKED]
    # The intruder's session is gone, and signing in again is refused.
    assert intruder.get("/account/").status_code == 302
    assert "This account is locked" in text(sign_in(client.__class__(), searcher, NEW_PASSWORD))
    # The holder got allauth's reset link at the account's address, and the page says so.
    assert recipients() == [searcher.email]
    reset_path = link_in(mail.outbox[0], r"/accounts/password/reset/key/[^\s]+/")
    assert "Your account is locked" in text(holder.get(not_me_path(notice)))

    # Resetting the password unlocks the account.
    mail.outbox.clear()
    form_page = holder.get(reset_path, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        holder.post(
            form_page.redirect_chain[-1][0],
            {"password1": "quiet meadow compass river", "password2": "quiet meadow compass river"},
        )
    searcher.refresh_from_db()
    assert searcher.locked_at is None
    assert AccountEvent.objects.filter(user=searcher, kind=Kind.UNLOCKED).count() == 1
    assert recipients() == [searcher.email]  # allauth's "password reset" notice
    assert sign_in(client.__class__(), searcher, "quiet meadow compass river").status_code == 302


def test_not_me_after_an_email_change_sends_the_reset_link_to_the_old_address(
    rf, searcher, django_capture_on_commit_callbacks
):
    old, new = searcher.email, "intruder@example.test"
    EmailAddress.objects.create(user=searcher, email=new, verified=True)
    request = rf.get("/")
    event = security.record_email_change(
        user=searcher, from_email=old, to_email=new, request=request, now=clock.now()
    )
    EmailAddress.objects.filter(user=searcher).update(primary=False)
    EmailAddress.objects.filter(email=new).update(primary=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = security.report_not_me(
            user=searcher, event_id=event.pk, request=rf.post("/"), now=clock.now()
        )

    assert report.reset_sent_to == old
    assert recipients() == [old]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_not_me_link_works_once(client, searcher, django_capture_on_commit_callbacks):
    notice = _password_change_notice(client, searcher, django_capture_on_commit_callbacks)
    path = not_me_path(notice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(path)

    assert again.status_code == 302
    assert mail.outbox == []
    assert AccountEvent.objects.filter(user=searcher, kind=Kind.REPORTED_NOT_ME).count() == 1
    with pytest.raises(security.NotMeAlreadyReported):
        security.report_not_me(
            user=searcher,
            event_id=AccountEvent.objects.get(kind=Kind.PASSWORD_CHANGED).pk,
            request=None,
            now=clock.now(),
        )


def test_tampered_and_foreign_not_me_links_are_refused(client, searcher, other_attorney):
    event = AccountEvent.objects.create(
        user=searcher, kind=Kind.PASSWORD_CHANGED, created_at=clock.now()
    )
    good = tokens.not_me_token(user_id=searcher.pk, event_id=event.pk)
    value, _sep, signature = good.rpartition(":")
    forged_value = value.replace(f"{searcher.pk}.", f"{other_attorney.pk}.", 1)
    foreign = tokens.not_me_token(user_id=other_attorney.pk, event_id=event.pk)

    for token in (f"{value}:{signature[:-2]}xx", f"{forged_value}:{signature}", foreign, "junk"):
        for method in (client.get, client.post):
            response = method(f"/account/not-me/{token}/")
            assert response.status_code == 400, token
            assert "This link does not work" in text(response)
    searcher.refresh_from_db()
    other_attorney.refresh_from_db()
    assert searcher.locked_at is None
    assert other_attorney.locked_at is None


def test_not_me_links_expire_after_7_days(client, searcher):
    with time_machine.travel(PINNED_NOW, tick=False) as traveller:
        event = AccountEvent.objects.create(
            user=searcher, kind=Kind.PASSWORD_CHANGED, created_at=clock.now()
        )
        path = f"/account/not-me/{tokens.not_me_token(user_id=searcher.pk, event_id=event.pk)}/"
        traveller.shift(dt.timedelta(days=6, hours=23))
        assert client.get(path).status_code == 200
        traveller.shift(dt.timedelta(hours=2))

        response = client.post(path)

    assert response.status_code == 400
    searcher.refresh_from_db()
    assert searcher.locked_at is None


def test_the_not_me_token_is_never_stored(client, searcher, django_capture_on_commit_callbacks):
    notice = _password_change_notice(client, searcher, django_capture_on_commit_callbacks)
    token = not_me_path(notice).split("/")[-2]

    stored = [str(row) for row in AccountEvent.objects.values_list("detail", "user_agent")]

    assert not any(token in row for row in stored)
    assert token not in str(dict(client.session))


def test_a_password_reset_of_an_unlocked_account_changes_no_lock(rf, searcher):
    assert not security.unlock_after_password_reset(
        user=searcher, request=rf.get("/"), now=clock.now()
    )
    assert not AccountEvent.objects.filter(kind=Kind.UNLOCKED).exists()


def test_locked_account_sessions_created_outside_allauth_end_too(client, searcher, rf):
    client.force_login(searcher)  # not tracked by allauth's session list
    event = AccountEvent.objects.create(
        user=searcher, kind=Kind.PASSWORD_CHANGED, created_at=clock.now()
    )

    security.report_not_me(user=searcher, event_id=event.pk, request=rf.post("/"), now=clock.now())

    assert client.get("/account/").status_code == 302
    assert User.objects.get(pk=searcher.pk).locked_at is not None


def test_an_intruders_new_primary_address_never_gets_the_reset_link(
    client, searcher, django_capture_on_commit_callbacks
):
    """The intruder changes the password, then makes their own address primary: the holder's
    "this wasn't me" reset still goes to the holder's address, not the intruder's."""
    intruder = client.__class__()
    assert sign_in(intruder, searcher).status_code == 302
    notice = _password_change_notice(intruder, searcher, django_capture_on_commit_callbacks)
    EmailAddress.objects.filter(user=searcher).update(primary=False)
    EmailAddress.objects.create(
        user=searcher, email="intruder@evil.test", verified=True, primary=True
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.__class__().post(not_me_path(notice))

    assert recipients() == [searcher.email]


def test_no_reset_is_sent_when_the_holders_address_is_gone(
    client, searcher, django_capture_on_commit_callbacks
):
    intruder = client.__class__()
    assert sign_in(intruder, searcher).status_code == 302
    notice = _password_change_notice(intruder, searcher, django_capture_on_commit_callbacks)
    EmailAddress.objects.filter(user=searcher).delete()
    EmailAddress.objects.create(
        user=searcher, email="intruder@evil.test", verified=True, primary=True
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.__class__().post(not_me_path(notice))

    assert recipients() == []
    searcher.refresh_from_db()
    assert searcher.locked_at is not None  # locked; the PACER Service Center unlocks it
