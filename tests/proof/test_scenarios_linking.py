"""PROOF scenarios on linking and the clerks' console: court-password guessing from two PACER
accounts (8), re-authentication before linking (9), another court's requests (11) and extra
POST fields (14), through the public pages (test client) and the console's own actions."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from accounts.models import User
from courts.models import CourtStaff
from courts.services import add_court_staff
from cso_portal.core.models import OutboundEmail
from linking.models import CmecfAccount, LinkEvent, LinkRequest
from tests.accounts.test_manage import PROFILE_POST
from tests.accounts.test_signin_security import signup_data
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory, LinkRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

S = LinkRequest.Status
QUEUE = "/console/linking/linkrequest/"
GENERIC = "The CM/ECF login or password is not correct."
GUESS = "s3cret-court-guess"


def reauthenticate(client, user) -> None:
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302


def post_credentials(client, court, login, password=CMECF_TEST_PASSWORD, ip=None, **fields):
    data = {"login": login, "password": password, **fields}
    meta = {"REMOTE_ADDR": ip} if ip else {}
    return client.post(f"/account/link/{court.pk}/", data, **meta)


def text(response) -> str:
    return response.content.decode()


def clerk_of(court, username: str) -> User:
    user = UserFactory(username=username, with_totp=True)  # the console requires MFA
    add_court_staff(court=court, user=user, role=CourtStaff.Role.CLERK, now=PINNED_NOW)
    return user


def act(client, action, *pks, **extra):
    data = {"action": action, "_selected_action": [str(pk) for pk in pks], **extra}
    return client.post(QUEUE, data, follow=True)


@pytest.fixture
def court(db):
    """A NextGen court that reviews link requests (as in tests/linking/conftest.py)."""
    return CourtFactory(
        id="azb",
        name="U.S. Bankruptcy Court, District of Arizona",
        court_type="bankruptcy",
        nextgen=True,
        help_desk=[{"phone": "(602) 682-4000", "division": "Phoenix"}],
    )


@pytest.fixture
def holder(db):
    return UserFactory(attorney=True, username="avery", first_name="Avery", last_name="Lawson")


@pytest.fixture
def cmecf(court, holder):
    return CmecfAccountFactory(
        court=court, login="alawson", holder_name="Lawson, Avery B.", email_of_record=holder.email
    )


# Scenario 8 ---------------------------------------------------------------------------------


def test_scenario_8_six_wrong_court_passwords_from_two_pacer_accounts_lock_the_target_login(
    client, court, holder, cmecf, caplog
):
    """Scenario 8: alternating PACER accounts does not reset the count kept on the CM/ECF
    login: the 6th try is refused even with the right password; every refusal before it is
    the one generic error; the log names who tried from where, never the password. The
    lock is on that login only: the second account's own login still works at once."""
    caplog.set_level(logging.INFO, logger="linking")
    other = UserFactory(attorney=True, username="otherfiler", first_name="Blair")
    CmecfAccountFactory(court=court, login="bsmith", holder_name="Smith, Blair")
    second = type(client)()
    reauthenticate(client, holder)
    reauthenticate(second, other)

    for attempt in range(5):
        browser = client if attempt % 2 == 0 else second
        response = post_credentials(browser, court, "alawson", GUESS, ip=f"192.0.2.{attempt}")
        assert response.status_code == 200
        assert GENERIC in text(response)
    sixth = post_credentials(second, court, "alawson", CMECF_TEST_PASSWORD, ip="192.0.2.9")
    assert "This CM/ECF login is locked until" in text(sixth)
    assert "linking:pending" not in second.session
    cmecf.refresh_from_db()
    assert cmecf.locked_until == PINNED_NOW + dt.timedelta(minutes=15)
    assert cmecf.linked_account is None

    own = post_credentials(second, court, "bsmith")
    assert own["Location"] == f"/account/link/{court.pk}/verify/"

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("linking")]
    failures = [line for line in lines if "link attempt failed (wrong password)" in line]
    assert len(failures) == 5
    assert {f"pacer_account={holder.pk}", f"pacer_account={other.pk}"} <= {
        part for line in failures for part in line.split() if part.startswith("pacer_account=")
    }
    assert "ip=192.0.2.0" in failures[0]
    assert "login locked until" in failures[-1]
    assert any("link attempt on locked CM/ECF login" in line for line in lines)
    assert GUESS not in caplog.text
    assert CMECF_TEST_PASSWORD not in caplog.text


# Scenario 9 ---------------------------------------------------------------------------------


def test_scenario_9_a_session_signed_in_2_hours_ago_must_reauthenticate_before_linking(
    client, court, holder, cmecf, frozen_clock
):
    """Scenario 9: active all along (never idle), yet two hours after the password was last
    given the credential step sends the holder to re-authenticate, and a POST to it is
    dropped; after re-authenticating it opens."""
    reauthenticate(client, holder)
    assert client.get(f"/account/link/{court.pk}/").status_code == 200
    for _step in range(8):  # a page every 15 minutes: the idle limit never ends the session
        frozen_clock.shift(dt.timedelta(minutes=15))
        assert client.get("/account/").status_code == 200

    page = client.get(f"/account/link/{court.pk}/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")
    dropped = post_credentials(client, court, "alawson")
    assert dropped["Location"] == f"/account/link/{court.pk}/"
    assert "linking:pending" not in client.session
    cmecf.refresh_from_db()
    assert cmecf.failed_attempts == 0

    assert client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD}).status_code == 302
    assert client.get(f"/account/link/{court.pk}/").status_code == 200


def test_scenario_9_a_fresh_sign_in_counts_as_recent_for_linking(
    client, court, holder, cmecf, frozen_clock
):
    """The password typed at sign-in counts for the re-authentication window: the link page
    opens right after signing in without asking for the password a third time (one hash
    fewer per attorney on a go-live morning), and asks once the window has passed."""
    signed_in = client.post("/accounts/login/", {"login": "avery", "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(f"/account/link/{court.pk}/").status_code == 200

    frozen_clock.shift(dt.timedelta(minutes=6))
    page = client.get(f"/account/link/{court.pk}/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/reauthenticate/")


# Scenario 11 --------------------------------------------------------------------------------


@pytest.fixture
def areb(db):
    return CourtFactory(id="areb", name="Arkansas Eastern Bankruptcy Court", nextgen=True)


def test_scenario_11_walking_another_courts_ids_finds_nothing_changes_nothing_and_is_logged(
    client, court, areb, holder, cmecf, caplog
):
    caplog.set_level(logging.INFO)
    theirs = LinkRequestFactory(
        pacer_account=holder, court=court, cmecf_account=cmecf, pending_review=True
    )
    areb_clerk = clerk_of(areb, "arebclerk7")
    client.force_login(areb_clerk)
    missing = client.get(f"{QUEUE}999999/change/")
    for pk in range(max(theirs.pk - 3, 1), theirs.pk + 4):
        response = client.get(f"{QUEUE}{pk}/change/")
        assert response.status_code == missing.status_code
        assert response.get("Location") == missing.get("Location")
    act(client, "approve_requests", theirs.pk)
    act(client, "reject_requests", theirs.pk, confirm="1", reason="Not ours to reject.")

    theirs.refresh_from_db()
    assert theirs.status == S.PENDING_REVIEW
    assert not LinkEvent.objects.filter(request=theirs).exists()
    assert not OutboundEmail.objects.exists()
    lines = [r.getMessage() for r in caplog.records if r.name == "linking.admin"]
    assert (
        f"console: link request {theirs.pk} not found for user={areb_clerk.pk} ip=127.0.0.1"
        in lines
    )
    refused = [line for line in lines if line.startswith("console decision refused")]
    assert (
        refused
        == [
            f"console decision refused: request={theirs.pk} not found for user={areb_clerk.pk} "
            "ip=127.0.0.1"
        ]
        * 2
    )


# Scenario 14 --------------------------------------------------------------------------------

PRIVILEGES = {
    "is_staff": "on",
    "is_superuser": "on",
    "role": "clerk",
    "status": "approved",
    "account_type": User.AccountType.UPGRADED,
    "registration_status": "released",
    "case_search_status": "active",
    "account_number": "0000001",
    "locked_at": "",
    "mfa_prompt_skips": "0",
    "groups": "1",
}


def test_scenario_14_extra_fields_at_sign_up_are_ignored(client):
    response = client.post("/accounts/signup/", signup_data() | PRIVILEGES)
    assert response.status_code == 302
    user = User.objects.get(username="samnewcomer")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert not user.groups.exists()
    assert user.account_number != "0000001"
    assert not CourtStaff.objects.filter(user=user).exists()


def test_scenario_14_extra_fields_on_the_profile_are_ignored(client, attorney):
    number = attorney.account_number
    client.force_login(attorney)
    response = client.post(
        "/account/profile/", PROFILE_POST | PRIVILEGES | {"username": "takeover1", "email": "x@y.z"}
    )
    assert response.status_code == 302
    attorney.refresh_from_db()
    assert attorney.city == "Little Rock"  # the real fields were saved
    assert (attorney.is_staff, attorney.is_superuser) == (False, False)
    assert (attorney.username, attorney.account_number) == ("attorney1", number)
    assert attorney.email != "x@y.z"


def test_scenario_14_extra_fields_in_the_link_flow_are_ignored(
    client, court, holder, cmecf, django_capture_on_commit_callbacks
):
    someone = UserFactory(attorney=True, username="someone9")
    foreign = CmecfAccountFactory(court=court, login="foreign", holder_name="Foreign, F.")
    reauthenticate(client, holder)
    extra = {
        "status": S.APPROVED,
        "pacer_account": str(someone.pk),
        "cmecf_account": str(foreign.pk),
    }
    response = post_credentials(client, court, "alawson", **extra)
    assert response["Location"] == f"/account/link/{court.pk}/verify/"
    token = client.get(f"/account/link/{court.pk}/verify/").context["form"].initial["token"]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/account/link/{court.pk}/verify/", {"token": token, **extra})

    request = LinkRequest.objects.get()
    assert (request.status, request.pacer_account, request.cmecf_account, request.court) == (
        S.SUBMITTED,
        holder,
        cmecf,
        court,
    )
    foreign.refresh_from_db()
    assert foreign.linked_account is None


def test_scenario_14_extra_fields_on_a_clerk_decision_are_ignored(client, court, holder, cmecf):
    pending = LinkRequestFactory(
        pacer_account=holder, court=court, cmecf_account=cmecf, pending_review=True
    )
    clerk = clerk_of(court, "azbclerk7")
    someone = UserFactory(username="someone8")
    client.force_login(clerk)
    act(
        client,
        "reject_requests",
        pending.pk,
        confirm="1",
        reason="The names do not match.",
        status=S.APPROVED,
        decided_by=str(someone.pk),
        pacer_account=str(someone.pk),
        court="areb",
    )
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.pacer_account, pending.court_id) == (
        S.REJECTED,
        clerk,
        holder,
        court.pk,
    )
    cmecf.refresh_from_db()
    assert cmecf.linked_account is None
    assert cmecf.status == CmecfAccount.Status.ACTIVE
    # The change page is read-only: a forged POST to it changes nothing either.
    client.post(f"{QUEUE}{pending.pk}/change/", {"status": S.APPROVED, "reason": "forged"})
    pending.refresh_from_db()
    assert (pending.status, pending.reason) == (S.REJECTED, "The names do not match.")
