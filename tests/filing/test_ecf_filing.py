"""Filing through a court's ECF pages: who may file (each refusal with its own message), the
PDF checks, the filing fee, the docket entry and its NEF receipt; nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from filing.models import AttorneyOfRecord, Case, DocketEntry, FeePayment
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory
from tests.filing.ecf_support import (
    DECLINED_CARD,
    GOOD_CARD,
    card_fields,
    file_url,
    filer_in,
    filing_rows,
    pdf_upload,
    text,
)
from tests.filing.factories import (
    AttorneyOfRecordFactory,
    CaseFactory,
    DocketEntryFactory,
    FilingAgentFactory,
    pdf_bytes,
)
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(flsb):
    case = CaseFactory(court=flsb, number="1:22-bk-11234", title="In re Coral Gables Marine")
    AttorneyOfRecordFactory(case=case)
    return case


def test_signed_out_is_sent_to_sign_in(client, flsb, case, frozen_clock):
    for url in (file_url(flsb, case), "/ecf/flsb/file/new-case/", "/ecf/flsb/nef-addresses/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# Who may file: each refusal with its own message -----------------------------------------


def _legacy(court):
    return UserFactory(attorney=True, legacy=True, with_totp=True)


def _shared(court):
    return UserFactory(attorney=True, shared=True, with_totp=True)


def _no_rights(court):
    return UserFactory(attorney=True, with_totp=True)


def _mfa_missing(court):
    # Past the enforcement date, no authenticator app, and out of allowed skips.
    user = UserFactory(attorney=True, mfa_prompt_skips=4)
    from tests.filing.factories import FilingRightFactory

    FilingRightFactory(holder=user, court=court)
    return user


@pytest.mark.parametrize(
    ("make_user", "message"),
    [
        (_legacy, "Only upgraded PACER accounts work with NextGen. Upgrade your account first."),
        (_shared, "Shared PACER accounts cannot be used to link or e-file. Get your own."),
        (_no_rights, "You have no filing rights in U.S. Bankruptcy Court, Southern District"),
        (_mfa_missing, "Set up two-factor authentication before you link or e-file."),
    ],
    ids=["legacy", "shared", "not-linked-or-registered", "mfa-not-enrolled"],
)
def test_refusals_each_with_its_own_message(client, flsb, case, frozen_clock, make_user, message):
    client.force_login(make_user(flsb))
    before = filing_rows()
    page = client.get(file_url(flsb, case))
    assert page.status_code == 403
    assert message in text(page)
    posted = client.post(file_url(flsb, case, "motion"), {"text": "x", "document": pdf_upload()})
    assert posted.status_code == 403
    assert message in text(posted)
    assert filing_rows() == before


def test_before_the_mfa_deadline_a_filer_without_two_factor_may_file(
    client, flsb, case, frozen_clock, settings
):
    settings.CSO_MFA_FILER_ENFORCEMENT_DATE = dt.date(2027, 1, 4)
    client.force_login(_mfa_missing(flsb))
    assert client.get(file_url(flsb, case, "motion")).status_code == 200


def test_the_ecf_home_has_the_query_and_filing_menus(client, flsb, frozen_clock):
    client.force_login(filer_in(flsb))
    page = text(client.get("/ecf/flsb/"))
    for href in (
        "/ecf/flsb/search/",
        "/ecf/flsb/search/?purpose=file",
        "/ecf/flsb/file/new-case/",
        "/ecf/flsb/nef-addresses/",
    ):
        assert f'href="{href}"' in page


def test_refusal_pages_offer_the_way_forward(client, flsb, case, frozen_clock):
    client.force_login(UserFactory(attorney=True, legacy=True, with_totp=True))
    assert "/account/upgrade/" in text(client.get(file_url(flsb, case)))
    client.force_login(_mfa_missing(flsb))
    assert "/accounts/2fa/" in text(client.get(file_url(flsb, case)))
    client.force_login(_no_rights(flsb))
    page = text(client.get(file_url(flsb, case)))
    assert "/account/efile/" in page
    assert "/account/link/?court=flsb" in page


def test_currentgen_court_refuses_a_central_sign_on_session(client, frozen_clock):
    court = CourtFactory(id="arwb", name="Test W.D. Ark. Bankruptcy", bankruptcy=True,
                         currentgen=True)  # fmt: skip
    case = CaseFactory(court=court)
    client.force_login(filer_in(court))
    page = client.get(file_url(court, case))
    assert page.status_code == 403
    assert "still uses CurrentGen CM/ECF: a PACER (Central Sign-On) session cannot file" in text(
        page
    )
    assert "/ecf/arwb/" in text(page)  # sign in with the court-issued login there


# Filing a document -----------------------------------------------------------------------


def test_file_a_motion_shows_the_nef_receipt(client, flsb, case, frozen_clock):
    filer = filer_in(flsb, first_name="Avery", last_name="Attorney")
    AttorneyOfRecordFactory(case=case, attorney=filer)
    client.force_login(filer)
    choose = client.get(file_url(flsb, case))
    assert choose.status_code == 200
    assert "Motion for Relief from Stay (filing fee $199.00)" in text(choose)
    form = client.get(file_url(flsb, case, "motion"))
    assert "card_number" not in text(form)  # no fee, no card fields
    response = client.post(
        file_url(flsb, case, "motion"),
        {"text": "to extend time", "document": pdf_upload(3, "extend.pdf")},
    )
    assert response.status_code == 200
    page = text(response)
    assert "Notice of Electronic Filing" in page
    entry = DocketEntry.objects.get(case=case)
    assert entry.number == 1
    assert entry.text == "Motion filed by Avery Attorney. to extend time"
    assert entry.filer == filer
    assert entry.submitted_by == filer
    assert entry.document.page_count == 3
    assert "3 pages" in page
    recipients = sorted(entry.nefs.values_list("email", flat=True))
    assert len(recipients) == 2
    for email in recipients:
        assert email in page
    case.refresh_from_db()
    assert case.last_entry_number == 1


def test_an_unknown_event_is_asked_again(client, flsb, case, frozen_clock):
    client.force_login(filer_in(flsb))
    response = client.get(file_url(flsb, case, "petition_ch7"))  # opens a case: not here
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("motion.pdf", b"GIF89a not a pdf at all", "application/pdf"),
            "The file is not a PDF. CM/ECF accepts documents in PDF format only.",
        ),
        (
            SimpleUploadedFile("motion.pdf", b"%PDF-1.7\nbroken", "application/pdf"),
            "The PDF could not be read (it may be damaged).",
        ),
        (
            SimpleUploadedFile("motion.pdf", b"", "application/pdf"),
            "The submitted file is empty.",
        ),
    ],
    ids=["not-a-pdf", "damaged", "empty"],
)
def test_a_rejected_file_is_explained_and_nothing_is_saved(
    client, flsb, case, frozen_clock, upload, message
):
    client.force_login(filer_in(flsb))
    before = filing_rows()
    response = client.post(file_url(flsb, case, "motion"), {"text": "kept", "document": upload})
    assert response.status_code == 200
    assert message in text(response)
    assert "kept" in text(response)  # the docket text is not lost
    assert filing_rows() == before
    case.refresh_from_db()
    assert case.last_entry_number == 0


def test_an_oversized_file_is_refused_with_the_courts_limit(client, flsb, case, frozen_clock):
    flsb.pdf_size_limit_mb = Decimal("0.01")  # 10,485 bytes
    flsb.save(update_fields=["pdf_size_limit_mb"])
    client.force_login(filer_in(flsb))
    big = SimpleUploadedFile("big.pdf", pdf_bytes(1) + b"%" * 20_000, "application/pdf")
    before = filing_rows()
    response = client.post(file_url(flsb, case, "motion"), {"document": big})
    assert response.status_code == 200
    assert "The file is 0.02 MB;" in text(response)
    assert "accepts PDFs of at most 0.01 MB" in text(response)
    assert filing_rows() == before


def test_a_closed_case_takes_no_filing(client, flsb, frozen_clock):
    closed = CaseFactory(court=flsb, closed=True)
    client.force_login(filer_in(flsb))
    response = client.get(file_url(flsb, closed))
    assert response.status_code == 403
    assert f"Case {closed.number} is closed." in text(response)


# The filing fee ---------------------------------------------------------------------------


def test_a_fee_event_asks_for_the_card_and_keeps_only_last4_and_token(
    client, flsb, case, frozen_clock
):
    filer = filer_in(flsb)
    client.force_login(filer)
    form = client.get(file_url(flsb, case, "motion_relief_stay"))
    assert "card_number" in text(form)
    assert "filing fee of $199.00" in text(form)
    response = client.post(
        file_url(flsb, case, "motion_relief_stay"),
        {"document": pdf_upload(), **card_fields(GOOD_CARD)},
    )
    assert response.status_code == 200
    assert "$199.00 paid with the card ending 4242" in text(response)
    payment = FeePayment.objects.get()
    assert payment.card_last4 == "4242"
    assert payment.token.startswith("tok_")
    assert payment.payer == filer
    assert payment.amount == Decimal("199.00")
    digits = GOOD_CARD.replace(" ", "")
    row = FeePayment.objects.filter(pk=payment.pk).values().get()
    assert not any(digits in str(value) or GOOD_CARD in str(value) for value in row.values())
    assert digits not in str(dict(client.session.items()))
    assert digits not in text(response)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (DECLINED_CARD, "The card was declined. Use another card."),
        ("4242424242424241", "The card number is not valid."),
    ],
)
def test_a_declined_card_saves_nothing_and_is_not_shown_again(
    client, flsb, case, frozen_clock, number, message
):
    client.force_login(filer_in(flsb))
    before = filing_rows()
    response = client.post(
        file_url(flsb, case, "motion_relief_stay"),
        {"text": "stay relief", "document": pdf_upload(), **card_fields(number)},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert number not in text(response)  # the card number is never rendered back
    assert "stay relief" in text(response)
    assert filing_rows() == before
    case.refresh_from_db()
    assert case.last_entry_number == 0


def test_a_fee_event_without_a_card_is_asked_for_it(client, flsb, case, frozen_clock):
    client.force_login(filer_in(flsb))
    response = client.post(file_url(flsb, case, "motion_relief_stay"), {"document": pdf_upload()})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert DocketEntry.objects.count() == 0


# Filing agents and CurrentGen logins -----------------------------------------------------


def test_a_filing_agent_files_as_the_attorney(client, flsb, case, frozen_clock):
    attorney = filer_in(flsb, first_name="Avery", last_name="Attorney")
    agent = UserFactory(filing_agent=True, with_totp=True, first_name="Pat", last_name="Agent")
    FilingAgentFactory(principal=attorney, agent=agent, court=flsb)
    client.force_login(agent)
    session = client.session
    session["ecf:acting-for:flsb"] = attorney.pk
    session.save()
    page = client.get(file_url(flsb, case, "motion"))
    assert "Filing as Avery Attorney" in text(page)
    assert "/ecf/flsb/change-user/" in text(page)
    response = client.post(file_url(flsb, case, "motion"), {"document": pdf_upload()})
    assert response.status_code == 200
    entry = DocketEntry.objects.get()
    assert entry.filer == attorney
    assert entry.submitted_by == agent
    assert "filed by Pat Agent, filing agent" in text(response)


@pytest.fixture
def currentgen():
    court = CourtFactory(id="arwb", name="Test W.D. Ark. Bankruptcy", bankruptcy=True,
                         currentgen=True)  # fmt: skip
    login = CmecfAccountFactory(court=court, login="jdoe", holder_name="Jordan Doe")
    return court, login


def _legacy_sign_in(client, court):
    response = client.post(
        f"/ecf/{court.pk}/", {"login": "jdoe", "password": CMECF_TEST_PASSWORD}, follow=True
    )
    assert "signed in as jdoe" in text(response)
    return response


def test_currentgen_court_files_with_the_court_issued_login(client, currentgen, frozen_clock):
    court, login = currentgen
    case = CaseFactory(court=court)
    home = _legacy_sign_in(client, court)  # no PACER session at all
    assert "/ecf/arwb/search/?purpose=file" in text(home)
    found = client.get(f"/ecf/arwb/search/?purpose=file&number={case.number.upper()}")
    assert found.status_code == 302
    assert found["Location"] == file_url(court, case)
    response = client.post(file_url(court, case, "motion"), {"document": pdf_upload()})
    assert response.status_code == 200
    assert "Notice of Electronic Filing" in text(response)
    entry = DocketEntry.objects.get()
    assert entry.submitted_with_login == login
    assert entry.submitted_by is None
    assert entry.filer is None
    assert entry.filer_name == "Jordan Doe"
    # A fee needs a PACER account to pay with: explained, nothing saved.
    before = filing_rows()
    fee = client.post(
        file_url(court, case, "motion_relief_stay"), {"document": pdf_upload(), **card_fields()}
    )
    assert "also sign in with your PACER account" in text(fee)
    assert filing_rows() == before


def test_after_go_live_the_court_issued_session_no_longer_files(client, frozen_clock):
    court = CourtFactory(id="arwb", name="Test W.D. Ark. Bankruptcy", bankruptcy=True,
                         upcoming=True)  # fmt: skip
    CmecfAccountFactory(court=court, login="jdoe")
    case = CaseFactory(court=court)
    _legacy_sign_in(client, court)
    with time_machine.travel(dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(file_url(court, case))
    assert response.status_code == 302  # no PACER session: sign in with it now
    assert response["Location"].startswith("/accounts/login/")


# Opening a case ---------------------------------------------------------------------------


def test_open_a_case_with_parties_pdf_and_fee(client, flsb, frozen_clock):
    filer = filer_in(flsb)
    client.force_login(filer)
    page = client.get("/ecf/flsb/file/new-case/")
    assert "Voluntary Petition (Chapter 7) (filing fee $338.00)" in text(page)
    assert "Complaint" not in text(page)  # civil events belong to district courts
    response = client.post(
        "/ecf/flsb/file/new-case/",
        {
            "event": "petition_ch7",
            "title": "In re Jane Roe",
            "party_1_name": "Jane Roe",
            "party_1_role": "Debtor",
            "party_2_name": "",
            "document": pdf_upload(4, "petition.pdf"),
            **card_fields(),
        },
    )
    assert response.status_code == 200
    assert "Notice of Electronic Filing" in text(response)
    case = Case.objects.get(court=flsb, title="In re Jane Roe")
    assert case.number == "1:26-bk-00001"
    assert case.chapter == "7"
    assert list(case.parties.values_list("name", "role")) == [("Jane Roe", "Debtor")]
    assert AttorneyOfRecord.objects.get(case=case).attorney == filer
    assert case.entries.get().payment.amount == Decimal("338.00")


def test_a_district_court_opens_civil_cases(client, frozen_clock):
    court = CourtFactory(id="ared", nextgen=True)
    client.force_login(filer_in(court))
    page = text(client.get("/ecf/ared/file/new-case/"))
    assert "Complaint (filing fee $405.00)" in page
    assert "Voluntary Petition" not in page


def test_open_a_case_needs_a_party_and_loses_nothing(client, flsb, frozen_clock):
    client.force_login(filer_in(flsb))
    response = client.post(
        "/ecf/flsb/file/new-case/",
        {"event": "petition_ch7", "title": "In re Nobody", "document": pdf_upload(),
         **card_fields()},
    )  # fmt: skip
    assert "Name at least one party." in text(response)
    assert "In re Nobody" in text(response)
    assert Case.objects.count() == 0


# Query budgets ----------------------------------------------------------------------------


def test_the_filing_pages_have_a_fixed_query_budget(
    client, flsb, case, frozen_clock, django_assert_max_num_queries
):
    filer = filer_in(flsb)
    client.force_login(filer)
    client.get(file_url(flsb, case, "motion"))  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get(file_url(flsb, case, "motion")).status_code == 200
    DocketEntryFactory.create_batch(50, case=case)
    with django_assert_max_num_queries(12):
        assert client.get(file_url(flsb, case, "motion")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/ecf/flsb/file/new-case/").status_code == 200
