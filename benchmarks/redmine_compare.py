"""Shigan and Redmine side by side: counterpart pages, interleaved requests, medians, wrk.

    bash ../shared/peers/redmine.sh            # KEEP=1: Redmine 5.0 seeded and left on :3000
    python -m benchmarks.redmine_compare --scale district --tasks 10000 --reports-per-task 10
    python -m benchmarks.redmine_compare … --rounds 15 --wrk-seconds 15 --json /tmp/side.json

Redmine must be running (`KEEP=1 bash redmine.sh`: one project of 10,000 issues × 10 journals,
SQLite, Puma 2 workers × 5 threads on 127.0.0.1:3000); its state (sample issue, API key) is read
from /var/tmp/redmine-peer. This command starts `shigan serve` (its default worker model, 2
workers) on a free port against the benchmark data set, logs Redmine's user1 in through its
login form and Shigan's coordinator and reporter by writing their sessions, then:

1. for `--rounds` rounds, requests each pair of counterpart pages (task list, task detail,
   status-filtered list, JSON list of 100 through the API where installed) one after the other on fresh
   connections (as curl does), alternating which of the two goes first, and prints each page's
   median and minimum time to the last byte, and Redmine's median over Shigan's;
2. drives each list page with `wrk -t2 -c4` (kept-alive connections) for `--wrk-seconds`,
   Redmine then Shigan then Redmine then Shigan (`--wrk-rounds` 2), and prints requests/s.

Both servers run on the same 2 vCPUs as this process and wrk; figures are ratios within one run.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from .env import add_shape_arguments, configure, migrate

REDMINE_STATE = Path("/var/tmp/redmine-peer")
REDMINE_USER, REDMINE_PASSWORD = "user1", "perf-pass-123"  # as redmine.sh seeds them


@dataclass
class Site:
    """One server: where it is and the cookie of each role that requests its pages."""

    name: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Pair:
    """A Shigan page and Redmine's counterpart (None where one side has none)."""

    name: str
    shigan: tuple[str, str] | None  # (role, path)
    redmine: tuple[str, str] | None


def fetch(site: Site, role: str, path: str) -> tuple[float, int, int]:
    """Milliseconds to the last byte, status and size of one GET on a fresh connection."""
    headers = {"Host": f"127.0.0.1:{site.port}", **site.headers.get(role, {})}
    if role in site.cookies:
        headers["Cookie"] = site.cookies[role]
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=120)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    ms = (time.perf_counter() - started) * 1000
    conn.close()
    return ms, response.status, len(body)


def redmine_login(port: int) -> str:
    """user1's session cookie, through Redmine's login form (authenticity token included)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = _cookies(response)
    token = re.search(r'name="authenticity_token" value="([^"]*)"', page).group(1)
    body = urlencode({"authenticity_token": token, "username": REDMINE_USER,
                      "password": REDMINE_PASSWORD})  # fmt: skip
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    conn.request("POST", "/login", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 302:
        raise SystemExit(f"Redmine 登录失败（状态 {response.status}）")
    return _cookies(response) or cookie


def _cookies(response) -> str:
    found = [h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie"]
    return "; ".join(found)


def pairs(subj, redmine_issue: str) -> list[Pair]:
    from django.urls import reverse

    tasks = reverse("tasks:task_list")
    campaign = subj.campaign.pk
    status = urlencode(  # Redmine's "In Progress" issues, as a user picks them in the filter
        [("set_filter", "1"), ("f[]", "status_id"), ("op[status_id]", "="),
         ("v[status_id][]", "2")]
    )  # fmt: skip
    return [
        Pair("task list", ("coordinator", f"{tasks}?campaign={campaign}"),
             ("html", "/projects/perf/issues")),
        Pair("task detail with history",
             ("reporter", reverse("tasks:task_detail", args=[subj.task.pk])),
             ("html", f"/issues/{redmine_issue}")),
        Pair("list filtered by status", ("coordinator", f"{tasks}?campaign={campaign}&status=behind"),
             ("html", f"/projects/perf/issues?{status}")),
        Pair("JSON list of 100", _api_list(campaign), ("api", "/issues.json?project_id=perf&limit=100")),
    ]  # fmt: skip


def _api_list(campaign: int) -> tuple[str, str] | None:
    """The API's task list of 100 (the coordinator's session authenticates), where installed."""
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("api:api-v1:task_list")
    except NoReverseMatch:
        return None
    return ("coordinator", f"{path}?campaign={campaign}&limit=100")


def interleaved(shigan: Site, redmine: Site, found: list[Pair], rounds: int) -> list[dict]:
    rows = []
    for pair in found:
        for side, target in ((shigan, pair.shigan), (redmine, pair.redmine)):
            if target:  # warm-up, not counted
                fetch(side, *target)
    times = {(p.name, s): [] for p in found for s in ("shigan", "redmine")}
    statuses: dict[tuple[str, str], set] = {}
    for turn in range(rounds):
        for pair in found:
            sides = [("shigan", shigan, pair.shigan), ("redmine", redmine, pair.redmine)]
            for label, site, target in sides if turn % 2 == 0 else sides[::-1]:
                if target:
                    ms, status, _size = fetch(site, *target)
                    times[(pair.name, label)].append(ms)
                    statuses.setdefault((pair.name, label), set()).add(status)
    for pair in found:
        row = {"page": pair.name}
        for label, target in (("shigan", pair.shigan), ("redmine", pair.redmine)):
            got = times[(pair.name, label)]
            row[label] = (
                {"path": target[1], "median_ms": round(statistics.median(got), 1),
                 "min_ms": round(min(got), 1), "n": len(got),
                 "statuses": sorted(statuses[(pair.name, label)])}
                if got else None
            )  # fmt: skip
        if row["shigan"] and row["redmine"]:
            row["redmine_over_shigan"] = round(
                row["redmine"]["median_ms"] / row["shigan"]["median_ms"], 2
            )
        rows.append(row)
    return rows


def throughput(shigan: Site, redmine: Site, found: list[Pair], seconds: int, rounds: int):
    from .workers import parse_wrk, wrk

    lists = found[0]
    runs = []
    for _ in range(rounds):
        for label, site, (role, path) in (("redmine", redmine, lists.redmine),
                                          ("shigan", shigan, lists.shigan)):  # fmt: skip
            out = wrk(f"http://127.0.0.1:{site.port}{path}", site.cookies[role], seconds, 4)
            runs.append({"server": label, "path": path, **parse_wrk(out)})
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.redmine_compare", description=__doc__
    )
    add_shape_arguments(parser)
    parser.add_argument("--rounds", type=int, default=15, help="requests per page and server")
    parser.add_argument("--wrk-seconds", type=int, default=15, help="0: no wrk runs")
    parser.add_argument("--wrk-rounds", type=int, default=2)
    parser.add_argument("--redmine-port", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2, help="shigan serve --workers")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    issue = (REDMINE_STATE / "sample_issue_id").read_text().strip()
    api_key = (REDMINE_STATE / "member_api_key").read_text().strip()
    configure(args)
    if not args.no_migrate:
        migrate()
    from shigan.cli import collect_static

    collect_static()  # the tree may have new static files

    from django.db import connections

    from .driver import Session
    from .load import Server, free_port, session_for
    from .run import git_commit
    from .subjects import subjects

    subj = subjects()
    shigan = Site("shigan", free_port())
    for role in ("coordinator", "reporter"):
        shigan.cookies[role] = Session(session_for(getattr(subj, role)), "/").cookie
    redmine = Site("redmine", args.redmine_port)
    redmine.cookies["html"] = redmine_login(args.redmine_port)
    redmine.headers["api"] = {"X-Redmine-API-Key": api_key}
    found = pairs(subj, issue)
    connections.close_all()
    log = Path(os.environ["SHIGAN_DATA_DIR"]) / "redmine-compare-server.log"
    server = Server(shigan.port, args.workers, log)
    try:
        server.wait_ready()
        load_before = os.getloadavg()
        rows = interleaved(shigan, redmine, found, args.rounds)
        runs = []
        if args.wrk_seconds and shutil.which("wrk"):
            runs = throughput(shigan, redmine, found, args.wrk_seconds, args.wrk_rounds)
    finally:
        server.stop()
    result = {
        "commit": git_commit(),
        "rounds": args.rounds,
        "load_average": [load_before, os.getloadavg()],
        "pages": rows,
        "wrk_list": runs,
    }
    print_result(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def print_result(result: dict) -> None:
    print(f"commit {result['commit']}; load average {result['load_average']}")
    print(f"{'page':28} {'Redmine ms':>12} {'Shigan ms':>12} {'Redmine/Shigan':>15}")
    for row in result["pages"]:
        r, s = row["redmine"], row["shigan"]
        print(
            f"{row['page']:28} {r['median_ms'] if r else '—':>12} {s['median_ms'] if s else '—':>12}"
            f" {row.get('redmine_over_shigan', '—'):>15}"
            f"   (status {r['statuses'] if r else '—'} / {s['statuses'] if s else '—'})"
        )
    for run in result["wrk_list"]:
        print(
            f"wrk -c4 {run['server']:8} {run['req_per_s']} req/s  p50 {run['p50_ms']} ms"
            f"  p99 {run['p99_ms']} ms  non-2xx {run['non2xx']} {run['errors']}"
        )


if __name__ == "__main__":
    sys.exit(main())
