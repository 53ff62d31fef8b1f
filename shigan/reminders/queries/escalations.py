"""督办: the items escalated to a leader (逾期督办) that are still open and overdue, for his
cockpit; a fixed number of queries whatever the number of items."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from shigan.campaigns.models import Campaign
from shigan.grassroots.access import concerns_visible_to
from shigan.grassroots.models import Concern
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskState
from shigan.tasks.queries import task_rows
from shigan.tasks.status import TaskStatus

from ..access import reads_district_escalations
from ..models import Reminder, RuleKind
from .items import ChaseTally, chase_tally


@dataclass(frozen=True)
class EscalationLine:
    """One escalated item: how long it is overdue, since when it is escalated, how often chased."""

    task: Task
    days_overdue: int
    escalated_on: datetime.date
    chases: ChaseTally

    @property
    def url(self) -> str:
        return self.task.get_absolute_url()


def escalations_for(
    user,
    today: datetime.date,
    *,
    campaign: Campaign | None = None,
    tasks: QuerySet | None = None,
) -> list[EscalationLine]:
    """The items escalated (逾期督办) to `user` — and for a coordinator every escalated item of
    his district — that are still open and 逾期 on `today`, one line per item, the most overdue
    first; narrowed to `campaign` and to `tasks` (the cockpit's unit filter) when given. Three
    queries."""
    if not getattr(user, "is_authenticated", False):
        return []
    escalated = Reminder.objects.filter(kind=RuleKind.ESCALATION, task__isnull=False)
    if campaign is not None:
        escalated = escalated.filter(campaign=campaign)
    whose = Q(notices__recipient=user)
    if reads_district_escalations(user):
        whose |= Q(task__in=tasks_visible_to(user, Task.objects.all()).values("id"))
    escalated = escalated.filter(whose)
    items = Task.objects.filter(state=TaskState.ACTIVE, id__in=escalated.values("task_id"))
    if tasks is not None:
        items = items.filter(id__in=tasks.values("id"))
    since = escalated.filter(task=OuterRef("pk")).order_by().values("task")
    items = items.annotate(escalated_on=Subquery(since.annotate(on=Max("fired_on")).values("on")))
    rows = task_rows(items, today, statuses={TaskStatus.OVERDUE})
    tally = chase_tally(r.task.pk for r in rows)
    lines = [
        EscalationLine(
            r.task, -r.days_left, r.task.escalated_on, tally.get(r.task.pk, ChaseTally())
        )
        for r in rows
    ]
    return sorted(lines, key=lambda line: (-line.days_overdue, line.task.pk))


@dataclass(frozen=True)
class ConcernEscalation:
    """A concern escalated past its time limit (逾期督办) and still open."""

    concern: Concern
    days_overdue: int

    @property
    def url(self) -> str:
        return self.concern.get_absolute_url()

    @property
    def title(self) -> str:
        return f"诉求{self.concern.number}：{self.concern.content[:24]}"


def concern_escalations_for(
    user, today: datetime.date, *, campaign: Campaign | None = None
) -> list[ConcernEscalation]:
    """The concerns escalated to `user` (for a coordinator, every escalated concern of his
    district he reads) that are still open and past their due date on `today`, the most overdue
    first. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    escalated = Reminder.objects.filter(
        kind=RuleKind.ESCALATION, record_type=Concern._meta.label_lower
    )
    if campaign is not None:
        escalated = escalated.filter(campaign=campaign)
    whose = Q(pk__in=escalated.filter(notices__recipient=user).values("record_id"))
    if reads_district_escalations(user):
        whose |= Q(pk__in=escalated.values("record_id")) & Q(
            pk__in=concerns_visible_to(user, Concern.objects.all()).values("id")
        )
    open_late = Concern.objects.filter(whose, closed_on__isnull=True, due_on__lt=today)
    lines = [
        ConcernEscalation(c, (today - c.due_on).days)
        for c in open_late.select_related("assigned_unit")
    ]
    return sorted(lines, key=lambda line: (-line.days_overdue, line.concern.pk))
