"""An indicator's year month by month, and its append-only entries, for the detail page.
Built from queries.actual_history with calc's rules; no query of its own."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import calc
from .calc import IndicatorStatus, round_pct
from .models import Actual, Indicator


@dataclass
class MonthRow:
    """One month of the year as the indicator table would show it."""

    month: int
    actual: Actual | None
    same_period: Decimal | None
    completion_pct: Decimal | None
    time_progress_pct: Decimal | None
    gap_points: Decimal | None
    change_abs: Decimal | None
    change_pct: Decimal | None
    status: IndicatorStatus


@dataclass
class Entry:
    """An entry with what became of it: `current` when it is its month's figure, else the ids
    of the entries correcting it."""

    actual: Actual
    current: bool
    corrected_by: list[int] = field(default_factory=list)


def current_by_month(entries: Sequence[Actual]) -> dict[int, Actual]:
    """Each month's current entry: the one entered last (entries come in id order)."""
    return {entry.month: entry for entry in entries}


def history_entries(entries: Sequence[Actual]) -> list[Entry]:
    current = {entry.pk for entry in current_by_month(entries).values()}
    corrected_by: dict[int, list[int]] = {}
    for entry in entries:
        if entry.corrects_id:
            corrected_by.setdefault(entry.corrects_id, []).append(entry.pk)
    return [Entry(e, e.pk in current, corrected_by.get(e.pk, [])) for e in entries]


def _status(indicator, target, value, completion, benchmark) -> IndicatorStatus:
    if not target:
        return IndicatorStatus.GREY
    if value is None:
        return IndicatorStatus.MISSING
    return calc.indicator_status(completion, benchmark, lower_is_better=indicator.lower_is_better)


def month_row(
    indicator: Indicator,
    month: int,
    *,
    actual: Actual | None,
    target: Decimal | None,
    same_period: Decimal | None,
) -> MonthRow:
    value = actual.value if actual else None
    time_pct = calc.time_progress(month)
    benchmark = time_pct if indicator.is_cumulative else calc.HUNDRED
    completion = calc.completion_share(value, target)
    change_abs, change_pct = calc.change_vs_same_period(value, same_period)
    return MonthRow(
        month=month,
        actual=actual,
        same_period=same_period,
        completion_pct=round_pct(completion),
        time_progress_pct=round_pct(time_pct) if indicator.is_cumulative else None,
        gap_points=calc.printed_gap(completion, benchmark),
        change_abs=change_abs,
        change_pct=round_pct(change_pct),
        status=_status(indicator, target, value, completion, benchmark),
    )


def month_rows(
    indicator: Indicator,
    *,
    last_month: int,
    current: dict[int, Actual],
    target: Decimal | None,
    same_period: Sequence[Decimal | None],
) -> list[MonthRow]:
    """Months 1 to `last_month`, each with the same figures as the indicator table."""
    return [
        month_row(
            indicator, m, actual=current.get(m), target=target, same_period=same_period[m - 1]
        )
        for m in range(1, last_month + 1)
    ]
