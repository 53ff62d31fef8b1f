"""The cadence rules (cadence.py), at their boundaries, and through the meeting list."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from shigan.meetings.cadence import PeriodState, cadence_periods
from shigan.meetings.models import Cadence

from .helpers import make_meeting, make_series

D = datetime.date
YEAR = dict(start=D(2023, 1, 1), end=D(2023, 12, 31))


def states(periods) -> list[tuple[str, str]]:
    return [(p.label, p.state) for p in periods]


def test_a_quarter_with_no_meeting_is_missed_and_the_current_quarter_is_pending():
    periods = cadence_periods(
        Cadence.QUARTERLY, **YEAR, as_of=D(2023, 7, 20), dates=[D(2023, 3, 28)]
    )
    assert states(periods) == [
        ("2023年第一季度", PeriodState.HELD),
        ("2023年第二季度", PeriodState.MISSED),
        ("2023年第三季度", PeriodState.PENDING),
    ]


def test_a_month_with_two_meetings_is_not_missed_but_noted():
    dates = [D(2023, 1, 5), D(2023, 1, 25), D(2023, 2, 10)]
    periods = cadence_periods(Cadence.MONTHLY, **YEAR, as_of=D(2023, 2, 28), dates=dates)
    assert states(periods) == [
        ("2023年1月", PeriodState.MULTIPLE),
        ("2023年2月", PeriodState.HELD),
    ]
    assert periods[0].count == 2 and periods[0].dates == (D(2023, 1, 5), D(2023, 1, 25))


def test_a_period_is_pending_on_its_last_day_and_missed_the_day_after():
    on_last_day = cadence_periods(Cadence.QUARTERLY, **YEAR, as_of=D(2023, 6, 30), dates=[])
    assert on_last_day[-1].label == "2023年第二季度"
    assert on_last_day[-1].state == PeriodState.PENDING
    day_after = cadence_periods(Cadence.QUARTERLY, **YEAR, as_of=D(2023, 7, 1), dates=[])
    assert states(day_after)[1:] == [
        ("2023年第二季度", PeriodState.MISSED),
        ("2023年第三季度", PeriodState.PENDING),
    ]


def test_a_meeting_held_on_the_day_counts_and_a_planned_one_does_not():
    dates = [D(2023, 7, 20), D(2023, 8, 3)]
    periods = cadence_periods(Cadence.MONTHLY, **YEAR, as_of=D(2023, 7, 20), dates=dates)
    assert periods[-1].label == "2023年7月" and periods[-1].state == PeriodState.HELD
    planned = cadence_periods(Cadence.MONTHLY, **YEAR, as_of=D(2023, 7, 19), dates=dates)
    assert planned[-1].state == PeriodState.PENDING
    assert len(planned) == 7  # nothing listed after the period holding as_of


def test_periods_are_clipped_to_the_series_active_dates():
    periods = cadence_periods(
        Cadence.QUARTERLY,
        start=D(2023, 2, 8),
        end=D(2023, 5, 15),
        as_of=D(2023, 7, 20),
        dates=[D(2023, 2, 1), D(2023, 5, 20)],
    )
    assert [(p.start, p.end) for p in periods] == [
        (D(2023, 2, 8), D(2023, 3, 31)),
        (D(2023, 4, 1), D(2023, 5, 15)),
    ]
    # Both meetings fall outside the series' dates: neither quarter was held.
    assert [p.state for p in periods] == [PeriodState.MISSED, PeriodState.MISSED]


def test_months_run_across_the_new_year():
    periods = cadence_periods(
        Cadence.MONTHLY,
        start=D(2023, 11, 15),
        end=D(2024, 12, 31),
        as_of=D(2024, 1, 10),
        dates=[D(2023, 12, 31)],
    )
    assert states(periods) == [
        ("2023年11月", PeriodState.MISSED),
        ("2023年12月", PeriodState.HELD),
        ("2024年1月", PeriodState.PENDING),
    ]


def test_a_series_without_cadence_or_not_yet_started_has_no_periods():
    assert cadence_periods(Cadence.NONE, **YEAR, as_of=D(2023, 7, 20), dates=[]) == []
    assert cadence_periods(Cadence.MONTHLY, **YEAR, as_of=D(2022, 12, 31), dates=[]) == []


@given(
    cadence=st.sampled_from([Cadence.MONTHLY, Cadence.QUARTERLY]),
    start=st.dates(D(2022, 1, 1), D(2024, 12, 31)),
    length=st.integers(0, 900),
    lag=st.integers(0, 1000),
    dates=st.lists(st.dates(D(2022, 1, 1), D(2027, 12, 31)), max_size=30),
)
def test_periods_tile_the_active_span_up_to_as_of(cadence, start, length, lag, dates):
    end = start + datetime.timedelta(days=length)
    as_of = start + datetime.timedelta(days=lag)
    periods = cadence_periods(cadence, start=start, end=end, as_of=as_of, dates=dates)
    assert periods[0].start == start
    assert periods[-1].end == end or periods[-1].start <= as_of <= periods[-1].end
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)
    counted = sum(p.count for p in periods)
    assert counted == sum(1 for d in dates if start <= d <= min(end, as_of))
    for p in periods:
        assert (p.state == PeriodState.PENDING) == (p.count == 0 and as_of <= p.end)


def test_meeting_list_flags_the_series_that_missed_its_cadence(world, client_for):
    quarterly = make_series(
        world, name="领导小组季度工作会议", cadence=Cadence.QUARTERLY, start=D(2023, 1, 1)
    )
    make_meeting(world, series=quarterly, date=D(2023, 3, 28), title="第一季度工作会议")
    monthly = make_series(world, start=D(2023, 7, 1))
    make_meeting(world, series=monthly, date=D(2023, 7, 3), title="7月碰头会（一）")
    make_meeting(world, series=monthly, date=D(2023, 7, 18), title="7月碰头会（二）")
    body = client_for(world.reporter_b).get("/meetings/").content.decode()
    assert "缺会1次：2023年第二季度" in body
    assert "2023年第三季度 未到期" in body
    assert "2023年7月 多次 2次" in body
