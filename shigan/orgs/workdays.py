"""A district's working-day calendar: the national calendar (shigan.core.workdays, with 调休)
and the district's own overrides (WorkdayOverride), which a coordinator edits on 工作日历.

Why here: an override belongs to a district (a district's local holiday is not its neighbour's),
so its model needs the district unit — orgs. The date arithmetic stays in core, pure and taking
a mapping of override dates, so every layer can count working days; this module only loads a
district's overrides, one query per calendar year, into a core WorkCalendar. The loaded years are
kept by the calendar object, not globally: a caller that counts many dates (a page, one run of a
command) makes one `calendar_for(district_id)` and reuses it; the next request sees a saved
change. `district_id=None` is the national calendar alone.
"""

import datetime

from shigan.core import workdays as core
from shigan.core.workdays import WorkCalendar, coverage, coverage_note

from .models import WorkdayOverride

__all__ = [
    "WorkCalendar",
    "add_workdays",
    "calendar_for",
    "coverage",
    "coverage_note",
    "district_overrides",
    "is_workday",
    "next_workday",
    "nth_workday_of_month",
    "workdays_between",
]


def district_overrides(district_id: int, year: int) -> dict[datetime.date, bool]:
    """The district's active overrides of `year` as date → is_workday (one query)."""
    rows = WorkdayOverride.objects.filter(
        district_id=district_id, active=True, date__year=year
    ).values_list("date", "is_workday")
    return dict(rows)


def calendar_for(district_id: int | None) -> WorkCalendar:
    """The working-day calendar of the district (national only for None)."""
    if district_id is None:
        return core.NATIONAL
    return WorkCalendar(lambda year: district_overrides(district_id, year))


def is_workday(day: datetime.date, *, district_id: int | None = None) -> bool:
    return calendar_for(district_id).is_workday(day)


def add_workdays(day: datetime.date, n: int, *, district_id: int | None = None):
    """See shigan.core.workdays: n > 0 the n-th working day after `day` (not counting it)."""
    return calendar_for(district_id).add_workdays(day, n)


def workdays_between(start: datetime.date, end: datetime.date, *, district_id=None) -> int:
    """See shigan.core.workdays: working days in (start, end]."""
    return calendar_for(district_id).workdays_between(start, end)


def next_workday(day: datetime.date, *, district_id: int | None = None) -> datetime.date:
    return calendar_for(district_id).next_workday(day)


def nth_workday_of_month(year: int, month: int, n: int, *, district_id: int | None = None):
    return calendar_for(district_id).nth_workday_of_month(year, month, n)
