"""A filing rush on the task list (issue 18): one progress report filed, then N list requests by
different viewers, again and again — what a list costs while reports keep coming in.

    python -m benchmarks.filing_rush --scale district --tasks 10000 --reports-per-task 10 \\
        --data-dir D [--rounds 12] [--lists 6] [--baseline /path/to/another/checkout]

In process (Django's test Client, the whole middleware stack, the file cache of the data
folder), the campaign of c01d01: every viewer (the coordinator, leader 4 and the reporters of
the district's first units, each his own list) opens the list once; then each round files one
report (progress_submit, a correction of the month's latest where there is one, on a task of one
of those reporters' units, in turn) and makes `--lists` list requests, the viewers in turn. Prints
the p50 and p95 of every list request, of the first after each report, and of the others.

With `--baseline`, the same is first run by another checkout of Shigan (its directory put first
on the path, in a process of its own, on the same data): before and after in one run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .env import add_shape_arguments, configure, migrate


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def _viewers(subjects, count: int) -> list:
    from shigan.orgs.models import Person, Role

    root = subjects.unit.parent
    reporters = (
        Person.objects.filter(unit__parent=root, role=Role.REPORTER, user__isnull=False)
        .exclude(user=subjects.reporter)
        .select_related("user", "unit")
        .order_by("unit__sort_order", "unit_id", "pk")
    )
    picked, units = [], set()
    for person in reporters:
        if person.unit_id not in units and len(picked) < count:
            picked.append(person.user)
            units.add(person.unit_id)
    return [subjects.coordinator, subjects.leader, subjects.reporter, *picked]


def _file(task, reporter) -> None:
    from shigan.core import clock
    from shigan.tasks.models import ProgressReport
    from shigan.tasks.services.progress import progress_submit

    period = clock.month_start(clock.today())
    latest = ProgressReport.objects.filter(task=task, period=period).order_by("-id").first()
    extra = {"corrects": latest, "reason": "更正数字"} if latest else {}
    progress_submit(
        task=task,
        unit=task.lead_unit,
        period=period,
        by=reporter,
        text=f"本月推进情况（{time.time_ns()}）",
        milestones_reached={},
        uploads=[],
        **extra,
    )


def run_phase(rounds: int, lists: int, viewers_count: int) -> dict:
    from shigan.orgs.models import Person
    from shigan.tasks.models import Task, TaskState

    from .measure import client_for
    from .subjects import subjects as find_subjects

    subjects = find_subjects()
    viewers = _viewers(subjects, viewers_count)
    clients = [client_for(user) for user in viewers]
    path = f"/tasks/?campaign={subjects.campaign.pk}"
    writers = [(Person.objects.get(user=u).unit_id, u) for u in viewers[2:]]
    tasks = [
        Task.objects.filter(campaign=subjects.campaign, lead_unit_id=unit, state=TaskState.ACTIVE)
        .order_by("number")
        .first()
        for unit, _ in writers
    ]

    def get(client) -> float:
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return (time.perf_counter() - started) * 1000

    for client in clients:  # each viewer's list in the cache
        get(client)
        get(client)
    first, others, writes = [], [], []
    turn = 0
    for n in range(rounds):
        pick = n % len(writers)
        started = time.perf_counter()
        _file(tasks[pick], writers[pick][1])
        writes.append((time.perf_counter() - started) * 1000)
        for i in range(lists):
            ms = get(clients[turn % len(clients)])
            turn += 1
            (first if i == 0 else others).append(ms)
    every = first + others
    return {
        "viewers": len(clients),
        "rounds": rounds,
        "lists_per_report": lists,
        "list_p50_ms": _p(every, 0.5),
        "list_p95_ms": _p(every, 0.95),
        "first_after_report_p50_ms": _p(first, 0.5),
        "others_p50_ms": _p(others, 0.5),
        "report_p50_ms": round(statistics.median(writes), 1),
        "n": len(every),
    }


def _print(label: str, figures: dict) -> None:
    print(
        f"{label:9} list p50 {figures['list_p50_ms']:7.1f} ms  p95 {figures['list_p95_ms']:7.1f}"
        f"  first after a report p50 {figures['first_after_report_p50_ms']:7.1f}"
        f"  the others p50 {figures['others_p50_ms']:7.1f}"
        f"  (filing a report p50 {figures['report_p50_ms']:.1f} ms;"
        f" {figures['viewers']} viewers, {figures['n']} lists)",
        flush=True,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_shape_arguments(parser)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--lists", type=int, default=6, help="list requests after each report")
    parser.add_argument("--viewers", type=int, default=5, help="reporters besides the measured")
    parser.add_argument("--baseline", help="another checkout of Shigan, measured first")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--label", default="this tree", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = {}
    if args.baseline:
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            forwarded = list(argv or sys.argv[1:])
            at = forwarded.index("--baseline")
            forwarded = (
                forwarded[:at] + forwarded[at + 2 :] + ["--json", tmp.name, "--label", "baseline"]
            )
            tree = str(Path(args.baseline).resolve())
            here = str(Path(__file__).resolve().parent.parent)
            # Shigan from the other checkout, this benchmark from this one.
            code = (
                "import sys, shigan; sys.path.insert(0, sys.argv[1]);"
                "from benchmarks.filing_rush import main; print('baseline:', shigan.__file__);"
                "main(sys.argv[2:])"
            )
            env = {**os.environ, "PYTHONPATH": tree}
            command = [sys.executable, "-c", code, here, *forwarded]
            subprocess.run(command, cwd=tree, env=env, check=True)
            out["baseline"] = json.loads(Path(tmp.name).read_text())
    configure(args)
    migrate()
    figures = run_phase(args.rounds, args.lists, args.viewers)
    if args.baseline:
        _print("baseline", out["baseline"])
    _print(args.label, figures)
    out["this"] = figures
    if args.json:
        Path(args.json).write_text(json.dumps(figures if not args.baseline else out, indent=1))


if __name__ == "__main__":
    main()
