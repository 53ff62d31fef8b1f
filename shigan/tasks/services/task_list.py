"""Importing a campaign's task list (任务清单): rows read from a workbook matched to the campaign's
list tasks, then every new or changed task saved through task_save — all of them, or none.

Matching, so that the same file imported twice changes nothing: a row is the list task of the
campaign with the same 任务名称, else a new task. Never by position: a district's own list numbers
its tasks its own way, and a row matched by category and 序号 silently rewrote another unit's task
(its unit, leader and title) while keeping that task's reports. Nothing is ever deleted: a list task the file does not name, and a milestone a task
has that its row does not name, are kept and listed in the outcome. A milestone is matched by its
title, else (reworded) by its date when only one on each side falls on it; a changed date or
wording updates it, and what was reached stays reached.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_entry, audit_record
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
    dry_run: bool = False
    stale: bool = False

    @property
    def saved(self) -> bool:
        """Whether the outcome was written (not a dry run, no problem, not stale)."""
        return not (self.dry_run or self.stale or self.problems)

    def plan(self) -> str:
        """A fingerprint of what the import does to the campaign's list: the same file against
        the same list gives the same one, a list changed in between another."""
        parts = [
            [(t.category.name, t.number, t.title) for t in self.created],
            [(t.pk, changes) for t, changes in self.updated],
            self.unchanged,
            sorted(self.categories_created),
            [t.pk for t in self.missing_tasks],
            [m.pk for _, m in self.missing_milestones],
            [str(p) for p in self.problems],
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass
class _Match:
    row: ListRow
    task: Task | None
    changes: list[str] = field(default_factory=list)
    pairs: dict[str, Milestone] = field(default_factory=dict)

    def unpaired(self) -> list[Milestone]:
        """The task's milestones the row does not name: kept as they are."""
        paired = {x.pk for x in self.pairs.values()}
        return [x for x in self.task.milestones.all() if x.pk not in paired] if self.task else []


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


def _match(rows: list[ListRow], tasks: list[Task]) -> list[_Match]:
    """Each row's task: the campaign's list task of the same title, else none (a new task; a
    renamed task is a new one, the old one listed as left out and kept)."""
    by_title: dict[str, list[Task]] = {}
    for task in tasks:
        by_title.setdefault(task.title, []).append(task)
    return [_Match(row, _unique(by_title, row.title)) for row in rows]


def _pairs(task: Task, row: ListRow) -> dict[str, Milestone]:
    """Each row milestone's existing milestone: the one of the same title; else, for a reworded
    milestone, the one on the same date when exactly one left on each side falls on it."""
    existing = list(task.milestones.all())
    by_title = {x.title: x for x in existing}
    pairs = {i.title: by_title[i.title] for i in row.milestones if i.title in by_title}
    free = [x for x in existing if x not in pairs.values()]
    unpaired = [i for i in row.milestones if i.title not in pairs]
    for item in unpaired:
        same_day = [x for x in free if x.due_date == item.due_date]
        if len(same_day) == 1 and [i.due_date for i in unpaired].count(item.due_date) == 1:
            pairs[item.title] = same_day[0]
    return pairs


def _milestone_changes(m: _Match) -> list[str]:
    changes = []
    for item in m.row.milestones:
        x = m.pairs.get(item.title)
        if x is None:
            changes.append(f"新增节点“{item.title}”")
            continue
        if x.title != item.title:
            changes.append(f"节点“{x.title}”改为“{item.title}”")
        if x.due_date != item.due_date:
            changes.append(f"节点“{item.title}”日期{x.due_date} → {item.due_date}")
    return changes


def _changes(m: _Match) -> list[str]:
    """What importing the row would change of its task, in words ([] for nothing)."""
    task, row = m.task, m.row
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
    return changes + _milestone_changes(m)


def _date_problems(m: _Match, campaign: Campaign) -> list[RowProblem]:
    row = m.row
    start = m.task.start_date if m.task else campaign.start_date
    if row.due_date < start:
        due = row.label("due", "完成时限")
        message = f"早于任务开始日期{start}（{'任务原定' if m.task else '活动开始日期'}）"
        return [RowProblem(row.row, due, row.shown.get("due", str(row.due_date)), message)]
    problems = []
    column = row.label("milestones", "时间节点")
    named = {item.title for item in row.milestones}
    kept = [ListMilestone(x.title, x.due_date) for x in m.unpaired()]
    for item in [*row.milestones, *kept]:
        if not start <= item.due_date <= row.due_date:
            where = "" if item.title in named else "已有"
            problems.append(
                RowProblem(
                    row.row,
                    column,
                    item.title,
                    f"{where}节点日期{item.due_date}不在任务起止日期（{start}至{row.due_date}）之内",
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


def _categories(
    campaign: Campaign, rows: list[ListRow], outcome: TaskListOutcome, by, source: str
) -> dict:
    """The campaign's categories by name, those the rows head and it lacks created (audited as
    the tasks are, so the category's page shows who brought it in)."""
    categories = {c.name: c for c in TaskCategory.objects.filter(campaign=campaign)}
    order = TaskCategory.objects.filter(campaign=campaign).aggregate(m=Max("sort_order"))["m"] or 0
    for row in rows:
        if row.category not in categories:
            order += 1
            categories[row.category] = TaskCategory.objects.create(
                campaign=campaign, name=row.category, sort_order=order
            )
            outcome.categories_created.append(row.category)
            audit_record(
                actor=by, obj=categories[row.category], action=AuditAction.CREATE, source=source
            )
    return categories


def _milestone_inputs(m: _Match) -> list[MilestoneInput]:
    """Every milestone the task keeps: the paired ones as the row has them, the unpaired ones as
    they are, the row's new ones."""
    by_pk = {x.pk: item for item in m.row.milestones if (x := m.pairs.get(item.title))}
    inputs = [
        MilestoneInput(by_pk[x.pk].title, by_pk[x.pk].due_date, x)
        if x.pk in by_pk
        else MilestoneInput(x.title, x.due_date, x)
        for x in (m.task.milestones.all() if m.task else [])
    ]
    return inputs + [
        MilestoneInput(i.title, i.due_date) for i in m.row.milestones if i.title not in m.pairs
    ]


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
        milestones=_milestone_inputs(m),
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
        outcome.missing_milestones += [(m.task, x) for x in m.unpaired()]


@transaction.atomic
def task_list_import(
    *,
    campaign: Campaign,
    rows: list[ListRow],
    by,
    source: str = AuditSource.IMPORT,
    dry_run: bool = False,
    expect: str | None = None,
) -> TaskListOutcome:
    """Create the rows' new tasks and update the changed ones of `campaign` — all, or nothing.

    Checks every row first (dates within the task's span, no change to a closed task, no two rows
    on one task); with any problem nothing is written and the outcome lists them. New tasks are
    inserted in bulk, changed ones saved by task_save; every created or changed row has its audit
    entry. `by` None is an operator at the command line, the entries then signed `source`.

    `dry_run` (the preview) runs exactly the same writes and rolls them back, so what it lists is
    what the real run does, the problems only a save finds included. `expect` (the confirmation)
    is the preview's `plan()`: when the campaign's list changed since, nothing is written and the
    outcome, marked `stale`, is the new preview."""
    outcome = TaskListOutcome(dry_run=dry_run)
    tasks = _existing(campaign)
    matches = _match(rows, tasks)
    for m in matches:
        if m.task is not None:
            m.pairs = _pairs(m.task, m.row)
            m.changes = _changes(m)
        outcome.problems += _check(m, campaign)
    _listed(matches, tasks, outcome)
    if outcome.problems:
        outcome.problems.sort(key=lambda p: p.row)
        return outcome
    categories = _categories(campaign, rows, outcome, by, source)
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
    outcome.stale = not dry_run and expect is not None and outcome.plan() != expect
    if dry_run or outcome.stale:
        transaction.set_rollback(True)
    return outcome
