"""Use cases of courts, one module per flow. Every change of court state goes through a
function here; views, admin actions, commands and tests call them.

- ``schedule``: go-live date changes (with history and subscriber emails)
- ``subscriptions``: email updates for a court page
- ``staff``: court staff and PACER Service Center staff
- ``catalog``: loading the reference catalog
- ``filing_settings``: the court's e-filing prerequisites (local form, proposed logins)
"""

from courts.services.catalog import LoadReport, load_reference_data
from courts.services.filing_settings import FilingSettingsUnchanged, change_filing_settings
from courts.services.schedule import (
    GO_LIVE_EARLIEST,
    GO_LIVE_LATEST,
    ScheduleUnchanged,
    change_go_live_date,
    load_reference_schedule,
)
from courts.services.staff import add_court_staff, make_psc_staff, remove_court_staff
from courts.services.subscriptions import (
    CONFIRMATION_RESEND_AFTER,
    confirm_subscription,
    subscribe,
    unsubscribe,
)

__all__ = [
    "CONFIRMATION_RESEND_AFTER",
    "GO_LIVE_EARLIEST",
    "GO_LIVE_LATEST",
    "FilingSettingsUnchanged",
    "LoadReport",
    "ScheduleUnchanged",
    "add_court_staff",
    "change_filing_settings",
    "change_go_live_date",
    "confirm_subscription",
    "load_reference_data",
    "load_reference_schedule",
    "make_psc_staff",
    "remove_court_staff",
    "subscribe",
    "unsubscribe",
]
