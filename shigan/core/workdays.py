"""Working days (工作日): China's public holidays and adjusted working days (调休), with local
overrides, and the arithmetic deadlines are counted in ("the 5th working day of the next month",
"overdue by 3 working days").

The national calendar comes from the `chinesecalendar` package (import name `chinese_calendar`),
whose data is bundled with it (no network at run time; a new release each year once the State
Council publishes the next year's arrangement). A year it does not cover falls back to weekends
only — Saturday and Sunday rest, every other day works — and says so: `coverage(year)` is False,
and pages that count working days show a warning. Nothing here raises for an uncovered year.

Local days (a district's own holiday, a working Saturday it decides) are overrides: a mapping
date → is_workday that wins over the national calendar. They are stored per district in
`shigan.orgs.workdays` (the model needs the district unit, and core may not import orgs); this
module stays pure arithmetic over a `WorkCalendar`, which asks its `load_year` callable for a
year's overrides the first time a date of that year is asked and keeps them for its own life. So
the cache is per calendar object — one per call site (a page, one run of a command) — never
global: an override saved by a coordinator is seen by the next request.

Counting conventions (the same for every function):
- `workdays_between(start, end)`: for end ≥ start, the working days in (start, end] — the start
  day is not counted, the end day is; for end < start, minus the working days in [end, start).
  0 when start == end.
- `add_workdays(day, n)`: n > 0 the n-th working day after `day` (`day` itself not counted);
  n < 0 the |n|-th working day before it; n == 0 `day` itself, working day or not. So
  `workdays_between(day, add_workdays(day, n)) == n` for every n and day.
- `next_workday(day)`: the first working day strictly after `day` (= add_workdays(day, 1));
  `workday_on_or_after(day)`: `day` if it works, else the next one (a deadline falling on a
  holiday moves to it).
- `nth_workday_of_month(year, month, n)`: the n-th working day of that month, counting its first
  day (n ≥ 1); None when the month has fewer.
"""

import datetime
from collections.abc import Callable, Mapping

import chinese_calendar

# Saturday and Sunday (date.weekday()).
WEEKEND = (5, 6)

# The longest stretch add_workdays walks: some 27 years of working days. A larger n is an input
# mistake, refused instead of walking to date.max.
MAX_WORKDAYS = 10_000

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

_HOLIDAYS = chinese_calendar.holidays  # date -> English name (the package's data)
_ADJUSTED_WORKDAYS = chinese_calendar.workdays  # weekend dates that work (调休), -> name
FIRST_YEAR = min(_HOLIDAYS).year
LAST_YEAR = max(_HOLIDAYS).year

Overrides = Mapping[datetime.date, bool]


def coverage(year: int) -> bool:
    """Whether the national calendar knows `year`'s holidays and 调休; else that year counts
    weekends only."""
    return FIRST_YEAR <= year <= LAST_YEAR


def coverage_note(year: int) -> str:
    """The warning a page shows for a year the calendar does not cover, else ''."""
    if coverage(year):
        return ""
    return (
        f"日历库只收录{FIRST_YEAR}—{LAST_YEAR}年的法定节假日与调休：{year}年暂按周六、周日"
        "休息计算工作日。国务院公布安排后升级 chinesecalendar，或在此逐日添加调整。"
    )


def holiday_name(english: str | None) -> str:
    return HOLIDAY_NAMES.get(english or "", english or "")


def national_is_workday(day: datetime.date) -> bool:
    """The national calendar's answer, weekends only for a year it does not cover."""
    if coverage(day.year):
        if day in _HOLIDAYS:
            return False
        if day in _ADJUSTED_WORKDAYS:
            return True
    return day.weekday() not in WEEKEND


def national_days(year: int) -> list[tuple[datetime.date, bool, str]]:
    """The year's departures from "Monday to Friday work": each public holiday falling on a
    weekday or weekend (is_workday False) and each adjusted working day (调休, True), with the
    holiday's Chinese name, by date. Empty for a year the calendar does not cover."""
    if not coverage(year):
        return []
    days = [(d, False, holiday_name(n)) for d, n in _HOLIDAYS.items() if d.year == year]
    days += [(d, True, holiday_name(n)) for d, n in _ADJUSTED_WORKDAYS.items() if d.year == year]
    return sorted(days)


class WorkCalendar:
    """The national calendar with one set of overrides (date → is_workday), loaded a year at a
    time through `load_year` (None: the national calendar alone) and kept for this object's
    life."""

    def __init__(self, load_year: Callable[[int], Overrides] | None = None):
        self._load_year = load_year
        self._years: dict[int, Overrides] = {}

    def overrides(self, year: int) -> Overrides:
        if year not in self._years:
            self._years[year] = self._load_year(year) if self._load_year else {}
        return self._years[year]

    def is_workday(self, day: datetime.date) -> bool:
        local = self.overrides(day.year).get(day)
        return national_is_workday(day) if local is None else local

    def _step(self, day: datetime.date, n: int, direction: int) -> datetime.date:
        one = datetime.timedelta(days=direction)
        while n:
            day += one
            if self.is_workday(day):
                n -= 1
        return day

    def add_workdays(self, day: datetime.date, n: int) -> datetime.date:
        if abs(n) > MAX_WORKDAYS:
            raise ValueError(f"工作日数{n}超出范围（±{MAX_WORKDAYS}）")
        return self._step(day, abs(n), 1 if n > 0 else -1)

    def workdays_between(self, start: datetime.date, end: datetime.date) -> int:
        one = datetime.timedelta(days=1)
        if end < start:
            return -sum(self.is_workday(d) for d in _span(end, start - one))
        return sum(self.is_workday(d) for d in _span(start + one, end))

    def next_workday(self, day: datetime.date) -> datetime.date:
        return self._step(day, 1, 1)

    def workday_on_or_after(self, day: datetime.date) -> datetime.date:
        return day if self.is_workday(day) else self.next_workday(day)

    def nth_workday_of_month(self, year: int, month: int, n: int) -> datetime.date | None:
        if n < 1:
            raise ValueError(f"第{n}个工作日：应从1起数")
        first = datetime.date(year, month, 1)
        day = first if self.is_workday(first) else self.next_workday(first)
        day = self._step(day, n - 1, 1) if n > 1 else day
        return day if day.month == month and day.year == year else None


def _span(first: datetime.date, last: datetime.date):
    """The dates from `first` to `last`, both included (none when last < first)."""
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


NATIONAL = WorkCalendar()


def is_workday(day: datetime.date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or NATIONAL).is_workday(day)


def add_workdays(day: datetime.date, n: int, calendar: WorkCalendar | None = None):
    return (calendar or NATIONAL).add_workdays(day, n)


def workdays_between(start: datetime.date, end: datetime.date, calendar=None) -> int:
    return (calendar or NATIONAL).workdays_between(start, end)


def next_workday(day: datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    return (calendar or NATIONAL).next_workday(day)


def workday_on_or_after(day: datetime.date, calendar: WorkCalendar | None = None):
    return (calendar or NATIONAL).workday_on_or_after(day)


def nth_workday_of_month(year: int, month: int, n: int, calendar: WorkCalendar | None = None):
    return (calendar or NATIONAL).nth_workday_of_month(year, month, n)
