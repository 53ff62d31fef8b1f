"""Reads for 一键催办: the campaign's overdue items by lead unit and how often each was chased
(已催办 N 次), a fixed number of queries whatever the number of items."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Unit
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskState
from shigan.tasks.queries import TaskRow, task_rows, tasks_with_status
from shigan.tasks.status import TaskStatus

from ..models import Reminder, RuleKind
from .filing import reporter_accounts

ITEM_CHASE_TEXT = (
    "以下事项已超过完成时限，请抓紧推进，并及时在系统中报送进展；如确需调整时限，请提交变更申请。"
)


@dataclass(frozen=True)
class ChaseTally:
    """How often an item was chased (催办: core AuditEntry action CHASE filed under it, by a
    coordinator or by the rules' automatic rounds) and when last."""

    count: int = 0
    last_at: datetime.datetime | None = None
    # The latest 催办 a coordinator sent by hand (the rules' own rounds do not count as "chased
    # today" when he chases: they are not his).
    last_by_hand_at: datetime.datetime | None = None

    # Of `count`, the rules' automatic rounds (no actor): the page says how many were not sent
    # by a coordinator.
    automatic: int = 0

    def on(self, day: datetime.date) -> bool:
        """Whether a coordinator chased it by hand on `day`."""
        last = self.last_by_hand_at
        return last is not None and timezone.localdate(last) == day


def chase_tally(task_ids) -> dict[int, ChaseTally]:
    """Each task's 已催办 N 次 and the latest, by task id: one query."""
    found = (
        AuditEntry.objects.filter(action=AuditAction.CHASE, task_id__in=list(task_ids))
        .values("task_id")
        .annotate(
            n=Count("id"),
            last=Max("at"),
            by_hand=Max("at", filter=Q(actor__isnull=False)),
            automatic=Count("id", filter=Q(actor__isnull=True)),
        )
        .order_by()
    )
    return {
        r["task_id"]: ChaseTally(r["n"], r["last"], r["by_hand"], r["automatic"]) for r in found
    }


@dataclass
class OverdueItem:
    row: TaskRow
    chases: ChaseTally = field(default_factory=ChaseTally)

    @property
    def task(self) -> Task:
        return self.row.task

    @property
    def days_overdue(self) -> int:
        return -self.row.days_left


@dataclass
class UnitItems:
    """A lead unit's overdue items and the reporter accounts a 催办 reaches."""

    unit: Unit
    items: list[OverdueItem]
    recipients: list = field(default_factory=list)


def overdue_items(user, campaign: Campaign, today: datetime.date) -> list[UnitItems]:
    """The campaign's open tracked items (list tasks, decisions, findings) the user reads that
    are 逾期 on `today`, grouped by lead unit in the organisation's order, the most overdue
    first within a unit, each with its 已催办 N 次. Four queries."""
    open_items = Task.objects.filter(campaign=campaign, state=TaskState.ACTIVE)
    rows = task_rows(tasks_visible_to(user, open_items), today, statuses={TaskStatus.OVERDUE})
    tally = chase_tally(r.task.pk for r in rows)
    groups: dict[int, UnitItems] = {}
    for row in sorted(rows, key=lambda r: (r.days_left, r.task.pk)):
        unit = row.task.lead_unit
        group = groups.setdefault(unit.pk, UnitItems(unit, []))
        group.items.append(OverdueItem(row, tally.get(row.task.pk, ChaseTally())))
    ordered = sorted(groups.values(), key=lambda g: (g.unit.sort_order, g.unit.pk))
    accounts = reporter_accounts([g.unit for g in ordered])
    for group in ordered:
        group.recipients = accounts.get(group.unit.pk, [])
    return ordered


def overdue_item_count(user, campaign: Campaign, today: datetime.date) -> int:
    """How many of the campaign's items the user reads are 逾期 today, counted by the database
    (tasks.status_sql; one query besides the viewer's scope)."""
    open_items = Task.objects.filter(campaign=campaign, state=TaskState.ACTIVE)
    scope = tasks_visible_to(user, open_items)
    return tasks_with_status(scope, today).filter(status_db=TaskStatus.OVERDUE).count()


def item_chase_batch_sent(batch: str) -> bool:
    """Whether the confirmed 催办 form `batch` names was sent already (a resubmission)."""
    return Reminder.objects.filter(kind=RuleKind.MANUAL_CHASE, anchor=batch).exists()
