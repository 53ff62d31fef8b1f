"""Load run: the production server under logged-in users for a bounded time.

    python -m benchmarks.load --scale district|city|province [--seconds 30]

Starts `shigan serve` (gunicorn, 2 gthread workers × 4 threads, whitenoise) on a free port of
127.0.0.1 against the benchmark's database, logs users in by writing their sessions to the
database, and drives it with benchmarks.driver: readers (district c01d01's coordinator and
leader 4) load the battle map, writers (liaison officers of c01d01's units) open their monthly
report and file one task's progress, by default in a closed loop with no think time. A warm-up
(--warmup seconds) comes first and is discarded: the workers' first requests load templates
and code. Then, if Debian's `wrk` is installed, the battle map alone under wrk for the same
time. Reports requests/s, p50, p99, errors and the workers' peak RSS (VmHWM). Reports filed
during the run are deleted afterwards.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .cleanup import Cleanup
from .env import add_shape_arguments, configure, database_label, migrate
from .measure import percentile


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_for(user) -> str:
    """A database session logging `user` in, as the login view would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def sessions(readers: int, writers: int) -> tuple[list, list]:
    """Reader sessions (coordinator and leader, alternating) and writer sessions (reporters of
    the measured district's units that lead active tasks, one unit each)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from shigan.tasks.models import Task

    from . import shapes as s
    from .driver import Session
    from .subjects import subjects

    subj = subjects()
    battle_map = f"{reverse('dashboards:battle_map')}?campaign={subj.campaign.pk}"
    people = [subj.coordinator, subj.leader]
    read = [Session(session_for(people[i % 2]), battle_map) for i in range(readers)]
    units = Task.objects.filter(campaign=subj.campaign, state="active").values("lead_unit_id")
    names = {s.reporter(s.MEASURED_DISTRICT, i) for i in range(s.UNITS_PER_DISTRICT)}
    reporters = (
        get_user_model()
        .objects.filter(username__in=names, person__unit__in=units)
        .order_by("username")
    )
    report = reverse("monthly:report")
    write = [Session(session_for(user), report) for user in reporters[:writers]]
    return read, write


class Server:
    """`shigan serve` in a child process; its gunicorn workers' memory is read from /proc."""

    def __init__(self, port: int, workers: int, log: Path):
        command = [sys.executable, "-m", "shigan.cli", "serve", "--port", str(port)]
        command += ["--workers", str(workers)]
        self.log = log.open("w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        self.port = port

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"服务未能启动，见 {self.log.name}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("服务启动超时")

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def high_water_mb(server: Server) -> dict[int, float]:
    """Each worker's peak resident memory so far (VmHWM), in MB."""
    return {pid: round(_status_kib(pid, "VmHWM") / 1024, 1) for pid in server.workers()}


def summarise(samples: list, seconds: float) -> dict[str, dict]:
    """Per request kind: count, requests/s, p50, p99 and max latency (ms), errors."""
    kinds: dict[str, list] = {}
    for sample in samples:
        kinds.setdefault(sample.kind, []).append(sample)
    summary = {}
    for kind, found in kinds.items():
        ms = [x.ms for x in found]
        summary[kind] = {
            "requests": len(found),
            "per_second": round(len(found) / seconds, 1),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(max(ms), 1),
            "errors": sum(not x.ok for x in found),
        }
    return summary


def run_wrk(port: int, session, seconds: int, connections: int) -> dict | None:
    """The battle map alone under wrk (Debian's package), when installed."""
    if not shutil.which("wrk"):
        return None
    url = f"http://127.0.0.1:{port}{session.path}"
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-H", f"Cookie: {session.cookie}", url]
    out = subprocess.run(command, capture_output=True, text=True).stdout
    return {"command": " ".join(command[:-3] + ["-H 'Cookie: …'", url]), "output": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    add_shape_arguments(parser)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--warmup", type=int, default=5, help="seconds of load before measuring (discarded)"
    )
    parser.add_argument("--readers", type=int, default=6, help="battle map users")
    parser.add_argument("--writers", type=int, default=2, help="monthly report users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--think", type=float, default=0, help="seconds each user waits between requests"
    )
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="reuse each user's connection (default: one per request)",
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    shape = configure(args)
    migrate()
    from shigan.cli import collect_static

    collect_static()  # the tree may have new static files
    result = load(args, shape.label)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def load(args: argparse.Namespace, label: str) -> dict:
    from django.db import connections

    from .driver import drive
    from .run import git_commit

    readers, writers = sessions(args.readers, args.writers)
    connections.close_all()
    port = free_port()
    server = Server(port, args.workers, Path(os.environ["SHIGAN_DATA_DIR"]) / "load-server.log")
    with Cleanup():
        try:
            server.wait_ready()
            options = {"think": args.think, "keep_alive": args.keep_alive}
            drive(port, readers, writers, args.warmup, **options)  # cold workers: discarded
            samples = drive(port, readers, writers, args.seconds, **options)
            wrk = run_wrk(port, readers[0], args.seconds, len(readers) + len(writers))
            memory = high_water_mb(server)
        finally:
            server.stop()
    result = {
        "commit": git_commit(),
        "scale": label,
        "database": database_label(),
        "seconds": args.seconds,
        "warmup_s": args.warmup,
        "users": {
            "readers": len(readers),
            "writers": len(writers),
            "think_s": args.think,
            "keep_alive": args.keep_alive,
        },
        "load_average": os.getloadavg(),
        "requests": summarise(samples, args.seconds),
        "worker_peak_rss_mb": memory,
        "slowest": [
            {"kind": x.kind, "ms": round(x.ms), "at_s": round(x.at, 1)}
            for x in sorted(samples, key=lambda x: -x.ms)[:10]
        ],
        "wrk_battle_map": wrk,
    }
    print_result(result)
    return result


def print_result(result: dict) -> None:
    print(f"\n{result['scale']} · {result['database']} · {result['seconds']} s · {result['users']}")
    print(
        f"{'request':22} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}"
    )
    for kind, f in result["requests"].items():
        print(
            f"{kind:22} {f['requests']:6d} {f['per_second']:7.1f} {f['p50_ms']:8.1f}"
            f" {f['p99_ms']:8.1f} {f['max_ms']:8.1f} {f['errors']:6d}"
        )
    print(f"workers' peak RSS (VmHWM, MB): {result['worker_peak_rss_mb']}")
    if result["wrk_battle_map"]:
        print(f"\n$ {result['wrk_battle_map']['command']}\n{result['wrk_battle_map']['output']}")


if __name__ == "__main__":
    sys.exit(main())
