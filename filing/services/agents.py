"""Filing agents (seed 003): an attorney or trustee designates non-attorneys, each with their
own upgraded PACER account and a filing-agent right in the court, to file for them.

The agent files *as* the principal; removal takes effect on the agent's next request (every
filing re-checks the designation in ``filing.services.rights.filing_refusal``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import refusal_to_link_or_file
from courts.models import Court
from cso_portal.core.services import queue_email
from filing.errors import AgentRefused
from filing.models import PRINCIPAL_ROLES, DocketEntry, FilerRole, FilingAgent
from filing.services.rights import right_in

logger = logging.getLogger(__name__)


@transaction.atomic(durable=True)
def designate_agent(
    *, principal, court: Court, agent_username: str, may_pay_fees: bool, now: dt.datetime
) -> FilingAgent:
    """``principal`` designates the account ``agent_username`` as their filing agent in
    ``court``. Refused (:class:`AgentRefused`) unless the principal files there as an
    attorney or trustee, and the agent is an upgraded individual account holding a
    filing-agent right in the court. The agent is emailed."""
    today = timezone.localdate(now)
    principal_right = right_in(principal, court)
    if principal_right is None or principal_right.role not in PRINCIPAL_ROLES:
        raise AgentRefused(
            _("Only attorneys and trustees with filing rights in %(court)s designate agents.")
            % {"court": court.name}
        )
    agent = User.objects.filter(username__iexact=(agent_username or "").strip()).first()
    agent_right = right_in(agent, court) if agent is not None else None
    if (
        agent is None
        or agent.pk == principal.pk
        or agent_right is None
        or agent_right.role != FilerRole.FILING_AGENT
        or refusal_to_link_or_file(agent, today)
    ):
        # One message whether the account is missing, not registered or unable to e-file
        # (legacy, shared…): the state of someone else's account is not told.
        raise AgentRefused(
            _(
                "No filing agent with that PACER username is registered in %(court)s. The "
                "agent registers first (Non-Attorney E-File Registration, role filing agent) "
                "with their own upgraded PACER account."
            )
            % {"court": court.name}
        )
    try:
        with transaction.atomic():
            designation = FilingAgent.objects.create(
                principal=principal,
                agent=agent,
                court=court,
                may_pay_fees=may_pay_fees,
                created_at=now,
            )
    except IntegrityError:
        raise AgentRefused(_("That agent already files for you in this court.")) from None
    _tell(designation, "agent_designated")
    logger.info("filing agent %s designated by %s in %s", agent.pk, principal.pk, court.pk)
    return designation


@transaction.atomic(durable=True)
def set_agent_permissions(
    *, designation: FilingAgent, may_pay_fees: bool, now: dt.datetime
) -> FilingAgent:
    """Change what an active designation allows (the caller fetched it as the principal's)."""
    locked = FilingAgent.objects.select_for_update().get(pk=designation.pk)
    if locked.removed_at is not None:
        raise AgentRefused(_("That agent was removed; designate them again."))
    locked.may_pay_fees = may_pay_fees
    locked.save(update_fields=["may_pay_fees"])
    return locked


@transaction.atomic(durable=True)
def remove_agent(*, designation: FilingAgent, now: dt.datetime) -> FilingAgent:
    """End a designation now (the agent's next filing for this principal is refused); both
    sides are emailed. Removing an already removed agent changes nothing."""
    claimed = FilingAgent.objects.filter(pk=designation.pk, removed_at__isnull=True).update(
        removed_at=now
    )
    designation.refresh_from_db()
    if claimed:
        _tell(designation, "agent_removed")
        logger.info("filing agent designation %s removed", designation.pk)
    return designation


def _tell(designation: FilingAgent, kind: str) -> None:
    context = {
        "designation_id": designation.pk,
        "court_id": designation.court_id,
        "court_name": designation.court.name,
        "principal_name": designation.principal.full_name or designation.principal.username,
        "agent_name": designation.agent.full_name or designation.agent.username,
        "may_pay_fees": designation.may_pay_fees,
    }
    for who in {designation.principal.email, designation.agent.email}:
        if who:
            queue_email(
                dedupe_key=f"filing:{kind}:{designation.pk}:{who.lower()}",
                to=who,
                template=f"filing/email/{kind}",
                context=context,
            )


def agent_transactions(*, principal, agent_id: int, start: dt.date, end: dt.date):
    """The agent's filings for ``principal`` between ``start`` and ``end`` (inclusive,
    portal time zone): docket entries filed as the principal and submitted by the agent."""
    return (
        DocketEntry.objects.filter(
            filer=principal,
            submitted_by_id=agent_id,
            filed_at__date__gte=start,
            filed_at__date__lte=end,
        )
        .select_related("case__court", "payment")
        .order_by("-filed_at", "-pk")
    )
