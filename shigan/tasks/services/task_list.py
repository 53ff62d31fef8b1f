"""Importing a campaign's task list (任务清单): rows read from a workbook matched to the campaign's
list tasks, then every new or changed task saved through task_save — all of them, or none.

Matching, so that the same file imported twice changes nothing: a row is the list task of the
campaign with the same 任务名称; failing that (a renamed task), the one in the same category with
the same 序号. Nothing is ever deleted: a list task the file does not name, and a milestone a task
has that its row does not name, are kept and listed in the outcome. A milestone is matched by its
title; a changed date updates it.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_entry
from shigan.core.models import AuditAction, AuditEntry, AuditSource
from shigan.orgs.models import Person, Unit

from ..models import Milestone, Task, TaskCategory, TaskOrigin, TaskState
from .tasks import SUPPORTING_LABEL, MilestoneInput, _unit_names, task_save

BATCH = 500


@dataclass(frozen=True)
class ListMilestone:
    title: str
    due_date: datetime.date


@dataclass(frozen=True)
class ListRow:
    """One task row as read. `labels` name the row's columns as the file heads them and `shown`
    their values as written, for messages."""

    row: int
    category: str
    number: int
    title: str
    target: str
    lead_unit: Unit
    supporting_units: tuple[Unit, ...]
    leader: Person | None
    due_date: datetime.date
    milestones: tuple[ListMilestone, ...]
    labels: dict[str, str] = field(default_factory=dict, compare=False)
    shown: dict[str, str] = field(default_factory=dict, compare=False)

    def label(self, name: str, default: str) -> str:
        return self.labels.get(name, default)


@dataclass(frozen=True)
class RowProblem:
    """第{row}行 · {column} · “{value}” · {message}"""

    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        quoted = f"“{self.value}”" if self.value else ""
        return f"第{self.row}行“{self.column}”列：{quoted}{self.message}"


@dataclass
class TaskListOutcome:
    """What an import did or would do. With `problems` nothing was written."""

    created: list[Task] = field(default_factory=list)
    updated: list[tuple[Task, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    categories_created: list[str] = field(default_factory=list)
    missing_tasks: list[Task] = field(default_factory=list)
    missing_milestones: list[tuple[Task, Milestone]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass
class _Match:
    row: ListRow
    task: Task | None
    changes: list[str] = field(default_factory=list)


def _existing(campaign: Campaign) -> list[Task]:
    return list(
        Task.objects.filter(campaign=campaign, origin=TaskOrigin.LIST)
        .select_related("category", "lead_unit", "leader")
        .prefetch_related("supporting_units", "milestones")
        .order_by("category__sort_order", "number", "id")
    )


def _unique(index: dict, key) -> Task | None:
    found = index.get(key, [])
    return found[0] if len(found) == 1 else None


def _match(rows: list[ListRow], tasks: list[Task], problems: list[RowProblem]) -> list[_Match]:
    by_title: dict[str, list[Task]] = {}
    by_key: dict[tuple[str, int], list[Task]] = {}
    for task in tasks:
        by_title.setdefault(task.title, []).append(task)
        by_key.setdefault((task.category.name, task.number), []).append(task)
    claimed: dict[int, int] = {}
    matches = [_Match(row, _unique(by_title, row.title)) for row in rows]
    for m in matches:
        if m.task is not None:
            claimed[m.task.pk] = m.row.row
    for m in matches:
        if m.task is None:
            task = _unique(by_key, (m.row.category, m.row.number))
            if task is not None and task.pk not in claimed:
                m.task = task
                claimed[task.pk] = m.row.row
            elif task is not None and claimed[task.pk] != m.row.row:
                column = m.row.label("title", "任务名称")
                problems.append(
                    RowProblem(
                        m.row.row,
                        column,
                        m.row.title,
                        f"序号与已有任务“{task.title}”相同，而该任务已由第{claimed[task.pk]}行按名称"
                        "更新：请核对序号",
                    )
                )
    return matches


def _milestone_changes(task: Task, row: ListRow) -> list[str]:
    existing = {m.title: m for m in task.milestones.all()}
    changes = []
    for item in row.milestones:
        m = existing.get(item.title)
        if m is None:
            changes.append(f"新增节点“{item.title}”")
        elif m.due_date != item.due_date:
            changes.append(f"节点“{item.title}”日期 {m.due_date} → {item.due_date}")
    return changes


def _changes(task: Task, row: ListRow) -> list[str]:
    """What importing `row` would change of `task`, in words ([] for nothing)."""
    units = {u.pk for u in task.supporting_units.all()}
    pairs = [
        ("类别", task.category.name, row.category),
        ("序号", task.number, row.number),
        ("任务名称", task.title, row.title),
        ("目标任务", task.target, row.target),
        ("牵头单位", task.lead_unit.name, row.lead_unit.name),
        (
            "责任领导",
            task.leader.name if task.leader else "",
            row.leader.name if row.leader else "",
        ),
        ("完成时限", task.due_date, row.due_date),
    ]
    changes = [
        f"{label} {old or '（空）'} → {new or '（空）'}" for label, old, new in pairs if old != new
    ]
    if units != {u.pk for u in row.supporting_units}:
        changes.append(f"配合单位改为“{'、'.join(u.name for u in row.supporting_units) or '无'}”")
    return changes + _milestone_changes(task, row)


def _date_problems(m: _Match, campaign: Campaign) -> list[RowProblem]:
    row = m.row
    start = m.task.start_date if m.task else campaign.start_date
    if row.due_date < start:
        due = row.label("due", "完成时限")
        message = f"早于任务开始日期 {start}（{'任务原定' if m.task else '活动开始日期'}）"
        return [RowProblem(row.row, due, row.shown.get("due", str(row.due_date)), message)]
    problems = []
    column = row.label("milestones", "时间节点")
    named = {item.title for item in row.milestones}
    kept = [ListMilestone(x.title, x.due_date) for x in (m.task.milestones.all() if m.task else [])]
    for item in [*row.milestones, *(k for k in kept if k.title not in named)]:
        if not start <= item.due_date <= row.due_date:
            where = "" if item.title in named else "已有"
            problems.append(
                RowProblem(
                    row.row,
                    column,
                    item.title,
                    f"{where}节点日期 {item.due_date} 不在任务起止日期（{start} 至 {row.due_date}）之内",
                )
            )
    return problems


def _check(m: _Match, campaign: Campaign) -> list[RowProblem]:
    problems = _date_problems(m, campaign)
    if m.task is not None and m.changes and m.task.state != TaskState.ACTIVE:
        state = m.task.get_state_display()
        column = m.row.label("title", "任务名称")
        message = f"该任务{state}，不能通过导入修改（本行将改动：{'；'.join(m.changes)}）"
        problems.append(RowProblem(m.row.row, column, m.row.title, message))
    return problems


def _categories(campaign: Campaign, rows: list[ListRow], outcome: TaskListOutcome) -> dict:
    categories = {c.name: c for c in TaskCategory.objects.filter(campaign=campaign)}
    order = TaskCategory.objects.filter(campaign=campaign).aggregate(m=Max("sort_order"))["m"] or 0
    for row in rows:
        if row.category not in categories:
            order += 1
            categories[row.category] = TaskCategory.objects.create(
                campaign=campaign, name=row.category, sort_order=order
            )
            outcome.categories_created.append(row.category)
    return categories


def _milestone_inputs(task: Task | None, row: ListRow) -> list[MilestoneInput]:
    existing = {m.title: m for m in task.milestones.all()} if task else {}
    inputs = [MilestoneInput(m.title, m.due_date, milestone=m) for m in existing.values()]
    dated = {item.title: item.due_date for item in row.milestones}
    inputs = [MilestoneInput(i.title, dated.get(i.title, i.due_date), i.milestone) for i in inputs]
    inputs += [
        MilestoneInput(i.title, i.due_date) for i in row.milestones if i.title not in existing
    ]
    return inputs


def _save(m: _Match, campaign: Campaign, category: TaskCategory, by, source: str) -> Task:
    row = m.row
    return task_save(
        task=m.task,
        by=by,
        campaign=campaign,
        category=category,
        number=row.number,
        title=row.title,
        target=row.target,
        lead_unit=row.lead_unit,
        supporting_units=row.supporting_units,
        leader=row.leader,
        start_date=m.task.start_date if m.task else campaign.start_date,
        due_date=row.due_date,
        milestones=_milestone_inputs(m.task, row),
        source=source,
    )


def _created(new: list[_Match], campaign: Campaign, categories: dict, by, source: str) -> list:
    """The new tasks, their supporting units, milestones and audit entries in a few bulk inserts
    (a district's first import is hundreds of tasks): the same rows and entries task_save would
    write one by one, the rules already checked (_check, and the reader for the units)."""
    tasks = [
        Task(
            campaign=campaign, category=categories[m.row.category], number=m.row.number,
            title=m.row.title, target=m.row.target, lead_unit=m.row.lead_unit,
            leader=m.row.leader, start_date=campaign.start_date, due_date=m.row.due_date,
            origin=TaskOrigin.LIST,
        )
        for m in new
    ]  # fmt: skip
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    through = Task.supporting_units.through
    links = [through(task_id=t.pk, unit_id=u.pk) for t, m in zip(tasks, new, strict=True)
             for u in m.row.supporting_units]  # fmt: skip
    through.objects.bulk_create(links, batch_size=BATCH)
    milestones = [
        Milestone(task=t, title=item.title, due_date=item.due_date, sort_order=order)
        for t, m in zip(tasks, new, strict=True)
        for order, item in enumerate(m.row.milestones)
    ]
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    entries = []
    for task, m in zip(tasks, new, strict=True):
        entry = audit_entry(actor=by, obj=task, action=AuditAction.CREATE, task_id=task.pk,
                            source=source)  # fmt: skip
        if m.row.supporting_units:
            entry.changes[SUPPORTING_LABEL] = [None, _unit_names(m.row.supporting_units)]
        entries.append(entry)
    entries += [
        audit_entry(actor=by, obj=x, action=AuditAction.CREATE, task_id=x.task_id, source=source)
        for x in milestones
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return tasks


def _listed(matches: list[_Match], tasks: list[Task], outcome: TaskListOutcome) -> None:
    named = {m.task.pk for m in matches if m.task is not None}
    outcome.missing_tasks = [t for t in tasks if t.pk not in named]
    for m in matches:
        if m.task is not None:
            titles = {item.title for item in m.row.milestones}
            outcome.missing_milestones += [
                (m.task, x) for x in m.task.milestones.all() if x.title not in titles
            ]


@transaction.atomic
def task_list_import(
    *, campaign: Campaign, rows: list[ListRow], by, source: str = AuditSource.IMPORT
) -> TaskListOutcome:
    """Create the rows' new tasks and update the changed ones of `campaign` — all, or nothing.

    Checks every row first (dates within the task's span, no change to a closed task, no two rows
    on one task); with any problem nothing is written and the outcome lists them. New tasks are
    inserted in bulk, changed ones saved by task_save; every created or changed row has its audit
    entry. `by` None is an operator at the command line, the entries then signed `source`."""
    outcome = TaskListOutcome()
    tasks = _existing(campaign)
    matches = _match(rows, tasks, outcome.problems)
    for m in matches:
        m.changes = _changes(m.task, m.row) if m.task else []
        outcome.problems += _check(m, campaign)
    _listed(matches, tasks, outcome)
    if outcome.problems:
        outcome.problems.sort(key=lambda p: p.row)
        return outcome
    categories = _categories(campaign, rows, outcome)
    outcome.created = _created(
        [m for m in matches if m.task is None], campaign, categories, by, source
    )
    for m in matches:
        if m.task is None:
            continue
        if not m.changes:
            outcome.unchanged += 1
            continue
        try:
            task = _save(m, campaign, categories[m.row.category], by, source)
        except ValidationError as invalid:
            column = m.row.label("title", "任务名称")
            outcome.problems += [RowProblem(m.row.row, column, m.row.title, e) for e in invalid]
            continue
        outcome.updated.append((task, m.changes))
    if outcome.problems:
        transaction.set_rollback(True)
        outcome.created, outcome.updated, outcome.categories_created = [], [], []
    return outcome
