"""Exceptions of the linking services (a module of its own: views, tasks and services share
them without an import cycle)."""

from __future__ import annotations

import datetime as dt


class LinkingError(Exception):
    """Base of the linking domain's refusals."""


class BadCredentials(LinkingError):
    """The CM/ECF login and password don't match an active login of the court.

    One exception for an unknown login, a wrong password and an unusable login alike, so
    the link form never tells which logins exist.
    """


class CmecfLoginLocked(LinkingError):
    """Too many wrong passwords for this CM/ECF login: refused, unhashed, until ``until``."""

    def __init__(self, *, until: dt.datetime) -> None:
        super().__init__(f"CM/ECF login locked until {until.isoformat()}")
        self.until = until


class TooManyAttempts(LinkingError):
    """Too many link attempts from this PACER account or this IP: refused before hashing."""

    def __init__(self, *, scope: str, retry_after_seconds: int) -> None:
        super().__init__(f"too many link attempts ({scope}); retry in {retry_after_seconds}s")
        self.scope = scope
        self.retry_after_seconds = retry_after_seconds


class LinkRefused(LinkingError):
    """A precondition of linking does not hold; ``reason`` is the message to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(str(reason))
        self.reason = str(reason)


class IllegalTransition(LinkingError):
    """The request is not in a state this move may start from."""

    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"a link request cannot go from {from_status} to {to_status}")
        self.from_status = from_status
        self.to_status = to_status


class ReasonRequired(LinkingError):
    """A rejection must say why (the holder is told)."""
