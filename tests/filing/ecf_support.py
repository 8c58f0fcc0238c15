"""What the ECF page tests share: a filer who may file in a court, uploads, card data."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from filing.models import DocketEntry, Document, DocumentContent, FeePayment, Nef
from tests.factories import UserFactory
from tests.filing.factories import FilingRightFactory, pdf_bytes

# A card the simulated processor accepts (Luhn-valid) and the one it always declines.
GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000000000000002"


def text(response) -> str:
    return response.content.decode()


def filer_in(court, **traits):
    """An upgraded attorney with an authenticator app and filing rights in ``court``."""
    user = UserFactory(attorney=True, with_totp=True, **traits)
    FilingRightFactory(holder=user, court=court)
    return user


def pdf_upload(pages: int = 1, name: str = "motion.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def card_fields(number: str = GOOD_CARD) -> dict:
    return {
        "card_number": number,
        "card_expiry_month": "12",
        "card_expiry_year": "2030",
        "card_name": "Avery Attorney",
    }


def file_url(court, case, event: str | None = None) -> str:
    url = f"/ecf/{court.pk}/cases/{case.pk}/file/"
    return f"{url}?event={event}" if event else url


def filing_rows() -> dict[str, int]:
    """How many rows a filing writes, by model (to show nothing was half-saved)."""
    from cso_portal.core.models import OutboundEmail

    return {
        "entries": DocketEntry.objects.count(),
        "documents": Document.objects.count(),
        "contents": DocumentContent.objects.count(),
        "payments": FeePayment.objects.count(),
        "nefs": Nef.objects.count(),
        "emails": OutboundEmail.objects.filter(template="filing/email/nef").count(),
    }
