"""Computed figures: completion, change vs last year, time progress, gaps, status, project rates.

Pure functions on Decimal. The constants below are the only place these rules are set.

Rounding rule (one, explicit, written in shigan.core.numbers): percentages and 百分点 are rounded
ROUND_HALF_UP to one decimal place (a tie goes away from zero: 28.25 → 28.3, 44.45 → 44.5,
−28.25 → −28.3), once, from the raw unrounded value — never from an already rounded figure
(8.449 → 8.4, not 8.45 → 8.5). The functions here return raw values; `round_pct` is applied once
where a figure is shown. GB/T 8170's 四舍六入五成双 differs only on exact ties; the statistics
texts we follow round half-up.

Derived-figure rule (also in shigan.core.numbers): the gap to 序时进度 is printed beside the
completion and the time progress it is derived from, so it is computed from them as printed —
`printed_gap` = rounded completion − rounded benchmark (完成44.5、序时进度58.3 → 低于13.8, although
the raw 44.474 − 58.333 would round to 13.9). Every page, export and the report take the gap from
`printed_gap`, never from a difference of raw values.

Status (three colours, as Chinese supervision platforms use them), on the printed gap so that the
colour always agrees with the printed 百分点: for an indicator where higher is better, green
(达序时) when completion is at or above the benchmark, yellow (略低于序时) when it is below by at
most YELLOW_BAND_POINTS, red (明显滞后) when below by more; mirrored when lower is better; grey when
there is no target (无目标), or no figure reported for the month yet (未填报). The benchmark is
time progress (序时进度) for cumulative indicators and 100 (the target itself) for point-in-time
ones.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from shigan.core import clock
from shigan.core.numbers import PCT_PLACES, ROUNDING, printed_difference
from shigan.core.numbers import PERCENT_SIGN as PERCENT_SIGN  # re-exported: calc.PERCENT_SIGN
from shigan.core.numbers import pct_number as pct_number  # re-exported
from shigan.core.numbers import pct_text as pct_text  # re-exported
from shigan.core.numbers import round_pct as round_pct  # re-exported: calc.round_pct

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
    """Completion minus time progress in 百分点, raw inputs, raw result: the checker's reading of
    documents that round the raw difference. Never for display: pages, exports and the report
    print `printed_gap`."""
    if completion_pct is None or time_pct is None:
        return None
    return completion_pct - time_pct


def printed_gap(completion_pct: Decimal | None, benchmark_pct: Decimal | None) -> Decimal | None:
    """Completion minus its benchmark (序时进度, or 100 for a point-in-time indicator) in 百分点
    (超/低于序时进度N个百分点), from raw percentages, as printed: the printed completion minus the
    printed benchmark (core.numbers.printed_difference), one decimal; None without both."""
    return printed_difference(completion_pct, benchmark_pct)


def indicator_status(
    completion_pct: Decimal | None, benchmark_pct: Decimal | None, *, lower_is_better: bool = False
) -> IndicatorStatus:
    """The colour of an indicator from raw completion and benchmark percentages, judged on the
    gap as printed (`printed_gap`)."""
    gap = printed_gap(completion_pct, benchmark_pct)
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


# A rate that counts projects (开工率, 竣工投产率) over fewer than SMALL_BASE projects is not
# printed as a percentage: one project moves it by 20 points or more, and "竣工投产率100.0％"
# next to "6个重点项目" reads as if all six were finished when 1 of 1 due is. It is written
# with its counts instead ("应竣工投产的1个项目已竣工投产"; "应开工的3个项目中已开工2个").
SMALL_BASE = 5


def is_small_base(denominator: Decimal | int) -> bool:
    """Whether a count rate over `denominator` items is written with its counts, not as a %
    (0 < denominator < SMALL_BASE; a rate over 0 has no value at all)."""
    return 0 < denominator < SMALL_BASE


@dataclass(frozen=True)
class RateDefinition:
    """A key-project rate: `counted` when it counts projects (its base a number of projects,
    subject to SMALL_BASE), else a ratio of amounts in 万元."""

    key: str
    name: str
    definition: str
    counted: bool = False


CONTRACT_FULFILMENT = RateDefinition(
    "contract_fulfilment", "履约率", "本年完成投资之和 ÷ 本年计划投资之和 × 100%"
)
FUNDS_IN_PLACE = RateDefinition(
    "funds_in_place", "资金到位率", "到位资金之和 ÷ 合同投资之和 × 100%"
)
START = RateDefinition(
    "start",
    "开工率",
    "截至统计日已开工项目数 ÷ 计划于统计日前（含当日）开工的项目数 × 100%",
    counted=True,
)
COMPLETION = RateDefinition(
    "completion",
    "竣工投产率",
    "截至统计日已竣工投产项目数 ÷ 计划于统计日前（含当日）竣工投产的项目数 × 100%",
    counted=True,
)
PROJECT_RATES = (CONTRACT_FULFILMENT, FUNDS_IN_PLACE, START, COMPLETION)
