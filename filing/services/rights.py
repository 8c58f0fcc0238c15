"""Filing rights: who may file where, and the refusals (each with its own message).

A right is obtained by linking a court-issued CM/ECF login (the link carries the login's
role in that court, seed 000) or by an approved e-file registration; pro hac vice rights
name one case. ``filing_refusal`` is the one place that decides whether someone may file.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.rules import refusal_to_link_or_file
from courts.models import Court
from filing.models import Case, FilerRole, FilingAgent, FilingRight
from linking.models import CmecfAccount, LinkRequest

# A court-issued login's role → the role its filing right gives.
ROLE_FROM_LOGIN = {
    CmecfAccount.Role.ATTORNEY: FilerRole.ATTORNEY,
    CmecfAccount.Role.TRUSTEE: FilerRole.TRUSTEE,
    CmecfAccount.Role.NON_ATTORNEY: FilerRole.NON_ATTORNEY,
    CmecfAccount.Role.FILING_AGENT: FilerRole.FILING_AGENT,
    CmecfAccount.Role.PRO_SE: FilerRole.PRO_SE,
}


def _format_day(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@transaction.atomic
def grant_rights_from_link(*, link_request: LinkRequest, now: dt.datetime) -> FilingRight | None:
    """Record the filing right an approved link carries: the CM/ECF login's role in its
    court, from now (called inside the approval, through ``linking.signals.link_approved``).
    Nothing new when the account already holds a court-wide right there."""
    holder_id, court_id = link_request.pacer_account_id, link_request.court_id
    existing = FilingRight.objects.filter(
        holder_id=holder_id, court_id=court_id, case__isnull=True, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    return FilingRight.objects.create(
        holder_id=holder_id,
        court_id=court_id,
        role=ROLE_FROM_LOGIN.get(link_request.cmecf_account.role, FilerRole.NON_ATTORNEY),
        source=FilingRight.Source.LINK,
        link_request=link_request,
        since=now,
    )


def on_link_approved(sender, *, link_request: LinkRequest, now: dt.datetime, **kwargs) -> None:
    """Receiver of ``linking.signals.link_approved``."""
    grant_rights_from_link(link_request=link_request, now=now)


def active_rights(user):
    """``user``'s filing rights that are not revoked (a queryset, with court and case)."""
    if not getattr(user, "is_authenticated", False):
        return FilingRight.objects.none()
    return FilingRight.objects.filter(holder=user, revoked_at__isnull=True).select_related(
        "court", "case"
    )


def right_in(user, court: Court, case: Case | None = None) -> FilingRight | None:
    """``user``'s right to file in ``court`` (court-wide, else the one for ``case``)."""
    rights = list(active_rights(user).filter(court=court))
    for right in rights:
        if right.case_id is None:
            return right
    if case is not None:
        for right in rights:
            if right.case_id == case.pk:
                return right
    return None


def active_designation(*, agent, principal_id: int, court: Court) -> FilingAgent | None:
    """The active designation of ``agent`` by ``principal_id`` in ``court``, or None."""
    return (
        FilingAgent.objects.filter(
            agent=agent, principal_id=principal_id, court=court, removed_at__isnull=True
        )
        .select_related("principal")
        .first()
    )


def agent_fee_refusal(*, user, court: Court, acting_for, fee) -> str | None:
    """Why the filing agent ``user`` may not pay ``fee`` online for ``acting_for`` in
    ``court`` (the attorney did not allow it: "may pay fees online"), or None."""
    if not fee or user is None or acting_for is None or acting_for.pk == user.pk:
        return None
    designation = active_designation(agent=user, principal_id=acting_for.pk, court=court)
    if designation is None or designation.may_pay_fees:
        return None  # without a designation, filing_refusal has refused already
    return _(
        "This filing has a fee of $%(fee)s, and %(name)s has not allowed you to pay fees "
        "online. Ask them to allow it (Manage My Account → Filing agents), or to file it "
        "themselves."
    ) % {"fee": fee, "name": acting_for.full_name or acting_for.username}


def no_rights_message(court: Court) -> str:
    return _(
        "You have no filing rights in %(court)s. Link your court-issued CM/ECF account to "
        "your PACER account, or submit an e-file registration request (Manage My Account → "
        "Maintenance) and wait for the court's approval."
    ) % {"court": court.name}


def filing_refusal(
    *, user, court: Court, today: dt.date, case: Case | None = None, acting_for=None
) -> str | None:
    """Why ``user`` may not e-file in ``court`` (``case``, when known) today, or None.

    In order, each with its own message: the account rules (shared, PAA, legacy, MFA not set
    up after the deadline…), the court still on CurrentGen (file there with the court-issued
    login, not a Central Sign-On session), and a filing right in the court (or the case, pro
    hac vice). ``acting_for`` is the attorney a filing agent files for: the agent needs an
    active designation by them and the attorney needs the right.
    """
    refusal = refusal_to_link_or_file(user, today)
    if refusal:
        return str(refusal)
    if not court.is_nextgen_on(today):
        return _(
            "%(court)s still uses CurrentGen CM/ECF: a PACER (Central Sign-On) session cannot "
            "file there. Sign in on the court's CM/ECF site with your court-issued login."
        ) % {"court": court.name}
    filer = user
    if acting_for is not None and acting_for.pk != user.pk:
        if active_designation(agent=user, principal_id=acting_for.pk, court=court) is None:
            return _(
                "%(name)s has not designated you as a filing agent in %(court)s (or removed "
                "you). Ask them, or use Change User to file for someone else."
            ) % {"name": acting_for.full_name or acting_for.username, "court": court.name}
        filer = acting_for
        refusal = refusal_to_link_or_file(filer, today)
        if refusal:
            return _("%(name)s cannot e-file now: %(why)s") % {
                "name": filer.full_name or filer.username,
                "why": refusal,
            }
    right = right_in(filer, court, case)
    if right is None:
        phv = active_rights(filer).filter(court=court, case__isnull=False).first()
        if phv is not None:
            return _("Your pro hac vice rights in %(court)s are for case %(case)s only.") % {
                "court": court.name,
                "case": phv.case.number,
            }
        if filer.pk != user.pk:
            return _("%(name)s has no filing rights in %(court)s.") % {
                "name": filer.full_name or filer.username,
                "court": court.name,
            }
        return no_rights_message(court)
    if right.role == FilerRole.FILING_AGENT and filer.pk == user.pk:
        return _(
            "Filing agents file for an attorney: use Change User to choose whom you file for "
            "in %(court)s."
        ) % {"court": court.name}
    return None


def currentgen_refusal(*, cmecf_account: CmecfAccount, court: Court, today: dt.date) -> str | None:
    """Why a court-issued login may not file in ``court`` today (CurrentGen filing), or None."""
    if court.is_nextgen_on(today):
        return _(
            "%(court)s has moved to NextGen CM/ECF: court-issued logins no longer work. Sign "
            "in with your PACER account."
        ) % {"court": court.name}
    if cmecf_account.court_id != court.pk or cmecf_account.status != CmecfAccount.Status.ACTIVE:
        return _("This CM/ECF login can no longer be used. Contact the court's ECF help desk.")
    return None


def go_live_message(court: Court) -> str:
    if court.nextgen_date:
        return _("%(court)s goes live on NextGen CM/ECF on %(day)s.") % {
            "court": court.name,
            "day": _format_day(court.nextgen_date),
        }
    return _("%(court)s has not announced its NextGen CM/ECF go-live date.") % {"court": court.name}
