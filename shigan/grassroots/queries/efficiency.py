"""Service efficiency (马上就办) of the concerns a user reads — computed here once, for the page,
and later the report and the cockpit.

Rules (the tests hold them):
- received: concerns received (all of `concerns`); closed: those with a closing date (办结);
- on-time closure rate: closed on or before their due date / closed, in per cent to one decimal
  (None when nothing is closed);
- working days to close: `received_on` → `closed_on` on the district's working-day calendar
  (the received day not counted, the closing day counted: received 2023-09-28, closed
  2023-10-09 is 3 — Oct 7 and 8 worked 调休, and 9); the median of the closed concerns';
- backlog: the open concerns by handling unit (assigned unit; 未转办 when none), in age bands of
  working days since received (0–2, 3–5, 6–10, over 10), with how many are overdue (today past
  their due date);
- satisfaction rate: 满意 + 基本满意 over the concerns with a 回访 satisfaction (the concern keeps
  its last 回访's answer), in per cent to one decimal;
- trend: per month of the campaign's year up to today's month — received in the month, closed in
  the month, and the on-time rate of those closed in the month.
- as known on `today` (the page's today, the report's as-of date): concerns received after it are
  not counted, one closed after it is still open, and its satisfaction is that of its last 回访
  dated by it (a 办结 is never undone — it needs a satisfied 回访 — so the closing date alone
  tells whether it was closed then).
One query for the concerns' rows; the calendar reads its overrides once per year it spans.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from shigan.core.numbers import round_pct
from shigan.core.workdays import WorkCalendar

from ..models import ConcernAction, ConcernStep, Satisfaction

AGE_BANDS = [
    ("0–2个工作日", 0, 2),
    ("3–5个工作日", 3, 5),
    ("6–10个工作日", 6, 10),
    ("10个工作日以上", 11, None),
]
NO_UNIT = "未转办"
SATISFIED = {Satisfaction.SATISFIED.value, Satisfaction.BASIC.value}


def rate(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent to one decimal, half-up as every percentage shown (1 of 16
    is 6.3); None when `whole` is 0."""
    return float(round_pct(Decimal(100 * part) / whole)) if whole else None


@dataclass
class BacklogRow:
    unit: str
    bands: list[int] = field(default_factory=lambda: [0] * len(AGE_BANDS))
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.bands)


@dataclass
class MonthRow:
    month: datetime.date
    received: int = 0
    closed: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.closed)


@dataclass
class Efficiency:
    received: int
    closed: int
    on_time: int
    median_workdays: float | None
    satisfied: int
    asked: int
    backlog: list[BacklogRow]
    backlog_total: BacklogRow
    months: list[MonthRow]

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.asked)


class WorkdayCounter:
    """Working days between dates of one span, counted once per day of the span (a page of
    thousands of concerns does not walk the calendar for each)."""

    def __init__(self, calendar: WorkCalendar, first: datetime.date, last: datetime.date):
        self.first = first
        self.cumulative = [0]
        day = first
        while day < last:
            day += datetime.timedelta(days=1)
            self.cumulative.append(self.cumulative[-1] + calendar.is_workday(day))

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """As WorkCalendar.workdays_between: `start` not counted, `end` counted."""
        index = self.cumulative
        return index[(end - self.first).days] - index[(start - self.first).days]


def age_band(workdays: int) -> int:
    """The index in AGE_BANDS of an open concern `workdays` working days old."""
    for index, (_, _low, high) in enumerate(AGE_BANDS):
        if high is None or workdays <= high:
            return index
    return len(AGE_BANDS) - 1


def satisfaction_on(day: datetime.date) -> Subquery:
    """A concern's satisfaction as known on `day`: its last 回访's answer dated by then."""
    follow_ups = ConcernAction.objects.filter(
        concern=OuterRef("pk"), step=ConcernStep.FOLLOWED_UP, on__lte=day
    ).order_by("-on", "-id")
    return Subquery(follow_ups.values("satisfaction")[:1])


def concerns_known_on(concerns: QuerySet, day: datetime.date) -> QuerySet:
    """`concerns` received by `day`, with `satisfaction_then` (see the module docstring)."""
    return concerns.filter(received_on__lte=day).annotate(satisfaction_then=satisfaction_on(day))


def efficiency(
    concerns: QuerySet, *, year: int, today: datetime.date, calendar: WorkCalendar
) -> Efficiency:
    """The efficiency figures of `concerns` (already scoped and filtered) as of `today`."""
    known = concerns_known_on(concerns, today).values_list(
        "received_on", "due_on", "closed_on", "satisfaction_then", "assigned_unit__name"
    )
    rows = [
        (received, due, closed if closed and closed <= today else None, answer or "", unit)
        for received, due, closed, answer, unit in known.order_by()
    ]
    dates = [d for r in rows for d in (r[0], r[2]) if d] + [today]
    counter = WorkdayCounter(calendar, min(dates), max(dates))
    closed = [r for r in rows if r[2] is not None]
    durations = [max(counter.between(r[0], r[2]), 0) for r in closed]
    backlog, total = _backlog([r for r in rows if r[2] is None], today, counter)
    return Efficiency(
        received=len(rows),
        closed=len(closed),
        on_time=sum(r[2] <= r[1] for r in closed),
        median_workdays=statistics.median(durations) if durations else None,
        satisfied=sum(r[3] in SATISFIED for r in rows),
        asked=sum(bool(r[3]) for r in rows),
        backlog=backlog,
        backlog_total=total,
        months=_months(rows, year, today),
    )


def _backlog(open_rows, today, counter) -> tuple[list[BacklogRow], BacklogRow]:
    by_unit: dict[str, BacklogRow] = {}
    total = BacklogRow(unit="合计")
    for received_on, due_on, _, _, unit in open_rows:
        name = unit or NO_UNIT
        row = by_unit.setdefault(name, BacklogRow(unit=name))
        band = age_band(counter.between(received_on, today))
        for target in (row, total):
            target.bands[band] += 1
            target.overdue += today > due_on
    ordered = sorted(by_unit.values(), key=lambda r: (r.unit == NO_UNIT, r.unit))
    return ordered, total


def _months(rows, year: int, today: datetime.date) -> list[MonthRow]:
    last = 12 if today.year > year else (today.month if today.year == year else 0)
    months = {m: MonthRow(month=datetime.date(year, m, 1)) for m in range(1, last + 1)}
    counted = defaultdict(lambda: None, {(year, m): row for m, row in months.items()})
    for received_on, due_on, closed_on, _, _ in rows:
        if row := counted[(received_on.year, received_on.month)]:
            row.received += 1
        if closed_on and (row := counted[(closed_on.year, closed_on.month)]):
            row.closed += 1
            row.on_time += closed_on <= due_on
    return list(months.values())
