"""Use cases of filing, one module per flow. Every change of filing state goes through a
function here; views, admin actions, tasks, commands and tests call them.

- ``rights``: filing rights (from links and registrations) and ``filing_refusal``
- ``registration``: the e-file registration request state machine
- ``agents``: filing agents (designate, permissions, remove, transaction log)
- ``efiling``: filing a PDF (or opening a case), the fee payment, NEFs
- ``viewing``: case search, docket reports, documents and their fees; the NEF free look
"""

from filing.errors import (
    AgentRefused,
    DocumentRejected,
    FilingError,
    FilingRefused,
    FreeLookUnavailable,
    IllegalTransition,
    PaymentDeclined,
    ReasonRequired,
    RegistrationRefused,
    SearchRefused,
)

__all__ = [
    "AgentRefused",
    "DocumentRejected",
    "FilingError",
    "FilingRefused",
    "FreeLookUnavailable",
    "IllegalTransition",
    "PaymentDeclined",
    "ReasonRequired",
    "RegistrationRefused",
    "SearchRefused",
]
