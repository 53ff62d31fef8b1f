"""A small closed-loop load generator: threads with keep-alive http.client connections.

Readers request the battle map over and over. Writers do what a unit's liaison officer does:
open the unit's monthly report form, then file one task's progress (the form's `seen` value
proves he saw the latest report; a stale or refused submission re-renders the form with 200,
which counts as an error here, as does any status ≥ 400 or a broken connection).
"""

import http.client
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

SEEN = re.compile(r'name="task-(\d+)-seen" value="(\d*)"')


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    at: float  # seconds since the run started


@dataclass
class Session:
    """A logged-in user's cookies, and what he requests."""

    session_key: str
    path: str  # battle map URL (readers) or monthly report URL (writers)
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 chars: a CSRF secret

    @property
    def cookie(self) -> str:
        return f"sessionid={self.session_key}; csrftoken={self.csrf}"


class Worker(threading.Thread):
    """One simulated user, looping until `deadline`, appending to `samples`."""

    def __init__(self, port, session, deadline, samples, *, write, think, keep_alive) -> None:
        super().__init__(daemon=True)
        self.port, self.session, self.deadline = port, session, deadline
        self.samples, self.write, self.think = samples, write, think
        self.keep_alive = keep_alive
        self.started = time.perf_counter()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.turn = 0

    def request(self, kind: str, method: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.session.cookie, "Host": "127.0.0.1"}
        if not self.keep_alive:
            headers["Connection"] = "close"
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, self.session.path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            if not self.keep_alive:
                self.conn.close()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            status, text = 0, ""
        ok = status == (302 if method == "POST" else 200)
        done = time.perf_counter()
        self.samples.append(Sample(kind, (done - started) * 1000, ok, done - self.started))
        return status, text

    def report_once(self) -> None:
        status, page = self.request("monthly report GET", "GET")
        cards = SEEN.findall(page) if status == 200 else []
        if not cards:
            return
        task, seen = cards[self.turn % len(cards)]
        self.turn += 1
        period = re.search(r'name="period" value="([\d-]+)"', page).group(1)
        body = {
            "csrfmiddlewaretoken": self.session.csrf,
            "period": period,
            f"task-{task}-text": f"负载测试进展 {self.turn}：本月完成既定节点工作。",
            f"task-{task}-reason": "补充本月进展",
            f"task-{task}-seen": seen,
        }
        self.request("monthly report POST", "POST", urlencode(body))

    def run(self) -> None:
        while time.perf_counter() < self.deadline:
            if self.write:
                self.report_once()
            else:
                self.request("battle map GET", "GET")
            time.sleep(self.think)
        self.conn.close()


def drive(
    port: int,
    readers: list[Session],
    writers: list[Session],
    seconds: float,
    *,
    think: float = 0,
    keep_alive: bool = False,
) -> list:
    """Run every session in its own thread for `seconds`, pausing `think` seconds between
    requests (0: a closed loop at full speed); returns all samples.

    Without `keep_alive` each request opens its own connection, so the workers share the load
    as they do behind many browsers; with a few kept-alive connections one gthread worker can
    hold them all (see README)."""
    samples: list[Sample] = []
    deadline = time.perf_counter() + seconds
    options = {"think": think, "keep_alive": keep_alive}
    threads = [Worker(port, s, deadline, samples, write=False, **options) for s in readers]
    threads += [Worker(port, s, deadline, samples, write=True, **options) for s in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples
