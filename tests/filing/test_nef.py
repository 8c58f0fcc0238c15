"""Notices of Electronic Filing: one per attorney of record and extra address (deduplicated),
emailed through the outbox with a free look that works once, within 15 days."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from accounts.models import Charge
from cso_portal.core.models import OutboundEmail
from cso_portal.core.services import render_email
from filing.models import Nef, NefRecipient
from filing.services import efiling
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.filing.ecf_support import file_url, filer_in, pdf_upload, text
from tests.filing.factories import AttorneyOfRecordFactory, CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(flsb):
    return CaseFactory(court=flsb, number="1:22-bk-11234", title="In re Coral Gables Marine")


def _file_motion(client, flsb, case, filer):
    client.force_login(filer)
    response = client.post(file_url(flsb, case, "motion"), {"document": pdf_upload(2)})
    assert response.status_code == 200
    client.logout()
    return response


def _free_look_link(email: OutboundEmail) -> str:
    body = render_email(email).body
    return re.search(r"http://[^/\s]+(/ecf/free-look/\S+/)", body).group(1)


def test_one_nef_per_attorney_and_extra_address_deduplicated(client, flsb, case, frozen_clock):
    filer = filer_in(flsb, username="filer1")
    first = AttorneyOfRecordFactory(case=case, attorney=filer).attorney
    second = AttorneyOfRecordFactory(case=case).attorney
    inactive = AttorneyOfRecordFactory(case=case, attorney=UserFactory(is_active=False)).attorney
    efiling.set_nef_recipients(
        filer=first,
        court=flsb,
        emails=["paralegal@firm.example.test", second.email.upper(), "ASSISTANT@firm.example.test"],
    )
    efiling.set_nef_recipients(filer=second, court=flsb, emails=["assistant@firm.example.test"])
    response = _file_motion(client, flsb, case, filer)
    sent = sorted(Nef.objects.values_list("email", flat=True))
    assert sorted(e.lower() for e in sent) == sorted(
        [
            first.email,
            "paralegal@firm.example.test",
            second.email,
            "assistant@firm.example.test",
        ]
    )
    assert inactive.email not in sent
    emails = OutboundEmail.objects.filter(template="filing/email/nef")
    assert emails.count() == 4
    for address in sent:
        assert address in text(response)  # the receipt lists who was notified
    # Rendered from the NEF's id only: court, case, event, filer, pages, the link.
    email = emails.get(to="paralegal@firm.example.test")
    assert email.context == {"nef_id": Nef.objects.get(email=email.to).pk}
    message = render_email(email)
    assert "1:22-bk-11234" in message.subject
    assert "Motion" in message.subject
    for expected in (
        "U.S. Bankruptcy Court, Southern District of Florida",
        "In re Coral Gables Marine",
        "Docket entry: 1",
        f"Filer: {filer.full_name}",
        "(2 pages)",
        "/ecf/free-look/",
        "within 15 days",
    ):
        assert expected in message.body


def test_each_filing_notifies_once_per_address(client, flsb, case, frozen_clock):
    filer = filer_in(flsb)
    AttorneyOfRecordFactory(case=case, attorney=filer)
    _file_motion(client, flsb, case, filer)
    _file_motion(client, flsb, case, filer)
    emails = OutboundEmail.objects.filter(template="filing/email/nef")
    assert emails.count() == 2
    assert {n.entry.number for n in Nef.objects.select_related("entry")} == {1, 2}


def test_free_look_works_once_then_points_to_the_charged_page(client, flsb, case, frozen_clock):
    filer = filer_in(flsb)
    AttorneyOfRecordFactory(case=case, attorney=filer)
    _file_motion(client, flsb, case, filer)
    link = _free_look_link(OutboundEmail.objects.get(template="filing/email/nef"))
    # Signed out: the link is the credential. Opening it (as a mail scanner would) spends
    # nothing; the button does.
    confirm = client.get(link)
    assert confirm.status_code == 200
    assert "View Document (free look)" in text(confirm)
    assert client.get(link).status_code == 200
    assert Nef.objects.get().free_look_used_at is None
    first = client.post(link)
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert first["Content-Disposition"].startswith("inline")
    assert first.content.startswith(b"%PDF-")
    assert Charge.objects.count() == 0  # free
    again = client.get(link)
    assert again.status_code == 410
    assert "The free look of this notice was used." in text(again)
    assert client.post(link).status_code == 410
    assert Charge.objects.count() == 0
    assert f"/ecf/flsb/cases/{case.pk}/doc/1/" in text(again)
    assert Nef.objects.get().free_look_used_at == PINNED_NOW


def test_free_look_expires_after_15_days(client, flsb, case, frozen_clock):
    filer = filer_in(flsb)
    AttorneyOfRecordFactory(case=case, attorney=filer)
    _file_motion(client, flsb, case, filer)
    link = _free_look_link(OutboundEmail.objects.get(template="filing/email/nef"))
    with time_machine.travel(PINNED_NOW + dt.timedelta(days=15, minutes=1), tick=False):
        response = client.get(link)
        assert client.post(link).status_code == 410
    assert response.status_code == 410
    assert "has expired (15 days)" in text(response)
    assert Nef.objects.get().free_look_used_at is None
    with time_machine.travel(PINNED_NOW + dt.timedelta(days=14, hours=23), tick=False):
        assert client.post(link).status_code == 200  # still within the 15 days


@pytest.mark.parametrize("token", ["1:forged", "not-a-token", "123"])
def test_a_forged_free_look_link_is_404(client, flsb, case, frozen_clock, token):
    response = client.get(f"/ecf/free-look/{token}/")
    assert response.status_code == 404
    assert "This free-look link is not valid" in text(response)


def test_nef_addresses_page_saves_up_to_five(client, flsb, frozen_clock):
    filer = filer_in(flsb)
    client.force_login(filer)
    page = client.get("/ecf/flsb/nef-addresses/")
    assert page.status_code == 200
    assert "Additional address 5" in text(page)
    assert "Additional address 6" not in text(page)
    bad = client.post("/ecf/flsb/nef-addresses/", {"email_1": "not an address"})
    assert "Enter a valid email address." in text(bad)
    response = client.post(
        "/ecf/flsb/nef-addresses/",
        {"email_1": "a@firm.example.test", "email_3": "b@firm.example.test"},
        follow=True,
    )
    assert "Your additional NEF addresses are saved." in text(response)
    assert list(NefRecipient.objects.values_list("email", flat=True)) == [
        "a@firm.example.test",
        "b@firm.example.test",
    ]
    assert 'value="a@firm.example.test"' in text(response)
    with pytest.raises(efiling.FilingRefused, match="At most 5"):
        efiling.set_nef_recipients(
            filer=filer, court=flsb, emails=[f"x{n}@firm.example.test" for n in range(6)]
        )


def test_free_look_and_nef_address_pages_have_a_fixed_query_budget(
    client, flsb, case, frozen_clock, django_assert_max_num_queries
):
    filer = filer_in(flsb)
    AttorneyOfRecordFactory(case=case, attorney=filer)
    _file_motion(client, flsb, case, filer)
    link = _free_look_link(OutboundEmail.objects.get(template="filing/email/nef"))
    with django_assert_max_num_queries(6):
        assert client.get(link).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.post(link).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(link).status_code == 410
    client.force_login(filer)
    client.get("/ecf/flsb/nef-addresses/")  # warm the session
    with django_assert_max_num_queries(5):
        assert client.get("/ecf/flsb/nef-addresses/").status_code == 200
