"""Exceptions of the filing services: each carries the message to show the user."""

from __future__ import annotations


class FilingError(Exception):
    """Base of the filing services' refusals."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class IllegalTransition(FilingError):
    """A request was asked to move from a state that does not allow that move."""

    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"{from_status} → {to_status} is not allowed")
        self.from_status = from_status
        self.to_status = to_status


class ReasonRequired(FilingError):
    """A rejection (or removal) needs a reason the requester will read."""


class RegistrationRefused(FilingError):
    """An e-file registration request may not be made (or approved) now."""


class FilingRefused(FilingError):
    """This person may not file (or act as this filer) in this court or case now."""


class DocumentRejected(FilingError):
    """The uploaded file is not an acceptable PDF (not a PDF, unreadable, too large…)."""


class PaymentDeclined(FilingError):
    """The simulated filing-fee payment did not go through."""


class AgentRefused(FilingError):
    """A filing agent designation cannot be made or changed."""


class SearchRefused(FilingError):
    """The account may not search case information (inactive case search status, PAA…)."""


class FreeLookUnavailable(FilingError):
    """The NEF's free look was used already, has expired, or the link is not valid."""
