"""Chart data for the indicator pages: plain dicts of numbers and labels, handed to the page with
json_script and drawn by static/indicators/charts.js. No figure is computed in the browser."""

from collections.abc import Sequence
from decimal import Decimal

from .calc import HUNDRED
from .models import Actual, Indicator
from .queries import IndicatorRow, ProjectRate


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _target_line(indicator: Indicator, target: Decimal | None, months: range) -> list:
    """The target each month should have reached: annual target × month ÷ 12 for a cumulative
    indicator (序时目标), the target itself for a point-in-time one."""
    if target is None:
        return []
    if indicator.is_cumulative:
        return [_num(target * m / 12) for m in months]
    return [_num(target) for _ in months]


def trend_chart(
    indicator: Indicator,
    *,
    month: int,
    target: Decimal | None,
    current: dict[int, Actual],
    same_period: Sequence[Decimal | None],
) -> dict:
    """Monthly figures of January to `month` against the target line and last year's figures.
    `current` maps a month to its current entry; `same_period` holds months 1-12."""
    months = range(1, month + 1)
    return {
        "name": indicator.name,
        "unit": indicator.get_measure_unit_display(),
        "cumulative": indicator.is_cumulative,
        "months": [f"{m}月" for m in months],
        "actual": [_num(current[m].value) if m in current else None for m in months],
        "estimate": [bool(m in current and current[m].is_estimate) for m in months],
        "target": _target_line(indicator, target, months),
        "targetName": "序时目标" if indicator.is_cumulative else "年度目标",
        "samePeriod": [_num(same_period[m - 1]) for m in months],
    }


def completion_chart(rows: Sequence[IndicatorRow], time_pct: Decimal) -> dict:
    """Completion share per indicator with a target (占年计划%), coloured by status, and the
    time-progress marker."""
    shown = [row for row in rows if row.completion_pct is not None]
    return {
        "names": [row.display_name for row in shown],
        "values": [_num(row.completion_pct) for row in shown],
        "status": [row.status.value for row in shown],
        "point": [not row.indicator.is_cumulative for row in shown],
        "timeProgress": _num(time_pct),
        "hundred": _num(HUNDRED),
    }


def rates_chart(rates: Sequence[ProjectRate]) -> dict:
    """The four key-project rates as bars (None where the rate has no denominator, or a base
    too small to print as a percentage: calc.SMALL_BASE)."""
    return {
        "names": [rate.name for rate in rates],
        "values": [_num(rate.shown_pct) for rate in rates],
    }
