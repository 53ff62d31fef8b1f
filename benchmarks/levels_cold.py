"""下级对比 warm and cold at province (or city) scale (issue 17): how the page's campaign counts of
the day (dashboards.campaign_counts) fare when something was written, beside the district's own
cockpit in the same run.

    python -m benchmarks.levels_cold --scale province --reports-per-task 1 --concerns 300 \\
        --data-dir D --no-migrate [--repeat 5] [--json F]

In-process (Django's test Client, whole middleware stack), CPU and wall p50 of `--repeat`
requests each, as the province's coordinator (the city's at city scale):

- **warm**: the day's counts kept, nothing written since;
- **after a write in one district**: before each request, one task of another district (in
  turn c01d01, c01d02, …) saved again through the service (tasks.services.task_save: a title
  edit, audited) — its campaign is counted again, the 315 others read as kept;
- **after an indicator's figure filed in one district**: before each request, one district
  indicator's October figure (in turn a district's, c01d01, c01d02, …, each counting into its
  city's and so into the province's) corrected through the service (indicators.services
  .actuals.actual_submit, with a reason and a note) — that indicator and the sums and rates
  reading it judged again (dashboards.kept_indicators), the province's 12,640 others kept;
- **new day**: the caches emptied before each request (what the first request of a day finds,
  or any request after a unit was moved): every campaign counted, the indicators rolled up;
- **new day after `shigan warm`**: the caches emptied, then the warm-up run (dashboards.warm,
  untimed) before each request — what the day's first coordinator finds when cron ran it;
  and the warm-up's own cost, on a new day and run again (nothing written since);

and the district's cockpit (c01d01's coordinator, warm), the reference of issue 17's "within 3×".
The writes are made in a transaction rolled back at the end, and the caches are emptied then (a
kept figure of a rolled-back write would otherwise be read again: campaign_counts drops a ledger
whose newest entry is gone, the task list's and map's caches do not).
"""

import argparse
import json
import statistics
import time

from .env import add_shape_arguments, configure, migrate


def _timed(get, repeat: int, before=None) -> dict:
    wall, cpu = [], []
    for i in range(repeat):
        if before is not None:
            before(i)
        w, c = time.perf_counter(), time.process_time()
        response = get()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
        assert response.status_code == 200, response.status_code
    return {
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "wall_p50_ms": round(statistics.median(wall), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.levels_cold", description=__doc__)
    add_shape_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)
    configure(args)
    if not args.no_migrate:
        migrate()

    from django.db import transaction
    from django.urls import reverse

    from shigan.core.figures_cache import clear_caches
    from shigan.dashboards.warm import warm_day
    from shigan.indicators.models import Actual
    from shigan.indicators.services.actuals import actual_submit
    from shigan.orgs.scope import district_id_of
    from shigan.tasks.models import Task
    from shigan.tasks.services.tasks import MilestoneInput, task_save

    from .measure import client_for
    from .subjects import subjects

    subj = subjects()
    viewer = subj.province or subj.city
    upper = client_for(viewer)
    district = client_for(subj.coordinator)

    def levels():
        return upper.get("/map/levels/")

    cockpit_path = f"{reverse('dashboards:cockpit')}?campaign={subj.campaign.pk}"

    def cockpit():
        return district.get(cockpit_path)

    # One task of each of the first `repeat` campaigns below the viewer's own (by id).
    own = district_id_of(viewer)
    seen, tasks = set(), []
    for task in Task.objects.select_related("campaign").order_by("campaign_id", "pk").iterator():
        if task.campaign_id not in seen and task.campaign.organiser_id != own:
            seen.add(task.campaign_id)
            tasks.append(task)
            if len(tasks) == args.repeat:
                break

    def write(i: int) -> None:
        # A title edit, its milestones kept (a done one may not be deleted).
        task = Task.objects.get(pk=tasks[i].pk)
        task_save(
            task=task, by=None, campaign=task.campaign, category=task.category,
            number=task.number, title=f"{task.title}·", target=task.target,
            lead_unit=task.lead_unit, supporting_units=list(task.supporting_units.all()),
            leader=task.leader, start_date=task.start_date, due_date=task.due_date,
            milestones=[MilestoneInput(m.title, m.due_date, m) for m in task.milestones.all()],
        )  # fmt: skip

    # One district indicator counting into an upper one, of each of the first `repeat` levels
    # (by id), with its current October figure.
    october, lower_figures = [], set()
    current = (
        Actual.objects.filter(
            year=2023, month=10, indicator__upper__isnull=False, indicator__lower__isnull=True
        )
        .select_related("indicator", "unit")
        .order_by("indicator__district_id", "indicator_id", "-pk")
    )
    for actual in current.iterator():
        if actual.indicator.district_id not in lower_figures:
            lower_figures.add(actual.indicator.district_id)
            october.append(actual)
            if len(october) == args.repeat:
                break

    def file_figure(i: int) -> None:
        actual = october[i]
        actual_submit(
            indicator=actual.indicator, year=2023, month=10, value=actual.value + 1,
            is_estimate=actual.is_estimate, note="基准测试", by=None, unit=actual.unit,
            reason="基准测试更正",
        )  # fmt: skip

    def new_day(_i: int) -> None:
        clear_caches()  # nothing kept for the day: what the first request of a day finds

    warm_runs: list[tuple[float, float]] = []

    def warm(_i: int) -> None:
        w, c = time.perf_counter(), time.process_time()
        warmed = warm_day()
        warm_runs.append(((time.process_time() - c) * 1000, (time.perf_counter() - w) * 1000))
        assert warmed.complete

    def new_day_warmed(i: int) -> None:
        new_day(i)
        warm(i)

    def warm_cost(runs: list) -> dict:
        return {
            "cpu_p50_ms": round(statistics.median(c for c, _ in runs), 1),
            "wall_p50_ms": round(statistics.median(w for _, w in runs), 1),
        }

    rows = {}
    try:
        with transaction.atomic():
            for _ in range(2):
                levels(), cockpit()
            rows["district cockpit (reference)"] = _timed(cockpit, args.repeat)
            rows["下级对比 warm"] = _timed(levels, args.repeat)
            rows["下级对比 after a write in one district"] = _timed(levels, args.repeat, write)
            rows["下级对比 after a figure filed in one district"] = _timed(
                levels, args.repeat, file_figure
            )
            rows["下级对比 new day (no counts kept)"] = _timed(levels, args.repeat, new_day)
            rows["下级对比 new day after shigan warm"] = _timed(levels, args.repeat, new_day_warmed)
            rows["shigan warm on a new day (its own cost)"] = warm_cost(warm_runs)
            warm_runs.clear()
            for i in range(args.repeat):
                warm(i)
            rows["shigan warm run again (nothing written)"] = warm_cost(warm_runs)
            rows["district cockpit (reference, again)"] = _timed(cockpit, args.repeat)
            transaction.set_rollback(True)
    finally:
        clear_caches()
    reference = statistics.mean(
        [rows["district cockpit (reference)"]["cpu_p50_ms"],
         rows["district cockpit (reference, again)"]["cpu_p50_ms"]]
    )  # fmt: skip
    for name, row in rows.items():
        row["cpu_ratio"] = round(row["cpu_p50_ms"] / reference, 2)
        print(f"{name:45} cpu {row['cpu_p50_ms']:8.1f} ms  wall {row['wall_p50_ms']:8.1f} ms  "
              f"{row['cpu_ratio']:5.2f}× the cockpit's cpu")  # fmt: skip
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
