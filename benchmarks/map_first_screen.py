"""The battle map's first screen at a large campaign (issue 18): the server's time and the
browser's time to first paint, the collapsed map against the whole map.

    python -m benchmarks.generate --scale district --tasks 10000 --reports-per-task 10 --data-dir D
    python -m benchmarks.map_first_screen --scale district --tasks 10000 --reports-per-task 10 --data-dir D

In-process (benchmarks.measure: Django's test Client, whole middleware stack, the coordinator of
c01d01), each row's p50 of `--repeat` requests:

- the whole map (?all=1: every row, what the page rendered before issue 18; what is printed);
- the collapsed first screen, **cold** (the cache emptied before every request: the summaries
  computed) and **warm** (served from the cache, as for a second viewer's second look, or any
  look until the campaign changes);
- opening one group (the fragment of its first GROUP_PAGE rows), cold and warm;

for the table and the timeline; the wall chart (whole and collapsed: each lane's counts and
worst tasks) and the meeting-room screen (大屏, collapsed) cold and warm. Then, unless --no-browser, Debian's Chromium (Playwright,
headless) loads the page from a threaded WSGI server in this process (static files collected
into the data folder, whitenoise): time to first contentful paint and to the load event, for the
collapsed map (warm) and the whole map, and the time from a click on a group's heading to its
rows on screen.
"""

import argparse
import json
import statistics
import threading
import time
from urllib.parse import urlencode

from .env import add_shape_arguments, configure, migrate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _timed(client, path: str, repeat: int, *, cold: bool) -> dict:
    """One warm-up request, one counting queries, then `repeat` timed (wall and CPU ms); with
    `cold` the cache is emptied before each. No tracemalloc: at 10,000 rows it would dominate."""
    from django.db import connection

    from shigan.core.figures_cache import clear_caches

    def get():
        if cold:
            clear_caches()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

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
    return {
        "path": path,
        "cold": cold,
        "queries": len(statements),
        "p50_ms": round(statistics.median(wall), 1),
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "n": len(wall),
        "kib": round(len(first.content) / 1024),
        "collapsed": bool(
            first.context and first.context.get("data") and first.context["data"].collapsed
        ),
    }


def _rows(subjects, repeat: int) -> list[dict]:
    from shigan.dashboards import queries
    from shigan.dashboards.views import battle_map as views

    from .measure import client_for

    client = client_for(subjects.coordinator)
    campaign = subjects.campaign.pk
    category = subjects.task.category_id
    out = []
    print(f"MAP_EXPAND_LIMIT={views.MAP_EXPAND_LIMIT} GROUP_PAGE={queries.GROUP_PAGE}", flush=True)
    for view in ("table", "timeline", "wall", "screen"):
        base = {"campaign": campaign, "view": view}
        if view == "screen":  # the meeting-room screen (大屏): the wall, full screen
            base = {"campaign": campaign, "view": "wall", "screen": 1}
        page = f"/map/?{urlencode(base)}"
        group = f"/map/group/?{urlencode({**base, 'key': category})}"
        whole = f"/map/?{urlencode({**base, 'all': 1})}"
        rows = [
            ("whole map (?all=1)", whole, False, max(2, repeat // 4)),
            ("first screen, cold (cache emptied)", page, True, repeat),
            ("first screen, warm (cached)", page, False, repeat),
            (f"open one group (first {queries.GROUP_PAGE} rows), cold", group, True, repeat),
            ("open one group, warm", group, False, repeat),
        ]
        if view in ("wall", "screen"):  # a lane opens as the wall of that lane: no fragment
            rows = rows[:3] if view == "wall" else rows[1:3]
        for name, path, cold, n in rows:
            figures = {"view": view, "row": name, **_timed(client, path, n, cold=cold)}
            out.append(figures)
            print(
                f"{view:8} {name:42} {figures['p50_ms']:9.1f} ms p50 (cpu {figures['cpu_p50_ms']:.1f})"
                f"  {figures['queries']:3} queries  {figures['kib']:6} KiB  n={figures['n']}",
                flush=True,
            )
    return out


def _serve():
    """A threaded WSGI server of the app on a free port of 127.0.0.1 (static files served by
    whitenoise from the collected folder). Returns (server, base URL)."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# Chromium's paint timing when it gives it; otherwise the first frame after the document is
# parsed (a requestAnimationFrame callback, set by an init script: Playwright's, so the CSP
# does not apply), which is when the parsed page is first painted.
FRAME_AFTER_PARSE = """
document.addEventListener("DOMContentLoaded", () =>
  requestAnimationFrame(() => { window.__framePainted = performance.now(); }));
"""
PAINT = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0]
    || performance.getEntriesByName("first-paint")[0];
  return {fcp: paint ? paint.startTime : window.__framePainted, from: paint ? paint.name : "frame",
          dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
}"""


def _browser(subjects, repeat: int, skip_whole_wall: bool = False) -> list[dict]:
    from django.test import Client
    from playwright.sync_api import sync_playwright

    server, base = _serve()
    client = Client()
    client.force_login(subjects.coordinator)
    session = client.cookies["sessionid"].value
    campaign = subjects.campaign.pk
    out = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            context.add_init_script(FRAME_AFTER_PARSE)
            page = context.new_page()
            page.set_default_timeout(120_000)
            for view in ("table", "timeline", "wall"):
                for label, extra in (("collapsed (warm)", {}), ("whole map (?all=1)", {"all": 1})):
                    if view == "wall" and extra and skip_whole_wall:
                        continue
                    url = f"{base}/map/?{urlencode({'campaign': campaign, 'view': view, **extra})}"
                    page.goto(url, wait_until="load")  # warms the cache and the static files
                    samples = []
                    for _ in range(max(2, repeat // 4) if extra else repeat):
                        page.goto(url, wait_until="load")
                        samples.append(page.evaluate(PAINT))
                    fcp = statistics.median(s["fcp"] for s in samples)
                    load = statistics.median(s["load"] for s in samples)
                    source = samples[-1]["from"]
                    out.append(
                        {
                            "paint": source,
                            "view": view,
                            "page": label,
                            "fcp_ms": round(fcp),
                            "load_ms": round(load),
                            "n": len(samples),
                        }
                    )
                    print(
                        f"browser {view:8} {label:22} first paint {fcp:7.0f} ms  load {load:7.0f} ms",
                        flush=True,
                    )
                if view == "wall":
                    continue
                page.goto(f"{base}/map/?{urlencode({'campaign': campaign, 'view': view})}")
                opened = []
                for n in range(min(3, page.locator("tbody.map-group").count())):
                    group = page.locator("tbody.map-group").nth(n)
                    started = time.perf_counter()
                    group.locator(".group-toggle").click()
                    group.locator("tr[data-task]").first.wait_for(state="visible")
                    opened.append((time.perf_counter() - started) * 1000)
                out.append({"view": view, "page": "click a group → its rows", "open_ms": opened})
                print(
                    f"browser {view:8} click a group → rows on screen: "
                    + ", ".join(f"{ms:.0f} ms" for ms in opened),
                    flush=True,
                )
            browser.close()
    finally:
        server.shutdown()
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_shape_arguments(parser)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--browser-only", action="store_true", help="skip the in-process rows")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--no-whole-wall", action="store_true", help="in the browser, skip the whole wall (?all=1)"
    )
    args = parser.parse_args(argv)
    configure(args)
    migrate()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name hashed files

    from shigan.tasks.models import Task

    from .subjects import subjects as find_subjects

    subjects = find_subjects()
    print(f"{Task.objects.filter(campaign=subjects.campaign).count():,} tasks in the campaign")
    figures = {"server": [] if args.browser_only else _rows(subjects, args.repeat)}
    if not args.no_browser:
        figures["browser"] = _browser(subjects, args.repeat, args.no_whole_wall)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, ensure_ascii=False, indent=1, default=str)


if __name__ == "__main__":
    main()
