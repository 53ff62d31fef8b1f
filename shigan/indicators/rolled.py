"""The indicator table's rows with the figure their lowers roll up to (下级汇总,
indicators.rollup), where a level has no figure of its own: the one reading of such a row the
indicator table, the cockpit and 下级对比 share, so the three count it alike."""

import datetime
from decimal import Decimal

from django.db.models import QuerySet

from . import calc
from .calc import IndicatorStatus
from .queries import (
    IndicatorRow,
    IndicatorSummary,
    indicator_summary,
    time_progress_on,
)
from .rollup import LOWERS, RolledFigure, upper_figures


def judged(fig: RolledFigure, time_pct: Decimal):
    """Completion, 序时进度 (None for a point indicator: its benchmark is 100), printed gap and
    status of a rolled figure, by the dashboard's rules (calc). A partial sum (a lower missing,
    no own figure) is not judged against the whole target: it is 未填报 until complete."""
    ind = fig.indicator
    benchmark = time_pct if ind.is_cumulative else calc.HUNDRED
    partial = fig.source == LOWERS and not fig.complete
    completion = None if partial else calc.completion_share(fig.value, fig.target)
    if not fig.target:
        status = IndicatorStatus.GREY
    elif fig.value is None or partial:
        status = IndicatorStatus.MISSING
    else:
        status = calc.indicator_status(completion, benchmark, lower_is_better=ind.lower_is_better)
    shown_time = calc.round_pct(time_pct) if ind.is_cumulative else None
    gap = calc.printed_gap(completion, benchmark)
    return calc.round_pct(completion), shown_time, gap, status


def with_rolled(
    rows: list[IndicatorRow],
    year: int,
    month: int,
    time_pct: Decimal,
    as_of: datetime.date | None = None,
) -> list[IndicatorRow]:
    """The table's rows, each with `rolled`: its lowers' figure (下级汇总) where the level has
    no figure of its own for the month and something rolls into it, else None; such a row is
    judged on the rolled figure and its target (own, else the lowers'), against `time_pct`
    (three queries; with `as_of`, the figures filed by that day)."""
    figures = upper_figures([r.indicator for r in rows], year=year, month=month, as_of=as_of)
    for row in rows:
        fig = figures.get(row.indicator.pk)
        has_lowers = fig is not None and (fig.parts or fig.numerator)
        row.rolled = fig if has_lowers and row.value is None and fig.value is not None else None
        if row.rolled is not None:
            row.target = fig.target
            row.completion_pct, _, row.gap_points, row.status = judged(fig, time_pct)
            row.change_abs, change_pct = calc.change_vs_same_period(fig.value, row.same_period)
            row.change_pct = calc.round_pct(change_pct)
    return rows


def rolled_summary(indicators: QuerySet, year: int, as_of: datetime.date) -> IndicatorSummary:
    """indicators.queries.indicator_summary with each row rolled from its lowers where the level
    has no figure of its own (with_rolled, against 序时进度 on `as_of`): five queries, one
    before the year begins."""
    summary = indicator_summary(indicators, year, as_of)
    if summary.month:
        time_pct = time_progress_on(year, summary.month, as_of)
        with_rolled(summary.rows, year, summary.month, time_pct, as_of)
    return summary
