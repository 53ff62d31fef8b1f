"""Computed figures: completion, change vs last year, time progress, gaps, status, project rates.

Pure functions on Decimal. The constants below are the only place these rules are set.

Rounding rule (one, explicit, written in shigan.core.numbers): percentages and 百分点 are rounded
ROUND_HALF_UP to one decimal place (a tie goes away from zero: 28.25 → 28.3, 44.45 → 44.5,
−28.25 → −28.3), once, from the raw unrounded value — never from an already rounded figure
(8.449 → 8.4, not 8.45 → 8.5). The functions here return raw values; `round_pct` is applied once
where a figure is shown. GB/T 8170's 四舍六入五成双 differs only on exact ties; the statistics
texts we follow round half-up.

Status (three colours, as Chinese supervision platforms use them), on the rounded gap so that the
colour always agrees with the printed 百分点: for an indicator where higher is better, green
(达序时) when completion is at or above the benchmark, yellow (略低于序时) when it is below by at
most YELLOW_BAND_POINTS, red (明显滞后) when below by more; mirrored when lower is better; grey when
there is no target (无目标), or no figure reported for the month yet (未填报). The benchmark is time progress (序时进度) for cumulative indicators and 100
(the target itself) for point-in-time ones.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from shigan.core import clock
from shigan.core.numbers import PCT_PLACES, ROUNDING, round_pct

HUNDRED = Decimal(100)
# The rounding rule as the legend states it (shigan.core.numbers holds the rule).
PCT_QUANTUM = Decimal(1).scaleb(-PCT_PLACES)
PCT_ROUNDING = ROUNDING
YELLOW_BAND_POINTS = Decimal(5)
# A reported figure this far off last month's (cumulative: its pro-rata projection) or last
# year's same period needs a written note (说明).
NOTE_DEVIATION = Decimal("0.5")


class TimeProgressMode(models.TextChoices):
    MONTHS = "months", "按月（已过月数÷12）"
    DAYS = "days", "按天（已过天数÷全年天数）"


class IndicatorStatus(models.TextChoices):
    GREEN = "green", "达序时"
    YELLOW = "yellow", "略低于序时"
    RED = "red", "明显滞后"
    GREY = "grey", "无目标"
    MISSING = "missing", "未填报"


def plain(value: Decimal | None) -> str:
    """A figure as written in Chinese statistics: no exponent, no trailing zeros, no separators."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in {"-0", "0"} else text


def completion_share(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Actual as a percentage of the annual target (占年计划%), raw; None without a target."""
    if actual is None or not target:
        return None
    return actual / target * HUNDRED


def change_vs_same_period(
    actual: Decimal | None, last: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """(actual − last, that difference as a percentage of |last| (同比%), raw). The difference is None
    without both figures; the percentage also when last year's figure is 0."""
    if actual is None or last is None:
        return None, None
    difference = actual - last
    return difference, (difference / abs(last) * HUNDRED if last else None)


def time_progress(month: int) -> Decimal:
    """Time progress (序时进度) at the end of `month`: months elapsed ÷ 12 × 100, raw."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    return Decimal(month) / 12 * HUNDRED


def time_progress_days(as_of: datetime.date) -> Decimal:
    """Time progress by days: day of the year ÷ days in the year × 100, raw."""
    days_in_year = 366 if calendar.isleap(as_of.year) else 365
    return Decimal(as_of.timetuple().tm_yday) / days_in_year * HUNDRED


def month_end(year: int, month: int) -> datetime.date:
    return clock.month_end(datetime.date(year, month, 1))


def time_progress_for(
    year: int,
    month: int,
    *,
    mode: str = TimeProgressMode.MONTHS,
    as_of: datetime.date | None = None,
) -> Decimal:
    """Time progress for a report on month `month` of `year`: by months (default), or by days as
    of `as_of` (the month's last day when not given)."""
    if mode == TimeProgressMode.DAYS:
        return time_progress_days(as_of or month_end(year, month))
    return time_progress(month)


def gap_points(completion_pct: Decimal | None, time_pct: Decimal | None) -> Decimal | None:
    """Completion minus time progress in 百分点 (超/低于序时进度N个百分点), raw inputs, raw result."""
    if completion_pct is None or time_pct is None:
        return None
    return completion_pct - time_pct


def indicator_status(
    completion_pct: Decimal | None, benchmark_pct: Decimal | None, *, lower_is_better: bool = False
) -> IndicatorStatus:
    """The colour of an indicator from raw completion and benchmark percentages."""
    gap = round_pct(gap_points(completion_pct, benchmark_pct))
    if gap is None:
        return IndicatorStatus.GREY
    behind = gap if lower_is_better else -gap
    if behind <= 0:
        return IndicatorStatus.GREEN
    if behind <= YELLOW_BAND_POINTS:
        return IndicatorStatus.YELLOW
    return IndicatorStatus.RED


def deviation(value: Decimal, reference: Decimal | None) -> Decimal | None:
    """|value − reference| ÷ |reference|; None when there is no reference or it is 0."""
    if not reference:
        return None
    return abs(value - reference) / abs(reference)


def cumulative_projection(previous: Decimal, month: int) -> Decimal:
    """Last month's running total carried on at the same pace to `month` (month ≥ 2)."""
    return previous * month / (month - 1)


def rate_pct(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """numerator ÷ denominator × 100, raw; None when the denominator is 0."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator) * HUNDRED


@dataclass(frozen=True)
class RateDefinition:
    key: str
    name: str
    definition: str


CONTRACT_FULFILMENT = RateDefinition(
    "contract_fulfilment", "履约率", "本年完成投资之和 ÷ 本年计划投资之和 × 100%"
)
FUNDS_IN_PLACE = RateDefinition(
    "funds_in_place", "资金到位率", "到位资金之和 ÷ 合同投资之和 × 100%"
)
START = RateDefinition(
    "start", "开工率", "截至统计日已开工项目数 ÷ 计划于统计日前（含当日）开工的项目数 × 100%"
)
COMPLETION = RateDefinition(
    "completion",
    "竣工投产率",
    "截至统计日已竣工投产项目数 ÷ 计划于统计日前（含当日）竣工投产的项目数 × 100%",
)
PROJECT_RATES = (CONTRACT_FULFILMENT, FUNDS_IN_PLACE, START, COMPLETION)
