"""Registration: the sign-up wizard's account details, the duplicate-identity hold, and the
PACER Service Center's decision on a held registration.

A held registration is a small state machine on ``User.registration_status``:
``on_hold`` → ``active`` (:func:`release_registration`) or ``rejected``
(:func:`reject_registration`). Nothing else moves it; an illegal move raises
:class:`RegistrationNotOnHold`. Each move writes an AccountEvent with the staff actor and
emails the registrant through the outbox.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q

from accounts.models import AccountEvent, User
from accounts.services import paa as paa_services
from accounts.services.creation import new_account_number
from accounts.services.events import record_event
from cso_portal.core.services import queue_email

# What the wizard asks every kind for (besides name, email, username and password, which
# allauth's adapter sets), and what each kind asks on top.
CONTACT_FIELDS = (
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
)
KIND_FIELDS: Mapping[str, tuple[str, ...]] = {
    User.AccountKind.CASE_SEARCH: ("is_shared",),
    User.AccountKind.ATTORNEY_FILER: ("bar_number", "bar_state"),
    User.AccountKind.NON_ATTORNEY_FILER: ("filer_role",),
    # A firm's PACER Administrative Account: the firm's name goes on its PaaProfile; the
    # administrator is the account holder (name, contact) and the billing address is the
    # account's address.
    User.AccountKind.PAA: ("firm_name",),
}
# Kind fields that are not account (User) fields: complete_signup stores them elsewhere.
PROFILE_FIELDS = frozenset({"firm_name"})
# The kinds anyone can register for.
SIGNUP_KINDS = tuple(KIND_FIELDS)

# A new registration that matches one existing account on this many identity fields is held.
DUPLICATE_THRESHOLD = 2
IDENTITY_FIELDS = ("name", "email", "phone", "address")


class RegistrationNotOnHold(Exception):
    """Only a registration on hold can be released or rejected."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.status = user.registration_status
        super().__init__(f"registration of account {user.pk} is {self.status}, not on hold")


# Identity normalisation -------------------------------------------------------------------


def normalize_email(address: str) -> str:
    """One mailbox, one identity: lower-case, with plus-addressing removed
    (``A.Lee+court@Firm.test`` → ``a.lee@firm.test``)."""
    local, at, domain = address.strip().lower().rpartition("@")
    if not at:
        return domain
    return f"{local.split('+', 1)[0] or local}@{domain}"


def normalize_phone(number: str) -> str:
    """Digits only; a leading U.S. country code 1 on an 11-digit number is dropped."""
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def normalize_name(first_name: str, last_name: str) -> str:
    """The full name, case-folded, with runs of white space made one space."""
    return " ".join(f"{first_name} {last_name}".split()).casefold()


def normalize_postal_code(code: str) -> str:
    """Letters and digits only, case-folded; a U.S. ZIP+4 becomes its 5-digit ZIP."""
    compact = re.sub(r"[\W_]", "", code).casefold()
    if re.fullmatch(r"\d{9}", compact):
        return compact[:5]
    return compact


def normalize_address(line1: str, postal_code: str) -> str:
    """First address line and ZIP, ignoring case, spacing and punctuation (empty if either
    is missing: a partial address never counts as a match)."""
    street = re.sub(r"[\W_]", "", line1).casefold()
    code = normalize_postal_code(postal_code)
    return f"{street}|{code}" if street and code else ""


@dataclass(frozen=True)
class IdentityKeys:
    """The normalised facts a duplicate check compares (empty string: not given)."""

    name: str
    email: str
    phone: str
    address: str

    @classmethod
    def of(cls, user: User) -> IdentityKeys:
        return cls(
            name=normalize_name(user.first_name, user.last_name)
            if user.first_name and user.last_name
            else "",
            email=normalize_email(user.email) if user.email else "",
            phone=normalize_phone(user.phone),
            address=normalize_address(user.address_line1, user.postal_code),
        )


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing account that shares identity fields with a registration."""

    user_id: int
    fields: tuple[str, ...]


def find_duplicates(*, user: User) -> list[DuplicateMatch]:
    """Existing accounts sharing at least :data:`DUPLICATE_THRESHOLD` identity fields (name,
    email, phone, address) with ``user``, strongest match first.

    Any two of the four fields include the name, the email or the address, so the database
    pre-selects on those three and the comparison itself happens here, on normalised values.
    """
    keys = IdentityKeys.of(user)
    candidates = _candidates(user=user, keys=keys)
    matches = []
    for candidate in candidates:
        other = _keys_of_candidate(candidate)
        fields = tuple(
            field
            for field in IDENTITY_FIELDS
            if getattr(keys, field) and _field_matches(field, keys, other)
        )
        if len(fields) >= DUPLICATE_THRESHOLD:
            matches.append(DuplicateMatch(user_id=candidate.pk, fields=fields))
    return sorted(matches, key=lambda match: (-len(match.fields), match.user_id))


def _field_matches(field: str, keys: IdentityKeys, other: dict[str, Any]) -> bool:
    if field == "email":
        return keys.email in other["emails"]
    return getattr(keys, field) == other[field]


def _keys_of_candidate(candidate: User) -> dict[str, Any]:
    keys = IdentityKeys.of(candidate)
    emails = {keys.email} | {
        normalize_email(address.email) for address in candidate.prefetched_addresses
    }
    return {"name": keys.name, "phone": keys.phone, "address": keys.address, "emails": emails}


def _candidates(*, user: User, keys: IdentityKeys):
    from allauth.account.models import EmailAddress

    wanted = Q(pk__in=[])
    if keys.name:
        wanted |= Q(
            first_name__iexact=user.first_name.strip(), last_name__iexact=user.last_name.strip()
        )
    if keys.email:
        local, _at, domain = keys.email.rpartition("@")
        same_mailbox = Q(email__iexact=keys.email) | Q(
            email__istartswith=f"{local}+", email__iendswith=f"@{domain}"
        )
        wanted |= same_mailbox | Q(
            pk__in=EmailAddress.objects.filter(same_mailbox).values("user_id")
        )
    if keys.address:
        # Stored codes may carry spaces or a ZIP+4: compare the first three characters here.
        wanted |= Q(postal_code__istartswith=normalize_postal_code(user.postal_code)[:3])
    queryset = User.objects.filter(wanted)
    # A firm's PAA and a person's individual account are different things (its administrator
    # may well hold one of each): each kind is compared with its own kind only.
    if user.account_kind == User.AccountKind.PAA:
        queryset = queryset.filter(account_kind=User.AccountKind.PAA)
    else:
        queryset = queryset.exclude(account_kind=User.AccountKind.PAA)
    if user.pk is not None:
        queryset = queryset.exclude(pk=user.pk)
    return queryset.only(
        "first_name", "last_name", "email", "phone", "address_line1", "postal_code"
    ).prefetch_related(
        Prefetch(
            "emailaddress_set",
            queryset=EmailAddress.objects.only("email", "user_id"),
            to_attr="prefetched_addresses",
        )
    )


# Sign-up ------------------------------------------------------------------------------------


def registration_details(*, kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The account fields a registration of ``kind`` sets from ``data`` (the sign-up form's
    cleaned data): contact details for every kind, and that kind's own fields only."""
    if kind not in KIND_FIELDS:
        raise ValueError(f"not a kind anyone can register for: {kind!r}")
    details: dict[str, Any] = {"account_kind": kind}
    for name in (*CONTACT_FIELDS, *KIND_FIELDS[kind]):
        if name in data and name not in PROFILE_FIELDS:
            details[name] = data[name]
    return details


@transaction.atomic
def complete_signup(*, user: User, form, request, now: dt.datetime) -> User:
    """Save a new registration from allauth's sign-up form (called by the adapter's
    ``save_user``, after allauth set name, email, username and password and
    ``creation.prepare_new_account`` the number and type).

    Records REGISTERED; a registration that matches an existing account on two identity
    fields is put on hold for the PACER Service Center (REGISTRATION_HELD, naming the fields
    that matched, never their values). A PACER Administrative Account gets its firm details
    (:class:`~accounts.models.PaaProfile`) in the same transaction.
    """
    data = form.cleaned_data
    for name, value in registration_details(kind=data["kind"], data=data).items():
        setattr(user, name, value)
    matches = find_duplicates(user=user)
    if matches:
        user.registration_status = User.RegistrationStatus.ON_HOLD
    _insert_new_account(user)
    if user.account_kind == User.AccountKind.PAA:
        paa_services.create_paa_profile(account=user, firm_name=data["firm_name"], now=now)
    record_event(
        user=user,
        kind=AccountEvent.Kind.REGISTERED,
        now=now,
        request=request,
        detail={"kind": user.account_kind, "shared": user.is_shared},
    )
    if matches:
        matched = {field for match in matches for field in match.fields}
        record_event(
            user=user,
            kind=AccountEvent.Kind.REGISTRATION_HELD,
            now=now,
            request=request,
            detail={
                "matched_fields": [field for field in IDENTITY_FIELDS if field in matched],
                "matching_accounts": len(matches),
            },
        )
    return user


def _insert_new_account(user: User) -> None:
    """Insert the account; draw a new number if another registration took it meanwhile."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if not User.objects.filter(account_number=user.account_number).exists():
                raise
            user.account_number = new_account_number()
            continue
        return
    raise IntegrityError("no free account number after three attempts")


@transaction.atomic
def seed_account_details(*, user: User, details: Mapping[str, Any]) -> User:
    """Give an account created outside sign-up (demo data, commands) the details the wizard
    would have asked for. Only registration fields are accepted, plus the case search status
    of a seeded inactive account."""
    allowed = {
        *CONTACT_FIELDS,
        *(name for names in KIND_FIELDS.values() for name in names if name not in PROFILE_FIELDS),
        "case_search_status",
    }
    unknown = set(details) - allowed
    if unknown:
        raise ValueError(f"not registration details: {sorted(unknown)}")
    for name, value in details.items():
        setattr(user, name, value)
    user.save(update_fields=list(details))
    return user


# The PACER Service Center's decision -------------------------------------------------------


@transaction.atomic(durable=True)
def release_registration(*, user: User, actor: User, now: dt.datetime) -> User:
    """Staff release a held registration: the account becomes usable; the registrant is
    told by email. Raises :class:`RegistrationNotOnHold` unless it is on hold."""
    _decide(user=user, to_status=User.RegistrationStatus.ACTIVE)
    record_event(
        user=user,
        kind=AccountEvent.Kind.REGISTRATION_RELEASED,
        actor=actor,
        now=now,
        detail={"from": User.RegistrationStatus.ON_HOLD, "to": User.RegistrationStatus.ACTIVE},
    )
    _email_decision(user=user, decision="released")
    return user


@transaction.atomic(durable=True)
def reject_registration(*, user: User, actor: User, reason: str, now: dt.datetime) -> User:
    """Staff reject a held registration (a duplicate of an existing account): it can never
    sign in; the registrant gets the reason by email. Raises :class:`RegistrationNotOnHold`
    unless it is on hold, ValueError without a reason."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("a rejection needs a reason")
    _decide(user=user, to_status=User.RegistrationStatus.REJECTED)
    record_event(
        user=user,
        kind=AccountEvent.Kind.REGISTRATION_REJECTED,
        actor=actor,
        now=now,
        detail={
            "from": User.RegistrationStatus.ON_HOLD,
            "to": User.RegistrationStatus.REJECTED,
            "reason": reason,
        },
    )
    _email_decision(user=user, decision="rejected", reason=reason)
    return user


def _decide(*, user: User, to_status: str) -> None:
    """Move a held registration on, claiming it with a conditional UPDATE so two staff
    deciding at once cannot both succeed."""
    moved = User.objects.filter(
        pk=user.pk, registration_status=User.RegistrationStatus.ON_HOLD
    ).update(registration_status=to_status)
    if not moved:
        user.refresh_from_db(fields=["registration_status"])
        raise RegistrationNotOnHold(user)
    user.registration_status = to_status


def _email_decision(*, user: User, decision: str, reason: str = "") -> None:
    queue_email(
        dedupe_key=f"registration_{decision}:{user.pk}",
        to=user.email,
        template=f"accounts/email/registration_{decision}",
        context={
            "first_name": user.first_name,
            "username": user.username,
            "account_number": user.account_number,
            "reason": reason,
        },
    )
