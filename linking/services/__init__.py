"""Use cases of linking, one module per flow. Every change of linking state goes through a
function here; views, admin actions, tasks, commands and tests call them.

- ``credentials``: checking a court-issued CM/ECF login and password, with lockout
- ``requests``: the link request state machine, the clerk digest and the beat work
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
from linking.services.credentials import check_cmecf_credentials, lock_duration
from linking.services.requests import (
    SWEEP_AFTER,
    approve_link_request,
    cancel_link_request,
    compute_flags,
    enqueue_link_processing,
    expire_link_requests,
    link_refusal,
    process_link_request,
    reject_link_request,
    send_clerk_digests,
    submit_link_request,
    sweep_link_requests,
)

__all__ = [
    "SWEEP_AFTER",
    "BadCredentials",
    "CmecfLoginLocked",
    "IllegalTransition",
    "LinkRefused",
    "LinkingError",
    "ReasonRequired",
    "TooManyAttempts",
    "approve_link_request",
    "cancel_link_request",
    "check_cmecf_credentials",
    "compute_flags",
    "enqueue_link_processing",
    "expire_link_requests",
    "link_refusal",
    "lock_duration",
    "process_link_request",
    "reject_link_request",
    "send_clerk_digests",
    "submit_link_request",
    "sweep_link_requests",
]
