"""The core filing flow through the services: register, approve, file, NEF, free look."""

from __future__ import annotations

import pytest

from cso_portal.core.models import OutboundEmail
from filing import services
from filing.models import EfileRegistration, FilingRight
from filing.services import efiling, registration, viewing
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.filing.factories import AttorneyOfRecordFactory, CaseFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def test_register_approve_file_and_notify(flsb, flsb_clerk):
    attorney = UserFactory(attorney=True, username="newatty")
    with pytest.raises(services.RegistrationRefused, match="LF-95"):
        registration.submit_efile_registration(
            pacer_account=attorney,
            court=flsb,
            registration_type="efile_attorney",
            details={"bar_number": "123", "terms_accepted": True},
            now=PINNED_NOW,
        )
    request = registration.submit_efile_registration(
        pacer_account=attorney,
        court=flsb,
        registration_type="efile_attorney",
        details={
            "bar_number": "123",
            "terms_accepted": True,
            "local_form_completed_on": PINNED_NOW.date(),
        },
        now=PINNED_NOW,
    )
    assert request.local_form == "LF-95"
    registration.approve_efile_registration(registration=request, actor=flsb_clerk, now=PINNED_NOW)
    request.refresh_from_db()
    assert request.status == EfileRegistration.Status.APPROVED
    assert FilingRight.objects.get(holder=attorney, court=flsb).source == "registration"

    case = CaseFactory(court=flsb)
    others = AttorneyOfRecordFactory.create_batch(2, case=case)
    entry = efiling.file_document(
        user=attorney,
        court=flsb,
        case=case,
        event_code="notice_of_appearance",
        upload=efiling.Upload("appearance.pdf", pdf_bytes(2)),
        now=PINNED_NOW,
    )
    assert entry.number == 1
    assert entry.document.page_count == 2
    recipients = sorted(entry.nefs.values_list("email", flat=True))
    assert recipients == sorted([attorney.email] + [o.attorney.email for o in others])
    assert OutboundEmail.objects.filter(template="filing/email/nef").count() == 3
    # Sending again (a retried task, a replay) notices nobody twice.
    assert efiling.send_nefs(entry=entry, now=PINNED_NOW) == 0
    assert OutboundEmail.objects.filter(template="filing/email/nef").count() == 3

    nef = entry.nefs.first()
    viewing.use_free_look(nef=nef, now=PINNED_NOW)
    with pytest.raises(services.FreeLookUnavailable, match="used"):
        viewing.use_free_look(nef=nef, now=PINNED_NOW)


def test_an_approved_link_carries_the_logins_filing_rights(flsb, flsb_clerk):
    """Seed 000: once linked, the PACER account files where the court-issued login did."""
    from linking import services as linking_services
    from linking.models import CmecfAccount
    from tests.linking.factories import LinkRequestFactory

    request = LinkRequestFactory(
        court=flsb, pending_review=True, cmecf_account__role=CmecfAccount.Role.TRUSTEE
    )
    assert services.FilingError  # the package exports its errors
    linking_services.approve_link_request(request=request, actor=flsb_clerk, now=PINNED_NOW)
    right = FilingRight.objects.get(holder=request.pacer_account, court=flsb)
    assert (right.source, right.role, right.link_request_id) == ("link", "trustee", request.pk)
    assert right.case is None


def test_a_rejected_pdf_or_refused_filer_leaves_nothing_behind(flsb):
    from filing.models import DocketEntry, Document, Nef

    attorney = UserFactory(attorney=True, username="norights")
    case = CaseFactory(court=flsb)
    with pytest.raises(services.FilingRefused, match="no filing rights"):
        efiling.file_document(
            user=attorney,
            court=flsb,
            case=case,
            event_code="motion",
            upload=efiling.Upload("m.pdf", pdf_bytes(1)),
            now=PINNED_NOW,
        )
    from tests.filing.factories import FilingRightFactory

    FilingRightFactory(holder=attorney, court=flsb)
    with pytest.raises(services.DocumentRejected, match="not a PDF"):
        efiling.file_document(
            user=attorney,
            court=flsb,
            case=case,
            event_code="motion",
            upload=efiling.Upload("m.pdf", b"GIF89a not a pdf"),
            now=PINNED_NOW,
        )
    case.refresh_from_db()
    assert case.last_entry_number == 0
    assert (DocketEntry.objects.count(), Document.objects.count(), Nef.objects.count()) == (0, 0, 0)
