"""The battle map's export of a whole campaign, xlsx and CSV, timed in-process.

    python -m benchmarks.exports [--tasks 10000] [--repeat 3]

Builds a map of N task rows in memory (unsaved Task, unit, leader and category objects in the
generated district's shape: 8 categories, 60 units, every status, a progress text of 30–90
characters, a milestone per row) and runs the real exporters over it: the xlsx the view
`dashboards:battle_map_xlsx` sends (dashboards.export.battle_map_workbook + core.xlsx's
workbook_bytes) and the CSV of `dashboards:battle_map_csv` (dashboards.export.battle_map_csv).
No database is read: what is timed is the writing alone (the map's SQL is the map page's,
measured by benchmarks.run). Prints the best wall and CPU seconds of `--repeat` runs, the file
sizes and the ratio xlsx/CSV (the figure to compare across machines). `--before` also times
the workbook written as it was before issue 18 (c7f9fa6: every cell given new Border, Alignment,
Font and Fill objects through openpyxl's attributes, every row built as openpyxl cells), for the
ratio before/after in one run. Not a test.
"""

import argparse
import datetime
import os
import tempfile
import time

CATEGORIES = 8
UNITS = 60
LEADERS = 6
AS_OF = datetime.date(2023, 10, 31)


def _setup() -> None:
    os.environ.setdefault("SHIGAN_DATA_DIR", tempfile.mkdtemp(prefix="shigan-bench-exports-"))
    os.environ.setdefault("SHIGAN_SECRET_KEY", "benchmark-only")
    os.environ["SHIGAN_TODAY"] = AS_OF.isoformat()
    os.environ["DJANGO_SETTINGS_MODULE"] = "shigan.settings"
    import django

    django.setup()


def battle_map_data(tasks: int):
    """A BattleMap of `tasks` rows under 8 category groups, built without the database."""
    from shigan.campaigns.models import Campaign
    from shigan.dashboards.queries import BattleMap, MapFilters, RowGroup
    from shigan.orgs.models import Person, Unit
    from shigan.tasks.models import Task, TaskCategory
    from shigan.tasks.queries import TaskRow
    from shigan.tasks.status import TaskStatus

    organiser = Unit(pk=1, name="示范区作风专班")
    campaign = Campaign(pk=1, year=2023, name="作风建设“实干年”活动", organiser=organiser)
    units = [Unit(pk=i + 2, name=f"示范区第{i + 1}局") for i in range(UNITS)]
    leaders = [Person(pk=i + 1, name=f"领导{i + 1}") for i in range(LEADERS)]
    categories = [TaskCategory(pk=i + 1, name=f"类别{i + 1}") for i in range(CATEGORIES)]
    statuses = list(TaskStatus)
    groups = [RowGroup(label=c.name, rows=[]) for c in categories]
    rows = []
    for i in range(tasks):
        category = categories[i * CATEGORIES // tasks]
        task = Task(
            pk=i + 1, campaign=campaign, category=category, number=i + 1,
            title=f"第{i + 1}项重点任务：推进项目建设与服务保障", lead_unit=units[i % UNITS],
            leader=leaders[i % LEADERS], start_date=datetime.date(2023, 1, 1),
            due_date=datetime.date(2023, 3 + i % 10, 28),
        )  # fmt: skip
        progress = "本月完成项目前期手续办理，组织现场调度会，协调解决用地问题。" * (1 + i % 3)
        row = TaskRow(
            task=task, status=statuses[i % len(statuses)], days_left=(i % 90) - 30,
            milestones_total=5, milestones_done=i % 6, next_milestone_title="完成项目整体方案",
            next_milestone_due=datetime.date(2023, 11, 30), last_progress_text=progress,
            last_progress_period=datetime.date(2023, 9, 1), last_progress_at=None,
        )  # fmt: skip
        rows.append(row)
        groups[i * CATEGORIES // tasks].rows.append(row)
    return BattleMap(
        campaign=campaign, as_of=AS_OF, filters=MapFilters(), options=None, tiles=[],
        total=tasks, rows=rows, groups=groups,
    )  # fmt: skip


def per_cell_workbook(data):
    """The map's workbook as c7f9fa6 wrote it: a style object per cell, every cell an openpyxl
    Cell (the reference the streamed export is compared with)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from shigan.core.xlsx import put
    from shigan.dashboards import export as x

    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, x.sheet_title(data))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(x.COLUMNS))
    ws.append([name for name, _ in x.COLUMNS])
    line = 2
    for row in x.map_rows(data):
        line += 1
        for col, value in enumerate(x.row_values(row), start=1):
            cell = put(ws, line, col, value)
            cell.border = x.BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if col in x.DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
        status = ws.cell(row=line, column=x.STATUS_COLUMN)
        status.fill = PatternFill("solid", fgColor=x.STATUS_FILLS[row.status])
        status.font = Font(bold=True, color="000000" if row.status in x.DARK_TEXT else "FFFFFF")
        status.alignment = Alignment(horizontal="center", vertical="top")
    x._page_setup(ws)
    return wb


def _best(function, repeat: int) -> tuple[float, float, int]:
    """(best wall seconds, best CPU seconds, size in bytes) of `repeat` calls."""
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(function())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--before", action="store_true", help="also time the per-cell styling of c7f9fa6"
    )
    args = parser.parse_args()
    _setup()
    from shigan.core.xlsx.layout import workbook_bytes
    from shigan.dashboards import export

    data = battle_map_data(args.tasks)
    figures = {
        "xlsx": _best(lambda: workbook_bytes(export.battle_map_workbook(data)), args.repeat),
        "csv": _best(lambda: export.battle_map_csv(data), args.repeat),
    }
    if args.before:
        before = _best(lambda: workbook_bytes(per_cell_workbook(data)), args.repeat)
        figures = {"before": before, **figures}
    print(f"battle map export, {args.tasks} rows (best of {args.repeat})")
    for name, (wall, cpu, size) in figures.items():
        print(f"  {name:6} wall {wall:6.2f} s  CPU {cpu:6.2f} s  {size / 1e6:5.1f} MB")
    print(f"  xlsx/csv CPU ratio {figures['xlsx'][1] / figures['csv'][1]:.1f}")
    if args.before:
        print(f"  before/xlsx CPU ratio {figures['before'][1] / figures['xlsx'][1]:.1f}")


if __name__ == "__main__":
    main()
