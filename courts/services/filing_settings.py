"""A court's e-filing prerequisites, set by its clerks (seed 004: S.D. Fla. bankruptcy asks new
attorneys for local form LF-95; seed 002: some CurrentGen courts let filers propose a login)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from courts.models import Court

logger = logging.getLogger(__name__)


class FilingSettingsUnchanged(Exception):
    """The submitted settings are the court's current ones."""


@transaction.atomic
def change_filing_settings(
    *,
    court: Court,
    required_local_form: str,
    filer_may_propose_login: bool,
    actor,
    now: dt.datetime,
) -> Court:
    """Set the local form new attorneys must complete before an e-file registration ("" for
    none) and whether CurrentGen registrations may propose a login. New requests follow the
    new settings; requests already made keep the form they were asked for. The caller
    authorizes ``actor`` (``courts.access.get_court_for_schedule_change``)."""
    court = Court.objects.select_for_update().get(pk=court.pk)
    form = (required_local_form or "").strip()[:32]
    if (court.required_local_form, court.filer_may_propose_login) == (
        form,
        filer_may_propose_login,
    ):
        raise FilingSettingsUnchanged
    old = (court.required_local_form, court.filer_may_propose_login)
    court.required_local_form = form
    court.filer_may_propose_login = filer_may_propose_login
    court.save(update_fields=["required_local_form", "filer_may_propose_login"])
    logger.info(
        "filing settings of %s changed by %s at %s: local form %r → %r, propose login %s → %s",
        court.pk,
        getattr(actor, "pk", None),
        now.isoformat(),
        old[0],
        form,
        old[1],
        filer_may_propose_login,
    )
    return court


@transaction.atomic
def set_password_reset_deadline(
    *, court: Court, deadline: dt.date | None, actor, now: dt.datetime
) -> Court:
    """Set the last day holders may reset a court-issued CM/ECF password themselves (seed 004:
    "reset your password before March 26, 2022"; None: no deadline). Training scenarios call
    it; the caller authorizes ``actor``. Setting the current value changes nothing."""
    court = Court.objects.select_for_update().get(pk=court.pk)
    if court.password_reset_deadline == deadline:
        return court
    old = court.password_reset_deadline
    court.password_reset_deadline = deadline
    court.save(update_fields=["password_reset_deadline"])
    logger.info(
        "password reset deadline of %s changed by %s at %s: %s → %s",
        court.pk,
        getattr(actor, "pk", None),
        now.isoformat(),
        old,
        deadline,
    )
    return court
