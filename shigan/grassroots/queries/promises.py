"""Reads for the 办实事 list: the tasks' rows (tasks.queries.task_rows) with each item's
evidence count and 回访, two queries whatever the number of items."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shigan.tasks.models import Evidence, Task
from shigan.tasks.queries import TaskRow, task_rows

from ..models import PromiseFollowUp


@dataclass
class PromiseRow:
    row: TaskRow
    evidence_count: int
    follow_up: PromiseFollowUp | None

    @property
    def task(self) -> Task:
        return self.row.task

    @property
    def ready_to_close(self) -> bool:
        """Evidence filed and the 回访 recorded: what 办结销号 of the item requires."""
        return self.evidence_count > 0 and self.follow_up is not None


def evidence_count():
    counted = (
        Evidence.objects.filter(task=OuterRef("pk"))
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _follow_up(task: Task) -> PromiseFollowUp | None:
    try:
        return task.promise_follow_up
    except PromiseFollowUp.DoesNotExist:
        return None


def promise_rows(tasks: QuerySet, today: datetime.date) -> list[PromiseRow]:
    """The 办实事 items of `tasks` with their status as of `today`, in the list's order."""
    tasks = tasks.select_related("promise_follow_up").annotate(evidence_n=evidence_count())
    tasks = tasks.order_by("due_date", "id")
    return [
        PromiseRow(row=row, evidence_count=row.task.evidence_n, follow_up=_follow_up(row.task))
        for row in task_rows(tasks, today)
    ]
