"""The records the generated next-step draft states, as known on the report's date: the
milestones due in the next period, the tracked items behind schedule (逾期, 滞后) and what each
waits on — its open milestone, its latest progress report, a change request pending approval.

Every tracked item of the campaign counts (list tasks, meeting decisions, inspection findings,
办实事), read through tasks.queries and its one as-of rule. Five queries whatever the number of
items: the items listed are capped (LIST_LIMIT), the counts are not.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.tasks.models import ChangeRequest, Milestone, Task, TaskState
from shigan.tasks.queries import (
    TaskRow,
    change_requests_pending_on,
    task_tally,
    tasks_known,
)
from shigan.tasks.status import TaskStatus

LIST_LIMIT = 8  # items a part of the draft names; the rest are counted
BEHIND = (TaskStatus.OVERDUE, TaskStatus.BEHIND)


@dataclass
class PlanFacts:
    horizon: datetime.date  # the last day of the next period
    coming: list[Milestone]  # due after the date and by the horizon, not done, of open items
    behind: list[TaskRow]  # overdue first, then behind, each by due date
    open_milestones: dict[int, Milestone] = field(default_factory=dict)  # overdue, per item
    pending: dict[int, ChangeRequest] = field(default_factory=dict)  # per item, the latest

    @property
    def listed(self) -> list[TaskRow]:
        return self.behind[:LIST_LIMIT]


def horizon_of(as_of: datetime.date, months: int = 1) -> datetime.date:
    """The end of the month `months` after as_of's: 2023-07-31 → 2023-08-31."""
    day = clock.month_start(as_of)
    for _ in range(months):
        day = clock.month_start(day + datetime.timedelta(days=31))
    return clock.month_end(day)


def _open_on(as_of: datetime.date) -> Q:
    return Q(task__state=TaskState.ACTIVE) | Q(task__closed_on__gt=as_of)


def _undone_by(as_of: datetime.date) -> Q:
    return Q(done_on__isnull=True) | Q(done_on__gt=as_of)


def coming_milestones(
    campaign: Campaign, as_of: datetime.date, horizon: datetime.date
) -> list[Milestone]:
    """Milestones due in (as_of, horizon] not done by as_of, of items open and known on as_of,
    earliest first (one query)."""
    known = tasks_known(Task.objects.filter(campaign=campaign), as_of)
    milestones = Milestone.objects.filter(
        _open_on(as_of), _undone_by(as_of), task__in=known, due_date__gt=as_of
    ).filter(due_date__lte=horizon)
    ordered = milestones.select_related("task__lead_unit", "task__category")
    return list(ordered.order_by("due_date", "task__category__sort_order", "task_id", "id"))


def _behind(campaign: Campaign, as_of: datetime.date) -> list[TaskRow]:
    rows = task_tally(campaign, as_of, Task.objects.all()).rows
    behind = [r for r in rows if r.status in BEHIND]
    return sorted(behind, key=lambda r: (r.status != TaskStatus.OVERDUE, r.due_date, r.task.pk))


def plan_facts(campaign: Campaign, as_of: datetime.date, *, months: int = 1) -> PlanFacts:
    """What the draft states as of `as_of` for the next `months` months (five queries)."""
    horizon = horizon_of(as_of, months)
    facts = PlanFacts(
        horizon, coming_milestones(campaign, as_of, horizon), _behind(campaign, as_of)
    )
    ids = [row.task.pk for row in facts.listed]
    overdue = Milestone.objects.filter(_undone_by(as_of), task_id__in=ids, due_date__lte=as_of)
    for milestone in overdue.order_by("-due_date", "-sort_order", "-id"):
        facts.open_milestones[milestone.task_id] = milestone  # the earliest wins
    pending = ChangeRequest.objects.filter(change_requests_pending_on(as_of), task_id__in=ids)
    for request in pending.order_by("requested_at", "id"):
        facts.pending[request.task_id] = request  # the latest wins
    return facts
