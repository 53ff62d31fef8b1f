import datetime
from decimal import Decimal

import pytest

from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.models import (
    Actual,
    Agreement,
    Direction,
    Indicator,
    IndicatorYear,
    InvestmentTrip,
    KeyProject,
    SamePeriodValue,
)
from shigan.indicators.queries import (
    actuals_current,
    indicator_report_rows,
    indicator_series,
    indicator_table,
    investment_tallies,
    key_projects_annotated,
    project_rates,
)

from .conftest import make_indicator

D = Decimal


def record(indicator, month, value, *, is_estimate=False, corrects=None, reason=""):
    return Actual.objects.create(
        indicator=indicator, year=2023, month=month, value=D(value), is_estimate=is_estimate,
        unit=indicator.responsible_unit, corrects=corrects, correction_reason=reason,
    )  # fmt: skip


def test_indicator_table_computes_every_figure(ind):
    record(ind.investment, 7, 33000, is_estimate=True)
    record(ind.output, 7, 22000)
    rows = {row.indicator.name: row for row in indicator_table(Indicator.objects.all(), 2023, 7)}
    investment = rows["固定资产投资"]
    assert investment.value == 33000 and investment.is_estimate
    assert investment.completion_pct == D("44.5")
    assert investment.time_progress_pct == D("58.3")
    assert investment.gap_points == D("-13.8")
    assert investment.same_period == 30000
    assert (investment.change_abs, investment.change_pct) == (3000, D("10.0"))
    assert investment.status == IndicatorStatus.RED
    assert rows["规模以上工业总产值"].completion_pct == D("39.6")


def test_point_indicator_is_measured_against_its_target(ind):
    record(ind.hogs, 7, 13631)
    row = indicator_table(Indicator.objects.filter(pk=ind.hogs.pk), 2023, 7)[0]
    assert row.time_progress_pct is None
    assert row.completion_pct == D("97.4") and row.gap_points == D("-2.6")
    assert row.status == IndicatorStatus.YELLOW


def test_status_without_target_or_without_figure(ind):
    IndicatorYear.objects.filter(indicator=ind.output).update(annual_target=None)
    record(ind.output, 7, 22000)
    rows = {r.indicator.pk: r for r in indicator_table(Indicator.objects.all(), 2023, 7)}
    assert rows[ind.output.pk].status == IndicatorStatus.GREY
    assert rows[ind.output.pk].completion_pct is None
    assert rows[ind.investment.pk].status == IndicatorStatus.MISSING


def test_lower_is_better_indicator_is_green_below_time_progress(ind, world):
    accidents = make_indicator("安全生产事故", world.unit_a, direction=Direction.LOWER_BETTER)
    IndicatorYear.objects.create(indicator=accidents, year=2023, annual_target=10)
    record(accidents, 7, 3)
    row = indicator_table(Indicator.objects.filter(pk=accidents.pk), 2023, 7)[0]
    assert row.status == IndicatorStatus.GREEN


def test_time_progress_by_days(ind):
    table = indicator_table(
        Indicator.objects.filter(pk=ind.investment.pk), 2023, 7, datetime.date(2023, 7, 15),
        mode="days",
    )  # fmt: skip
    assert table[0].time_progress_pct == D("53.7")  # day 196 of 365


def test_current_figure_is_the_latest_correction(ind):
    first = record(ind.investment, 7, 33000, is_estimate=True)
    record(ind.investment, 7, 33500, corrects=first, reason="终值")
    record(ind.investment, 6, 28000)
    current = actuals_current([ind.investment.pk], 2023)
    assert current[(ind.investment.pk, 7)].value == 33500
    assert set(current) == {(ind.investment.pk, 6), (ind.investment.pk, 7)}
    row = indicator_table(Indicator.objects.filter(pk=ind.investment.pk), 2023, 7)[0]
    assert row.value == 33500 and not row.is_estimate


def _many_indicators(world, count: int) -> None:
    for i in range(count):
        indicator = make_indicator(f"指标{i:03d}", world.unit_a if i % 2 else world.unit_b)
        IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=1000 + i)
        SamePeriodValue.objects.create(indicator=indicator, year=2023, month=7, value=500)
        first = record(indicator, 7, 400 + i)
        record(indicator, 7, 450 + i, corrects=first, reason="更正")
        record(indicator, 6, 380)


@pytest.mark.parametrize("count", [3, 60])
def test_indicator_table_query_count_does_not_grow(world, today, django_assert_num_queries, count):
    _many_indicators(world, count)
    with django_assert_num_queries(1):
        rows = indicator_table(Indicator.objects.all(), 2023, 7)
    assert len(rows) == count and all(row.value is not None for row in rows)


@pytest.mark.parametrize("count", [3, 60])
def test_current_values_take_one_query(world, today, django_assert_num_queries, count):
    _many_indicators(world, count)
    ids = list(Indicator.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        current = actuals_current(ids, 2023)
    assert len(current) == 2 * count
    assert {a.value for (_, m), a in current.items() if m == 7} == {
        D(450 + i) for i in range(count)
    }


@pytest.mark.parametrize("count", [3, 60])
def test_report_rows_and_series_query_counts(world, today, django_assert_num_queries, count):
    _many_indicators(world, count)
    with django_assert_num_queries(2):
        rows = indicator_report_rows(Indicator.objects.all(), 2023, 7)
    assert all(r.previous.value == 380 for r in rows)
    with django_assert_num_queries(2):
        series = indicator_series(Indicator.objects.all(), 2023)
    assert all(values[5] == 380 and values[7] is None for values in series.values())


def _project(world, name, **fields):
    return KeyProject.objects.create(year=2023, name=name, responsible_unit=world.unit_a, **fields)


def test_project_rates(world, django_assert_num_queries):
    day = datetime.date
    _project(
        world, "零傲新材料", contracted_investment=20000, planned_investment_this_year=8000,
        completed_investment_this_year=5000, funds_in_place=9000,
        planned_start=day(2023, 3, 1), actual_start=day(2023, 3, 10),
        planned_completion=day(2023, 6, 30), actual_completion=day(2023, 7, 20),
    )  # fmt: skip
    _project(
        world, "佳仑电子", contracted_investment=10000, planned_investment_this_year=2000,
        completed_investment_this_year=1000, funds_in_place=3000,
        planned_start=day(2023, 5, 1), planned_completion=day(2023, 12, 31),
    )  # fmt: skip
    _project(world, "楚汉源食品", planned_start=day(2023, 9, 1))
    with django_assert_num_queries(1):
        rates = project_rates(KeyProject.objects.all(), day(2023, 7, 31))
    figures = {r.name: (r.numerator, r.denominator, r.pct) for r in rates}
    assert figures["履约率"] == (6000, 10000, D("60.0"))
    assert figures["资金到位率"] == (12000, 30000, D("40.0"))
    assert figures["开工率"] == (1, 2, D("50.0"))
    assert figures["竣工投产率"] == (1, 1, D("100.0"))
    assert all(r.definition.definition for r in rates)


def test_project_rates_are_none_when_nothing_is_due(world):
    rates = project_rates(KeyProject.objects.none(), datetime.date(2023, 7, 31))
    assert [r.pct for r in rates] == [None, None, None, None]


def test_key_project_nodes_are_the_task_milestones(world, django_assert_num_queries):
    _project(world, "兴业大道", task=world.task_a)
    _project(world, "无节点项目")
    with django_assert_num_queries(1):
        projects = {p.name: p for p in key_projects_annotated(KeyProject.objects.all())}
    assert (projects["兴业大道"].nodes_done, projects["兴业大道"].nodes_total) == (1, 2)
    assert projects["无节点项目"].nodes_total == 0


def test_investment_tallies(world, django_assert_num_queries):
    day = datetime.date
    campaign = world.campaign
    trips = [
        InvestmentTrip.objects.create(campaign=campaign, date=day(2023, m, 10), destination=d)
        for m, d in [(3, "深圳"), (4, "杭州"), (5, "苏州"), (6, "武汉"), (8, "上海")]
    ]
    for i, (amount, landed, funds) in enumerate([(50000, True, 8000), (30000, True, 5000),
                                                 (20000, True, 2000), (10000, False, 0)]):  # fmt: skip
        Agreement.objects.create(
            campaign=campaign, investor=f"投资方{i}", project_name=f"项目{i}",
            contract_amount=amount, signed_on=day(2023, 4 + i, 1), landed=landed,
            funds_in_place=funds, trip=trips[i],
        )  # fmt: skip
    Agreement.objects.create(
        campaign=campaign, investor="迟到", project_name="八月项目", contract_amount=1,
        signed_on=day(2023, 8, 2),
    )  # fmt: skip
    with django_assert_num_queries(2):
        tallies = investment_tallies(campaign, day(2023, 7, 31))
    assert (tallies.trips, tallies.agreements, tallies.landed) == (4, 4, 3)
    assert tallies.contract_amount == 110000 and tallies.landed_contract_amount == 100000
    assert tallies.funds_in_place == 15000
