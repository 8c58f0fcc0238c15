"""E-filing: a document (a validated PDF) into a case, or a new case, with its docket entry,
its filing fee (simulated payment) and one Notice of Electronic Filing per recipient.

Everything a filing writes — case, docket entry, document bytes, payment, NEFs and their
outbox emails — is one transaction: a rejected file or a declined card leaves nothing
behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import io
import logging
import re
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courts.models import Court
from cso_portal.core.services import queue_email
from filing.errors import DocumentRejected, FilingRefused, PaymentDeclined
from filing.models import (
    AttorneyOfRecord,
    Case,
    DocketEntry,
    Document,
    DocumentContent,
    FeePayment,
    Nef,
    NefRecipient,
    Party,
)
from filing.services.rights import agent_fee_refusal, currentgen_refusal, filing_refusal
from linking.models import CmecfAccount

logger = logging.getLogger(__name__)

# A court without a PDF size limit in the catalog gets this one (MB).
DEFAULT_PDF_LIMIT_MB = Decimal("35")
# A NEF's free look lasts until first use or this long, whichever comes first.
FREE_LOOK_FOR = dt.timedelta(days=15)
FREE_LOOK_SALT = "filing.free-look"
# Extra NEF addresses per filer and court.
MAX_EXTRA_RECIPIENTS = 5
# Simulated processor: this card number is always declined (for rehearsing a decline).
DECLINED_TEST_CARD = "4000000000000002"


@dataclasses.dataclass(frozen=True)
class Event:
    code: str
    label: str
    fee: Decimal = Decimal("0")
    opens_case: bool = False
    case_kinds: tuple[str, ...] = ()  # empty: any
    transcript: bool = False
    opinion: bool = False
    appearance: bool = False


EVENTS: dict[str, Event] = {
    event.code: event
    for event in (
        # Case-opening events (a filing fee; published fee amounts of the courts' schedules).
        Event("complaint", gettext_lazy("Complaint"), Decimal("405.00"), True, ("cv",)),
        Event(
            "petition_ch7",
            gettext_lazy("Voluntary Petition (Chapter 7)"),
            Decimal("338.00"),
            True,
            ("bk",),
        ),
        Event(
            "petition_ch13",
            gettext_lazy("Voluntary Petition (Chapter 13)"),
            Decimal("313.00"),
            True,
            ("bk",),
        ),
        # Filings in an open case.
        Event("notice_of_appearance", gettext_lazy("Notice of Appearance"), appearance=True),
        Event("motion", gettext_lazy("Motion")),
        Event(
            "motion_relief_stay",
            gettext_lazy("Motion for Relief from Stay"),
            Decimal("199.00"),
            case_kinds=("bk",),
        ),
        Event("response", gettext_lazy("Response / Objection")),
        Event("proof_of_claim", gettext_lazy("Proof of Claim"), case_kinds=("bk",)),
        Event("certificate_of_service", gettext_lazy("Certificate of Service")),
        Event("notice_of_appeal", gettext_lazy("Notice of Appeal"), Decimal("298.00")),
        Event("transcript", gettext_lazy("Transcript of Proceedings"), transcript=True),
    )
}


def events_for(case_kind: str, *, opening: bool) -> list[Event]:
    """The events a filer may choose: case-opening ones for a new case of ``case_kind``,
    the others for a filing in an open case of that kind."""
    return [
        event
        for event in EVENTS.values()
        if event.opens_case == opening and (not event.case_kinds or case_kind in event.case_kinds)
    ]


# The PDF ------------------------------------------------------------------------------------


def pdf_limit_bytes(court: Court) -> int:
    limit = court.pdf_size_limit_mb or DEFAULT_PDF_LIMIT_MB
    return int(Decimal(limit) * 1024 * 1024)


def too_large_message(*, size: int, court: Court) -> str:
    """Why a file of ``size`` bytes is refused by ``court`` (its catalog PDF size limit)."""
    limit_mb = Decimal(court.pdf_size_limit_mb or DEFAULT_PDF_LIMIT_MB).normalize()
    size_mb = size / 1024 / 1024
    return _(
        "The file is %(size)s MB; %(court)s accepts PDFs of at most %(limit)s MB. "
        "Split it into attachments or reduce its size."
    ) % {
        "size": f"{size_mb:.1f}" if size_mb >= 1 else f"{size_mb:.2f}",
        "court": court.name,
        "limit": f"{limit_mb:f}",
    }


def check_pdf(*, data: bytes, court: Court) -> int:
    """The page count of ``data`` if it is a PDF the court accepts; else
    :class:`DocumentRejected` saying why (empty, over the court's size limit, not a PDF,
    unreadable, password-protected, no pages)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data:
        raise DocumentRejected(_("The file is empty. Choose the PDF of your document."))
    if len(data) > pdf_limit_bytes(court):
        raise DocumentRejected(too_large_message(size=len(data), court=court))
    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentRejected(
            _("The file is not a PDF. CM/ECF accepts documents in PDF format only.")
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRejected(
                _("The PDF is password-protected. File a PDF that opens without a password.")
            )
        pages = len(reader.pages)
    except DocumentRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        logger.info("rejected an unreadable PDF: %s", type(error).__name__)
        raise DocumentRejected(
            _("The PDF could not be read (it may be damaged). Save it again as a PDF and retry.")
        ) from None
    if pages < 1:
        raise DocumentRejected(_("The PDF has no pages."))
    return pages


# The fee ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Card:
    """What the payment form collected. Only ``last4`` and a token are ever stored."""

    number: str
    expiry_month: int
    expiry_year: int
    name: str = ""


def _luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def _charge_card(*, card: Card | None, amount: Decimal, today: dt.date) -> tuple[str, str]:
    """Simulate the card processor: (last4, token), or :class:`PaymentDeclined`."""
    if card is None:
        raise PaymentDeclined(
            _("This filing has a fee of $%(amount)s: pay it by card to file.") % {"amount": amount}
        )
    number = re.sub(r"[\s-]", "", card.number or "")
    if not re.fullmatch(r"\d{13,19}", number) or not _luhn_ok(number):
        raise PaymentDeclined(_("The card number is not valid. Check it and try again."))
    if (card.expiry_year, card.expiry_month) < (today.year, today.month):
        raise PaymentDeclined(_("The card has expired."))
    if number == DECLINED_TEST_CARD:
        raise PaymentDeclined(_("The card was declined. Use another card."))
    # The token stands for the card at the (simulated) processor; it cannot be reversed.
    token = (
        "tok_"
        + hmac.new(
            settings.SECRET_KEY.encode(), f"card:{number}:{today}".encode(), hashlib.sha256
        ).hexdigest()[:24]
    )
    return number[-4:], token


# Filing -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Upload:
    filename: str
    data: bytes


def _check_filer(
    *, user, court: Court, case: Case | None, acting_for, cmecf_account, today: dt.date
):
    """Who the docket shows, after the refusal checks (:class:`FilingRefused`)."""
    if cmecf_account is not None:
        refusal = currentgen_refusal(cmecf_account=cmecf_account, court=court, today=today)
        if refusal:
            raise FilingRefused(refusal)
        return cmecf_account.linked_account  # None: CurrentGen logins belong to no account
    refusal = filing_refusal(user=user, court=court, today=today, case=case, acting_for=acting_for)
    if refusal:
        raise FilingRefused(refusal)
    return acting_for or user


def _add_entry(
    *,
    case: Case,
    event: Event,
    text: str,
    filer,
    filer_name: str,
    submitted_by,
    cmecf_account: CmecfAccount | None,
    upload: Upload,
    pages: int,
    card: Card | None,
    now: dt.datetime,
    payer=None,
) -> DocketEntry:
    """The docket entry, its document and its payment (on a locked case row). The fee is
    paid by ``payer``, else by whoever filed (``submitted_by``, else ``filer``)."""
    case.last_entry_number += 1
    case.save(update_fields=["last_entry_number"])
    entry = DocketEntry.objects.create(
        case=case,
        number=case.last_entry_number,
        event=event.code,
        text=text,
        filed_at=now,
        filer=filer,
        filer_name=filer_name,
        submitted_by=submitted_by,
        submitted_with_login=cmecf_account,
    )
    document = Document.objects.create(
        entry=entry,
        filename=(upload.filename or "document.pdf")[-200:],
        page_count=pages,
        size_bytes=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        is_transcript=event.transcript,
        is_opinion=event.opinion,
    )
    DocumentContent.objects.create(document=document, data=upload.data)
    if event.fee > 0:
        payer = payer or submitted_by or filer
        if payer is None:
            # A court-issued login belongs to no PACER account; the fee needs one (simulation).
            raise PaymentDeclined(
                _(
                    "This filing has a fee of $%(amount)s. To pay it online, also sign in "
                    "with your PACER account, then file again."
                )
                % {"amount": event.fee}
            )
        last4, token = _charge_card(card=card, amount=event.fee, today=timezone.localdate(now))
        FeePayment.objects.create(
            entry=entry,
            payer=payer,
            amount=event.fee,
            card_last4=last4,
            token=token,
            paid_at=now,
        )
    return entry


def _docket_text(event: Event, text: str, filer_name: str) -> str:
    extra = (text or "").strip()
    label = str(event.label)
    base = _("%(event)s filed by %(filer)s.") % {"event": label, "filer": filer_name}
    return f"{base} {extra}"[:2000] if extra else base


@transaction.atomic(durable=True)
def file_document(
    *,
    user,
    court: Court,
    case: Case,
    event_code: str,
    upload: Upload,
    text: str = "",
    card: Card | None = None,
    acting_for=None,
    cmecf_account: CmecfAccount | None = None,
    now: dt.datetime,
) -> DocketEntry:
    """File ``upload`` in ``case`` as ``event_code``: checks who may file (``user`` signed in
    through Central Sign-On — or ``cmecf_account``, a court-issued login, in a CurrentGen
    court — and ``acting_for``, the attorney a filing agent files for), checks the PDF,
    charges the event's fee, numbers the docket entry, and queues one NEF per recipient.
    Raises :class:`FilingRefused`, :class:`DocumentRejected` or :class:`PaymentDeclined`."""
    today = timezone.localdate(now)
    if case.court_id != court.pk:
        raise FilingRefused(_("That case is not in this court."))
    event = EVENTS.get(event_code)
    if (
        event is None
        or event.opens_case
        or (event.case_kinds and case.kind not in event.case_kinds)
    ):
        raise FilingRefused(_("Choose an event for a filing in this case."))
    if case.closed_on is not None:
        raise FilingRefused(_("Case %(case)s is closed.") % {"case": case.number})
    filer = _check_filer(
        user=user,
        court=court,
        case=case,
        acting_for=acting_for,
        cmecf_account=cmecf_account,
        today=today,
    )
    refusal = agent_fee_refusal(user=user, court=court, acting_for=acting_for, fee=event.fee)
    if refusal:
        raise FilingRefused(refusal)
    pages = check_pdf(data=upload.data, court=court)
    case = Case.objects.select_for_update().get(pk=case.pk)
    filer_name = (
        (filer.full_name or filer.username) if filer is not None else cmecf_account.holder_name
    )
    entry = _add_entry(
        case=case,
        event=event,
        text=_docket_text(event, text, filer_name),
        filer=filer,
        filer_name=filer_name,
        submitted_by=user if cmecf_account is None else None,
        cmecf_account=cmecf_account,
        upload=upload,
        pages=pages,
        card=card,
        now=now,
        # A court-issued login's filer may be signed out of PACER (no account to bill).
        payer=user if getattr(user, "is_authenticated", False) else None,
    )
    if filer is not None and event.appearance:
        AttorneyOfRecord.objects.get_or_create(case=case, attorney=filer, defaults={"since": now})
    send_nefs(entry=entry, now=now)
    logger.info("filed entry %s (%s) in case %s", entry.pk, event.code, case.pk)
    return entry


def _next_case_number(court: Court, kind: str, today: dt.date) -> str:
    prefix = f"1:{today:%y}-{kind}-"
    numbers = Case.objects.filter(court=court, number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max((int(n.rsplit("-", 1)[1]) for n in numbers if n.rsplit("-", 1)[1].isdigit()),
               default=0)  # fmt: skip
    return f"{prefix}{last + 1:05d}"


@transaction.atomic(durable=True)
def open_case(
    *,
    user,
    court: Court,
    event_code: str,
    title: str,
    parties: list[tuple[str, str]],
    upload: Upload,
    text: str = "",
    card: Card | None = None,
    acting_for=None,
    cmecf_account: CmecfAccount | None = None,
    now: dt.datetime,
) -> DocketEntry:
    """Open a new case with a case-opening event (complaint, petition): the case, its
    parties, the filer as attorney of record, docket entry 1 with the document, the filing
    fee, and the NEFs. Same refusals as :func:`file_document` (``cmecf_account``: a
    court-issued login filing in a CurrentGen court)."""
    today = timezone.localdate(now)
    event = EVENTS.get(event_code)
    if event is None or not event.opens_case:
        raise FilingRefused(_("Choose a case-opening event."))
    title = (title or "").strip()
    if not title:
        raise FilingRefused(_("Give the case a title (the parties' names)."))
    filer = _check_filer(
        user=user,
        court=court,
        case=None,
        acting_for=acting_for,
        cmecf_account=cmecf_account,
        today=today,
    )
    refusal = agent_fee_refusal(user=user, court=court, acting_for=acting_for, fee=event.fee)
    if refusal:
        raise FilingRefused(refusal)
    pages = check_pdf(data=upload.data, court=court)
    kind = event.case_kinds[0]
    Court.objects.select_for_update().filter(pk=court.pk).first()  # serialise numbering
    case = Case.objects.create(
        court=court,
        number=_next_case_number(court, kind, today),
        title=title[:300],
        kind=kind,
        chapter="7"
        if event.code == "petition_ch7"
        else ("13" if event.code == "petition_ch13" else ""),
        filed_on=today,
    )
    first_party = None
    for name, role in parties:
        if name.strip():
            party = Party.objects.create(case=case, name=name.strip()[:200], role=role[:64])
            first_party = first_party or party
    if filer is not None:
        AttorneyOfRecord.objects.create(case=case, attorney=filer, party=first_party, since=now)
    filer_name = (
        (filer.full_name or filer.username) if filer is not None else cmecf_account.holder_name
    )
    entry = _add_entry(
        case=case,
        event=event,
        text=_docket_text(event, text, filer_name),
        filer=filer,
        filer_name=filer_name,
        submitted_by=user if cmecf_account is None else None,
        cmecf_account=cmecf_account,
        upload=upload,
        pages=pages,
        card=card,
        now=now,
        payer=user if getattr(user, "is_authenticated", False) else None,
    )
    send_nefs(entry=entry, now=now)
    return entry


# NEF ----------------------------------------------------------------------------------------


def free_look_token(nef_id: int) -> str:
    """The value a NEF's free-look link carries (a signature over the row id)."""
    return signing.Signer(salt=FREE_LOOK_SALT).sign(str(nef_id))


def nef_from_token(token: str) -> Nef:
    """The NEF a free-look link names; :class:`FreeLookUnavailable` for a forged one."""
    from filing.errors import FreeLookUnavailable

    try:
        nef_id = int(signing.Signer(salt=FREE_LOOK_SALT).unsign(token or ""))
        return Nef.objects.select_related("entry__case__court", "entry__document").get(pk=nef_id)
    except (signing.BadSignature, ValueError, Nef.DoesNotExist):
        raise FreeLookUnavailable(_("This free-look link is not valid.")) from None


def send_nefs(*, entry: DocketEntry, now: dt.datetime) -> int:
    """One NEF per address — every attorney of record of the case and each one's extra
    addresses in the court (up to 5) — each with a free look; emailed through the outbox
    (one email per address per filing: dedupe on the NEF row). A second run for the same
    entry sends nothing more. Returns how many were made."""
    case = entry.case
    appearances = AttorneyOfRecord.objects.filter(case=case).select_related("attorney")
    attorneys = [a.attorney for a in appearances if a.attorney.is_active]
    extras: dict[int, list[str]] = {}
    for recipient in NefRecipient.objects.filter(
        court_id=case.court_id, filer__in=[a.pk for a in attorneys]
    ).order_by("pk"):
        extras.setdefault(recipient.filer_id, []).append(recipient.email)
    seen: set[str] = set()
    made = 0
    for attorney in attorneys:
        addresses = [attorney.email, *extras.get(attorney.pk, [])[:MAX_EXTRA_RECIPIENTS]]
        for address in addresses:
            key = (address or "").strip().lower()
            if not key or key in seen:
                continue
            seen.add(key)
            nef, created = Nef.objects.get_or_create(
                entry=entry,
                email=address.strip(),
                defaults={
                    "recipient": attorney,
                    "created_at": now,
                    "free_look_until": now + FREE_LOOK_FOR,
                },
            )
            if not created:  # a second run for the same filing: already noticed
                continue
            queue_email(
                dedupe_key=f"filing:nef:{nef.pk}",
                to=nef.email,
                template="filing/email/nef",
                context={"nef_id": nef.pk},
            )
            made += 1
    return made


@transaction.atomic
def set_nef_recipients(*, filer, court: Court, emails: list[str]) -> list[NefRecipient]:
    """Replace ``filer``'s extra NEF addresses in ``court`` (at most 5; the caller
    validated the addresses)."""
    cleaned = []
    for email in emails:
        email = email.strip()
        if email and email.lower() not in {e.lower() for e in cleaned}:
            cleaned.append(email)
    if len(cleaned) > MAX_EXTRA_RECIPIENTS:
        raise FilingRefused(
            _("At most %(n)s extra addresses per court.") % {"n": MAX_EXTRA_RECIPIENTS}
        )
    NefRecipient.objects.filter(filer=filer, court=court).delete()
    return [NefRecipient.objects.create(filer=filer, court=court, email=e) for e in cleaned]
