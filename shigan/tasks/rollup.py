"""The roll-up rules (汇总规则) of an upper task handed down (交办) to subordinate districts — the
one place they are defined, beside the status rules (tasks.status).

An upper task's children are the tasks the receiving districts answered its hand-downs with
(Task.upper_task); each child's status is its own, by the status rules. A hand-down not yet
accepted (待接收) is not a child but is still owed: it counts in the roll-up as waiting, with
the working days it has waited — the working days after the day it was handed down, up to and
including today, on the national calendar (法定节假日与调休, chinesecalendar; weekends and
holidays do not count, a 调休 Saturday does). A returned hand-down (已退回) counts for nothing: the upper
level reads the reason and hands the task down again, to the same district or another. A
withdrawn hand-down (已撤回: the upper level took it back while it waited, with a reason) counts
for nothing either — neither owed nor waiting nor late; an accepted hand-down is never withdrawn
(its child is the district's task, cancelled by the district's change request).
Cancelled children (已取消) are left out, as if they were not there.

The rolled-up status, first match wins:

1. (none)   — no child and no hand-down waiting: the task is not handed down; its own status
              applies (`rollup` returns None).
2. 逾期     — any child is 逾期.
3. 滞后     — any child is 滞后, or a hand-down has waited more than ACCEPT_DAYS working
              days unaccepted (ACCEPT_DAYS working days is still in time).
4. 临期     — any child is 临期.
5. 完成     — every child is done (at least one) and no hand-down is waiting.
6. 已取消   — every child is cancelled and no hand-down is waiting.
7. 未启动   — no child has started: every child is 未启动 (or there are none) and the hand-downs
              waiting are within ACCEPT_DAYS.
8. 正常     — none of the above (work under way: some child 正常, or done beside ones not done).

Progress (进度): children done over the children owed — the children not cancelled plus one per
hand-down waiting (a district that has not answered owes at least one task). Each child's latest
progress report is listed with its unit; reports stay the child's and are never copied into the
upper task.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .status import TaskStatus

ACCEPT_DAYS = 5  # working days (see above)

_ATTENTION = (TaskStatus.OVERDUE, TaskStatus.BEHIND, TaskStatus.NEARING)


@dataclass(frozen=True)
class RollUp:
    """An upper task's rolled-up status and progress."""

    status: TaskStatus
    done: int
    owed: int
    waiting: int
    waiting_late: int

    @property
    def progress_label(self) -> str:
        return f"{self.done}/{self.owed}"


def rollup(children: Iterable[TaskStatus], waiting_days: Iterable[int] = ()) -> RollUp | None:
    """The roll-up of children with these statuses and hand-downs waiting these many working
    days since they were handed down (the module's rules); None when there is neither."""
    statuses = [TaskStatus(s) for s in children]
    waits = list(waiting_days)
    if not statuses and not waits:
        return None
    live = [s for s in statuses if s != TaskStatus.CANCELLED]
    late = sum(1 for days in waits if days > ACCEPT_DAYS)
    done = sum(1 for s in live if s == TaskStatus.DONE)
    figures = {"done": done, "owed": len(live) + len(waits), "waiting": len(waits)}
    return RollUp(_status(statuses, live, waits, late), waiting_late=late, **figures)


def _status(statuses, live, waits, late) -> TaskStatus:
    if TaskStatus.OVERDUE in live:
        return TaskStatus.OVERDUE
    if TaskStatus.BEHIND in live or late:
        return TaskStatus.BEHIND
    if TaskStatus.NEARING in live:
        return TaskStatus.NEARING
    if not waits and live and all(s == TaskStatus.DONE for s in live):
        return TaskStatus.DONE
    if not waits and statuses and not live:
        return TaskStatus.CANCELLED
    if all(s == TaskStatus.NOT_STARTED for s in live):
        return TaskStatus.NOT_STARTED
    return TaskStatus.ON_TRACK
