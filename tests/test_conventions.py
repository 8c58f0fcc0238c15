"""House rules that a linter would otherwise miss."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_DIRS = ["cso_portal", "accounts", "courts", "linking", "filing"]


def _sources():
    for app in APP_DIRS:
        for path in (PROJECT_DIR / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_only_the_clock_reads_the_time():
    pattern = re.compile(r"timezone\.now\(|datetime\.now\(|date\.today\(|time\.time\(")
    offenders = [
        str(path.relative_to(PROJECT_DIR))
        for path in _sources()
        if path.name != "clock.py" and pattern.search(path.read_text())
    ]
    assert offenders == [], "use cso_portal.clock.now()/today() instead"


def test_no_celery_delay_outside_on_commit():
    # .delay()/.apply_async() inside a transaction can run before the row exists.
    pattern = re.compile(r"\.(delay|apply_async)\(")
    offenders = [
        str(path.relative_to(PROJECT_DIR))
        for path in _sources()
        if pattern.search(path.read_text())
    ]
    assert offenders == [], "use delay_on_commit / apply_async_on_commit"


# Objects that belong to someone: views reach them only through the app's access helper
# (which answers 404 alike for "missing" and "not yours"). Courts are public reference data.
PROTECTED_MODELS = [
    "User",
    "AccountEvent",
    "MailMessage",
    "OutboundEmail",
    "ClockChange",
    "Subscription",
    "CourtStaff",
    "GoLiveChange",
    "CmecfAccount",
    "LinkRequest",
    "LinkEvent",
    "ClerkDigest",
    "Charge",
    "EfileRegistration",
    "EfileRegistrationEvent",
    "FilingRight",
    "FilingAgent",
    "DocketEntry",
    "Document",
    "DocumentContent",
    "FeePayment",
    "Nef",
    "NefRecipient",
    "Case",
    "PaaProfile",
    "PaaMembership",
    "PaaMembershipEvent",
    "CostCenter",
    "Payment",
    "ChargeTally",
]


def test_views_never_query_protected_objects_directly():
    pattern = re.compile(r"\b(" + "|".join(PROTECTED_MODELS) + r")\.objects\b")
    offenders = [
        str(path.relative_to(PROJECT_DIR))
        for path in _sources()
        if (path.name == "views.py" or path.parent.name == "views")
        and pattern.search(path.read_text())
    ]
    assert offenders == [], "use the app's access helper (access.py)"
