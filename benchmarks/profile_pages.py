"""Where each key page's time goes: a cProfile of one warm request, split into SQL and Python.

    python -m benchmarks.profile_pages --scale district --tasks 10000 --reports-per-task 10
    python -m benchmarks.profile_pages … --only "task list" --top 15 --json /tmp/profiles.json

For each key page (task list, status-filtered list, task detail, battle map, timeline, cockpit,
indicator dashboard, 下级对比), requested in-process as the role that uses it (the rows of
`benchmarks.run`), after two warm-up requests: one request under cProfile, with every SQL
statement's time summed by a connection execute wrapper (on SQLite the time the database spent
plus the driver's). Printed per page: wall time (under the profiler, so inflated ~1.5–2×), SQL
time and queries, and the functions with the largest cumulative time, grouped into Shigan's
own code, Django's templates, the ORM and the rest. Only ratios within one page mean much.
`--cold` empties Django's cache (the data folder's) before the timed requests: the first request
after a change, where a page caches what it computed (the task list, the collapsed map).
"""

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

from .env import add_shape_arguments, configure, migrate

# The pages profiled: benchmarks.pages' row names (plus 下级对比, which pages.py only measures
# for a city's or the province's coordinator) and the role requesting them.
KEY_PAGES = [
    "task list: first page (all)",
    "task list: campaign + status",
    "task detail + history",
    "battle map: whole campaign",
    "battle map: timeline",
    "cockpit (coordinator)",
    "indicator dashboard (coordinator: all)",
]
# 下级对比 as city 1's coordinator where the data set has cities (its 20 districts), else as
# the district's coordinator (a district with no level below it: 404)
LEVELS = "下级对比 /map/levels/"

# How a profiled function is grouped, by the first path fragment it matches.
GROUPS = [
    ("shigan/", "shigan"),
    ("django/template", "templates"),
    ("django/db", "orm"),
    ("django/", "django other"),
]


class SqlTimer:
    """Sums the time of every statement run on the connection (execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.seconds += spent
            self.count += 1
            self.statements.append((spent, sql))

    def slowest(self, n: int) -> list[dict]:
        ordered = sorted(self.statements, key=lambda s: -s[0])[:n]
        return [{"ms": round(t * 1000, 1), "sql": _sql_head(sql)} for t, sql in ordered]


def _sql_head(sql: str) -> str:
    """The statement's start and its FROM/WHERE's first words: enough to tell which it is."""
    text = " ".join(sql.split())
    where = text.find(" FROM ")
    head = text[:90]
    return head if where < 0 or where < 90 else f"{head} … {text[where : where + 110]}"


def _where(func: tuple) -> str:
    filename, _line, name = func
    if filename == "~" and "execute" in name:
        return "sql driver"
    for fragment, group in GROUPS:
        if fragment in filename:
            return group
    return "other"


def _short(func: tuple) -> str:
    filename, line, name = func
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
    return f"{filename}:{line} {name}" if line else name


def summarise(profile: cProfile.Profile, top: int) -> dict:
    """The top functions by cumulative time in Shigan's code, and self time per group."""
    stats = pstats.Stats(profile)
    own: dict[str, float] = {}
    rows = []
    for func, (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        group = _where(func)
        own[group] = own.get(group, 0.0) + tottime
        rows.append((cumtime, tottime, calls, func, group))
    rows.sort(key=lambda r: -r[0])
    # middleware and the view's decorators wrap everything: their cumulative time is the page's
    shigan = [r for r in rows if r[4] == "shigan" and "middleware" not in r[3][0]][:top]
    self_time = sorted(rows, key=lambda r: -r[1])[:top]

    def line(r):
        return {"cum_ms": round(r[0] * 1000, 1), "self_ms": round(r[1] * 1000, 1),
                "calls": r[2], "function": _short(r[3])}  # fmt: skip

    return {
        "self_ms_by_group": {k: round(v * 1000, 1) for k, v in sorted(own.items())},
        "shigan_cumulative": [line(r) for r in shigan],
        "self_time": [line(r) for r in self_time],
    }


def profile_page(client, call, top: int, *, cold: bool = False) -> dict:
    from django.db import connection

    from shigan.core.figures_cache import clear_caches

    from .measure import send

    send(client, call)
    send(client, call)
    if cold:
        clear_caches()
    untimed, untimed_cpu = time.perf_counter(), time.process_time()
    send(client, call)
    plain_ms = (time.perf_counter() - untimed) * 1000
    plain_cpu_ms = (time.process_time() - untimed_cpu) * 1000
    timer = SqlTimer()
    profile = cProfile.Profile()
    if cold:
        clear_caches()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        profile.enable()
        response = send(client, call)
        profile.disable()
        wall = time.perf_counter() - started
    return {
        "path": call.path,
        "status": response.status_code,
        "bytes": len(getattr(response, "content", b"")),
        "plain_ms": round(plain_ms, 1),
        "plain_cpu_ms": round(plain_cpu_ms, 1),
        "profiled_ms": round(wall * 1000, 1),
        "sql_ms": round(timer.seconds * 1000, 1),
        "queries": timer.count,
        "slowest_sql": timer.slowest(3),
        **summarise(profile, top),
    }


def targets(only: str | None) -> list[tuple[str, str, object]]:
    """(name, role, build) of the pages to profile."""
    from django.urls import reverse

    from .pages import _get, pages

    found, _notes = pages()
    by_name = {p.name: p for p in found}
    chosen = [(n, by_name[n].role, by_name[n].build) for n in KEY_PAGES if n in by_name]
    chosen.append((LEVELS, "levels", lambda s: _get(reverse("dashboards:levels"))))
    chosen.append(
        (f"{LEVELS} (province)", "province", lambda s: _get(reverse("dashboards:levels")))
    )
    wanted = [w for w in (only or "").split(",") if w]
    return [t for t in chosen if not wanted or any(w in t[0] for w in wanted)]


def print_page(name: str, found: dict, top: int) -> None:
    python_ms = found["profiled_ms"] - found["sql_ms"]
    print(
        f"\n## {name}  ({found['path']}, status {found['status']}, {found['bytes']:,} bytes)\n"
        f"plain {found['plain_ms']:.0f} ms (CPU {found['plain_cpu_ms']:.0f}); under cProfile {found['profiled_ms']:.0f} ms = "
        f"SQL {found['sql_ms']:.0f} ms ({found['queries']} queries) + Python {python_ms:.0f} ms"
    )
    groups = ", ".join(f"{k} {v:.0f}" for k, v in found["self_ms_by_group"].items())
    print(f"self time by group (ms): {groups}")
    print("Shigan's functions by cumulative time:")
    for r in found["shigan_cumulative"][:top]:
        print(
            f"  {r['cum_ms']:8.1f} ms cum {r['self_ms']:7.1f} self {r['calls']:7d}×  {r['function']}"
        )
    print("slowest SQL:")
    for q in found["slowest_sql"]:
        print(f"  {q['ms']:8.1f} ms  {q['sql']}")
    print("largest self time anywhere:")
    for r in found["self_time"][:top]:
        print(f"  {r['self_ms']:8.1f} ms self {r['calls']:7d}×  {r['function']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_pages", description=__doc__)
    add_shape_arguments(parser)
    parser.add_argument("--only", help="profile only pages whose name contains one of these")
    parser.add_argument("--top", type=int, default=12, help="functions listed per page")
    parser.add_argument("--no-migrate", action="store_true", help="skip migrate (unsealed data)")
    parser.add_argument("--json", help="write the profiles to this file")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty Django's cache before the timed requests (the first request after a change)",
    )
    args = parser.parse_args(argv)
    configure(args)
    if not args.no_migrate:
        migrate()
    from shigan.cli import collect_static

    collect_static()  # the tree may have new static files

    from .measure import client_for
    from .run import git_commit
    from .subjects import subjects

    subj = subjects()
    clients, result = {}, {"commit": git_commit(), "pages": {}}
    print(f"commit {result['commit']}")
    for name, role, build in targets(args.only):
        if role == "province" and getattr(subj, "province", None) is None:
            continue  # the province's 下级对比 only where the data set has one
        if role == "levels":
            role = "city" if subj.city is not None else "coordinator"
            name = f"{name} ({role})"
        if role not in clients:
            clients[role] = client_for(getattr(subj, role))
        found = profile_page(clients[role], build(subj), args.top, cold=args.cold)
        result["pages"][name] = found
        print_page(name, found, args.top)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
