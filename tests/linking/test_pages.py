"""The holder's link pages, My courts and each court's simulated ECF site, through the
public interface (the test client; re-authentication through allauth's own page)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from linking.models import CmecfAccount, LinkRequest
from tests.courts.factories import CourtFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.linking.factories import (
    CMECF_TEST_PASSWORD,
    CmecfAccountFactory,
    LinkRequestFactory,
)

pytestmark = pytest.mark.django_db

START = "/account/link/"


def reauthenticate(client, user) -> None:
    """Sign in and re-authenticate through allauth's page (as test_security_notices does)."""
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302


def text(response) -> str:
    return response.content.decode()


def post_credentials(client, court, login, password=CMECF_TEST_PASSWORD, **extra):
    return client.post(
        f"/account/link/{court.pk}/", {"login": login, "password": password}, **extra
    )


def verify_token(client, court) -> str:
    response = client.get(f"/account/link/{court.pk}/verify/")
    assert response.status_code == 200
    return response.context["form"].initial["token"]


# Preconditions: each with its own message and way forward ----------------------------------


def test_signed_out_is_sent_to_sign_in_and_back(client, court):
    response = client.get(f"{START}?court=azb")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_start_lists_nextgen_courts_and_when_currentgen_ones_open(
    client, holder, court, frozen_clock
):
    CourtFactory(id="flsb", name="Florida Southern Bankruptcy Court", upcoming=True)
    client.force_login(holder)
    response = client.get(START)
    assert response.status_code == 200
    assert response.context["nextgen_courts"].filter(pk="azb").exists()
    assert not response.context["nextgen_courts"].filter(pk="flsb").exists()
    assert "Linking opens on November 28, 2026" in text(response)


def test_a_legacy_account_is_told_to_upgrade_first(client, court, frozen_clock):
    legacy = UserFactory(attorney=True, legacy=True)
    client.force_login(legacy)
    response = client.get(f"{START}?court=azb")
    assert "Upgrade your account first" in text(response)
    assert 'href="/account/upgrade/"' in text(response)


def test_a_shared_account_is_refused(client, court, frozen_clock):
    client.force_login(UserFactory(shared=True))
    response = client.get(f"{START}?court=azb")
    assert "Shared PACER accounts cannot be used to link or e-file" in text(response)


def test_a_filer_out_of_mfa_skips_is_sent_to_set_up_two_factor(client, court, frozen_clock):
    client.force_login(UserFactory(attorney=True, mfa_prompt_skips=4))
    response = client.get(f"{START}?court=azb")
    assert "Set up two-factor authentication before you link or e-file" in text(response)
    assert 'href="/accounts/2fa/"' in text(response)


def test_not_yet_live_the_day_before_go_live(client, holder):
    flsb = CourtFactory(
        id="flsb", name="Florida Southern Bankruptcy Court", nextgen_date=dt.date(2022, 4, 4)
    )
    CmecfAccountFactory(court=flsb, login="avery")
    with time_machine.travel(dt.datetime(2022, 4, 3, 15, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(holder)
        response = client.get(f"{START}?court=flsb")
        assert "Linking opens on April 4, 2022" in text(response)
        # The credential step re-checks it, whatever the URL.
        reauthenticate(client, holder)
        direct = post_credentials(client, flsb, "avery")
        assert direct.status_code == 302
        assert direct["Location"] == f"{START}?court=flsb"
    with time_machine.travel(dt.datetime(2022, 4, 4, 15, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(holder)  # a day later: a new session (the idle limit ended it)
        assert client.get(f"{START}?court=flsb")["Location"] == "/account/link/flsb/"


def test_already_linked_in_the_court(client, holder, court, frozen_clock):
    CmecfAccountFactory(court=court, linked=True, linked_account=holder)
    client.force_login(holder)
    response = client.get(f"{START}?court=azb")
    assert "already linked to a CM/ECF account in" in text(response)
    assert 'href="/account/courts/"' in text(response)


def test_a_waiting_request_points_to_it(client, holder, court, cmecf, frozen_clock):
    waiting = LinkRequestFactory(pacer_account=holder, court=court, cmecf_account=cmecf)
    client.force_login(holder)
    response = client.get(f"{START}?court=azb")
    assert "already have a link request for this court waiting" in text(response)
    assert f'href="/account/link/requests/{waiting.pk}/"' in text(response)


def test_all_preconditions_met_leads_to_the_credential_step(client, holder, court, frozen_clock):
    client.force_login(holder)
    assert client.get(f"{START}?court=azb")["Location"] == "/account/link/azb/"


def test_the_credential_step_needs_a_recent_reauthentication(
    client, holder, court, cmecf, frozen_clock
):
    client.force_login(holder)
    response = client.get("/account/link/azb/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reauthenticate/?next=%2Faccount%2Flink%2Fazb%2F"
    # A POST that needs re-authentication is dropped, not kept to replay: the court-issued
    # password never lands in the session.
    response = post_credentials(client, court, "alawson")
    assert response.status_code == 302
    assert response["Location"] == "/account/link/azb/"
    assert "linking:pending" not in client.session
    assert CMECF_TEST_PASSWORD not in str(dict(client.session))


# Credentials -----------------------------------------------------------------------------


def test_wrong_password_and_unknown_login_get_one_generic_message(
    client, holder, court, cmecf, frozen_clock
):
    reauthenticate(client, holder)
    wrong = post_credentials(client, court, "alawson", "not it")
    unknown = post_credentials(client, court, "nobody", "not it")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The CM/ECF login or password is not correct." in text(response)
    cmecf.refresh_from_db()
    assert cmecf.failed_attempts == 1


def test_a_locked_login_says_until_when_and_the_help_desk_phone(
    client, holder, court, cmecf, frozen_clock, settings
):
    settings.TIME_ZONE = "UTC"
    reauthenticate(client, holder)
    for _attempt in range(5):
        post_credentials(client, court, "alawson", "not it")
    response = post_credentials(client, court, "alawson")  # right password, still refused
    assert (
        "This CM/ECF login is locked until 15:15; contact the court&#x27;s help desk "
        "((602) 682-4000)" in text(response)
    )
    assert "linking:pending" not in client.session


def test_too_many_attempts_is_a_429(client, holder, court, cmecf, frozen_clock, monkeypatch):
    from linking.services import credentials

    monkeypatch.setattr(credentials, "PACER_ACCOUNT_LIMIT", 1)
    reauthenticate(client, holder)
    post_credentials(client, court, "alawson", "not it")
    response = post_credentials(client, court, "alawson", "not it")
    assert response.status_code == 429
    assert "Too many attempts" in text(response)


# Verify, submit, status, cancel ----------------------------------------------------------


def test_verify_then_submit_creates_a_submitted_request(
    client, holder, court, cmecf, frozen_clock, django_capture_on_commit_callbacks
):
    reauthenticate(client, holder)
    response = post_credentials(client, court, "ALawson")
    assert response["Location"] == "/account/link/azb/verify/"
    verify = client.get("/account/link/azb/verify/")
    page = text(verify)
    assert (
        "Verify that the CM/ECF account and PACER account listed are accurate. If so, click Submit."
        in page
    )
    for shown in (
        "alawson",
        "Lawson, Avery B.",
        court.name,
        "avery",
        holder.account_number,
        "Avery Lawson",
    ):
        assert shown in page
    # The proved account stays server-side: no CM/ECF id in the page.
    assert f'value="{cmecf.pk}"' not in page
    token = verify.context["form"].initial["token"]
    with django_capture_on_commit_callbacks(execute=False):
        submitted = client.post("/account/link/azb/verify/", {"token": token})
    link_request = LinkRequest.objects.get(pacer_account=holder)
    assert link_request.status == LinkRequest.Status.SUBMITTED
    assert link_request.cmecf_account == cmecf
    assert submitted["Location"] == f"/account/link/requests/{link_request.pk}/"
    status = client.get(submitted["Location"])
    assert status.status_code == 200
    assert "Submitted" in text(status)
    assert "Cancel this request" in text(status)


def test_replaying_the_confirm_is_refused_and_the_flow_restarts(
    client, holder, court, cmecf, frozen_clock, django_capture_on_commit_callbacks
):
    reauthenticate(client, holder)
    post_credentials(client, court, "alawson")
    token = verify_token(client, court)
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post("/account/link/azb/verify/", {"token": token})
    assert first.status_code == 302
    replay = client.post("/account/link/azb/verify/", {"token": token})
    assert replay["Location"] == f"{START}?court=azb"
    assert LinkRequest.objects.filter(pacer_account=holder).count() == 1


def test_confirm_without_the_credential_step_is_refused(client, holder, court, cmecf, frozen_clock):
    reauthenticate(client, holder)
    response = client.post("/account/link/azb/verify/", {"token": "made-up"})
    assert response["Location"] == f"{START}?court=azb"
    assert client.get("/account/link/azb/verify/")["Location"] == f"{START}?court=azb"
    assert not LinkRequest.objects.exists()


def test_a_wrong_token_spends_the_attempt(client, holder, court, cmecf, frozen_clock):
    reauthenticate(client, holder)
    post_credentials(client, court, "alawson")
    token = verify_token(client, court)
    client.post("/account/link/azb/verify/", {"token": "guess"})
    assert (
        client.post("/account/link/azb/verify/", {"token": token})["Location"]
        == f"{START}?court=azb"
    )
    assert not LinkRequest.objects.exists()


def test_another_users_request_page_is_404(client, holder, court, frozen_clock):
    theirs = LinkRequestFactory(court=court)
    client.force_login(holder)
    assert client.get(f"/account/link/requests/{theirs.pk}/").status_code == 404
    assert client.post(f"/account/link/requests/{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == LinkRequest.Status.SUBMITTED


def test_cancel_an_open_request(client, holder, court, cmecf, frozen_clock):
    mine = LinkRequestFactory(
        pacer_account=holder, court=court, cmecf_account=cmecf, pending_review=True
    )
    client.force_login(holder)
    response = client.post(f"/account/link/requests/{mine.pk}/cancel/", follow=True)
    mine.refresh_from_db()
    assert mine.status == LinkRequest.Status.CANCELLED
    assert "Your link request is cancelled." in text(response)
    assert "Cancel this request" not in text(response)
    again = client.post(f"/account/link/requests/{mine.pk}/cancel/", follow=True)
    assert "cannot be cancelled" in text(again)


# My courts and the Maintenance tab -------------------------------------------------------


def test_my_courts_lists_each_court_with_its_state_and_history(
    client, holder, court, cmecf, frozen_clock
):
    areb = CourtFactory(id="areb", name="Arkansas Eastern Bankruptcy Court", nextgen=True)
    CmecfAccountFactory(court=areb, login="avery-ar", linked=True, linked_account=holder)
    LinkRequestFactory(pacer_account=holder, court=court, cmecf_account=cmecf, rejected=True)
    CourtFactory(id="ca8", nextgen=True)  # nothing there: not listed
    client.force_login(holder)
    response = client.get("/account/courts/")
    page = text(response)
    assert [row["court"].pk for row in response.context["rows"]] == ["areb", "azb"]
    assert "avery-ar" in page
    assert "Linked" in page
    assert "Rejected" in page
    assert 'href="/courts/?status=nextgen"' in page


def test_my_courts_shows_only_my_own(client, holder, court, frozen_clock):
    LinkRequestFactory(court=court)
    client.force_login(holder)
    assert client.get("/account/courts/").context["rows"] == []


def test_the_maintenance_tab_links_to_linking_and_my_courts(client, holder, frozen_clock):
    client.force_login(holder)
    page = text(client.get("/account/maintenance/"))
    assert 'href="/account/link/"' in page
    assert 'href="/account/courts/"' in page


# Each court's simulated ECF site ----------------------------------------------------------


@pytest.fixture
def flsb(db):
    """A CurrentGen court (go-live later than the pinned clock) with a court-issued login."""
    court = CourtFactory(id="flsb", name="Florida Southern Bankruptcy Court", upcoming=True)
    CmecfAccountFactory(court=court, login="jdoe")
    return court


def test_currentgen_legacy_login_works_as_a_separate_login(client, flsb, frozen_clock):
    page = client.get("/ecf/flsb/")
    assert "CM/ECF (legacy) login" in text(page)
    wrong = client.post("/ecf/flsb/", {"login": "jdoe", "password": "not it"})
    assert "The CM/ECF login or password is not correct." in text(wrong)
    signed_in = client.post(
        "/ecf/flsb/", {"login": "jdoe", "password": CMECF_TEST_PASSWORD}, follow=True
    )
    assert "CM/ECF (legacy) — signed in as jdoe" in text(signed_in)
    assert "_auth_user_id" not in client.session  # not a PACER sign-in
    # The old bookmarked URL is the same login page before go-live.
    assert "signed in as jdoe" in text(client.get("/ecf/flsb/cgi-bin/login.pl"))
    client.post("/ecf/flsb/sign-out/")
    assert "CM/ECF (legacy) login" in text(client.get("/ecf/flsb/"))


MOVED = "This court has moved to NextGen CM/ECF; sign in with your PACER account"


@pytest.mark.parametrize(
    "path", ["/ecf/azb/", "/ecf/azb/cgi-bin/login.pl", "/ecf/azb/cgi-bin/iquery.pl"]
)
def test_nextgen_court_refuses_court_issued_credentials(client, court, cmecf, frozen_clock, path):
    response = client.post(path, {"login": "alawson", "password": CMECF_TEST_PASSWORD})
    assert response.status_code == 403
    assert MOVED in text(response)
    cmecf.refresh_from_db()
    assert cmecf.failed_attempts == 0  # refused without being checked


def test_nextgen_legacy_url_explains_on_get(client, court, frozen_clock):
    assert MOVED in text(client.get("/ecf/azb/cgi-bin/login.pl"))


def test_after_go_live_the_legacy_login_refuses(client, flsb):
    with time_machine.travel(dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC), tick=False):
        response = client.post("/ecf/flsb/", {"login": "jdoe", "password": CMECF_TEST_PASSWORD})
    assert MOVED in text(response)


def test_nextgen_site_needs_the_pacer_session(client, court, frozen_clock):
    response = client.get("/ecf/azb/")
    assert response["Location"] == "/accounts/login/?next=/ecf/azb/"


@pytest.mark.parametrize(
    ("traits", "wording"),
    [
        ({"bankruptcy": True}, "Link a CM/ECF account to my PACER account"),
        ({"appellate": True}, "Link my filer account to my PACER account"),
    ],
)
def test_utilities_wording_per_court_type(client, holder, frozen_clock, traits, wording):
    court = CourtFactory(id="zz1", nextgen=True, **traits)
    client.force_login(holder)
    page = text(client.get(f"/ecf/{court.pk}/"))
    assert f'<a class="usa-link" href="/account/link/?court={court.pk}">{wording}</a>' in page
    assert "You file here once your CM/ECF account is linked" in page


def test_a_linked_holder_sees_the_filing_menu(client, holder, court, frozen_clock):
    CmecfAccountFactory(court=court, linked=True, linked_account=holder)
    client.force_login(holder)
    page = text(client.get("/ecf/azb/"))
    assert 'href="/ecf/azb/search/?purpose=file"' in page  # the Filing menu
    assert "You file here once your CM/ECF account is linked" not in page


def test_the_views_keep_the_cmecf_password_out_of_the_session(
    client, holder, court, cmecf, frozen_clock
):
    reauthenticate(client, holder)
    post_credentials(client, court, "alawson")
    assert CMECF_TEST_PASSWORD not in str(dict(client.session))
    assert CmecfAccount.objects.get(pk=cmecf.pk).failed_attempts == 0
    assert not Authenticator.objects.filter(user=holder).exists()
