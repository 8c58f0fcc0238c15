"""E-file registration requests: a state machine, one service per transition (seeds 002, 004).

``pending_review → approved | rejected``, plus ``cancelled`` by the requester. Each move
locks the row, checks where it starts from (:class:`IllegalTransition` otherwise), writes an
:class:`EfileRegistrationEvent`, and queues the decision email through the outbox (delivered
by the worker after commit). Approval in a NextGen court grants a :class:`FilingRight`; in a
CurrentGen court the court issues a CM/ECF login whose password the filer sets through an
emailed link (seed 002).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import refusal_to_link_or_file
from courts.models import Court
from cso_portal import clock
from cso_portal.core.services import queue_email
from filing.errors import IllegalTransition, ReasonRequired, RegistrationRefused
from filing.models import (
    ATTORNEY_TYPES,
    Case,
    EfileRegistration,
    EfileRegistrationEvent,
    FilerRole,
    FilingRight,
    RegistrationType,
)
from filing.services.rights import right_in
from linking import services as linking_services
from linking.models import CmecfAccount

logger = logging.getLogger(__name__)

Status = EfileRegistration.Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.APPROVED: (Status.PENDING_REVIEW,),
    Status.REJECTED: (Status.PENDING_REVIEW,),
    Status.CANCELLED: (Status.PENDING_REVIEW,),
}

ROLE_FOR_TYPE = {
    RegistrationType.ATTORNEY_ADMISSION: FilerRole.ATTORNEY,
    RegistrationType.EFILE_ATTORNEY: FilerRole.ATTORNEY,
    RegistrationType.PRO_HAC_VICE: FilerRole.ATTORNEY,
    RegistrationType.FILING_AGENT: FilerRole.FILING_AGENT,
    RegistrationType.PRO_SE: FilerRole.PRO_SE,
    RegistrationType.CREDITOR: FilerRole.CREDITOR,
    RegistrationType.TRUSTEE: FilerRole.TRUSTEE,
    RegistrationType.COURT_REPORTER: FilerRole.COURT_REPORTER,
    RegistrationType.INTERESTED_PARTY: FilerRole.INTERESTED_PARTY,
}
LOGIN_ROLE_FOR = {
    FilerRole.ATTORNEY: CmecfAccount.Role.ATTORNEY,
    FilerRole.TRUSTEE: CmecfAccount.Role.TRUSTEE,
    FilerRole.FILING_AGENT: CmecfAccount.Role.FILING_AGENT,
    FilerRole.PRO_SE: CmecfAccount.Role.PRO_SE,
}

OPEN_REQUEST_EXISTS = (
    "You already have an e-file registration request waiting in this court. Wait for the "
    "court's decision, or cancel that request first."
)


def needs_local_form(court: Court, registration_type: str) -> bool:
    """The court asks new attorneys for a local form first (seed 004: flsb's LF-95)."""
    return bool(court.required_local_form) and registration_type in ATTORNEY_TYPES


def registration_refusal(
    *, pacer_account, court: Court, registration_type: str, today: dt.date, case_number: str = ""
) -> str | None:
    """Why ``pacer_account`` may not ask ``court`` for e-filing rights now, or None."""
    refusal = refusal_to_link_or_file(pacer_account, today)
    if refusal:
        return str(refusal)
    if registration_type == RegistrationType.PRO_HAC_VICE:
        case = Case.objects.filter(court=court, number=case_number.strip()).first()
        if case is not None and right_in(pacer_account, court, case) is not None:
            return _("You can already file in case %(case)s in %(court)s.") % {
                "case": case.number,
                "court": court.name,
            }
    elif right_in(pacer_account, court) is not None:
        return _("You already have filing rights in %(court)s.") % {"court": court.name}
    if EfileRegistration.objects.filter(
        pacer_account=pacer_account, court=court, status=Status.PENDING_REVIEW
    ).exists():
        return _(OPEN_REQUEST_EXISTS)
    return None


@transaction.atomic(durable=True)
def submit_efile_registration(
    *,
    pacer_account,
    court: Court,
    registration_type: str,
    details: dict,
    now: dt.datetime,
    channel: str = EfileRegistration.Channel.MANAGE_MY_ACCOUNT,
) -> EfileRegistration:
    """File a ``pending_review`` request for filing rights in ``court``.

    ``details``: case_number (pro hac vice), bar_number, bar_state, firm_name, phone, notes,
    local_form_completed_on and local_form_reference (when the court requires a local form),
    requested_login (CurrentGen courts that allow it), terms_accepted (must be true).
    NextGen courts take requests through Manage My Account, CurrentGen courts on their own
    CM/ECF site (``channel``). Raises :class:`RegistrationRefused` with the message to show.
    """
    registration_type = RegistrationType(registration_type)
    today = timezone.localdate(now)
    nextgen = court.is_nextgen_on(today)
    if channel == EfileRegistration.Channel.MANAGE_MY_ACCOUNT and not nextgen:
        raise RegistrationRefused(
            _(
                "%(court)s still uses CurrentGen CM/ECF: register on the court's own CM/ECF "
                "site, and the court registers you itself."
            )
            % {"court": court.name}
        )
    if channel == EfileRegistration.Channel.COURT_SITE and nextgen:
        raise RegistrationRefused(
            _(
                "%(court)s is on NextGen CM/ECF: ask for filing rights in Manage My Account → "
                "Maintenance."
            )
            % {"court": court.name}
        )
    if not details.get("terms_accepted"):
        raise RegistrationRefused(_("Accept the court's e-filing terms to submit the request."))
    case_number = (details.get("case_number") or "").strip()
    if registration_type == RegistrationType.PRO_HAC_VICE and not case_number:
        raise RegistrationRefused(_("A pro hac vice request names the case it is for."))
    if registration_type in ATTORNEY_TYPES and not (details.get("bar_number") or "").strip():
        raise RegistrationRefused(_("Give your bar number: attorney registrations need it."))
    local_form = ""
    if needs_local_form(court, registration_type):
        local_form = court.required_local_form
        if not details.get("local_form_completed_on"):
            raise RegistrationRefused(
                _(
                    "%(court)s requires new attorneys to complete local form %(form)s first. "
                    "Complete it, then give the date you completed it."
                )
                % {"court": court.name, "form": local_form}
            )
    requested_login = (details.get("requested_login") or "").strip()
    if requested_login and not (channel == EfileRegistration.Channel.COURT_SITE and
                                court.filer_may_propose_login):  # fmt: skip
        requested_login = ""
    # Serialise this account's requests in this court (the partial unique index backs it).
    # (get_user_model, not type(pacer_account): a view passes request.user, a lazy object.)
    get_user_model().objects.select_for_update().filter(pk=pacer_account.pk).first()
    refusal = registration_refusal(
        pacer_account=pacer_account,
        court=court,
        registration_type=registration_type,
        today=today,
        case_number=case_number,
    )
    if refusal:
        raise RegistrationRefused(refusal)
    try:
        with transaction.atomic():
            registration = EfileRegistration.objects.create(
                pacer_account=pacer_account,
                court=court,
                registration_type=registration_type,
                channel=channel,
                case_number=case_number[:64],
                bar_number=(details.get("bar_number") or "").strip()[:32],
                bar_state=(details.get("bar_state") or "").strip()[:64],
                firm_name=(details.get("firm_name") or "").strip()[:200],
                phone=(details.get("phone") or "").strip()[:32],
                notes=(details.get("notes") or "").strip()[:2000],
                local_form=local_form,
                local_form_completed_on=details.get("local_form_completed_on") or None,
                local_form_reference=(details.get("local_form_reference") or "").strip()[:64],
                requested_login=requested_login[:64],
                terms_accepted_at=now,
                submitted_at=now,
            )
    except IntegrityError:
        raise RegistrationRefused(_(OPEN_REQUEST_EXISTS)) from None
    EfileRegistrationEvent.objects.create(
        registration=registration,
        from_status="",
        to_status=Status.PENDING_REVIEW,
        actor=pacer_account,
        created_at=now,
    )
    _tell_requester(registration, "received")
    logger.info("e-file registration %s submitted in %s", registration.pk, court.pk)
    return registration


# Transitions --------------------------------------------------------------------------------


def _lock(registration: EfileRegistration | int) -> EfileRegistration:
    pk = registration if isinstance(registration, int) else registration.pk
    return (
        EfileRegistration.objects.select_for_update(of=("self",))
        .select_related("court", "pacer_account")
        .get(pk=pk)
    )


def _transition(
    registration: EfileRegistration,
    to_status: str,
    *,
    actor,
    reason: str,
    now: dt.datetime,
    **fields,
) -> EfileRegistration:
    from_status = registration.status
    if from_status not in TRANSITIONS[to_status]:
        raise IllegalTransition(from_status, to_status)
    registration.status = to_status
    registration.reason = reason
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "reason", *fields])
    EfileRegistrationEvent.objects.create(
        registration=registration,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        created_at=now,
    )
    logger.info(
        "e-file registration %s: %s → %s by %s",
        registration.pk,
        from_status,
        to_status,
        getattr(actor, "pk", "system"),
    )
    return registration


def _email_context(registration: EfileRegistration) -> dict:
    court = registration.court
    return {
        "registration_id": registration.pk,
        "court_id": court.pk,
        "court_name": court.name,
        "registration_type": registration.get_registration_type_display(),
        "case_number": registration.case_number,
        "username": registration.pacer_account.username,
        "full_name": registration.pacer_account.full_name,
        "reason": registration.reason,
        "site_url": settings.CSO_SITE_URL,
    }


def _tell_requester(registration: EfileRegistration, kind: str, **context) -> None:
    """Queue the ``kind`` email (received, approved, rejected, login_issued) once."""
    queue_email(
        dedupe_key=f"filing:registration:{kind}:{registration.pk}",
        to=registration.pacer_account.email,
        template=f"filing/email/registration_{kind}",
        context={**_email_context(registration), **context},
    )


def _login_for(registration: EfileRegistration) -> str:
    """The court-assigned login: the one proposed (when free), else initial + last name
    (ASCII, lower case) with the first free number."""
    court = registration.court
    if registration.requested_login and not linking_services.login_taken(
        court, registration.requested_login
    ):
        return registration.requested_login
    account = registration.pacer_account
    base = f"{account.first_name[:1]}{account.last_name}"
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]", "", base)[:20] or "filer"
    candidate, n = base, 1
    while linking_services.login_taken(court, candidate):
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic(durable=True)
def approve_efile_registration(
    *, registration: EfileRegistration, actor, now: dt.datetime
) -> EfileRegistration:
    """The court approves. NextGen court: the requester gets a :class:`FilingRight` (the
    registration's role; pro hac vice: that case only, which must exist in the court).
    CurrentGen court: the court issues a CM/ECF login and the requester is emailed a link
    to set its password. Either way the requester is emailed the decision. From
    ``pending_review`` only; the caller authorizes ``actor`` (``filing.access``)."""
    registration = _lock(registration)
    if registration.status not in TRANSITIONS[Status.APPROVED]:
        raise IllegalTransition(registration.status, Status.APPROVED)
    court = registration.court
    role = ROLE_FOR_TYPE[RegistrationType(registration.registration_type)]
    fields: dict = {"decided_at": now, "decided_by": actor}
    if registration.channel == EfileRegistration.Channel.COURT_SITE:
        account = registration.pacer_account
        login, token = linking_services.issue_cmecf_login(
            court=court,
            login=_login_for(registration),
            holder_name=account.full_name or account.username,
            email_of_record=account.email,
            bar_id=registration.bar_number,
            role=LOGIN_ROLE_FOR.get(role, CmecfAccount.Role.NON_ATTORNEY),
            actor=actor,
            now=now,
            real_now=clock.real_now(),
        )
        fields["issued_cmecf_account"] = login
        _transition(registration, Status.APPROVED, actor=actor, reason="", now=now, **fields)
        _tell_requester(registration, "login_issued", login=login.login, token_id=token.pk)
        return registration
    case = None
    if registration.registration_type == RegistrationType.PRO_HAC_VICE:
        case = Case.objects.filter(court=court, number=registration.case_number).first()
        if case is None:
            raise RegistrationRefused(
                _("Case %(case)s does not exist in %(court)s: reject the request instead.")
                % {"case": registration.case_number, "court": court.name}
            )
    try:
        with transaction.atomic():
            FilingRight.objects.create(
                holder=registration.pacer_account,
                court=court,
                role=role,
                case=case,
                source=FilingRight.Source.REGISTRATION,
                registration=registration,
                since=now,
            )
    except IntegrityError:
        raise RegistrationRefused(
            _("The requester already has filing rights there: reject the request instead.")
        ) from None
    _transition(registration, Status.APPROVED, actor=actor, reason="", now=now, **fields)
    _tell_requester(registration, "approved")
    return registration


@transaction.atomic(durable=True)
def reject_efile_registration(
    *, registration: EfileRegistration, actor, reason: str, now: dt.datetime
) -> EfileRegistration:
    """The court rejects, saying why (:class:`ReasonRequired` without one); the requester is
    emailed the reason. From ``pending_review`` only."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Give the reason: the requester reads it."))
    registration = _transition(
        _lock(registration),
        Status.REJECTED,
        actor=actor,
        reason=reason,
        now=now,
        decided_at=now,
        decided_by=actor,
    )
    _tell_requester(registration, "rejected")
    return registration


@transaction.atomic(durable=True)
def cancel_efile_registration(
    *, registration: EfileRegistration, actor, now: dt.datetime
) -> EfileRegistration:
    """The requester withdraws a request still waiting for review."""
    return _transition(
        _lock(registration),
        Status.CANCELLED,
        actor=actor,
        reason=_("Cancelled by the requester."),
        now=now,
        decided_at=now,
        decided_by=actor,
    )
