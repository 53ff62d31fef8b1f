"""The cadence rules (会议频次) — the one place they are defined.

A series meeting monthly or quarterly is checked period by period: the calendar months or
quarters that overlap its active dates [start, end], clipped to them, up to the period holding
`as_of`. In each period, counting only meetings held on or before `as_of`:

- 1 meeting          → held (已召开)
- 2 or more meetings → held more than once (多次): not a fault, but noted
- 0 meetings, the period over (its last day before `as_of`) → missed (缺会)
- 0 meetings, the period not yet over (`as_of` on or before its last day) → pending (未到期)

A series without a cadence (不定期) has no periods and never misses.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

QUARTER_NAMES = ["一", "二", "三", "四"]


class PeriodState(models.TextChoices):
    HELD = "held", "已召开"
    MULTIPLE = "multiple", "多次"
    MISSED = "missed", "缺会"
    PENDING = "pending", "未到期"


@dataclass(frozen=True)
class CadencePeriod:
    """One month or quarter of a series, with the dates it met on."""

    start: datetime.date
    end: datetime.date
    label: str
    dates: tuple[datetime.date, ...]
    state: PeriodState

    @property
    def count(self) -> int:
        return len(self.dates)


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _calendar_period(day: datetime.date, cadence: str) -> tuple[datetime.date, datetime.date, str]:
    """The calendar month or quarter holding `day`: (first day, last day, label)."""
    if cadence == "monthly":
        first = day.replace(day=1)
        return first, _next_month(first) - datetime.timedelta(days=1), f"{day.year}年{day.month}月"
    quarter = (day.month - 1) // 3
    first = datetime.date(day.year, quarter * 3 + 1, 1)
    after = _next_month(_next_month(_next_month(first)))
    label = f"{day.year}年第{QUARTER_NAMES[quarter]}季度"
    return first, after - datetime.timedelta(days=1), label


def _state(count: int, end: datetime.date, as_of: datetime.date) -> PeriodState:
    if count >= 2:
        return PeriodState.MULTIPLE
    if count == 1:
        return PeriodState.HELD
    return PeriodState.PENDING if as_of <= end else PeriodState.MISSED


def cadence_periods(
    cadence: str,
    *,
    start: datetime.date,
    end: datetime.date,
    as_of: datetime.date,
    dates: Iterable[datetime.date],
) -> list[CadencePeriod]:
    """The periods of a series active over [start, end] as they stand on `as_of`, oldest first;
    `dates` are the days its meetings were (or are planned to be) held."""
    if cadence not in {"monthly", "quarterly"}:
        return []
    held = sorted(d for d in dates if d <= as_of)
    last = min(end, as_of)
    periods = []
    day = start
    while day <= last:
        first, final, label = _calendar_period(day, cadence)
        first, final = max(first, start), min(final, end)
        in_period = tuple(d for d in held if first <= d <= final)
        periods.append(
            CadencePeriod(first, final, label, in_period, _state(len(in_period), final, as_of))
        )
        day = final + datetime.timedelta(days=1)
    return periods
