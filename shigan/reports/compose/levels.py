"""二、of an upper level's report (a county's, a city's): after its own list tasks, the tasks it
handed down (交办) and how its districts carry them out, then each district's own figures.

- 交办：“交办下级任务3项，其中已办结1项、逾期1项。” (the hand-downs owed — children not cancelled
  plus hand-downs waiting —, the children done, the children 逾期), then per upper task its
  roll-up (directives.queries.rollups_for) and the districts behind, each with its task and
  unit (or the hand-down it has not accepted).
- 各区落实情况：per district its tracked tasks by status (the 下级对比 page's task column:
  tasks.tracked — list tasks, hand-downs' children and the rest) and its indicators behind 序时进度.

Every figure's sources are the district records it counts (a task, a hand-down, an indicator's
figure), so the HTML preview links each to its page and the appendix names them; statuses are
the apps' (status rules, roll-up rules, the indicator table's colour), never decided here.
"""

from django.urls import reverse

from shigan.indicators.queries import BEHIND_TIME, IndicatorRow
from shigan.orgs.models import Unit
from shigan.reports import wording
from shigan.reports.document import Block, BlockKind, Figure, Run
from shigan.tasks.queries import TaskRow
from shigan.tasks.status import STATUS_ORDER, TaskStatus

from .context import Ctx, figure
from .levels_data import DistrictLine, UpperLine, district_name, waiting_late
from .levels_indicators import indicator_paragraph
from .links import source
from .template import merge

LATE = (TaskStatus.OVERDUE, TaskStatus.BEHIND)
STATUS_WORDS = {TaskStatus.DONE: "已完成"}


def child_source(row: TaskRow):
    unit = row.task.lead_unit
    label = f"{district_name(unit.district)}{unit.label}任务“{row.task.title}”"
    return source(row.task, label, row.status.label)


def handdown_source(handdown, title: str):
    url = reverse("directives:upper_task", args=[handdown.upper_task_id])
    label = f"交办{district_name(handdown.unit)}的“{title}”（待接收）"
    return source(handdown, label, f"{handdown.handed_on:%Y-%m-%d}交办", url=url)


def count_figure(items: list, base: list, key: str, count: int | None = None) -> Figure:
    """“n项” (n: `count`, else the items counted): its sources are the records counted, or the
    records it is counted among when none is (a 0 is backed by the records that are not)."""
    return figure(f"{len(items) if count is None else count}项", items or base, key)


def owed_sources(line: UpperLine) -> list:
    return [child_source(r) for r in line.live] + [
        handdown_source(h, line.task.title) for h in line.waiting
    ]


def handdown_totals(lines: list[UpperLine]) -> list[Run]:
    owed = [s for line in lines for s in owed_sources(line)]
    done = [child_source(r) for line in lines for r in line.live if r.status == TaskStatus.DONE]
    late = [child_source(r) for line in lines for r in line.live if r.status == TaskStatus.OVERDUE]
    # the roll-up's own counts (tasks.rollup), backed by the records they count
    owed_count = sum(line.rolled.owed for line in lines)
    done_count = sum(line.rolled.done for line in lines)
    return [
        "交办下级任务", count_figure(owed, owed, "levels.handdown.owed", owed_count),
        "，其中已办结", count_figure(done, owed, "levels.handdown.done", done_count),
        "、逾期", count_figure(late, owed, "levels.handdown.overdue"), "。",
    ]  # fmt: skip


def behind_items(ctx: Ctx, line: UpperLine) -> list[list[Run]]:
    """The districts behind on this task: a child 逾期/滞后 (its district, unit and title), or a
    hand-down waiting past the time to accept it."""
    items = []
    for row in line.live:
        if row.status in LATE:
            unit = row.task.lead_unit
            status = figure(row.status.label, [child_source(row)], f"levels.child.{row.task.pk}")
            items.append([f"{district_name(unit.district)}{unit.label}“{row.task.title}”", status])
    for handdown in line.waiting:
        if waiting_late(handdown, ctx.as_of):
            days = (ctx.as_of - handdown.handed_on).days
            waited = figure(
                f"{days}天",
                [handdown_source(handdown, line.task.title)],
                f"levels.wait.{handdown.pk}",
            )
            items.append([f"{district_name(handdown.unit)}交办已", waited, "尚未接收"])
    return items


def upper_sentence(ctx: Ctx, line: UpperLine) -> list[Run]:
    task = line.task
    owed = owed_sources(line)
    done = [child_source(r) for r in line.live if r.status == TaskStatus.DONE]
    url = reverse("directives:upper_task", args=[task.pk])
    status = figure(
        line.rolled.status.label,
        [source(task, f"“{task.title}”下级落实情况（汇总）", line.rolled.progress_label, url=url)],
        f"levels.rollup.{task.pk}",
    )
    runs: list[Run] = [
        f"“{task.title}”下级应办",
        count_figure(owed, owed, f"levels.owed.{task.pk}", line.rolled.owed),
        "，已办结", count_figure(done, owed, f"levels.done.{task.pk}", line.rolled.done),
        "，汇总为", status,
    ]  # fmt: skip
    behind = behind_items(ctx, line)
    if behind:
        runs.append("，其中")
        for i, item in enumerate(behind):
            runs += (["、"] if i else []) + item
    return runs


def handdown_paragraph(ctx: Ctx, number: int) -> Block | None:
    lines = ctx.levels.uppers
    if not lines:
        return None
    runs = handdown_totals(lines)
    for i, line in enumerate(lines):
        runs += ["分任务看，" if i == 0 else "；", *upper_sentence(ctx, line)]
    runs.append("。")
    head = f"{wording.ordinal_shi(number)}交办下级任务落实情况。"
    return Block(BlockKind.PARAGRAPH, merge(runs), head=head)


def task_counts(line: DistrictLine) -> list[Run]:
    rows = line.tasks
    name = district_name(line.unit)
    if not rows:
        return [f"{name}暂无跟踪任务"]
    total = figure(
        f"{len(rows)}项", [child_source(r) for r in rows], f"levels.{line.unit.pk}.tasks"
    )
    runs: list[Run] = [f"{name}跟踪任务", total, "，其中"]
    parts = []
    for status in STATUS_ORDER:
        counted = [r for r in rows if r.status == status]
        if counted:
            key = f"levels.{line.unit.pk}.{status}"
            word = STATUS_WORDS.get(status, TaskStatus(status).label)
            parts.append(
                [word, figure(f"{len(counted)}项", [child_source(r) for r in counted], key)]
            )
    for i, part in enumerate(parts):
        runs += (["、"] if i else []) + part
    return runs


def indicator_source(ctx: Ctx, unit: Unit, row: IndicatorRow):
    indicator = row.indicator
    label = f"{district_name(unit)}指标“{indicator.name}”{ctx.levels.month}月完成情况"
    url = reverse("indicators:indicator_detail", args=[indicator.pk])
    return source(indicator, label, row.status.label, url=url)


def indicator_counts(ctx: Ctx, line: DistrictLine) -> list[Run]:
    rows = line.indicators
    if not rows:
        return []
    every = [indicator_source(ctx, line.unit, r) for r in rows]
    behind = [r for r in rows if r.status in BEHIND_TIME]
    key = f"levels.{line.unit.pk}.indicators"
    runs: list[Run] = ["；指标", figure(f"{len(rows)}项", every, key), "，落后于序时进度"]
    runs.append(
        count_figure([indicator_source(ctx, line.unit, r) for r in behind], every, f"{key}.behind")
    )
    if behind:
        runs.append("（" + "、".join(r.indicator.name for r in behind) + "）")
    return runs


def district_paragraph(ctx: Ctx, number: int) -> Block | None:
    lines = ctx.levels.lines
    if not lines:
        return None
    runs: list[Run] = []
    for i, line in enumerate(lines):
        runs += (["。"] if i else []) + task_counts(line) + indicator_counts(ctx, line)
    runs.append("。")
    head = f"{wording.ordinal_shi(number)}各区落实情况。"
    return Block(BlockKind.PARAGRAPH, merge(runs), head=head)


def level_paragraphs(ctx: Ctx, first: int) -> list[Block]:
    """The paragraphs about the levels below, numbered on from `first` (none for a district)."""
    if not ctx.levels:
        return []
    blocks = []
    for build in (handdown_paragraph, indicator_paragraph, district_paragraph):
        block = build(ctx, first + len(blocks))
        if block is not None:
            blocks.append(block)
    return blocks
