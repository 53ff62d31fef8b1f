"""The definitions shown under the indicator table, written from calc's own constants so that
the text cannot drift from the code that computes the figures."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from . import calc
from .calc import IndicatorStatus, TimeProgressMode


@dataclass(frozen=True)
class Definition:
    term: str
    text: str


@dataclass(frozen=True)
class StatusRule:
    status: IndicatorStatus
    rule: str


ROUNDING_NAMES = {ROUND_HALF_UP: "四舍五入（恰为5时进位）", ROUND_HALF_EVEN: "四舍六入五成双"}


def _places() -> int:
    return -calc.PCT_QUANTUM.as_tuple().exponent


def rounding_rule() -> str:
    tie = Decimal("28.25")
    return (
        f"百分比和百分点保留{_places()}位小数，{ROUNDING_NAMES[calc.PCT_ROUNDING]}，"
        f"如{calc.plain(tie)}→{calc.round_pct(tie)}；由原始数值直接计算后只取舍一次，"
        "不对已取舍的数再取舍。与序时进度差等由并列显示的数相减得出的数，"
        "按显示的（已取舍的）数相减，读者用表中数字可复算。"
    )


def time_progress_text(mode: str) -> str:
    if mode == TimeProgressMode.DAYS:
        return "已过天数 ÷ 全年天数 × 100%（本月按统计日或月末计）"
    return "已过月数 ÷ 12 × 100%（如1-7月为58.3%）"


def column_definitions(mode: str = TimeProgressMode.MONTHS) -> list[Definition]:
    return [
        Definition(
            "完成值",
            "该月最新一次填报的数：累计指标为1月至该月累计数，时点指标为月末数；"
            "标“预计”的为预计数。更正另行记录，原数保留。",
        ),
        Definition("完成率（占年计划）", "完成值 ÷ 年度目标（年计划） × 100%。"),
        Definition("序时进度", time_progress_text(mode) + "。"),
        Definition(
            "与序时进度差",
            "完成率 − 序时进度（按表中显示的两数相减，如44.5 − 58.3 = −13.8），单位为百分点；"
            "正数为“超序时进度”，负数为“低于序时进度”；状态颜色按此差判断。"
            "时点指标不按时间折算，以年度目标（100%）为基准。",
        ),
        Definition(
            "比同期增减",
            "完成值 − 上年同期数；增减% = 增减 ÷ 上年同期数 × 100%（上年同期数为0时不计算）。",
        ),
        Definition("取舍规则", rounding_rule()),
    ]


def status_rules() -> list[StatusRule]:
    band = calc.plain(calc.YELLOW_BAND_POINTS)
    return [
        StatusRule(IndicatorStatus.RED, f"低于序时进度超过{band}个百分点。"),
        StatusRule(IndicatorStatus.YELLOW, f"低于序时进度，差距不超过{band}个百分点。"),
        StatusRule(IndicatorStatus.GREEN, "完成率达到或超过序时进度（时点指标：达到年度目标）。"),
        StatusRule(IndicatorStatus.MISSING, "已定年度目标，但该月尚未填报完成值。"),
        StatusRule(IndicatorStatus.GREY, "该年度未设年度目标，不计算完成率。"),
    ]
