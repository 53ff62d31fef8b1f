"""Working days on the national calendar (chinesecalendar's data, with 调休) and with overrides:
real 2023/2024 arrangements, the counting conventions of shigan.core.workdays, a year the
calendar does not cover, and the consistency of add_workdays and workdays_between."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.core import workdays
from shigan.core.workdays import (
    WorkCalendar,
    add_workdays,
    coverage,
    coverage_note,
    is_workday,
    national_days,
    next_workday,
    nth_workday_of_month,
    workday_on_or_after,
    workdays_between,
)

D = datetime.date


def test_national_day_and_mid_autumn_2023_are_holidays_and_the_weekend_after_works():
    for day in range(1, 7):  # 国庆中秋 2023-09-29..10-06; 10-01..06 here
        assert not is_workday(D(2023, 10, day)), day
    assert D(2023, 10, 7).weekday() == 5 and is_workday(D(2023, 10, 7))  # Saturday, 调休
    assert D(2023, 10, 8).weekday() == 6 and is_workday(D(2023, 10, 8))  # Sunday, 调休
    assert not is_workday(D(2023, 10, 14))  # an ordinary Saturday rests


def test_sunday_23_april_2023_is_a_working_day_for_labour_day():
    assert D(2023, 4, 23).weekday() == 6
    assert is_workday(D(2023, 4, 23))


def test_spring_festival_2024_and_its_two_working_sundays():
    for day in range(10, 18):
        assert not is_workday(D(2024, 2, day)), day
    assert D(2024, 2, 4).weekday() == 6 and is_workday(D(2024, 2, 4))
    assert D(2024, 2, 18).weekday() == 6 and is_workday(D(2024, 2, 18))
    # 除夕 (02-09) was officially a working day: employers were only encouraged to give it off.
    assert is_workday(D(2024, 2, 9))


def test_ordinary_weekdays_work_and_weekends_rest():
    assert is_workday(D(2023, 10, 9))  # Monday
    assert not is_workday(D(2023, 10, 15))  # Sunday


def test_add_workdays_across_the_national_day_holiday_and_its_adjusted_weekend():
    # Thursday 2023-09-28 is the last working day before 中秋国庆 (09-29..10-06).
    assert add_workdays(D(2023, 9, 28), 1) == D(2023, 10, 7)  # the working Saturday
    assert add_workdays(D(2023, 9, 28), 2) == D(2023, 10, 8)  # the working Sunday
    assert add_workdays(D(2023, 9, 28), 3) == D(2023, 10, 9)
    assert add_workdays(D(2023, 10, 9), -2) == D(2023, 10, 7)
    assert add_workdays(D(2023, 10, 7), -1) == D(2023, 9, 28)
    assert workdays_between(D(2023, 9, 28), D(2023, 10, 9)) == 3
    assert workdays_between(D(2023, 10, 9), D(2023, 9, 28)) == -3


def test_adding_zero_working_days_is_the_day_itself_even_on_a_holiday():
    assert add_workdays(D(2023, 10, 3), 0) == D(2023, 10, 3)
    assert workdays_between(D(2023, 10, 3), D(2023, 10, 3)) == 0


def test_the_start_day_is_not_counted_and_the_end_day_is():
    # Monday to Friday of an ordinary week: Tuesday..Friday are 4 working days after Monday.
    assert workdays_between(D(2023, 10, 16), D(2023, 10, 20)) == 4
    assert add_workdays(D(2023, 10, 16), 4) == D(2023, 10, 20)
    # From a holiday: the first working day after it is one working day later.
    assert workdays_between(D(2023, 10, 3), D(2023, 10, 7)) == 1


def test_next_workday_is_strictly_after_and_on_or_after_keeps_a_working_day():
    assert next_workday(D(2023, 10, 9)) == D(2023, 10, 10)
    assert next_workday(D(2023, 9, 28)) == D(2023, 10, 7)
    assert workday_on_or_after(D(2023, 10, 9)) == D(2023, 10, 9)
    assert workday_on_or_after(D(2023, 10, 1)) == D(2023, 10, 7)


def test_the_fifth_working_day_of_october_2023_is_the_11th():
    # 10-07 (Sat) and 10-08 (Sun) are its first two working days: the 9th, 10th, 11th follow.
    assert nth_workday_of_month(2023, 10, 1) == D(2023, 10, 7)
    assert nth_workday_of_month(2023, 10, 5) == D(2023, 10, 11)
    # February 2024: 02-01 Thu, 02 Fri, 04 Sun (调休), 05 Mon, 06 Tue.
    assert nth_workday_of_month(2024, 2, 5) == D(2024, 2, 6)


def test_a_month_with_fewer_working_days_has_no_nth():
    assert nth_workday_of_month(2023, 10, 30) is None
    with pytest.raises(ValueError):
        nth_workday_of_month(2023, 10, 0)


def test_an_override_wins_over_the_national_calendar():
    local = {D(2023, 10, 9): False, D(2023, 10, 14): True}
    calendar = WorkCalendar(lambda year: local if year == 2023 else {})
    assert not calendar.is_workday(D(2023, 10, 9))
    assert calendar.is_workday(D(2023, 10, 14))
    assert calendar.add_workdays(D(2023, 10, 8), 1) == D(2023, 10, 10)
    assert calendar.nth_workday_of_month(2023, 10, 5) == D(2023, 10, 12)
    assert is_workday(D(2023, 10, 9))  # the national calendar is untouched


def test_overrides_are_loaded_once_per_year_by_the_calendar_that_asks():
    asked = []

    def load(year):
        asked.append(year)
        return {}

    calendar = WorkCalendar(load)
    calendar.workdays_between(D(2023, 12, 1), D(2024, 1, 31))
    calendar.add_workdays(D(2023, 12, 20), 10)
    assert asked == [2023, 2024]
    assert WorkCalendar(load).is_workday(D(2023, 1, 3)) and asked == [2023, 2024, 2023]


def test_a_year_the_calendar_does_not_cover_counts_weekends_only_and_says_so():
    year = workdays.LAST_YEAR + 5
    assert not coverage(year) and coverage(2023)
    assert f"{year}年暂按周六、周日休息" in coverage_note(year)
    assert coverage_note(2023) == ""
    assert national_days(year) == []
    jan1 = D(year, 1, 1)
    assert is_workday(jan1) == (jan1.weekday() < 5)  # no 元旦 known: a weekday works
    friday = jan1 + datetime.timedelta(days=(4 - jan1.weekday()) % 7)
    assert add_workdays(friday, 1) == friday + datetime.timedelta(days=3)
    assert not coverage(workdays.FIRST_YEAR - 1)
    assert is_workday(D(1990, 1, 2))


def test_national_days_lists_the_years_holidays_and_adjusted_working_days_by_name():
    days = {d: (works, name) for d, works, name in national_days(2023)}
    assert days[D(2023, 10, 1)] == (False, "国庆节")
    assert days[D(2023, 9, 29)] == (False, "中秋节")
    assert days[D(2023, 10, 7)] == (True, "国庆节")
    assert days[D(2023, 4, 23)] == (True, "劳动节")
    assert D(2023, 10, 9) not in days


def test_an_absurd_number_of_working_days_is_refused_not_walked():
    with pytest.raises(ValueError):
        add_workdays(D(2023, 1, 1), workdays.MAX_WORKDAYS + 1)


dates = st.dates(min_value=D(2003, 1, 1), max_value=D(2030, 12, 31))
local = st.dictionaries(dates, st.booleans(), max_size=20)


def _calendar(overrides):
    by_year = {}
    for day, works in overrides.items():
        by_year.setdefault(day.year, {})[day] = works
    return WorkCalendar(lambda year: by_year.get(year, {}))


@settings(max_examples=200, deadline=None)
@given(day=dates, n=st.integers(-400, 400), overrides=local)
def test_workdays_between_undoes_add_workdays(day, n, overrides):
    calendar = _calendar(overrides)
    end = calendar.add_workdays(day, n)
    assert calendar.workdays_between(day, end) == n
    if n:
        assert calendar.is_workday(end)
        assert (end > day) == (n > 0)


@settings(max_examples=200, deadline=None)
@given(start=dates, end=dates, overrides=local)
def test_workdays_between_is_antisymmetric_up_to_the_end_days(start, end, overrides):
    calendar = _calendar(overrides)
    forward = calendar.workdays_between(start, end)
    backward = calendar.workdays_between(end, start)
    # (start, end] and [start, end) differ by the two end days only.
    sign = 1 if end >= start else -1
    assert forward + backward == sign * (calendar.is_workday(end) - calendar.is_workday(start))
    assert abs(forward) <= abs((end - start).days)


@settings(max_examples=100, deadline=None)
@given(day=dates, overrides=local)
def test_next_workday_is_one_working_day_later_and_nothing_works_in_between(day, overrides):
    calendar = _calendar(overrides)
    following = calendar.next_workday(day)
    assert following == calendar.add_workdays(day, 1)
    gap = (following - day).days
    assert all(not calendar.is_workday(day + datetime.timedelta(days=i)) for i in range(1, gap))
