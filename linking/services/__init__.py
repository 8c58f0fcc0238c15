"""Use cases of linking, one module per flow. Every change of linking state goes through a
function here; views, admin actions, tasks, commands and tests call them.

- ``credentials``: checking a court-issued CM/ECF login and password, with lockout
- ``requests``: the link request state machine
- ``beat``: expiry, the sweeper and the clerk digest (beat work)
- ``reset``: the emailed, single-use CM/ECF password reset (until the court's deadline)
- ``roster``: a clerk's CSV import of the court's CM/ECF logins (all or nothing)
"""

from linking.errors import (
    BadCredentials,
    CmecfLoginLocked,
    IllegalTransition,
    LinkingError,
    LinkRefused,
    ReasonRequired,
    TooManyAttempts,
)
from linking.services.beat import (
    enqueue_link_processing,
    expire_link_requests,
    send_clerk_digests,
    sweep_link_requests,
)
from linking.services.credentials import check_cmecf_credentials, lock_duration
from linking.services.requests import (
    SWEEP_AFTER,
    approve_link_request,
    cancel_link_request,
    cancel_open_requests_after_password_reset,
    compute_flags,
    link_refusal,
    process_link_request,
    reject_link_request,
    submit_link_request,
)
from linking.services.reset import (
    ResetLinkInvalid,
    request_cmecf_reset,
    reset_cmecf_password,
    reset_link_token,
    reset_open,
    usable_reset,
)
from linking.services.roster import (
    RosterInvalid,
    create_cmecf_account,
    import_roster,
    issue_cmecf_login,
    login_taken,
    read_roster_csv,
)

__all__ = [
    "SWEEP_AFTER",
    "BadCredentials",
    "CmecfLoginLocked",
    "IllegalTransition",
    "LinkRefused",
    "LinkingError",
    "ReasonRequired",
    "ResetLinkInvalid",
    "RosterInvalid",
    "TooManyAttempts",
    "approve_link_request",
    "cancel_link_request",
    "cancel_open_requests_after_password_reset",
    "check_cmecf_credentials",
    "compute_flags",
    "create_cmecf_account",
    "enqueue_link_processing",
    "expire_link_requests",
    "import_roster",
    "issue_cmecf_login",
    "link_refusal",
    "lock_duration",
    "login_taken",
    "process_link_request",
    "read_roster_csv",
    "reject_link_request",
    "request_cmecf_reset",
    "reset_cmecf_password",
    "reset_link_token",
    "reset_open",
    "send_clerk_digests",
    "submit_link_request",
    "sweep_link_requests",
    "usable_reset",
]
