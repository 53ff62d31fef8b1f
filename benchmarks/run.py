"""Measure every key page and action in-process, as the role that uses it.

    python -m benchmarks.run --scale district|city|province [--repeat 20] [--json FILE]

Per row: SQL queries, p50 and p95 server time over `--repeat` requests, peak Python memory
(tracemalloc) of one request, response size, and the ratio of its p50 to the framework floor
(a trivial view through the same middleware stack). Reports filed by the POST rows are deleted
afterwards, so the data set stays as generated.
"""

import argparse
import datetime
import functools
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from .cleanup import Cleanup
from .env import add_shape_arguments, configure, database_label, migrate


def git_commit() -> str:
    """HEAD's hash, with "+dirty" when the working tree has changes."""
    here = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=here, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD") or "unknown"
    return commit + ("+dirty" if git("status", "--porcelain") else "")


def data_counts() -> dict[str, int]:
    from shigan.campaigns.models import Campaign
    from shigan.orgs.models import Unit
    from shigan.tasks.models import Milestone, ProgressReport, Task

    models = {"units": Unit, "campaigns": Campaign, "tasks": Task, "milestones": Milestone}
    counts = {label: model.objects.count() for label, model in models.items()}
    counts["progress_reports"] = ProgressReport.objects.count()
    return counts


def measure_all(repeat: int, only: str | None) -> tuple[list, list[str]]:
    from .measure import client_for, measure, page_job
    from .pages import pages
    from .subjects import subjects

    subj = subjects()
    clients = {}
    found, notes = pages()
    rows = []
    wanted = [text for text in (only or "").split(",") if text]
    skipped = set()
    for page in found:
        if wanted and "floor" not in page.name and not any(w in page.name for w in wanted):
            continue
        if getattr(subj, page.role) is None:
            skipped.add(page.role)
            continue
        if page.role not in clients:
            clients[page.role] = client_for(getattr(subj, page.role))
        job = page_job(clients[page.role], functools.partial(page.build, subj))
        times = min(repeat, page.max_repeat or repeat)
        figures, response = measure(page.name, page.role, job.prepare().path, job, times)
        figures.note = _problem(page, response)
        rows.append(figures)
        print(_line(figures), flush=True)
    notes += [f"{role}'s pages: skipped, this scale has no such level" for role in sorted(skipped)]
    return rows, notes


def _problem(page, response) -> str:
    """Why the page's response is not what a successful request returns ("" when it is)."""
    if response.status_code != page.expect:
        return f"status {response.status_code}, expected {page.expect}"
    if page.ok_text and page.ok_text not in response.content.decode("utf-8", "replace"):
        return f"response lacks “{page.ok_text}”"
    return ""


def _ratios(rows: list) -> None:
    """Each row's p50 over the floor's (first row), in wall-clock and in CPU time."""
    if not rows:
        return
    floor = rows[0]
    for row in rows:
        row.ratio = round(row.p50_ms / floor.p50_ms, 1)
        row.cpu_ratio = round(row.cpu_p50_ms / floor.cpu_p50_ms, 1)


HEADER = (
    f"{'page':40} {'role':11} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8}"
    f" {'peak KiB':>9} {'n':>3}"
)


def _line(row) -> str:
    ratio = f"{row.ratio:6.1f}× {row.cpu_ratio:6.1f}×" if row.ratio is not None else ""
    text = (
        f"{row.name:40} {row.role:11} {row.queries:7d} {row.p50_ms:8.1f} {row.p95_ms:8.1f}"
        f" {row.cpu_p50_ms:8.1f}"
    )
    return f"{text} {row.peak_kib:9d} {row.samples:3d} {ratio} {row.note}".rstrip()


def report(meta: dict, rows: list, notes: list[str]) -> None:
    print(f"\n{meta['scale']} · {meta['database']} · {meta['commit'][:12]} · today {meta['today']}")
    print(f"{HEADER} {'×floor':>7} {'cpu ×floor':>7}")
    for row in rows:
        print(_line(row))
    for note in notes:
        print(f"  - {note}")
    from .compare import level_checks

    checks = level_checks([{**meta, "by_name": {row.name: asdict(row) for row in rows}}])
    print("\n".join(checks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    add_shape_arguments(parser)
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--only",
        help="measure only pages whose name contains this text (or one of several, comma-separated)",
    )
    parser.add_argument(
        "--no-migrate",
        action="store_true",
        help="skip migrate: its first run on a data set generated with --no-seal seals it",
    )
    args = parser.parse_args(argv)
    shape = configure(args)
    if not args.no_migrate:
        migrate()

    from django.test.utils import override_settings

    from shigan.cli import collect_static

    collect_static()  # the tree may have new static files
    meta = {
        "commit": git_commit(),
        "scale": shape.label,
        "database": database_label(),
        "today": os.environ["SHIGAN_TODAY"],
        "repeat": args.repeat,
        "measured_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "load_average": os.getloadavg(),
        "counts": data_counts(),
    }
    print(f"{shape.label}: {meta['counts']}  load {meta['load_average']}\n{HEADER}", flush=True)
    with override_settings(ROOT_URLCONF="benchmarks.urls"), Cleanup():
        rows, notes = measure_all(args.repeat, args.only)
    _ratios(rows)
    report(meta, rows, notes)
    if args.json:
        payload = {**meta, "rows": [asdict(r) for r in rows], "skipped": notes}
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
