"""The decision completion tally (议定事项落实情况): the figures a supervision office publishes
per meeting and per series, counted from the decisions' computed task statuses.

- 议定事项 N: every decision, cancelled ones included
- 已完成 M: status 完成 (completion approved, 办结销号)
- 推进中 K: still active (未启动, 正常, 临期, 滞后, 逾期); of which 逾期 and 滞后 are counted
- 已取消: cancellation approved
- 完成率 = M / N, rounded half up to one decimal, written as every page writes a percentage
  (core.numbers.pct_text: 33.3%; the report keeps its own --percent option); "—" when N is 0.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shigan.core.numbers import pct_text, round_pct
from shigan.tasks.status import TaskStatus

ACTIVE_STATUSES = {
    TaskStatus.NOT_STARTED,
    TaskStatus.ON_TRACK,
    TaskStatus.NEARING,
    TaskStatus.BEHIND,
    TaskStatus.OVERDUE,
}


@dataclass
class Completion:
    total: int = 0
    done: int = 0
    active: int = 0
    overdue: int = 0
    behind: int = 0
    cancelled: int = 0

    def add(self, status: str, count: int = 1) -> None:
        """Count `count` decisions of `status`."""
        self.total += count
        if status == TaskStatus.DONE:
            self.done += count
        elif status == TaskStatus.CANCELLED:
            self.cancelled += count
        else:
            self.active += count
            self.overdue += count * (status == TaskStatus.OVERDUE)
            self.behind += count * (status == TaskStatus.BEHIND)

    @property
    def rate(self) -> Decimal | None:
        if not self.total:
            return None
        return round_pct(Decimal(self.done) * 100 / Decimal(self.total))

    @property
    def rate_label(self) -> str:
        rate = self.rate
        return pct_text(rate)


def completion_of(statuses: Iterable[str]) -> Completion:
    tally = Completion()
    for status in statuses:
        tally.add(status)
    return tally
