"""E-file registration through the services (seeds 002, 004): the refusals, one open request
per court, pro hac vice limited to its case, and CurrentGen courts issuing their own login."""

from __future__ import annotations

import datetime as dt

import pytest

from cso_portal.core.models import OutboundEmail
from filing import services
from filing.models import EfileRegistration, EfileRegistrationEvent, FilerRole, FilingRight
from filing.services import registration
from filing.services.rights import filing_refusal, right_in
from linking.models import CmecfAccount
from tests.conftest import PINNED_NOW
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.factories import CaseFactory, EfileRegistrationFactory, FilingRightFactory
from tests.linking.factories import CmecfAccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

S = EfileRegistration.Status
TODAY = PINNED_NOW.date()
ATTORNEY_DETAILS = {"bar_number": "2016042", "bar_state": "Florida", "terms_accepted": True}
LF95 = {**ATTORNEY_DETAILS, "local_form_completed_on": dt.date(2026, 11, 10)}


@pytest.fixture
def arb(db):
    """A CurrentGen bankruptcy court that registers its filers and lets them propose a login."""
    return CourtFactory(
        id="arb",
        name="U.S. Bankruptcy Court, Western District of Arkansas",
        court_type="bankruptcy",
        currentgen=True,
        filer_may_propose_login=True,
    )


def submit(user, court, kind="efile_attorney", details=None, **kwargs):
    return registration.submit_efile_registration(
        pacer_account=user,
        court=court,
        registration_type=kind,
        details=LF95 if details is None else details,
        now=PINNED_NOW,
        **kwargs,
    )


# Refusals -------------------------------------------------------------------------------------


def test_flsb_asks_new_attorneys_for_lf95_but_not_non_attorneys(flsb, attorney, agent_user):
    assert registration.needs_local_form(flsb, "attorney_admission")
    assert not registration.needs_local_form(flsb, "filing_agent")
    with pytest.raises(services.RegistrationRefused, match="local form LF-95 first"):
        submit(attorney, flsb, details=ATTORNEY_DETAILS)
    assert not EfileRegistration.objects.exists()
    agent_request = submit(agent_user, flsb, "filing_agent", {"terms_accepted": True})
    assert agent_request.local_form == ""


def test_terms_and_bar_number_are_required(flsb, attorney):
    with pytest.raises(services.RegistrationRefused, match="e-filing terms"):
        submit(attorney, flsb, details={**LF95, "terms_accepted": False})
    with pytest.raises(services.RegistrationRefused, match="bar number"):
        submit(attorney, flsb, details={**LF95, "bar_number": " "})


def test_one_open_request_per_court(flsb, other_court, attorney):
    first = submit(attorney, flsb)
    with pytest.raises(services.RegistrationRefused, match="already have an e-file registration"):
        submit(attorney, flsb, "attorney_admission")
    submit(attorney, other_court)  # another court is another request
    registration.cancel_efile_registration(registration=first, actor=attorney, now=PINNED_NOW)
    assert submit(attorney, flsb).status == S.PENDING_REVIEW


def test_legacy_shared_and_rights_holders_are_refused_each_with_its_message(flsb, attorney):
    legacy = UserFactory(attorney=True, legacy=True)
    shared = UserFactory(shared=True)
    FilingRightFactory(holder=attorney, court=flsb)
    with pytest.raises(services.RegistrationRefused, match="Only upgraded PACER accounts"):
        submit(legacy, flsb)
    with pytest.raises(services.RegistrationRefused, match="Shared PACER accounts"):
        submit(shared, flsb)
    with pytest.raises(services.RegistrationRefused, match="already have filing rights"):
        submit(attorney, flsb)


def test_each_channel_refuses_the_other_generation(flsb, arb, attorney):
    with pytest.raises(services.RegistrationRefused, match="still uses CurrentGen"):
        submit(attorney, arb)
    with pytest.raises(services.RegistrationRefused, match="is on NextGen"):
        submit(attorney, flsb, channel=EfileRegistration.Channel.COURT_SITE)


# Decisions ------------------------------------------------------------------------------------


def test_approval_grants_a_right_from_registration_and_emails_once(flsb, flsb_clerk, attorney):
    request = submit(attorney, flsb)
    registration.approve_efile_registration(registration=request, actor=flsb_clerk, now=PINNED_NOW)
    right = right_in(attorney, flsb)
    assert (right.role, right.source, right.registration_id) == (
        FilerRole.ATTORNEY,
        FilingRight.Source.REGISTRATION,
        request.pk,
    )
    assert right.since == PINNED_NOW
    assert OutboundEmail.objects.filter(template="filing/email/registration_approved").count() == 1
    with pytest.raises(services.IllegalTransition):
        registration.approve_efile_registration(
            registration=request, actor=flsb_clerk, now=PINNED_NOW
        )
    assert OutboundEmail.objects.filter(template="filing/email/registration_approved").count() == 1
    events = list(EfileRegistrationEvent.objects.filter(registration=request))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", S.PENDING_REVIEW),
        (S.PENDING_REVIEW, S.APPROVED),
    ]


def test_pro_hac_vice_names_its_case_and_the_right_is_for_that_case_only(
    flsb, flsb_clerk, attorney
):
    case, other_case = CaseFactory(court=flsb), CaseFactory(court=flsb)
    with pytest.raises(services.RegistrationRefused, match="names the case"):
        submit(attorney, flsb, "pro_hac_vice")
    request = submit(attorney, flsb, "pro_hac_vice", {**LF95, "case_number": case.number})
    registration.approve_efile_registration(registration=request, actor=flsb_clerk, now=PINNED_NOW)
    assert right_in(attorney, flsb, case).case == case
    assert right_in(attorney, flsb, other_case) is None
    assert right_in(attorney, flsb) is None
    assert "for case" in filing_refusal(user=attorney, court=flsb, today=TODAY, case=other_case)


def test_rejection_needs_a_reason_and_emails_it(flsb, flsb_clerk, attorney):
    request = submit(attorney, flsb)
    with pytest.raises(services.ReasonRequired):
        registration.reject_efile_registration(
            registration=request, actor=flsb_clerk, reason="  ", now=PINNED_NOW
        )
    registration.reject_efile_registration(
        registration=request, actor=flsb_clerk, reason="No LF-95 on file.", now=PINNED_NOW
    )
    request.refresh_from_db()
    assert (request.status, request.reason, request.decided_by) == (
        S.REJECTED,
        "No LF-95 on file.",
        flsb_clerk,
    )
    email = OutboundEmail.objects.get(template="filing/email/registration_rejected")
    assert email.context["reason"] == "No LF-95 on file."
    assert not FilingRight.objects.exists()


def test_cancel_only_while_waiting(flsb, attorney):
    request = EfileRegistrationFactory(pacer_account=attorney, court=flsb, rejected=True)
    with pytest.raises(services.IllegalTransition):
        registration.cancel_efile_registration(registration=request, actor=attorney, now=PINNED_NOW)


# CurrentGen courts register filers themselves (seed 002) ------------------------------------


def test_currentgen_approval_issues_the_proposed_login_when_free(arb, attorney, staff):
    request = submit(
        attorney,
        arb,
        details={**ATTORNEY_DETAILS, "requested_login": "jdoe-esq"},
        channel=EfileRegistration.Channel.COURT_SITE,
    )
    registration.approve_efile_registration(registration=request, actor=staff, now=PINNED_NOW)
    request.refresh_from_db()
    login = request.issued_cmecf_account
    assert (login.login, login.court_id, login.role) == ("jdoe-esq", "arb", "attorney")
    assert login.email_of_record == attorney.email
    assert not FilingRight.objects.exists()  # CurrentGen: the login is what files there
    email = OutboundEmail.objects.get(template="filing/email/registration_login_issued")
    assert email.context["login"] == "jdoe-esq"
    assert email.context["token_id"]


def test_a_taken_proposed_login_falls_back_to_an_assigned_one(arb, staff):
    filer = UserFactory(attorney=True, first_name="Dana", last_name="O'Neil")
    CmecfAccountFactory(court=arb, login="dana1")
    request = submit(
        filer,
        arb,
        details={**ATTORNEY_DETAILS, "requested_login": "DANA1"},
        channel=EfileRegistration.Channel.COURT_SITE,
    )
    registration.approve_efile_registration(registration=request, actor=staff, now=PINNED_NOW)
    request.refresh_from_db()
    assert request.issued_cmecf_account.login == "doneil"
    assert CmecfAccount.objects.filter(court=arb).count() == 2


def test_a_court_that_assigns_logins_ignores_a_proposed_one(attorney, staff):
    court = CourtFactory(id="akb", court_type="bankruptcy", currentgen=True)
    request = submit(
        attorney,
        court,
        details={**ATTORNEY_DETAILS, "requested_login": "mine"},
        channel=EfileRegistration.Channel.COURT_SITE,
    )
    assert request.requested_login == ""
