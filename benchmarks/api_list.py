"""The API's task list (issue 19): `GET /api/v1/tasks?limit=100` at a large campaign, in-process.

    python -m benchmarks.generate --scale district --tasks 10000 --reports-per-task 10
    python -m benchmarks.api_list --scale district --tasks 10000 --reports-per-task 10 [--repeat 30]
    python -m benchmarks.api_list … --profile      # plus a cProfile of one request (top 25)

Django's test Client through the whole middleware stack, as the coordinator of c01d01 (reads
every task of the campaign): a personal token (`Authorization: Bearer`, a read token made for
the run and deleted after it) and the browser's session. Printed per row: p50 and p90 of
`--repeat` requests (after two warm-ups) and the p50 of the process's CPU time (less disturbed
by a loaded machine; SQLite's work runs in this process), the SQL queries of one request, the response's size,
and the ratio of the p50 to the framework floor's (benchmarks.urls: a trivial view behind the
same middleware) in the same run. The rows: the first page, a page deep in the list (the cursor
after task 9,000), the status-filtered first page (滞后), and the default page (50).
"""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import time

from .env import add_shape_arguments, configure, migrate


def _timed(client, path: str, repeat: int, headers: dict) -> dict:
    from django.db import connection

    def get():
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return response

    get()
    first = get()
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        get()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    body = first.json() if first["Content-Type"].startswith("application/json") else {}
    return {
        "path": path,
        "queries": len(statements),
        "p50_ms": round(statistics.median(wall), 1),
        "p90_ms": round(wall[int(0.9 * (len(wall) - 1))], 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "n": len(wall),
        "items": len(body.get("items", [])),
        "kib": round(len(first.content) / 1024, 1),
    }


def _profile(client, path: str, headers: dict, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path, **headers)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_shape_arguments(parser)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="cProfile one token request")
    parser.add_argument("--json", help="write the rows to this file")
    args = parser.parse_args(argv)
    shape = configure(args)
    migrate()

    from django.test import Client, override_settings
    from django.utils import timezone

    from shigan.api.models import ApiToken, TokenScope
    from shigan.api.tokens import token_hash, token_new
    from shigan.core.figures_cache import clear_caches
    from shigan.tasks.models import Task

    from .env import database_label
    from .measure import client_for
    from .subjects import subjects
    from .urls import FLOOR_PATH

    who = subjects()
    prefix, raw = token_new()
    token = ApiToken.objects.create(
        user=who.coordinator,
        name="benchmarks.api_list",
        scope=TokenScope.READ,
        prefix=prefix,
        secret_hash=token_hash(raw),
        expires_on=timezone.localdate() + timezone.timedelta(days=1),
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    session = client_for(who.coordinator)
    program = Client(HTTP_HOST="127.0.0.1")  # a program: its token, no session cookie
    campaign_tasks = Task.objects.filter(campaign=who.campaign)
    deep = campaign_tasks.order_by("pk").values_list("pk", flat=True)[
        min(9000, campaign_tasks.count() - 101)
    ]
    from shigan.api.pagination import cursor_encode

    rows_spec = [
        ("framework floor (trivial view)", FLOOR_PATH, {}),
        ("tasks?limit=100, token", "/api/v1/tasks?limit=100", bearer),
        ("tasks?limit=100, session", "/api/v1/tasks?limit=100", {}),
        (
            "tasks?limit=100 after task 9,000, token",
            f"/api/v1/tasks?limit=100&cursor={cursor_encode(deep)}",
            bearer,
        ),
        ("tasks?status=behind&limit=100, token", "/api/v1/tasks?status=behind&limit=100", bearer),
        ("tasks (default 50), token", "/api/v1/tasks", bearer),
    ]
    print(
        f"{shape.label}: {campaign_tasks.count()} tasks in the campaign, {database_label()}, "
        f"--repeat {args.repeat}",
        flush=True,
    )
    results = []
    try:
        with override_settings(ROOT_URLCONF="benchmarks.urls"):
            for name, path, headers in rows_spec:
                clear_caches()  # the rate limit's counts: a run stays far below 600 a minute
                client = program if headers else session
                figures = {"row": name, **_timed(client, path, args.repeat, headers)}
                results.append(figures)
            floor = results[0]["p50_ms"]
            for r in results:
                r["x_floor"] = round(r["p50_ms"] / floor, 1) if floor else None
                print(
                    f"{r['row']:42} {r['p50_ms']:7.1f} ms p50  {r['p90_ms']:7.1f} p90  "
                    f"(cpu {r['cpu_p50_ms']:6.1f})  "
                    f"{r['queries']:2} queries  {r['items']:3} items  {r['kib']:6} KiB  "
                    f"{r['x_floor']:5}× floor  n={r['n']}",
                    flush=True,
                )
            if args.profile:
                clear_caches()
                print(_profile(program, "/api/v1/tasks?limit=100", bearer, 25))
    finally:
        token.delete()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
