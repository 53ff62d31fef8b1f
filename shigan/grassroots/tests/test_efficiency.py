"""服务效能 (马上就办): the figures of queries.efficiency on known data (on-time rate, median
working days across 国庆 and its 调休, age bands at their boundaries, satisfaction, the months),
the page's scope and filter, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.grassroots.models import Concern, ConcernAction, ConcernStep
from shigan.grassroots.queries.efficiency import WorkdayCounter, age_band, efficiency, rate
from shigan.orgs.workdays import calendar_for

from .concern_helpers import concern

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
TODAY = datetime.date(2023, 7, 31)
D = datetime.date


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def make(world, received, *, due=None, closed=None, satisfaction="", unit="a", asked=None):
    """A concern received on `received`, due `due`, closed on `closed` (None: open), with a 回访
    answering `satisfaction` on `asked` (default: the closing day, else the received day)."""
    c = concern(world, received=received, unit=unit)
    fields = {"satisfaction": satisfaction}
    if due is not None:
        fields["due_on"] = due
    if closed is not None:
        fields.update(closed_on=closed, step=ConcernStep.CLOSED)
    Concern.objects.filter(pk=c.pk).update(**fields)
    if satisfaction:
        ConcernAction.objects.create(
            concern=c,
            step=ConcernStep.FOLLOWED_UP,
            by=world.coordinator,
            on=asked or closed or received,
            note="回访",
            satisfaction=satisfaction,
        )
    return c


def figures(world, today=TODAY, concerns=None):
    calendar = calendar_for(world.district.pk)
    base = concerns if concerns is not None else Concern.objects.all()
    return efficiency(base, year=2023, today=today, calendar=calendar)


def test_on_time_rate_is_closed_by_due_date_over_closed(world):
    make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=D(2023, 6, 8))  # on the due day
    make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=D(2023, 6, 2))
    make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=D(2023, 6, 5))
    make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=D(2023, 6, 9))  # a day late
    make(world, D(2023, 6, 1), due=D(2023, 6, 8))  # open: not in the rate
    result = figures(world)
    assert (result.received, result.closed, result.on_time) == (5, 4, 3)
    assert result.on_time_rate == 75.0


def test_rates_round_half_up_as_every_percentage_shown():
    assert (rate(1, 16), rate(2, 3), rate(1, 8), rate(0, 4), rate(3, 0)) == (
        6.3,
        66.7,
        12.5,
        0.0,
        None,
    )


def test_nothing_closed_has_no_rate(world):
    make(world, D(2023, 6, 1))
    result = figures(world)
    assert result.on_time_rate is None and result.median_workdays is None
    assert result.satisfaction_rate is None


def test_median_working_days_to_close(world):
    # 2023-06-01 is a Thursday: +1 working day is Fri 2, +2 Mon 5, +5 Thu 8.
    for closed in (D(2023, 6, 2), D(2023, 6, 5), D(2023, 6, 8)):
        make(world, D(2023, 6, 1), due=D(2023, 6, 30), closed=closed)
    assert figures(world).median_workdays == 2


def test_working_days_to_close_across_national_day_and_its_make_up_days(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-10-31")
    # Sep 29 – Oct 6 off (中秋、国庆); Oct 7 and 8 (Sat, Sun) worked (调休); Oct 9 Monday: 3.
    make(world, D(2023, 9, 28), due=D(2023, 10, 12), closed=D(2023, 10, 9))
    assert figures(world, today=D(2023, 10, 31)).median_workdays == 3
    calendar = calendar_for(world.district.pk)
    counter = WorkdayCounter(calendar, D(2023, 9, 1), D(2023, 10, 31))
    for start, end in [(D(2023, 9, 28), D(2023, 10, 9)), (D(2023, 9, 1), D(2023, 10, 31))]:
        assert counter.between(start, end) == calendar.workdays_between(start, end)


def test_satisfaction_rate_counts_satisfied_and_basic_over_followed_up(world):
    make(world, D(2023, 6, 1), closed=D(2023, 6, 2), satisfaction="satisfied")
    make(world, D(2023, 6, 1), closed=D(2023, 6, 2), satisfaction="basic")
    make(world, D(2023, 6, 1), satisfaction="unsatisfied")  # reopened: its last 回访
    make(world, D(2023, 6, 1))  # no 回访 yet: not counted
    result = figures(world)
    assert (result.satisfied, result.asked, result.satisfaction_rate) == (2, 3, 66.7)


def test_figures_are_those_known_on_the_day(world):
    """Received after the day: not counted; closed after it: still open then; the satisfaction
    of the last 回访 dated by the day (an unsatisfied one later answered satisfied)."""
    reopened = make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=D(2023, 6, 20),
                    satisfaction="satisfied", asked=D(2023, 6, 19))  # fmt: skip
    ConcernAction.objects.create(concern=reopened, step=ConcernStep.FOLLOWED_UP,
                                 by=world.coordinator, on=D(2023, 6, 7), note="回访",
                                 satisfaction="unsatisfied")  # fmt: skip
    make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=D(2023, 6, 5), satisfaction="basic")
    make(world, D(2023, 6, 12))  # received after the first day
    early = figures(world, today=D(2023, 6, 9))
    assert (early.received, early.closed, early.on_time) == (2, 1, 1)
    assert (early.satisfied, early.asked) == (1, 2)  # the reopened one was unsatisfied then
    assert early.backlog_total.overdue == 1  # the reopened one, open and past due on 6-9
    later = figures(world, today=D(2023, 6, 30))
    assert (later.received, later.closed, later.on_time) == (3, 2, 1)
    assert (later.satisfied, later.asked) == (2, 2)


def test_age_bands_at_their_boundaries(world):
    calendar = calendar_for(world.district.pk)
    ages = [0, 2, 3, 5, 6, 10, 11]
    for age in ages:
        received = calendar.add_workdays(TODAY, -age)
        make(world, received, due=max(received, calendar.add_workdays(received, 5)))
    result = figures(world)
    assert [age_band(a) for a in ages] == [0, 0, 1, 1, 2, 2, 3]
    (row,) = result.backlog
    assert row.unit == world.unit_a.name
    assert row.bands == [2, 2, 2, 1] and row.total == 7
    # Due 5 working days after receipt: overdue from age 6 on (6, 10, 11).
    assert row.overdue == 3 and result.backlog_total.overdue == 3


def test_backlog_by_unit_leaves_closed_out_and_names_the_unassigned(world):
    make(world, D(2023, 7, 28), unit="a")
    make(world, D(2023, 7, 28), unit="b")
    make(world, D(2023, 7, 28), unit=None)
    make(world, D(2023, 7, 3), unit="b", closed=D(2023, 7, 5))
    result = figures(world)
    assert [(r.unit, r.total) for r in result.backlog] == [
        *sorted([(world.unit_a.name, 1), (world.unit_b.name, 1)]),
        ("未转办", 1),
    ]
    assert result.backlog_total.total == 3


def test_trend_by_month_up_to_today(world):
    make(world, D(2023, 1, 10), due=D(2023, 1, 17), closed=D(2023, 2, 1))  # late, closed in Feb
    make(world, D(2023, 2, 6), due=D(2023, 2, 13), closed=D(2023, 2, 10))
    make(world, D(2023, 7, 3), due=D(2023, 7, 10))
    months = figures(world).months
    assert [m.month for m in months] == [D(2023, m, 1) for m in range(1, 8)]
    assert [(m.received, m.closed, m.on_time) for m in months[:2]] == [(1, 0, 0), (1, 2, 1)]
    assert months[1].on_time_rate == 50.0 and months[0].on_time_rate is None
    assert months[6].received == 1
    assert len(figures(world, today=D(2024, 3, 1)).months) == 12


def test_page_shows_the_figures_and_the_rule(world, client_for):
    for closed in (D(2023, 6, 2), D(2023, 6, 5), D(2023, 6, 8), D(2023, 6, 9)):
        make(world, D(2023, 6, 1), due=D(2023, 6, 8), closed=closed)
    page = client_for(world.coordinator).get(reverse("grassroots:efficiency")).content.decode()
    assert "75.0%" in page and "按时办结率" in page and "办结日期不晚于办理时限" in page


def test_reporter_reads_his_units_only_and_the_unit_filter_narrows(world, client_for):
    make(world, D(2023, 7, 28), unit="a")
    make(world, D(2023, 7, 28), unit="b")
    make(world, D(2023, 7, 3), unit="b")
    url = reverse("grassroots:efficiency")
    mine = client_for(world.reporter_a).get(url).context["figures"]
    assert mine.received == 1 and [r.unit for r in mine.backlog] == [world.unit_a.name]
    coordinator = client_for(world.coordinator)
    assert coordinator.get(url).context["figures"].received == 3
    narrowed = coordinator.get(url, {"unit": world.unit_b.pk}).context["figures"]
    assert narrowed.received == 2
    assert coordinator.get(url, {"unit": "不存在"}).context["figures"].received == 3


def test_queries_do_not_grow_with_the_concerns(world, client_for):
    make(world, D(2023, 6, 1), closed=D(2023, 6, 5), satisfaction="satisfied")

    def grow():
        for i in range(8):
            make(world, D(2023, 3, 1 + i), unit="b" if i % 2 else None,
                 closed=D(2023, 3, 20) if i % 3 else None, satisfaction="basic")  # fmt: skip

    # The concerns' rows, and the district's overrides of 2023 (a fresh calendar each run).
    assert_same_queries(lambda: figures(world), grow, exactly=2)
    client = client_for(world.coordinator)
    assert_same_queries(get_page(client, reverse("grassroots:efficiency")), grow, warm_up=True)
