"""Log hygiene: one record is one line, and links that carry a secret never reach a log.

:class:`SafeLogFilter` is installed on every handler in ``LOGGING`` (settings/base.py). A
handler filter sees every record the handler writes, including those propagated from other
loggers, so it also covers Django's and allauth's own log lines.
"""

from __future__ import annotations

import logging
import re
import time

# C0 controls, DEL, C1 controls (NEL among them) and the Unicode line/paragraph separators:
# anything a terminal or log shipper may treat as a line break or an escape sequence.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}

# Paths whose last part is a secret: allauth's password-reset and email-confirmation links,
# the "this wasn't me" link and the court subscription links.
_SECRET_PATHS = re.compile(
    r"(?P<prefix>/(?:password/reset/key|confirm-email|login/code/confirm|not-me"
    r"|subscriptions/confirm|subscriptions/unsubscribe)/)[^/\s?#\"']+"
)


def escape_controls(text: str) -> str:
    """``\\r``, ``\\n`` and every other control character written as a visible escape."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def redact_secret_paths(text: str) -> str:
    return _SECRET_PATHS.sub(r"\g<prefix>[redacted]", text)


class SafeLogFilter(logging.Filter):
    """Rewrite the record's message: control characters escaped, secret links redacted.

    The message is rendered once (``msg % args``) and stored back, so every formatter and
    handler after this one sees the safe text. Tracebacks are left alone (they are formatted
    separately and contain no user input in their line structure).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's to report, not this filter's
            return True
        safe = redact_secret_paths(escape_controls(message))
        if safe != message:
            record.msg = safe
            record.args = ()
        return True


class UTCFormatter(logging.Formatter):
    """``asctime`` in UTC as ISO 8601 (``2026-11-16T15:00:00.000Z``): log lines from servers in
    different time zones, and across a daylight-saving change, sort and compare as they are."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
