"""Training scenarios: a data file (``scenarios/<name>.json``) that sets the training clock, the
go-live schedule of its courts and a cast of accounts with their court-issued CM/ECF logins.

``load_scenario`` is idempotent (get-or-create by username and by court + login), so loading
twice gives the same world; ``reset_scenario`` removes the scenario's accounts, logins and
what hangs off them (link requests, e-file registrations, filing rights and agents, PAA
memberships, charges, subscriptions) without touching other accounts, and never a court.
Every account name and login starts with the scenario's prefix (``ark21-…``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoAccount
from accounts.models import Charge, PaaMembership, Payment, User
from accounts.services import mfa, paa, registration
from courts import services as court_services
from courts import tokens as court_tokens
from courts.models import Court, CourtStaff, Subscription
from courts.services.filing_settings import set_password_reset_deadline
from cso_portal import clock
from cso_portal.core.services import set_simulated_date
from filing.models import (
    AttorneyOfRecord,
    DocketEntry,
    EfileRegistration,
    FeePayment,
    FilingAgent,
    FilingRight,
    Nef,
)
from linking.models import CmecfAccount, LinkRequest
from linking.services import create_cmecf_account

logger = logging.getLogger(__name__)

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
EMAIL_DOMAIN = "training.example.test"


class ScenarioError(Exception):
    """A scenario cannot be loaded or reset; the message says why (shown to the trainer)."""


# The data file ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CourtPlan:
    id: str
    go_live: dt.date | None
    password_reset_deadline: dt.date | None = None
    required_local_form: str | None = None


@dataclasses.dataclass(frozen=True)
class CastMember:
    username: str  # without the prefix
    first_name: str
    last_name: str
    kind: str
    registered_on: dt.date
    role: str
    is_shared: bool = False
    mfa: bool = False
    clerk_of: str = ""
    firm_name: str = ""
    subscribes_to: tuple[str, ...] = ()
    details: dict = dataclasses.field(default_factory=dict, hash=False)


@dataclasses.dataclass(frozen=True)
class LoginPlan:
    court: str
    login: str  # without the prefix
    password: str
    holder: str  # a cast member's username (without the prefix)
    role: str = CmecfAccount.Role.ATTORNEY


@dataclasses.dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    prefix: str
    clock: dt.date
    summary: str
    key_moment: str
    courts: tuple[CourtPlan, ...]
    cast: tuple[CastMember, ...]
    cmecf_logins: tuple[LoginPlan, ...]

    def username(self, short: str) -> str:
        return f"{self.prefix}-{short}"

    def email(self, short: str) -> str:
        return f"{self.username(short)}@{EMAIL_DOMAIN}"

    def login(self, short: str) -> str:
        return f"{self.prefix}-{short}"

    def member(self, short: str) -> CastMember:
        for member in self.cast:
            if member.username == short:
                return member
        raise ScenarioError(f"{self.name}: no cast member “{short}”")

    @property
    def court_ids(self) -> list[str]:
        return [plan.id for plan in self.courts]


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _parse(data: dict) -> Scenario:
    courts = tuple(
        CourtPlan(
            id=item["id"],
            go_live=_date(item.get("go_live")),
            password_reset_deadline=_date(item.get("password_reset_deadline")),
            required_local_form=item.get("required_local_form"),
        )
        for item in data["courts"]
    )
    cast = tuple(
        CastMember(
            **{
                **item,
                "registered_on": _date(item["registered_on"]),
                "subscribes_to": tuple(item.get("subscribes_to", ())),
            }
        )
        for item in data["cast"]
    )
    logins = tuple(LoginPlan(**item) for item in data.get("cmecf_logins", ()))
    scenario = Scenario(
        name=data["name"],
        title=data["title"],
        prefix=data["prefix"],
        clock=_date(data["clock"]),
        summary=data.get("summary", ""),
        key_moment=data.get("key_moment", ""),
        courts=courts,
        cast=cast,
        cmecf_logins=logins,
    )
    for plan in logins:  # every login's holder is in the cast, every court planned
        scenario.member(plan.holder)
        if plan.court not in scenario.court_ids:
            raise ScenarioError(f"{scenario.name}: login {plan.login} in unplanned {plan.court}")
    return scenario


@cache
def all_scenarios() -> dict[str, Scenario]:
    """The shipped scenarios by name, in file-name order (read once per process)."""
    found = {}
    for path in sorted(SCENARIO_DIR.glob("*.json")):
        scenario = _parse(json.loads(path.read_text(encoding="utf-8")))
        if scenario.name != path.stem:
            raise ScenarioError(f"{path.name}: its name is {scenario.name!r}")
        found[scenario.name] = scenario
    prefixes = [scenario.prefix for scenario in found.values()]
    if len(set(prefixes)) != len(prefixes):
        raise ScenarioError("two scenarios share a prefix")
    return found


def get_scenario(name: str) -> Scenario:
    """The scenario called ``name``; raises :class:`ScenarioError` for an unknown name."""
    try:
        return all_scenarios()[name]
    except KeyError:
        known = ", ".join(all_scenarios())
        raise ScenarioError(
            _("No scenario is called “%(name)s”. Known scenarios: %(known)s.")
            % {"name": name, "known": known}
        ) from None


def _refuse_outside_demo() -> None:
    if not settings.CSO_DEMO_MODE:
        raise ScenarioError(_("Scenarios are only loaded in demo mode (CSO_DEMO_MODE=1)."))


# Loading ------------------------------------------------------------------------------------


@dataclasses.dataclass
class PersonLine:
    username: str
    account_number: str
    account_type: str
    role: str
    created: bool


@dataclasses.dataclass
class LoginLine:
    court_id: str
    login: str
    password: str
    holder: str
    created: bool


@dataclasses.dataclass
class LoadReport:
    """What the trainer needs: the date, the schedule, every sign-in and court-issued login."""

    scenario: Scenario
    courts: list[tuple[str, str, dt.date | None]]
    people: list[PersonLine]
    logins: list[LoginLine]
    password: str = DEMO_PASSWORD
    totp_secret: str = DEMO_TOTP_SECRET

    def lines(self) -> list[str]:
        """The report as plain text lines (the command prints them)."""
        scenario = self.scenario
        out = [
            f"Scenario {scenario.name}: {scenario.title}",
            f"  training clock: {scenario.clock.isoformat()}",
        ]
        for court_id, name, go_live in self.courts:
            when = go_live.isoformat() if go_live else "not announced"
            out.append(f"  {court_id:<5} {name}: NextGen go-live {when}")
        out.append("  PACER accounts:")
        for person in self.people:
            mark = "created" if person.created else "exists "
            out.append(
                f"    {mark}  {person.username:<16} account {person.account_number}  "
                f"{person.account_type:<8}  {person.role}"
            )
        out.append("  Court-issued CM/ECF logins:")
        for line in self.logins:
            mark = "created" if line.created else "exists "
            out.append(
                f"    {mark}  {line.court_id:<5} {line.login:<16} password {line.password:<18} "
                f"held by {line.holder}"
            )
        out.append(f"  password of every PACER account: {self.password}")
        out.append(f"  authenticator app secret (accounts with MFA, clerks): {self.totp_secret}")
        if scenario.key_moment:
            out.append(f"  key moment: {scenario.key_moment}")
        return out


def _courts(scenario: Scenario) -> dict[str, Court]:
    courts = Court.objects.in_bulk(scenario.court_ids)
    missing = [court_id for court_id in scenario.court_ids if court_id not in courts]
    if missing:
        raise ScenarioError(
            _("Court %(court)s is missing: run manage.py load_courts first.")
            % {"court": ", ".join(missing)}
        )
    return courts


def _apply_court_plan(
    *, scenario: Scenario, plan: CourtPlan, court: Court, actor, now: dt.datetime
) -> Court:
    """The court's schedule and settings as the scenario starts, through courts' services
    (a changed go-live date is announced to the court's confirmed subscribers)."""
    if court.nextgen_date != plan.go_live:
        court_services.change_go_live_date(
            court=court,
            new_date=plan.go_live,
            actor=actor,
            reason=f"Training scenario “{scenario.title}”",
            now=now,
            source="Training scenario",
        )
    if plan.password_reset_deadline is not None:
        set_password_reset_deadline(
            court=court, deadline=plan.password_reset_deadline, actor=actor, now=now
        )
    if plan.required_local_form is not None:
        with contextlib.suppress(court_services.FilingSettingsUnchanged):
            court_services.change_filing_settings(
                court=court,
                required_local_form=plan.required_local_form,
                filer_may_propose_login=court.filer_may_propose_login,
                actor=actor,
                now=now,
            )
    court.refresh_from_db()
    return court


def _ensure_person(
    *, scenario: Scenario, member: CastMember, courts: dict[str, Court], now: dt.datetime
) -> tuple[User, bool]:
    spec = DemoAccount(
        scenario.username(member.username),
        member.first_name,
        member.last_name,
        scenario.email(member.username),
        member.registered_on,
        member.kind,
        is_shared=member.is_shared,
        note=member.role,
    )
    user, created = account_services.ensure_demo_account(
        spec=spec, password=DEMO_PASSWORD, today=scenario.clock
    )
    if member.details and (created or not user.phone):
        registration.seed_account_details(user=user, details=member.details)
    if member.kind == User.AccountKind.PAA and not hasattr(user, "paa_profile"):
        paa.create_paa_profile(account=user, firm_name=member.firm_name or user.username, now=now)
    if member.mfa or member.clerk_of:
        mfa.ensure_totp(user=user, secret=DEMO_TOTP_SECRET, now=now)
    if (
        member.clerk_of
        and not CourtStaff.objects.filter(court=courts[member.clerk_of], user=user).exists()
    ):
        court_services.add_court_staff(
            court=courts[member.clerk_of], user=user, role=CourtStaff.Role.CLERK, now=now
        )
    for court_id in member.subscribes_to:
        subscription = court_services.subscribe(court=courts[court_id], email=user.email, now=now)
        if subscription.status != Subscription.Status.CONFIRMED:
            court_services.confirm_subscription(
                token=court_tokens.confirm_token(subscription), now=now
            )
    return user, created


@transaction.atomic
def load_scenario(*, name: str, actor, now: dt.datetime) -> LoadReport:
    """Load scenario ``name``: its courts' go-live schedule and settings, its cast (with MFA,
    clerk roles, a PAA, confirmed subscriptions), their court-issued logins, and the training
    clock set to the scenario's date. Loading again restores the same world (accounts and
    logins that exist are kept as they are). Refused outside demo mode.
    Raises :class:`ScenarioError` (unknown scenario, a court not loaded)."""
    _refuse_outside_demo()
    scenario = get_scenario(name)
    courts = _courts(scenario)
    for plan in scenario.courts:
        courts[plan.id] = _apply_court_plan(
            scenario=scenario, plan=plan, court=courts[plan.id], actor=actor, now=now
        )
    people, users = [], {}
    for member in scenario.cast:
        user, created = _ensure_person(scenario=scenario, member=member, courts=courts, now=now)
        users[member.username] = user
        people.append(
            PersonLine(
                user.username,
                user.account_number,
                user.get_account_type_display(),
                member.role,
                created,
            )
        )
    logins = []
    for plan in scenario.cmecf_logins:
        court, holder = courts[plan.court], users[plan.holder]
        login = scenario.login(plan.login)
        account = CmecfAccount.objects.filter(court=court, login__iexact=login).first()
        if account is None:
            member = scenario.member(plan.holder)
            account = create_cmecf_account(
                court=court,
                login=login,
                password=plan.password,
                holder_name=f"{member.first_name} {member.last_name}",
                email_of_record=holder.email,
                bar_id=member.details.get("bar_number", ""),
                role=plan.role,
                actor=actor,
                now=now,
            )
            logins.append(LoginLine(court.pk, login, plan.password, holder.username, True))
        else:
            logins.append(LoginLine(court.pk, account.login, plan.password, holder.username, False))
    if clock.simulated_date() != scenario.clock:
        set_simulated_date(
            day=scenario.clock,
            actor=actor,
            reason=f"Training scenario “{scenario.title}”",
            now=clock.real_now(),
        )
    logger.info("training scenario %s loaded by %s", scenario.name, getattr(actor, "pk", None))
    return LoadReport(
        scenario=scenario,
        courts=[
            (plan.id, courts[plan.id].name, courts[plan.id].nextgen_date)
            for plan in scenario.courts
        ],
        people=people,
        logins=logins,
    )


# Reset --------------------------------------------------------------------------------------


def scenario_accounts(scenario: Scenario):
    """The scenario's PACER accounts (by the prefix of their usernames)."""
    return User.objects.filter(username__startswith=f"{scenario.prefix}-")


def scenario_logins(scenario: Scenario):
    """The scenario's court-issued logins (by prefix, in its courts)."""
    return CmecfAccount.objects.filter(
        court_id__in=scenario.court_ids, login__istartswith=f"{scenario.prefix}-"
    )


def scenario_counts(name: str) -> dict[str, int]:
    """How much of scenario ``name`` exists (the staff page and the tests show it)."""
    scenario = get_scenario(name)
    users = scenario_accounts(scenario)
    return {
        "accounts": users.count(),
        "cmecf_logins": scenario_logins(scenario).count(),
        "clerks": CourtStaff.objects.filter(user__in=users).count(),
        "subscriptions": Subscription.objects.filter(
            email__in=[scenario.email(member.username) for member in scenario.cast]
        ).count(),
        "link_requests": LinkRequest.objects.filter(pacer_account__in=users).count(),
        "registrations": EfileRegistration.objects.filter(pacer_account__in=users).count(),
    }


def _blank_actors(user_ids: list[int]) -> None:
    """Audit rows elsewhere that name a scenario account as their actor keep their history;
    the actor becomes "unknown" (every such column is nullable)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is User
                and field.null
                and field.name in {"actor", "decided_by"}
            ):
                model._base_manager.filter(**{f"{field.name}__in": user_ids}).update(
                    **{field.name: None}
                )


@transaction.atomic
def reset_scenario(*, name: str) -> dict[str, int]:
    """Remove scenario ``name``'s accounts, court-issued logins, confirmed subscriptions and
    everything hanging off them (in dependency order, in one transaction), and nothing else:
    other accounts, the courts and their schedules stay. Returns counts of what went.
    Raises :class:`ScenarioError` outside demo mode, or when another account's records
    depend on the scenario's (then nothing is removed)."""
    _refuse_outside_demo()
    scenario = get_scenario(name)
    user_ids = list(scenario_accounts(scenario).values_list("pk", flat=True))
    login_ids = list(scenario_logins(scenario).values_list("pk", flat=True))
    emails = [scenario.email(member.username) for member in scenario.cast]
    removed: dict[str, int] = {}

    def drop(label: str, queryset) -> None:
        removed[label] = removed.get(label, 0) + queryset.delete()[1].get(
            queryset.model._meta.label, 0
        )

    entries = DocketEntry.objects.filter(
        Q(filer__in=user_ids) | Q(submitted_by__in=user_ids) | Q(submitted_with_login__in=login_ids)
    )
    entry_ids = list(entries.values_list("pk", flat=True))
    requests = LinkRequest.objects.filter(
        Q(pacer_account__in=user_ids) | Q(cmecf_account__in=login_ids)
    )
    request_ids = list(requests.values_list("pk", flat=True))
    registrations = EfileRegistration.objects.filter(
        Q(pacer_account__in=user_ids) | Q(issued_cmecf_account__in=login_ids)
    )
    registration_ids = list(registrations.values_list("pk", flat=True))
    try:
        drop(
            "fee payments",
            FeePayment.objects.filter(Q(entry__in=entry_ids) | Q(payer__in=user_ids)),
        )
        drop("notices", Nef.objects.filter(Q(entry__in=entry_ids) | Q(recipient__in=user_ids)))
        drop("docket entries", DocketEntry.objects.filter(pk__in=entry_ids))
        drop("appearances", AttorneyOfRecord.objects.filter(attorney__in=user_ids))
        drop(
            "filing rights",
            FilingRight.objects.filter(
                Q(holder__in=user_ids)
                | Q(link_request__in=request_ids)
                | Q(registration__in=registration_ids)
            ),
        )
        drop(
            "filing agents",
            FilingAgent.objects.filter(Q(principal__in=user_ids) | Q(agent__in=user_ids)),
        )
        drop("e-file registrations", EfileRegistration.objects.filter(pk__in=registration_ids))
        drop("link requests", LinkRequest.objects.filter(pk__in=request_ids))
        drop("CM/ECF logins", CmecfAccount.objects.filter(pk__in=login_ids))
        drop("subscriptions", Subscription.objects.filter(email__in=emails))
        drop("charges", Charge.objects.filter(Q(account__in=user_ids) | Q(billed_to__in=user_ids)))
        drop("payments", Payment.objects.filter(_payment_filter(user_ids)))
        drop(
            "PAA memberships",
            PaaMembership.objects.filter(Q(paa__in=user_ids) | Q(member__in=user_ids)),
        )
        _blank_actors(user_ids)
        drop("accounts", User.objects.filter(pk__in=user_ids))
    except ProtectedError as protected:
        kinds = sorted({obj._meta.verbose_name_plural for obj in protected.protected_objects})
        raise ScenarioError(
            _("Other records depend on this scenario's accounts (%(kinds)s); nothing was reset.")
            % {"kinds": ", ".join(str(kind) for kind in kinds)}
        ) from None
    logger.info("training scenario %s reset: %s", scenario.name, removed)
    return removed


def _payment_filter(user_ids: list[int]) -> Q:
    """Payments made by or for the scenario's accounts (whatever their user columns)."""
    query = Q(pk__in=[])
    for field in Payment._meta.concrete_fields:
        if field.is_relation and field.related_model is User:
            query |= Q(**{f"{field.name}__in": user_ids})
    return query
