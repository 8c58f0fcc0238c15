"""Demo cases (``manage.py load_demo_cases``), for training: a few bankruptcy cases in each
demo court (``areb``, ``arwb``, ``azb``, ``flsb``) and a few civil cases in a district court
(``ared``, else ``azd``), each with parties, docket entries with small real PDFs and
attorneys of record — ``attorney1`` (Avery Attorney) everywhere, and three more demo
attorneys who hold filing rights where they appear.

``attorney1`` gets no filing right anywhere: the training has them link or register first
(S.D. Fla.: an e-file registration with LF-95). Somewhere there is a 45-page document (the
$3.00 cap), a transcript (never capped) and a judicial opinion (free).

Idempotent: a case that exists (court and number) is left as it is, and nothing is sent
twice; only courts that are loaded get cases. Names are fictional; addresses are public
buildings; phone numbers are 555-01xx.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import logging

from django.db import transaction
from django.utils import timezone

from accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoAccount,
    ensure_demo_account_with_details,
)
from accounts.models import User
from courts.models import Court
from filing.models import (
    AttorneyOfRecord,
    Case,
    DocketEntry,
    Document,
    DocumentContent,
    EfileRegistration,
    Party,
    RegistrationType,
)
from filing.services.registration import (
    approve_efile_registration,
    needs_local_form,
    submit_efile_registration,
)
from filing.services.rights import right_in

logger = logging.getLogger(__name__)

BANKRUPTCY_COURTS = ("areb", "arwb", "azb", "flsb")
# The first of these that is loaded gets the civil cases.
DISTRICT_COURTS = ("ared", "azd")
# attorney1 (accounts.demo): attorney of record in every demo case, filing rights nowhere.
LEAD_ATTORNEY = "attorney1"


def _address(line1: str, city: str, region: str, postal_code: str, line2: str = "") -> dict:
    return {
        "address_line1": line1,
        "address_line2": line2,
        "city": city,
        "region": region,
        "postal_code": postal_code,
        "country": "United States",
    }


DEMO_ATTORNEYS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "dmorgan1", "Dana", "Morgan", "dana.morgan@example.test", dt.date(2017, 2, 6),
        User.AccountKind.ATTORNEY_FILER,
        note="creditors' attorney (Phoenix); attorney of record in azb and azd cases",
        details={
            "phone": "(602) 555-0131",
            **_address("100 North Central Avenue", "Phoenix", "Arizona", "85004"),
            "bar_number": "027731",
            "bar_state": "Arizona",
        },
    ),
    DemoAccount(
        "jpatel1", "Jay", "Patel", "jay.patel@example.test", dt.date(2018, 8, 20),
        User.AccountKind.ATTORNEY_FILER,
        note="creditors' attorney (Little Rock); attorney of record in Arkansas cases",
        details={
            "phone": "(501) 555-0158",
            **_address("500 Woodlane Street", "Little Rock", "Arkansas", "72201"),
            "bar_number": "2018117",
            "bar_state": "Arkansas",
        },
    ),
    DemoAccount(
        "sgarcia1", "Sam", "Garcia", "sam.garcia@example.test", dt.date(2019, 11, 4),
        User.AccountKind.ATTORNEY_FILER,
        note="creditors' attorney (Miami); attorney of record in flsb cases",
        details={
            "phone": "(305) 555-0177",
            **_address("111 NW 1st Street", "Miami", "Florida", "33128"),
            "bar_number": "1011223",
            "bar_state": "Florida",
        },
    ),
)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class DemoEntry:
    event: str
    text: str
    day: int  # days after the case was filed
    pages: int = 1
    by: str = ""  # username of the filer; "" for the court
    transcript: bool = False
    opinion: bool = False


@dataclasses.dataclass(frozen=True)
class DemoCase:
    court_id: str
    number: str
    title: str
    kind: str
    chapter: str
    judge: str
    filed_on: dt.date
    parties: tuple[tuple[str, str], ...]
    other_attorney: str  # username; appears for the second party
    entries: tuple[DemoEntry, ...]


def _bk(court_id, number, title, chapter, judge, filed_on, debtor, creditor, other, extra=()):
    """A bankruptcy case: petition by attorney1, appearance by the creditor's attorney, a
    certificate of service, then ``extra`` entries."""
    petition = "petition_ch13" if chapter == "13" else "petition_ch7"
    label = "Chapter 13" if chapter == "13" else "Chapter 7"
    return DemoCase(
        court_id, number, title, "bk", chapter, judge, filed_on,
        ((debtor, "Debtor"), (creditor, "Creditor")), other,
        (
            DemoEntry(petition, f"Voluntary Petition ({label}) filed by Avery Attorney on "
                      f"behalf of {debtor}.", 0, 8, LEAD_ATTORNEY),
            DemoEntry("notice_of_appearance", f"Notice of Appearance and Request for Notice "
                      f"filed on behalf of {creditor}.", 6, 2, other),
            DemoEntry("certificate_of_service", "Certificate of Service of the Notice of "
                      "Chapter Meeting of Creditors.", 9, 1, LEAD_ATTORNEY),
            *extra,
        ),
    )  # fmt: skip


DEMO_CASES: tuple[DemoCase, ...] = (
    _bk("areb", "4:21-bk-10234", "In re Harold and Mae Whitfield", "7", "Hon. Demo Judge Reyes",
        dt.date(2021, 4, 12), "Harold and Mae Whitfield", "First Ozark Farm Credit", "jpatel1",
        (DemoEntry("motion_relief_stay", "Motion for Relief from Stay re 2019 tractor.", 21, 6,
                   "jpatel1"),)),
    _bk("areb", "4:22-bk-11876", "In re Natural State Feed and Seed, LLC", "7",
        "Hon. Demo Judge Reyes", dt.date(2022, 7, 5), "Natural State Feed and Seed, LLC",
        "Delta Equipment Leasing", "jpatel1"),
    _bk("arwb", "5:21-bk-70412", "In re Ozark Timber Works, Inc.", "7", "Hon. Demo Judge Lane",
        dt.date(2021, 3, 1), "Ozark Timber Works, Inc.", "Boston Mountain Bank", "jpatel1"),
    _bk("arwb", "5:22-bk-71003", "In re Carla Benton", "13", "Hon. Demo Judge Lane",
        dt.date(2022, 2, 14), "Carla Benton", "River Valley Auto Finance", "jpatel1",
        (DemoEntry("proof_of_claim", "Proof of Claim of River Valley Auto Finance, $18,420.",
                   30, 3, "jpatel1"),)),
    _bk("azb", "2:21-bk-04567", "In re Desert Bloom Landscaping LLC", "7",
        "Hon. Demo Judge Alvarez", dt.date(2021, 7, 19), "Desert Bloom Landscaping LLC",
        "Saguaro Supply Co.", "dmorgan1",
        (DemoEntry("transcript", "Transcript of the Meeting of Creditors held 8/23/2021. "
                   "Court reporter: Demo Transcription Services.", 40, 45, "",
                   transcript=True),)),
    _bk("azb", "4:22-bk-01290", "In re Miguel and Rosa Alvarez", "13",
        "Hon. Demo Judge Alvarez", dt.date(2022, 3, 28), "Miguel and Rosa Alvarez",
        "Sonoran Credit Union", "dmorgan1"),
    _bk("flsb", "1:22-bk-11234", "In re Coral Gables Marine Repair, Inc.", "7",
        "Hon. Demo Judge Ortega", dt.date(2022, 5, 2), "Coral Gables Marine Repair, Inc.",
        "Biscayne Bay Marine Lenders", "sgarcia1",
        (DemoEntry("motion", "Debtor's Schedules A/B through J and Statement of Financial "
                   "Affairs, with Motion to Extend Time to File Them.", 14, 45,
                   LEAD_ATTORNEY),)),
    _bk("flsb", "1:23-bk-14502", "In re Luis Ortega", "13", "Hon. Demo Judge Ortega",
        dt.date(2023, 6, 12), "Luis Ortega", "Everglades Federal Savings", "sgarcia1"),
)  # fmt: skip


def _civil(court_id: str) -> tuple[DemoCase, ...]:
    """The civil cases of the district court ``court_id`` (numbers in that court's style)."""
    return (
        DemoCase(
            court_id, "4:21-cv-00321",
            "Natural State Rice Cooperative v. Bayou Grain Logistics, LLC", "cv", "",
            "Hon. Demo Judge Whitaker", dt.date(2021, 5, 17),
            (("Natural State Rice Cooperative", "Plaintiff"),
             ("Bayou Grain Logistics, LLC", "Defendant")),
            "dmorgan1",
            (
                DemoEntry("complaint", "Complaint for breach of contract filed by Natural "
                          "State Rice Cooperative.", 0, 12, LEAD_ATTORNEY),
                DemoEntry("notice_of_appearance", "Notice of Appearance on behalf of Bayou "
                          "Grain Logistics, LLC.", 20, 1, "dmorgan1"),
                DemoEntry("motion", "Motion to Dismiss for Failure to State a Claim.", 35, 9,
                          "dmorgan1"),
                DemoEntry("response", "Response in Opposition to the Motion to Dismiss.", 49, 7,
                          LEAD_ATTORNEY),
                DemoEntry("opinion", "Memorandum Opinion and Order denying the Motion to "
                          "Dismiss. Signed by the Demo Judge.", 90, 14, "", opinion=True),
            ),
        ),
        DemoCase(
            court_id, "4:22-cv-00118", "Whitfield v. Riverside Home Insurance Co.", "cv", "",
            "Hon. Demo Judge Whitaker", dt.date(2022, 2, 7),
            (("Mae Whitfield", "Plaintiff"), ("Riverside Home Insurance Co.", "Defendant")),
            "dmorgan1",
            (
                DemoEntry("complaint", "Complaint filed by Mae Whitfield.", 0, 6, LEAD_ATTORNEY),
                DemoEntry("notice_of_appearance", "Notice of Appearance on behalf of Riverside "
                          "Home Insurance Co.", 15, 1, "dmorgan1"),
            ),
        ),
    )  # fmt: skip


def demo_pdf(pages: int, title: str = "") -> bytes:
    """A real PDF of ``pages`` blank letter-size pages (pypdf), titled ``title``."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=612, height=792)
    if title:
        writer.add_metadata({"/Title": title[:200], "/Producer": "CSO Portal demo data"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _at(day: dt.date, offset_days: int) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=offset_days), dt.time(15, 0))
    return timezone.make_aware(moment, dt.UTC)


@transaction.atomic
def _create_case(*, spec: DemoCase, court: Court, people: dict[str, User]) -> Case | None:
    """One demo case with its parties, attorneys of record and entries; None when a case
    with that number exists in the court (left as it is)."""
    Court.objects.select_for_update().filter(pk=court.pk).first()  # serialise two loaders
    if Case.objects.filter(court=court, number=spec.number).exists():
        return None
    case = Case.objects.create(
        court=court,
        number=spec.number,
        title=spec.title,
        kind=spec.kind,
        chapter=spec.chapter,
        judge=spec.judge,
        filed_on=spec.filed_on,
        last_entry_number=len(spec.entries),
    )
    parties = [Party.objects.create(case=case, name=name, role=role) for name, role in spec.parties]
    since = _at(spec.filed_on, 0)
    AttorneyOfRecord.objects.create(
        case=case, attorney=people[LEAD_ATTORNEY], party=parties[0], since=since
    )
    other = people[spec.other_attorney]
    AttorneyOfRecord.objects.create(case=case, attorney=other, party=parties[-1], since=since)
    for number, item in enumerate(spec.entries, start=1):
        filer = people.get(item.by) if item.by else None
        entry = DocketEntry.objects.create(
            case=case,
            number=number,
            event=item.event,
            text=item.text,
            filed_at=_at(spec.filed_on, item.day),
            filer=filer,
            filer_name=(filer.full_name or filer.username) if filer else "Clerk's Office",
            submitted_by=filer,
        )
        data = demo_pdf(item.pages, f"{spec.number} document {number}")
        document = Document.objects.create(
            entry=entry,
            filename=f"{spec.number.replace(':', '_')}-{number}.pdf",
            page_count=item.pages,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            is_transcript=item.transcript,
            is_opinion=item.opinion,
        )
        DocumentContent.objects.create(document=document, data=data)
    return case


def _ensure_rights(*, attorney: User, court: Court, now: dt.datetime) -> bool:
    """Give a demo attorney filing rights in ``court`` through the e-file registration
    services (submitted, then approved by the court; no actor). False when they hold rights
    already, a request is open, or the court is not on NextGen today."""
    today = timezone.localdate(now)
    if not court.is_nextgen_on(today) or right_in(attorney, court) is not None:
        return False
    if EfileRegistration.objects.filter(
        pacer_account=attorney, court=court, status=EfileRegistration.Status.PENDING_REVIEW
    ).exists():
        return False
    details = {
        "bar_number": attorney.bar_number or "demo",
        "bar_state": attorney.bar_state,
        "terms_accepted": True,
        "notes": "Demo data (load_demo_cases).",
    }
    if needs_local_form(court, RegistrationType.EFILE_ATTORNEY):
        details["local_form_completed_on"] = today
        details["local_form_reference"] = "demo"
    registration = submit_efile_registration(
        pacer_account=attorney,
        court=court,
        registration_type=RegistrationType.EFILE_ATTORNEY,
        details=details,
        now=now,
    )
    approve_efile_registration(registration=registration, actor=None, now=now)
    return True


@dataclasses.dataclass
class DemoResult:
    case: Case
    created: bool


def demo_courts() -> dict[str, Court]:
    """The demo courts that are loaded, by id (bankruptcy ones and the first district one)."""
    courts = Court.objects.in_bulk([*BANKRUPTCY_COURTS, *DISTRICT_COURTS])
    district = next((courts[c] for c in DISTRICT_COURTS if c in courts), None)
    chosen = {pk: court for pk, court in courts.items() if pk in BANKRUPTCY_COURTS}
    if district is not None:
        chosen[district.pk] = district
    return chosen


def ensure_demo_cases(*, now: dt.datetime) -> list[DemoResult]:
    """Create the demo attorneys and the demo cases of the loaded demo courts (idempotent:
    existing accounts, rights and cases are left as they are). Not one transaction: each
    account, registration and case is its own, so an interrupted run resumes."""
    today = timezone.localdate(now)
    lead_spec = next(spec for spec in DEMO_ACCOUNTS if spec.username == LEAD_ATTORNEY)
    people = {}
    for spec in (lead_spec, *DEMO_ATTORNEYS):
        people[spec.username], _created = ensure_demo_account_with_details(
            spec=spec, password=DEMO_PASSWORD, today=today
        )
    courts = demo_courts()
    district = next((c for c in DISTRICT_COURTS if c in courts), None)
    specs = [spec for spec in DEMO_CASES if spec.court_id in courts]
    if district is not None:
        specs += list(_civil(district))
    results = []
    for spec in specs:
        court = courts[spec.court_id]
        _ensure_rights(attorney=people[spec.other_attorney], court=court, now=now)
        case = _create_case(spec=spec, court=court, people=people)
        if case is None:
            results.append(DemoResult(Case.objects.get(court=court, number=spec.number), False))
        else:
            logger.info("demo case %s created in %s", spec.number, court.pk)
            results.append(DemoResult(case, True))
    return results
