"""Importing a 1,000-task list (任务清单) into the demo district.

    python -m benchmarks.task_import [--tasks 1000]

Loads the demo (`load_demo`) into a fresh SQLite database in /tmp/shigan-bench-task-import, writes
a task list in the shape districts send (title row, merged category rows, 任务内容/目标 in one
cell, several 配合单位, 完成时限 as written — 年底, 三季度末, 8月31日前 …, milestones in 节点1…3
columns, one of them two lines), then times, once each: the first import (every task, milestone
and audit entry created), the same file again (nothing changes), the export of the campaign's
list, and that export imported back (nothing changes). Prints wall and CPU seconds (CPU is what
to compare on a shared machine) and SQL queries. Not a test: issue 11 asks for under 10 s for the
first import.
"""

import argparse
import io
import os
import shutil
import time
from pathlib import Path

DATA_DIR = Path("/tmp/shigan-bench-task-import")
HEADER = ["序号", "任务内容/目标", "牵头单位", "配合单位", "责任领导", "完成时限", "节点1", "节点2", "节点3"]  # fmt: skip
DUE = ["2023年12月底", "年底", "三季度末", "2023.11.30", "10月31日前", "下半年", "长期坚持"]
CATEGORIES = 20


def _setup() -> None:
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        SHIGAN_DATA_DIR=str(DATA_DIR),
        SHIGAN_SECRET_KEY="benchmark-only",
        SHIGAN_TODAY="2023-07-31",
        DJANGO_SETTINGS_MODULE="shigan.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shigan.demo.district import load_demo

    load_demo()


def _workbook(tasks: int) -> bytes:
    from openpyxl import Workbook

    from shigan.orgs.models import Person, Role, Unit

    units = list(Unit.objects.order_by("id").values_list("name", flat=True))
    leaders = list(Person.objects.filter(role=Role.LEADER).values_list("name", flat=True))
    wb = Workbook()
    ws = wb.active
    ws.append(["示范区作风建设“实干年”活动任务分解表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    per_category = -(-tasks // CATEGORIES)
    for i in range(tasks):
        if i % per_category == 0:
            ws.append([f"第{i // per_category + 1}类重点任务"])
            ws.merge_cells(
                start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADER)
            )
        lead, helpers = units[i % len(units)], [units[(i + k) % len(units)] for k in (3, 5)]
        ws.append([
            i % per_category + 1,
            f"第{i + 1}项重点任务\n完成第{i + 1}项任务的规划设计、实地测量和整体方案，年内落实资金。",
            lead, "、".join(helpers), leaders[i % len(leaders)], DUE[i % len(DUE)],
            "4月底前完成规划设计", "6月30日前完成实地测量", "8月底前完成整体方案；9月进入申报",
        ])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _timed(label: str, fn):
    from django.db import connection

    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        start, cpu = time.perf_counter(), time.process_time()
        value = fn()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<36} {seconds:6.2f} s wall {cpu:6.2f} s CPU {count[0]:5d} queries")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    _setup()
    from shigan.campaigns.models import Campaign
    from shigan.core.xlsx.layout import workbook_bytes
    from shigan.tasks.xlsx import import_task_list, task_list_workbook

    campaign = Campaign.objects.get()
    data = _workbook(args.tasks)
    print(f"{args.tasks} tasks, {3 * args.tasks + args.tasks // 7} milestones, {len(data):,} bytes")

    def run(content: bytes):
        result = import_task_list(path_or_file=io.BytesIO(content), by=None, campaign=campaign)
        assert result.ok, result.errors[:5]
        return result

    first = _timed("first import (all created)", lambda: run(data))
    assert len(first.outcome.created) == args.tasks
    again = _timed("same file again (nothing changes)", lambda: run(data))
    assert not again.changed
    exported = _timed("export of the campaign's list", lambda: workbook_bytes(task_list_workbook(campaign)))  # fmt: skip
    back = _timed("export imported back (no change)", lambda: run(exported))
    assert not back.changed and back.outcome.unchanged == args.tasks + 3


if __name__ == "__main__":
    main()
