"""Reads for task lists and the battle map: a fixed number of queries whatever the row count."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Milestone, ProgressReport, Task
from .status import StatusFacts, TaskStatus, task_status


def _count(qs: QuerySet) -> Subquery:
    counted = qs.order_by().values("task_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def tasks_annotated(tasks: QuerySet) -> QuerySet:
    """Tasks with what the status rules and the battle map read, as annotations (one query)."""
    undone = Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=True).order_by(
        "due_date", "sort_order", "id"
    )
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-submitted_at", "-id")
    return tasks.select_related("category", "lead_unit", "leader").annotate(
        ms_total=_count(Milestone.objects.filter(task=OuterRef("pk"))),
        ms_done=_count(Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=False)),
        next_ms_due=Subquery(undone.values("due_date")[:1]),
        next_ms_title=Subquery(undone.values("title")[:1]),
        last_progress_text=Subquery(latest.values("text")[:1]),
        last_progress_period=Subquery(latest.values("period")[:1]),
        last_progress_at=Subquery(latest.values("submitted_at")[:1]),
    )


@dataclass
class TaskRow:
    """One task as the battle map and the task list show it."""

    task: Task
    status: TaskStatus
    days_left: int
    milestones_total: int
    milestones_done: int
    next_milestone_title: str | None
    next_milestone_due: datetime.date | None
    last_progress_text: str | None
    last_progress_period: datetime.date | None
    last_progress_at: datetime.datetime | None
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return self.status.label


def row_for(task: Task, today: datetime.date) -> TaskRow:
    facts = StatusFacts(
        state=task.state,
        start_date=task.start_date,
        due_date=task.due_date,
        milestones_total=task.ms_total,
        milestones_done=task.ms_done,
        next_milestone_due=task.next_ms_due,
    )
    return TaskRow(
        task=task,
        status=task_status(facts, today),
        days_left=(task.due_date - today).days,
        milestones_total=task.ms_total,
        milestones_done=task.ms_done,
        next_milestone_title=task.next_ms_title,
        next_milestone_due=task.next_ms_due,
        last_progress_text=task.last_progress_text,
        last_progress_period=task.last_progress_period,
        last_progress_at=task.last_progress_at,
    )


def task_rows(
    tasks: QuerySet,
    today: datetime.date,
    *,
    statuses: set[str] | None = None,
    with_milestones: bool = False,
) -> list[TaskRow]:
    """Rows for `tasks` with their computed status, optionally filtered by status.

    Two queries (three with milestones) for any number of tasks.
    """
    qs = tasks_annotated(tasks)
    if with_milestones:
        qs = qs.prefetch_related("milestones")
    rows = []
    for task in qs:
        row = row_for(task, today)
        if statuses and row.status not in statuses:
            continue
        if with_milestones:
            row.milestones = list(task.milestones.all())
        rows.append(row)
    return rows


def status_counts(rows: list[TaskRow]) -> dict[TaskStatus, int]:
    counts = {status: 0 for status in TaskStatus}
    for row in rows:
        counts[row.status] += 1
    return counts


def unit_tasks_for_report(unit_id: int) -> QuerySet:
    """The active tasks a unit leads, as its monthly report form lists them."""
    return (
        Task.objects.filter(lead_unit_id=unit_id, state="active")
        .select_related("campaign", "category")
        .order_by("campaign_id", F("category__sort_order"), "number", "id")
    )


def reported_this_period(task_ids: list[int], period: datetime.date) -> dict[int, ProgressReport]:
    """The latest report per task for one month (a resubmission needs a correction reason)."""
    latest: dict[int, ProgressReport] = {}
    reports = ProgressReport.objects.filter(task_id__in=task_ids, period=period).order_by(
        "submitted_at", "id"
    )
    for report in reports:
        latest[report.task_id] = report
    return latest
