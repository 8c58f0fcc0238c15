"""Two-factor authentication (acceptance 3): enrolment and sign-in through allauth's real pages
with codes computed by pyotp, recovery codes, security keys, the phased enforcement for
filers (3 skips), the console's MFA requirement and the secrets' encryption at rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from accounts import rules
from accounts.forms.mfa import AddSecurityKeyForm
from accounts.mfa_adapter import ENCRYPTED_PREFIX, MFAAdapter
from accounts.models import AccountEvent, User
from accounts.services import mfa as mfa_services
from cso_portal import clock
from tests.accounts.test_allauth_pages import assert_on_our_layout
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, UserFactory

pytestmark = pytest.mark.django_db

PROMPT_URL = "/account/two-factor/"
MANAGE_URL = "/account/"
AUTHENTICATE_URL = "/accounts/2fa/authenticate/"
NO_SKIPS_LEFT = "Linking a CM/ECF account and e-filing are refused"
NEXT_TOTP_WINDOW = dt.timedelta(seconds=31)


def sign_in(client, user, password: str = TEST_PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": user.username, "password": password}, **extra)


def sign_out(client) -> None:
    client.post("/accounts/logout/")


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def code(secret: str = TEST_TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).now()


def confirm_password(client, response, password: str = TEST_PASSWORD):
    """allauth asks for the password again before MFA changes; give it, follow back."""
    assert response["Location"].startswith("/accounts/reauthenticate/"), response
    back = client.post(response["Location"], {"password": password})
    assert back.status_code == 302
    return client.get(back["Location"])


# Enrolment and sign-in ----------------------------------------------------------------------


def test_a_filer_enrols_an_authenticator_app_and_signs_in_with_a_code(client, frozen_clock):
    filer = UserFactory(attorney=True, username="enrolee01")
    response = sign_in(client, filer)
    assert response["Location"] == PROMPT_URL
    prompt = client.get(PROMPT_URL).content.decode()
    assert 'href="/accounts/2fa/totp/activate/"' in prompt

    page = confirm_password(client, client.get("/accounts/2fa/totp/activate/"))
    assert page.status_code == 200
    assert "More than one authenticator app" in page.content.decode()
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": code(secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    recovery = client.get(response["Location"]).context["unused_codes"]
    assert len(recovery) == 10

    sign_out(client)
    frozen_clock.shift(NEXT_TOTP_WINDOW)
    response = sign_in(client, filer)
    assert response["Location"] == AUTHENTICATE_URL
    assert not signed_in_as(client, filer)
    wrong = client.post(AUTHENTICATE_URL, {"code": "000000" if code(secret) != "000000" else "1"})
    assert "Incorrect code." in wrong.content.decode()
    response = client.post(AUTHENTICATE_URL, {"code": code(secret)})
    # Enrolled: the prompt is over, the filer goes to Manage My Account.
    assert response["Location"] == MANAGE_URL
    assert signed_in_as(client, filer)


def test_a_code_is_good_once(client, frozen_clock):
    user = UserFactory(username="mfauser01", with_totp=True)
    sign_in(client, user)
    assert client.post(AUTHENTICATE_URL, {"code": code()}).status_code == 302
    sign_out(client)
    sign_in(client, user)
    replay = client.post(AUTHENTICATE_URL, {"code": code()})
    assert replay.status_code == 200
    assert "Incorrect code." in replay.content.decode()


def test_wrong_codes_are_throttled(client, frozen_clock):
    user = UserFactory(username="mfauser02", with_totp=True)
    sign_in(client, user)
    right = code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        client.post(AUTHENTICATE_URL, {"code": wrong})
    response = client.post(AUTHENTICATE_URL, {"code": right})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not signed_in_as(client, user)


def test_recovery_codes_work_once_each_and_can_be_renewed(client, frozen_clock):
    user = UserFactory(username="mfauser03", with_totp=True)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    assert len(codes) == 10

    sign_in(client, user)
    assert client.post(AUTHENTICATE_URL, {"code": codes[0]})["Location"] == MANAGE_URL
    sign_out(client)

    sign_in(client, user)
    reused = client.post(AUTHENTICATE_URL, {"code": codes[0]})
    assert "Incorrect code." in reused.content.decode()
    assert client.post(AUTHENTICATE_URL, {"code": codes[1]}).status_code == 302
    assert signed_in_as(client, user)

    # "Get new codes" (after confirming the password): the old ones stop working.
    page = confirm_password(client, client.get("/accounts/2fa/recovery-codes/"))
    assert page.context["unused_codes"] == codes[2:]
    assert client.post("/accounts/2fa/recovery-codes/generate/").status_code == 302
    new_codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(codes)
    sign_out(client)
    sign_in(client, user)
    assert "Incorrect code." in client.post(AUTHENTICATE_URL, {"code": codes[2]}).content.decode()
    assert client.post(AUTHENTICATE_URL, {"code": new_codes[0]}).status_code == 302


def test_a_password_reset_does_not_bypass_mfa(client, frozen_clock):
    """Scenario 29: the emailed link sets a password; signing in still asks for a code."""
    import re

    from django.core import mail

    user = UserFactory(username="mfauser07", with_totp=True)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    new_password = "a fresh passphrase after reset"
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert not signed_in_as(client, user)
    assert sign_in(client, user, new_password)["Location"] == AUTHENTICATE_URL
    assert not signed_in_as(client, user)


# Security keys ------------------------------------------------------------------------------


def add_security_keys(user, count: int) -> None:
    for n in range(count):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.WEBAUTHN, data={"name": f"key {n}"}
        )


def test_up_to_5_security_keys(client, frozen_clock):
    user = UserFactory(username="keyuser01")
    add_security_keys(user, 4)
    assert not AddSecurityKeyForm(user=user).limit_reached
    add_security_keys(user, 1)
    form = AddSecurityKeyForm(user=user, data={"name": "sixth", "credential": "{}"})
    assert form.limit_reached
    assert not form.is_valid()
    assert "You already have 5 security keys" in form.non_field_errors()[0]


def test_the_add_key_page_says_so_before_the_ceremony(client, frozen_clock):
    user = UserFactory(username="keyuser02")
    add_security_keys(user, 5)
    client.force_login(user)
    with mock.patch("allauth.mfa.webauthn.internal.auth.begin_registration", return_value={}):
        page = confirm_password(client, client.get("/accounts/2fa/webauthn/add/"))
    assert page.status_code == 200
    assert "the most one account can have" in page.content.decode()


# Phased enforcement -------------------------------------------------------------------------


def test_a_filer_may_skip_three_times_then_the_fourth_sign_in_refuses_linking_and_filing(
    client, frozen_clock
):
    filer = UserFactory(attorney=True, username="skipper01")
    for used in range(3):
        assert sign_in(client, filer)["Location"] == PROMPT_URL
        page = client.get(PROMPT_URL).content.decode()
        assert f"Skip for now ({3 - used} of 3 left)" in page
        assert NO_SKIPS_LEFT not in page
        response = client.post(PROMPT_URL, {"skip": "1"})
        assert response["Location"] == MANAGE_URL
        assert signed_in_as(client, filer)
        assert rules.refusal_to_link_or_file(filer, clock.today()) is None
        sign_out(client)

    filer.refresh_from_db()
    assert filer.mfa_prompt_skips == 3
    assert AccountEvent.objects.filter(user=filer, kind="mfa_prompt_skipped").count() == 3

    assert sign_in(client, filer)["Location"] == PROMPT_URL
    filer.refresh_from_db()
    assert rules.refusal_to_link_or_file(filer, clock.today()) == (
        "Set up two-factor authentication before you link or e-file."
    )
    page = client.get(PROMPT_URL).content.decode()
    assert "Skip for now" not in page
    assert NO_SKIPS_LEFT in page
    assert "Set up two-factor authentication before you link or e-file." in page
    refused = client.post(PROMPT_URL, {"skip": "1"}, follow=True)
    assert "You have used every skip." in refused.content.decode()
    filer.refresh_from_db()
    assert filer.mfa_prompt_skips == 4


def test_ignoring_the_prompt_counts_like_skipping_it(client, frozen_clock):
    """Going elsewhere after sign-in (e.g. a ?next= link) uses up the sign-ins just the same:
    enforcement never depends on pressing a button."""
    filer = UserFactory(attorney=True, username="skipper05")
    for _ in range(4):
        response = client.post(
            "/accounts/login/?next=/account/maintenance/",
            {"login": filer.username, "password": TEST_PASSWORD},
        )
        assert response.status_code == 302
        sign_out(client)
    filer.refresh_from_db()
    assert filer.mfa_prompt_skips == 4
    assert rules.refusal_to_link_or_file(filer, clock.today()) is not None


@pytest.mark.parametrize("skips_used", [1, 4])
def test_the_prompt_is_on_our_layout_and_accessible(client, frozen_clock, skips_used):
    filer = UserFactory(attorney=True, username="skipper09", mfa_prompt_skips=skips_used)
    client.force_login(filer)
    assert_on_our_layout(client.get(PROMPT_URL))


def test_the_totp_page_with_its_note_is_on_our_layout_and_accessible(client, frozen_clock):
    client.force_login(UserFactory(username="pagecheck1"))
    page = confirm_password(client, client.get("/accounts/2fa/totp/activate/"))
    assert_on_our_layout(page)


def test_enrolling_lifts_the_refusal(frozen_clock):
    filer = UserFactory(attorney=True, username="skipper02", mfa_prompt_skips=4)
    assert rules.refusal_to_link_or_file(filer, clock.today()) is not None
    mfa_services.ensure_totp(user=filer, secret=pyotp.random_base32(), now=clock.now())
    assert rules.refusal_to_link_or_file(filer, clock.today()) is None


def test_a_double_post_uses_one_skip(client, frozen_clock):
    filer = UserFactory(attorney=True, username="skipper03")
    sign_in(client, filer)
    client.post(PROMPT_URL, {"skip": "1"})
    client.post(PROMPT_URL, {"skip": "1"})
    filer.refresh_from_db()
    assert filer.mfa_prompt_skips == 1


def test_the_count_cannot_overshoot_even_with_a_stale_account(frozen_clock):
    """The count is raised by a conditional UPDATE, not from the object in memory."""
    filer = UserFactory(attorney=True, username="skipper04")
    stale = User.objects.get(pk=filer.pk)
    for _ in range(6):
        mfa_services.count_sign_in_without_mfa(user=filer, request=None, now=clock.now())
    assert stale.mfa_prompt_skips == 0
    mfa_services.count_sign_in_without_mfa(user=stale, request=None, now=clock.now())
    assert User.objects.get(pk=filer.pk).mfa_prompt_skips == 4


def test_a_non_attorney_filer_is_prompted_too(client, frozen_clock):
    agent = UserFactory(account_kind=User.AccountKind.NON_ATTORNEY_FILER, username="agent0042")
    assert sign_in(client, agent)["Location"] == PROMPT_URL


def test_before_the_enforcement_date_filers_are_not_prompted(client):
    filer = UserFactory(attorney=True, username="early001")
    with time_machine.travel(dt.datetime(2025, 1, 3, 15, 0, tzinfo=dt.UTC), tick=False):
        assert sign_in(client, filer)["Location"] == MANAGE_URL
        assert client.get(PROMPT_URL)["Location"] == MANAGE_URL
        filer.refresh_from_db()
        assert filer.mfa_prompt_skips == 0  # sign-ins before the date count for nothing
    with time_machine.travel(dt.datetime(2025, 1, 6, 15, 0, tzinfo=dt.UTC), tick=False):
        sign_out(client)
        assert sign_in(client, filer)["Location"] == PROMPT_URL


def test_search_only_accounts_are_never_prompted(client, frozen_clock):
    searcher = UserFactory(username="search001")
    assert sign_in(client, searcher)["Location"] == MANAGE_URL
    assert client.get(PROMPT_URL)["Location"] == MANAGE_URL
    assert client.post(PROMPT_URL, {"skip": "1"})["Location"] == MANAGE_URL
    searcher.refresh_from_db()
    assert searcher.mfa_prompt_skips == 0


def test_filers_with_mfa_are_not_prompted(client, frozen_clock):
    filer = UserFactory(attorney=True, username="enrolled1", with_totp=True)
    sign_in(client, filer)
    assert client.post(AUTHENTICATE_URL, {"code": code()})["Location"] == MANAGE_URL


def test_the_prompt_needs_a_signed_in_account(client):
    assert client.get(PROMPT_URL)["Location"].startswith("/accounts/login/")


# The console --------------------------------------------------------------------------------


def test_staff_without_mfa_are_sent_to_set_it_up(client):
    staff = UserFactory(psc_staff=True, username="nomfastaff")
    client.force_login(staff)
    response = client.get("/console/")
    assert response["Location"] == "/accounts/2fa/"
    assert "no-cache" in response["Cache-Control"]
    page = client.get("/accounts/2fa/").content.decode()
    assert "The console requires two-factor authentication." in page
    assert client.get("/console/accounts/user/")["Location"] == "/accounts/2fa/"


def test_staff_without_mfa_can_still_sign_out_of_the_console(client):
    staff = UserFactory(psc_staff=True, username="nomfastaff")
    client.force_login(staff)
    response = client.post("/console/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_with_mfa_sign_in_to_the_console_with_a_code(client, staff, frozen_clock):
    response = client.get(client.get("/console/")["Location"])
    assert response["Location"] == "/accounts/login/?next=%2Fconsole%2F"
    response = client.post(
        "/accounts/login/?next=/console/", {"login": "pscstaff", "password": TEST_PASSWORD}
    )
    assert response["Location"].startswith(AUTHENTICATE_URL)
    response = client.post(response["Location"], {"code": code()})
    assert response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_people_who_are_not_staff_are_refused_by_the_console(client, frozen_clock):
    client.force_login(UserFactory(username="plainuser", with_totp=True))
    assert client.get(client.get("/console/")["Location"]).status_code == 403


# Secrets at rest ----------------------------------------------------------------------------


def test_the_totp_secret_is_stored_encrypted():
    user = UserFactory(username="mfauser04", with_totp=True)
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith(ENCRYPTED_PREFIX)
    assert TEST_TOTP_SECRET not in stored
    assert MFAAdapter().decrypt(stored) == TEST_TOTP_SECRET


def test_the_recovery_code_seed_is_stored_encrypted():
    user = UserFactory(username="mfauser05", with_totp=True)
    rc = RecoveryCodes.activate(user)
    stored = rc.instance.data["seed"]
    assert stored.startswith(ENCRYPTED_PREFIX)
    assert MFAAdapter().decrypt(stored) not in str(Authenticator.objects.values_list("data"))


def test_a_secret_stored_before_encryption_still_works_and_is_flagged(frozen_clock, caplog):
    user = UserFactory(username="mfauser06")
    instance = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
    )
    with caplog.at_level(logging.WARNING):
        assert TOTP(instance).validate_code(code())
    assert "stored unencrypted" in caplog.text
    assert TEST_TOTP_SECRET not in caplog.text


def test_secrets_survive_a_key_rotation_through_the_fallbacks():
    adapter = MFAAdapter()
    with override_settings(SECRET_KEY="old-key-" + "o" * 50, CSO_MFA_ENCRYPTION_KEY=""):
        stored = adapter.encrypt("SECRETVALUE")
    with override_settings(
        SECRET_KEY="new-key-" + "n" * 50,
        SECRET_KEY_FALLBACKS=["old-key-" + "o" * 50],
        CSO_MFA_ENCRYPTION_KEY="",
    ):
        assert adapter.decrypt(stored) == "SECRETVALUE"
    with (
        override_settings(
            SECRET_KEY="new-key-" + "n" * 50, SECRET_KEY_FALLBACKS=[], CSO_MFA_ENCRYPTION_KEY=""
        ),
        pytest.raises(ImproperlyConfigured),
    ):
        adapter.decrypt(stored)
    with override_settings(
        SECRET_KEY="old-key-" + "o" * 50, CSO_MFA_ENCRYPTION_KEY="dedicated-" + "d" * 40
    ):
        assert adapter.decrypt(stored) == "SECRETVALUE"
        fresh = adapter.encrypt("OTHER")
    with override_settings(SECRET_KEY="other", CSO_MFA_ENCRYPTION_KEY="dedicated-" + "d" * 40):
        assert adapter.decrypt(fresh) == "OTHER"


def test_staff_who_enrol_during_a_password_only_session_must_prove_the_second_factor(
    frozen_clock,
):
    """Enrolment alone does not open the console: this session must have used the factor."""
    from django.test import Client

    staff_member = UserFactory(psc_staff=True, username="lateenrol1")
    browser = Client()  # signs in the way a password-only session would
    response = browser.post(
        "/accounts/login/", {"login": staff_member.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    mfa_services.ensure_totp(user=staff_member, secret=TEST_TOTP_SECRET, now=clock.now())

    refused = browser.get("/console/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/2fa/reauthenticate/")

    proved = browser.post(refused["Location"], {"code": code()})
    assert proved.status_code == 302
    assert browser.get("/console/").status_code == 200
