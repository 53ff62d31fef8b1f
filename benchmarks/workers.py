"""Which gunicorn worker model serves the task list fastest under wrk's kept-alive connections.

    python -m benchmarks.workers --scale district --tasks 10000 --reports-per-task 10
    python -m benchmarks.workers … --seconds 15 --rounds 2 --connections 4 --json /tmp/workers.json

For each model below, gunicorn is started on a free port of 127.0.0.1 against the data set
(as `shigan serve` starts it: 2 workers, access log on stdout), the task list (`/tasks/?campaign=`,
the coordinator's first page of the campaign) is requested twice to warm each worker, then driven
by `wrk -t2 -c4` (Debian's package) for `--seconds` (`--page detail`: a reporter's task page). Printed per model: requests/s, p50 and p99,
non-2xx responses, and each worker's share of the CPU it used during the run (from
/proc/<pid>/stat): a kept-alive connection stays on the worker that accepted it, so a model
whose one worker took every connection shows a share near 100 %. Models run in turn, `--rounds`
times interleaved, so a change in the machine's load touches every model alike.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .env import add_shape_arguments, configure, migrate

# name → gunicorn command-line options (after the common ones)
MODELS = {
    "gthread 2×4, keep-alive 2 s (until issue 18)": [
        "-k", "gthread", "--threads", "4", "--keep-alive", "2",
    ],
    "gthread 2×4, keep-alive off": ["-k", "gthread", "--threads", "4", "--keep-alive", "0"],
    "gthread 4×2, keep-alive off": [
        "-k", "gthread", "-w", "4", "--threads", "2", "--keep-alive", "0",
    ],
    "sync 2": ["-k", "sync"],
    "sync 4": ["-k", "sync", "-w", "4"],
    "asgi 2 (gunicorn's own asyncio worker)": ["-k", "asgi"],
}  # fmt: skip
ASGI_APP = "django.core.asgi:get_asgi_application()"


def _ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def start(options: list[str], port: int, log: Path) -> subprocess.Popen:
    app = ASGI_APP if "asgi" in options else "shigan.wsgi:application"
    command = [sys.executable, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", "2"]
    command += ["--access-logfile", "-", "--error-logfile", "-", "--timeout", "60"]
    command += options  # a later -w wins
    with log.open("a") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(process: subprocess.Popen, port: int, cookie: str, path: str) -> None:
    import http.client

    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn 未能启动")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            status = conn.getresponse().status
            conn.close()
            if status != 200:
                raise SystemExit(f"{path}: status {status}")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn 启动超时")


def warm(port: int, cookie: str, path: str, times: int) -> None:
    import http.client

    for _ in range(times):  # fresh connections: the workers share them
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        conn.getresponse().read()
        conn.close()


def parse_wrk(out: str) -> dict:
    """req/s, p50, p99 (ms) and non-2xx from wrk --latency's output."""
    found = {"req_per_s": None, "p50_ms": None, "p99_ms": None, "non2xx": 0, "errors": ""}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec"):
            found["req_per_s"] = float(parts[1])
        elif parts[:1] in (["50%"], ["99%"]):
            found[f"p{parts[0][:-1]}_ms"] = _ms(parts[1])
        elif "Non-2xx" in line:
            found["non2xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors"):
            found["errors"] = line.strip()
    return found


def _ms(text: str) -> float:
    for unit, factor in (("ms", 1), ("us", 0.001), ("s", 1000), ("m", 60000)):
        if text.endswith(unit):
            return round(float(text[: -len(unit)]) * factor, 1)
    return float(text)


def wrk(url: str, cookie: str, seconds: int, connections: int) -> str:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    command += ["-H", f"Cookie: {cookie}", url]
    return subprocess.run(command, capture_output=True, text=True).stdout


def run_model(name, options, args, cookie, path, log) -> dict:
    from .load import free_port

    port = free_port()
    process = start(options, port, log)
    try:
        wait_ready(process, port, cookie, path)
        warm(port, cookie, path, 6)
        workers = _children(process.pid)
        before = {pid: _ticks(pid) for pid in workers}
        load_before = os.getloadavg()[0]
        out = wrk(f"http://127.0.0.1:{port}{path}", cookie, args.seconds, args.connections)
        used = {pid: _ticks(pid) - before[pid] for pid in workers}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    total = sum(used.values()) or 1
    found = parse_wrk(out)
    found.update(
        model=name,
        worker_cpu_share=sorted((round(100 * t / total) for t in used.values()), reverse=True),
        load_average=[load_before, os.getloadavg()[0]],
    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workers", description=__doc__)
    add_shape_arguments(parser)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--page",
        choices=["list", "detail"],
        default="list",
        help="list: the coordinator's task list (default); detail: a reporter's task page",
    )
    parser.add_argument("--only", help="models whose name contains one of these (comma-separated)")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("需要 wrk：apt-get install -y wrk")
    configure(args)
    if not args.no_migrate:
        migrate()
    from shigan.cli import collect_static

    collect_static()  # the tree may have new static files

    from django.db import connections
    from django.urls import reverse

    from .driver import Session
    from .load import session_for
    from .run import git_commit
    from .subjects import subjects

    subj = subjects()
    if args.page == "list":
        path, user = f"{reverse('tasks:task_list')}?campaign={subj.campaign.pk}", subj.coordinator
    else:
        path, user = reverse("tasks:task_detail", args=[subj.task.pk]), subj.reporter
    cookie = Session(session_for(user), path).cookie
    connections.close_all()
    log = Path(os.environ["SHIGAN_DATA_DIR"]) / "workers-server.log"
    wanted = [w for w in (args.only or "").split(",") if w]
    models = {k: v for k, v in MODELS.items() if not wanted or any(w in k for w in wanted)}
    results = []
    print(f"commit {git_commit()}; wrk -t2 -c{args.connections} -d{args.seconds}s {path}")
    for _ in range(args.rounds):
        for name, options in models.items():
            found = run_model(name, options, args, cookie, path, log)
            results.append(found)
            print(
                f"{name:44} {found['req_per_s'] or 0:7.1f} req/s  p50 {found['p50_ms']} ms"
                f"  p99 {found['p99_ms']} ms  non-2xx {found['non2xx']}"
                f"  workers' CPU share {found['worker_cpu_share']} %"
                f"  load {found['load_average'][0]:.1f} {found['errors']}",
                flush=True,
            )
    if args.json:
        result = {"commit": git_commit(), "path": path, "seconds": args.seconds, "runs": results}
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
