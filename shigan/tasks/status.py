"""The task status rules (三色预警) — the one place they are defined.

A task's status on a given day is computed from its lifecycle state, its dates and its
milestones, never set by hand. The rules, first match wins:

1. 已取消 cancelled   — a coordinator approved its cancellation (on or before the day).
2. 完成   done        — a coordinator approved its completion (办结销号, on or before the day).
3. 未启动 not started — today is before its start date.
4. 逾期   overdue     — today is after its due date (due today is not yet overdue).
5. 滞后   behind      — an unfinished milestone's due date has passed, or the share of milestones
                        done trails the share of the task's time elapsed by more than
                        SCHEDULE_TOLERANCE (behind the time-elapsed schedule, 序时进度).
6. 临期   nearing     — the task or its next unfinished milestone is due within NEARING_DAYS
                        days (today included).
7. 正常   on track    — none of the above.

On a past day a task approved closed later is still open: the rules run on what was known that
day (tasks.queries builds the facts as of the day: milestones done by then, the due date before
any later approved extension).

An upper task handed down to subordinate districts (交办) also has a rolled-up status and
progress from its children's statuses: those rules are in tasks.rollup, beside these.
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db import models

from .models import TaskState

NEARING_DAYS = 7
SCHEDULE_TOLERANCE = Fraction(1, 4)


class TaskStatus(models.TextChoices):
    OVERDUE = "overdue", "逾期"
    BEHIND = "behind", "滞后"
    NEARING = "nearing", "临期"
    ON_TRACK = "on_track", "正常"
    NOT_STARTED = "not_started", "未启动"
    DONE = "done", "完成"
    CANCELLED = "cancelled", "已取消"


# Display order on the battle map: what needs attention first.
STATUS_ORDER = [s.value for s in TaskStatus]

# The order in which task_status() tries the rules (first match wins), as the legend shows them.
RULE_ORDER = [
    TaskStatus.CANCELLED,
    TaskStatus.DONE,
    TaskStatus.NOT_STARTED,
    TaskStatus.OVERDUE,
    TaskStatus.BEHIND,
    TaskStatus.NEARING,
    TaskStatus.ON_TRACK,
]


@dataclass(frozen=True)
class StatusFacts:
    """The plain facts the rules read; built from a task row annotated by queries.py."""

    state: str
    start_date: datetime.date
    due_date: datetime.date
    milestones_total: int = 0
    milestones_done: int = 0
    next_milestone_due: datetime.date | None = None
    closed_on: datetime.date | None = None  # day the cancellation or completion was approved


def time_elapsed_share(start: datetime.date, due: datetime.date, today: datetime.date) -> Fraction:
    """Share of the task's span elapsed at the end of `today`, clamped to [0, 1]."""
    if today < start:
        return Fraction(0)
    span = (due - start).days + 1
    elapsed = (today - start).days + 1
    return min(Fraction(elapsed, span), Fraction(1))


def task_status(facts: StatusFacts, today: datetime.date) -> TaskStatus:
    closed = facts.closed_on is None or facts.closed_on <= today
    if facts.state == TaskState.CANCELLED and closed:
        return TaskStatus.CANCELLED
    if facts.state == TaskState.COMPLETED and closed:
        return TaskStatus.DONE
    if today < facts.start_date:
        return TaskStatus.NOT_STARTED
    if today > facts.due_date:
        return TaskStatus.OVERDUE
    if facts.next_milestone_due is not None and facts.next_milestone_due < today:
        return TaskStatus.BEHIND
    if facts.milestones_total:
        done_share = Fraction(facts.milestones_done, facts.milestones_total)
        if (
            done_share
            < time_elapsed_share(facts.start_date, facts.due_date, today) - SCHEDULE_TOLERANCE
        ):
            return TaskStatus.BEHIND
    horizon = today + datetime.timedelta(days=NEARING_DAYS - 1)
    if facts.due_date <= horizon or (
        facts.next_milestone_due is not None and facts.next_milestone_due <= horizon
    ):
        return TaskStatus.NEARING
    return TaskStatus.ON_TRACK
