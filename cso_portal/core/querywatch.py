"""Catch N+1 queries while the suite runs (the middleware is in test settings only).

Every request is watched: when one SELECT statement (the same SQL text) runs with
``THRESHOLD`` or more *different* parameter sets in one request, that is a loop querying row
by row instead of joining or prefetching, and the request is recorded as an N+1 finding. The
suite fails any test during which a finding was recorded (tests/conftest.py), so a new page
can't slip one in.

Why different parameters: Django sends parameters apart from the SQL text, so a per-row
lookup is one text with a new id each time. The same lookup repeated with the same
parameters (a library asking twice whether the user has two-factor set up) is waste, but not
a loop over rows, and does not grow with the data.

A view that works row by row on purpose (a trainer loading a scenario's cast through the
account services, one account at a time) says so with ``allow_per_row(request, why)``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse

THRESHOLD = 5
# The database cache backend reads its table once per cache get: the cache's own pattern.
IGNORED_FRAGMENTS = ("cso_cache",)

_lock = threading.Lock()
findings: list[str] = []


def allow_per_row(request: HttpRequest, why: str) -> None:
    """Mark this request as working row by row by design (a bulk action), with the reason."""
    request.querywatch_allowed = why


class _Counter:
    def __init__(self) -> None:
        self.params: dict[str, set[str]] = defaultdict(set)

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip()[:6].upper() == "SELECT" and not any(
            fragment in sql for fragment in IGNORED_FRAGMENTS
        ):
            self.params[sql].add(repr(params))
        return execute(sql, params, many, context)


class QueryWatchMiddleware:
    """Records requests that run one SELECT with ``THRESHOLD`` or more parameter sets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _Counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        if getattr(request, "querywatch_allowed", None):
            return response
        repeated = [(sql, len(seen)) for sql, seen in counter.params.items()]
        sql, n = max(repeated, key=lambda item: item[1], default=("", 0))
        if n >= THRESHOLD:
            with _lock:
                findings.append(f"{request.method} {request.path}: {n} rows × {sql[:300]}")
        return response


def take_findings() -> list[str]:
    """Return and clear the findings recorded so far."""
    with _lock:
        taken = list(findings)
        findings.clear()
    return taken
