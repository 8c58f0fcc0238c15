"""The load generator: keep-alive HTTP/1.1 clients on 127.0.0.1 at a fixed concurrency.

A *scenario* says what one client does: ``setup(index)`` builds its state (an
:class:`HttpSession` — one keep-alive connection with its own cookie jar and, optionally,
its own loopback source address, so per-IP rate limits see distinct clients) and
``step(state)`` does one unit of work (one request, or a whole flow) and returns the HTTP
status that decides success. :func:`run` runs ``concurrency`` clients, spread over a few
processes (threads inside each, so the client's GIL is not the bottleneck), until
``requests`` units are done or ``seconds`` pass, and reports units/s, p50/p95/p99 and
errors. :func:`bench` warms up, then takes the median of 3 runs (PROOF.md).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import statistics
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class HttpSession:
    """One keep-alive connection to 127.0.0.1:<port> with a cookie jar (a browser tab)."""

    def __init__(self, port: int, *, source_ip: str | None = None, timeout: float = 60) -> None:
        self.port = port
        self.source_ip = source_ip
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.last_body = b""
        self.last_headers: dict[str, str] = {}
        # When a list: (label, seconds, status) of each request made with a ``label``.
        self.timings: list | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1",
                self.port,
                timeout=self.timeout,
                source_address=(self.source_ip, 0) if self.source_ip else None,
            )
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        *,
        headers: dict | None = None,
        label: str = "",
    ) -> int:
        """Send one request (form-encoded ``data`` for POST); keep cookies; return status.
        The body is in ``last_body``, the headers in ``last_headers``."""
        body = urlencode(data, doseq=True).encode() if data is not None else None
        send_headers = {"Host": f"127.0.0.1:{self.port}", "Connection": "keep-alive"}
        if body is not None:
            send_headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check on plain HTTP still wants a same-origin Referer or Origin
            # only over HTTPS; none is needed here, but browsers send Origin on POST.
            send_headers["Origin"] = f"http://127.0.0.1:{self.port}"
        if self.cookies:
            send_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        send_headers.update(headers or {})
        started = time.perf_counter()
        for attempt in (1, 2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=send_headers)
                response = connection.getresponse()
                self.last_body = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise
        self.last_headers = {k.lower(): v for k, v in response.getheaders()}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self._store_cookie(value)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        if label and self.timings is not None:
            self.timings.append((label, time.perf_counter() - started, response.status))
        return response.status

    def _store_cookie(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            expired = morsel["max-age"] == "0" or "1970" in (morsel["expires"] or "")
            if expired or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str, **kwargs) -> int:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> int:
        return self.request("POST", path, data, **kwargs)

    def csrf_token(self) -> str:
        """The form's csrfmiddlewaretoken in the last page (or the cookie's secret)."""
        match = CSRF_INPUT.search(self.last_body)
        if match:
            return match.group(1).decode()
        return self.cookies.get("csrftoken", "")

    def location(self) -> str:
        """The path of the last redirect."""
        return urlsplit(self.last_headers.get("location", "")).path

    def follow(self, limit: int = 5, label: str = "") -> int:
        """GET redirects until a non-redirect; returns its status."""
        status = 302
        for _ in range(limit):
            target = self.last_headers.get("location", "")
            if not target:
                break
            parts = urlsplit(target)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            status = self.get(path, label=label)
            if status not in (301, 302, 303, 307, 308):
                return status
        return status


def source_ip(index: int, *, block: int = 1) -> str:
    """A distinct loopback address per client (127.<block>.x.y): Linux routes all of
    127.0.0.0/8 to lo, so the server's REMOTE_ADDR — what the per-IP limits count — differs
    per simulated client while the traffic never leaves 127.0.0.1's interface."""
    index += 1
    return f"127.{block}.{index // 250}.{index % 250 + 1}"


@dataclass
class Scenario:
    """What one client does. ``ok(status)`` decides success (default 2xx/3xx)."""

    name: str
    setup: Callable[[int], Any]
    step: Callable[[Any], int]
    ok: Callable[[int], bool] = lambda status: 200 <= status < 400
    teardown: Callable[[Any], None] | None = None
    # True: ``step(state, unit)`` also gets the unit's number (0, 1, … across all clients).
    numbered: bool = False
    # Per-client extra figures gathered at the end (e.g. per-step timings), in Result.extra.
    collect: Callable[[Any], list] | None = None


@dataclass
class Result:
    name: str
    units: int
    errors: int
    seconds: float
    latencies: list[float] = field(repr=False, default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list, repr=False)
    extra: list = field(default_factory=list, repr=False)

    @property
    def rate(self) -> float:
        return self.units / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self) -> str:
        statuses = ",".join(f"{k}:{v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{self.name:<34} n={self.units:>6}  {self.rate:8.1f}/s  "
            f"p50 {self.pct(0.50):7.1f} ms  p95 {self.pct(0.95):7.1f} ms  "
            f"p99 {self.pct(0.99):7.1f} ms  errors {self.errors}  [{statuses}]"
        )


def _client_process(
    scenario: Scenario,
    indexes: list[int],
    budget,
    deadline_value,
    ready,
    go,
    results,
) -> None:
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    failures: list[str] = []
    spans: list[tuple[float, float]] = []
    errors = 0
    extra: list = []
    states: dict[int, Any] = {}
    setup_failures: list[str] = []

    def prepare(index: int) -> None:
        try:
            states[index] = scenario.setup(index)
        except Exception:
            setup_failures.append(traceback.format_exc(limit=3))

    threads = [threading.Thread(target=prepare, args=(i,)) for i in indexes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ready.release()
    go.wait()
    deadline = deadline_value.value

    def client(index: int) -> None:
        nonlocal errors
        state = states.get(index)
        if state is None:
            return
        first = last = None
        while True:
            with budget.get_lock():
                if budget.value <= 0:
                    break
                budget.value -= 1
                unit = budget.value
            start = time.perf_counter()
            if start > deadline:
                break
            first = first or start
            try:
                status = scenario.step(state, unit) if scenario.numbered else scenario.step(state)
            except Exception as error:
                status = 0
                with lock:
                    if len(failures) < 5:
                        failures.append(f"{type(error).__name__}: {error}")
            end = time.perf_counter()
            last = end
            with lock:
                latencies.append(end - start)
                statuses[status] += 1
                if not scenario.ok(status):
                    errors += 1
        if first is not None:
            with lock:
                spans.append((first, last))
        if scenario.collect:
            gathered = scenario.collect(state)
            with lock:
                extra.extend(gathered)
        if scenario.teardown:
            scenario.teardown(state)

    threads = [threading.Thread(target=client, args=(i,)) for i in indexes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((latencies, dict(statuses), errors, spans, failures + setup_failures, extra))


def run(
    scenario: Scenario,
    *,
    concurrency: int,
    requests: int,
    seconds: float = 60,
    processes: int | None = None,
) -> Result:
    """Run ``scenario`` with ``concurrency`` clients until ``requests`` units or ``seconds``."""
    context = multiprocessing.get_context("fork")
    processes = max(1, min(processes or (os.cpu_count() or 1), concurrency))
    groups = [list(range(concurrency))[p::processes] for p in range(processes)]
    budget = context.Value("q", requests)
    deadline = context.Value("d", 0.0)
    ready = context.Semaphore(0)
    go = context.Event()
    results = context.Queue()
    workers = [
        context.Process(
            target=_client_process,
            args=(scenario, group, budget, deadline, ready, go, results),
            daemon=True,
        )
        for group in groups
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.acquire()
    deadline.value = time.perf_counter() + seconds
    go.set()
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors = 0
    spans: list[tuple[float, float]] = []
    failures: list[str] = []
    extra: list = []
    for _ in workers:
        parts = results.get()
        part_latencies, part_statuses, part_errors, part_spans, part_failures, part_extra = parts
        extra += part_extra
        latencies += part_latencies
        statuses.update(part_statuses)
        errors += part_errors
        spans += part_spans
        failures += part_failures
    for worker in workers:
        worker.join()
    elapsed = (max(e for _, e in spans) - min(s for s, _ in spans)) if spans else 0.0
    return Result(
        scenario.name, len(latencies), errors, elapsed, latencies, statuses, failures, extra
    )


def bench(
    scenario: Scenario,
    *,
    concurrency: int,
    requests: int,
    seconds: float = 30,
    warmup: int | None = None,
    runs: int = 3,
    verbose: bool = True,
) -> Result:
    """Warm up, then the median (by throughput) of ``runs`` runs."""
    warm = warmup if warmup is not None else max(concurrency * 5, requests // 10)
    if warm:
        run(scenario, concurrency=concurrency, requests=warm, seconds=seconds)
    results = [
        run(scenario, concurrency=concurrency, requests=requests, seconds=seconds)
        for _ in range(runs)
    ]
    for result in results:
        if verbose:
            say(f"  run  {result.line()}")
        for failure in result.failures[:3]:
            say(f"       failure: {failure}")
    ordered = sorted(results, key=lambda r: r.rate)
    median = ordered[len(ordered) // 2]
    median.name = scenario.name
    return median


def say(text: str) -> None:
    """One line of a benchmark's report on stdout, flushed (runs are long)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
