"""Measure one request through Django's test Client: SQL queries, server time, peak memory.

Each page is requested twice to warm up (template and URL caches, the database page cache),
once under CaptureQueriesContext to count its queries, once under tracemalloc for its peak
Python memory, and `repeat` times, untraced, for its times (fewer when a slow page has used up
BUDGET_S: at least MIN_SAMPLES; the table's n column says how many). The Client runs the whole middleware
stack in this process; the time is that of `client.get/post` as seen by the caller.
"""

import math
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

BUDGET_S = 60  # a page stops repeating after this many seconds (at least MIN_SAMPLES taken)
MIN_SAMPLES = 3


@dataclass
class Call:
    """One request: method, path, form data (POST)."""

    method: str
    path: str
    data: dict | None = None


@dataclass
class Figures:
    """What one page measured."""

    name: str
    role: str
    path: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float
    samples: int
    peak_kib: int
    bytes: int
    ratio: float | None = None  # p50 over the framework floor's p50
    cpu_ratio: float | None = None  # the same in CPU time
    note: str = ""


def client_for(user) -> Client:
    """A logged-in Client whose requests pass ALLOWED_HOSTS (no test environment is set up, so
    templates render without the test signal instrumentation)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def send(client: Client, call: Call):
    """Make the request `call` with `client`; returns the response."""
    if call.method == "POST":
        return client.post(call.path, call.data or {})
    return client.get(call.path)


@dataclass
class Job:
    """What is measured: `prepare()` builds the input (untimed: e.g. the POST data, which reads
    the task's latest report), `perform(input)` is the timed work and returns its result (a
    response, or the bytes of a document)."""

    prepare: Callable[[], object]
    perform: Callable[[object], object]

    def once(self):
        return self.perform(self.prepare())


def page_job(client: Client, build: Callable[[], Call]) -> Job:
    return Job(prepare=build, perform=lambda call: send(client, call))


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _queries(job: Job) -> int:
    given = job.prepare()
    with CaptureQueriesContext(connection) as captured:
        job.perform(given)
    return len(captured.captured_queries)


def _peak_kib(job: Job) -> int:
    given = job.prepare()
    tracemalloc.start()
    try:
        job.perform(given)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak // 1024


def _times(job: Job, repeat: int) -> tuple[list, list]:
    """Wall-clock and CPU milliseconds of `repeat` runs. CPU time is this process's (on SQLite
    the database work included); it stays near the wall time on an idle machine and shows how
    much of a slow wall time was waiting for a busy CPU."""
    wall, cpu = [], []
    deadline = time.perf_counter() + BUDGET_S
    for _ in range(repeat):
        if len(wall) >= MIN_SAMPLES and time.perf_counter() > deadline:
            break
        given = job.prepare()
        started, started_cpu = time.perf_counter(), time.process_time()
        job.perform(given)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _size(result) -> int:
    content = getattr(result, "content", result)
    return len(content) if isinstance(content, bytes | str) else 0


def measure(name: str, role: str, where: str, job: Job, repeat: int) -> tuple[Figures, object]:
    """Warm up, then count queries, trace memory and time `repeat` runs. Returns the figures
    and the first warm-up result (to check what the page returned)."""
    first = job.once()
    last = job.once()
    queries = _queries(job)
    peak = _peak_kib(job)
    times, cpu = _times(job, repeat)
    figures = Figures(
        name=name,
        role=role,
        path=where,
        status=getattr(first, "status_code", 0),
        queries=queries,
        p50_ms=round(statistics.median(times), 2),
        p95_ms=round(percentile(times, 0.95), 2),
        cpu_p50_ms=round(statistics.median(cpu), 2),
        samples=len(times),
        peak_kib=peak,
        bytes=_size(last),
    )
    return figures, first
