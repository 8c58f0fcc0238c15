"""Filing factories; traits are named after states (of requests, rights and designations)."""

from __future__ import annotations

import datetime as dt
import io

import factory

from filing.models import (
    AttorneyOfRecord,
    Case,
    DocketEntry,
    Document,
    DocumentContent,
    EfileRegistration,
    FilerRole,
    FilingAgent,
    FilingRight,
    Party,
    RegistrationType,
)
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory

# The tests' usual pinned moment (tests.conftest.PINNED_NOW).
AT = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF of ``pages`` blank letter-size pages (pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class CaseFactory(factory.django.DjangoModelFactory):
    """An open bankruptcy case in a NextGen bankruptcy court."""

    class Meta:
        model = Case

    court = factory.SubFactory(CourtFactory, nextgen=True, bankruptcy=True)
    number = factory.Sequence(lambda n: f"2:21-bk-{n + 1000:05d}")
    title = factory.Sequence(lambda n: f"In re Debtor {n}")
    kind = Case.Kind.BANKRUPTCY
    chapter = "7"
    judge = "Hon. Test Judge"
    filed_on = dt.date(2021, 5, 3)

    class Params:
        civil = factory.Trait(
            number=factory.Sequence(lambda n: f"4:21-cv-{n + 1000:05d}"),
            title=factory.Sequence(lambda n: f"Plaintiff {n} v. Defendant {n}"),
            kind=Case.Kind.CIVIL,
            chapter="",
        )
        closed = factory.Trait(closed_on=dt.date(2022, 1, 10))


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    name = factory.Faker("name")
    role = "Debtor"


class AttorneyOfRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttorneyOfRecord

    case = factory.SubFactory(CaseFactory)
    attorney = factory.SubFactory(UserFactory, attorney=True)
    party = None
    since = AT


class FilingRightFactory(factory.django.DjangoModelFactory):
    """An attorney's court-wide right in a NextGen court, from an approved registration."""

    class Meta:
        model = FilingRight

    holder = factory.SubFactory(UserFactory, attorney=True)
    court = factory.SubFactory(CourtFactory, nextgen=True, bankruptcy=True)
    role = FilerRole.ATTORNEY
    case = None
    source = FilingRight.Source.REGISTRATION
    registration = factory.SubFactory(
        "tests.filing.factories.EfileRegistrationFactory",
        pacer_account=factory.SelfAttribute("..holder"),
        court=factory.SelfAttribute("..court"),
        approved=True,
    )
    since = AT

    class Params:
        filing_agent = factory.Trait(
            role=FilerRole.FILING_AGENT,
            registration__registration_type=RegistrationType.FILING_AGENT,
        )
        trustee = factory.Trait(
            role=FilerRole.TRUSTEE, registration__registration_type=RegistrationType.TRUSTEE
        )
        revoked = factory.Trait(revoked_at=AT)


class EfileRegistrationFactory(factory.django.DjangoModelFactory):
    """An attorney's e-file registration request waiting for review in a NextGen court."""

    class Meta:
        model = EfileRegistration

    pacer_account = factory.SubFactory(UserFactory, attorney=True)
    court = factory.SubFactory(CourtFactory, nextgen=True, bankruptcy=True)
    registration_type = RegistrationType.EFILE_ATTORNEY
    bar_number = "2016042"
    bar_state = "Florida"
    terms_accepted_at = AT
    submitted_at = AT
    status = EfileRegistration.Status.PENDING_REVIEW

    class Params:
        approved = factory.Trait(status=EfileRegistration.Status.APPROVED, decided_at=AT)
        rejected = factory.Trait(
            status=EfileRegistration.Status.REJECTED, decided_at=AT, reason="Not admitted."
        )
        cancelled = factory.Trait(status=EfileRegistration.Status.CANCELLED, decided_at=AT)


class FilingAgentFactory(factory.django.DjangoModelFactory):
    """An active designation (the agent may not pay fees)."""

    class Meta:
        model = FilingAgent

    principal = factory.SubFactory(UserFactory, attorney=True)
    agent = factory.SubFactory(UserFactory, filing_agent=True)
    court = factory.SubFactory(CourtFactory, nextgen=True, bankruptcy=True)
    may_pay_fees = False
    created_at = AT

    class Params:
        removed = factory.Trait(removed_at=AT)
        may_pay = factory.Trait(may_pay_fees=True)


class DocketEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocketEntry

    case = factory.SubFactory(CaseFactory)
    number = factory.Sequence(lambda n: n + 1)
    event = "motion"
    text = "Motion filed."
    filed_at = AT
    filer = None
    filer_name = "Clerk's Office"


def document_for(entry: DocketEntry, *, pages: int = 1, transcript: bool = False) -> Document:
    """A real PDF of ``pages`` pages on ``entry``."""
    data = pdf_bytes(pages)
    document = Document.objects.create(
        entry=entry,
        filename=f"entry-{entry.number}.pdf",
        page_count=pages,
        size_bytes=len(data),
        sha256="0" * 64,
        is_transcript=transcript,
    )
    DocumentContent.objects.create(document=document, data=data)
    return document
