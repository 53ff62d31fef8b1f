"""The battle map's colour legend, written from the status rules themselves.

The thresholds and the order in which the rules apply come from tasks.status, so the legend
cannot drift from the code that colours the map.
"""

from dataclasses import dataclass

from shigan.tasks import status as rules
from shigan.tasks.status import TaskStatus


def _explanations() -> dict[TaskStatus, str]:
    tolerance = f"{float(rules.SCHEDULE_TOLERANCE * 100):g}%"
    return {
        TaskStatus.CANCELLED: "经专班审批同意取消。",
        TaskStatus.DONE: "经专班审批办结销号。",
        TaskStatus.NOT_STARTED: "尚未到开始日期。",
        TaskStatus.OVERDUE: "已过完成时限仍未办结（完成时限当天不算逾期）。",
        TaskStatus.BEHIND: (
            "有未完成节点已过计划完成日期；或节点完成比例落后于时间进度（序时进度）"
            f"超过{tolerance}。"
        ),
        TaskStatus.NEARING: (
            f"任务完成时限或下一个未完成节点在{rules.NEARING_DAYS}天内（含当天）到期。"
        ),
        TaskStatus.ON_TRACK: "已启动，且不属于以上任何情形。",
    }


def rule_precedence() -> list[TaskStatus]:
    """Statuses in the order the rules are tried (first match wins)."""
    return list(rules.RULE_ORDER)


@dataclass(frozen=True)
class LegendItem:
    status: TaskStatus
    rule: str


def status_legend() -> list[LegendItem]:
    """One line per status, worst first as the tiles (逾期, 滞后, 临期, 正常, 未启动, 完成, 已取消)."""
    texts = _explanations()
    return [LegendItem(status, texts[status]) for status in TaskStatus]
