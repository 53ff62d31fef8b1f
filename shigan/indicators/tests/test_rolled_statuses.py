"""rolled_statuses (下级对比's tally, values only) reads every indicator exactly as rolled_summary's
rows do: the same month, figures, targets, 序时进度 and roll-up rules — on random trees of levels
with sums, rates, NONE indicators, missing and own figures, targets own, absent or zero, cumulative
and point, higher- and lower-is-better; and in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shigan.core import clock
from shigan.core.testing import assert_same_queries
from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.models import (
    Accumulation,
    Aggregation,
    Direction,
    Indicator,
    IndicatorYear,
    MeasureUnit,
)
from shigan.indicators.rolled import rolled_months, rolled_statuses, rolled_summary
from shigan.indicators.rollup import LOWERS, upper_figures_by_month

from .test_rollup import MONTH, YEAR, file, indicator, level

pytestmark = pytest.mark.django_db

targets = st.sampled_from([None, Decimal(0), Decimal(50), Decimal(1000), Decimal(10**5)])
# A node: (own figures, its target, its children); a leaf is a district's indicator.
node_figures = st.lists(st.decimals(0, 2000, places=2, allow_nan=False), max_size=2)


def trees(depth: int):
    leaf = st.tuples(node_figures, targets, st.just([]))
    if depth == 0:
        return leaf
    return st.tuples(node_figures, targets, st.lists(trees(depth - 1), min_size=1, max_size=3))


def build(tree, unit, upper=None, **fields):
    own, target, children = tree
    ind = indicator(unit, upper, **fields)
    file(ind, *own)
    if target is not None:
        IndicatorYear.objects.create(indicator=ind, year=YEAR, annual_target=target)
    for child in children:
        build(child, level(unit), ind, **fields)
    return ind


def expected(indicators, as_of):
    rows = rolled_summary(indicators, YEAR, as_of).rows
    return [(r.indicator.responsible_unit_id, r.status) for r in rows]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tree=st.integers(1, 2).flatmap(trees),
    rate_tree=st.integers(1, 2).flatmap(trees),
    accumulation=st.sampled_from(Accumulation.values),
    direction=st.sampled_from(Direction.values),
    aggregation=st.sampled_from([Aggregation.SUM, Aggregation.NONE]),
)
def test_statuses_are_the_rolled_summarys(tree, rate_tree, accumulation, direction, aggregation):
    with transaction.atomic():
        top = level()
        fields = {"accumulation": accumulation, "direction": direction}
        build(tree, top, aggregation=aggregation, **fields)
        # A rate of the top level over two summed trees, each district with its own rate.
        num = build(rate_tree, top, name="开工项目数", **fields)
        den = build(tree, top, name="计划开工项目数", **fields)
        rate = indicator(
            top, name="开工率", measure_unit=MeasureUnit.PERCENT, aggregation=Aggregation.RATE,
            rate_numerator=num, rate_denominator=den, **fields,
        )  # fmt: skip
        IndicatorYear.objects.create(indicator=rate, year=YEAR, annual_target=Decimal(60))
        for as_of in (clock.today(), datetime.date(YEAR, MONTH, 20)):
            indicators = Indicator.objects.all()
            found = rolled_statuses(indicators, YEAR, as_of)
            assert found == expected(indicators, as_of)
            # Only the top level's indicators: their lowers still roll up into them.
            indicators = Indicator.objects.filter(responsible_unit=top)
            assert rolled_statuses(indicators, YEAR, as_of) == expected(indicators, as_of)
        transaction.set_rollback(True)


def _month_read(fig) -> tuple:
    """What the month table and the trend chart read of a rolled month."""
    return (fig.value, fig.estimate, fig.complete, fig.target, fig.missing_label)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tree=st.integers(1, 2).flatmap(trees),
    rate_tree=st.integers(1, 2).flatmap(trees),
    aggregation=st.sampled_from([Aggregation.SUM, Aggregation.NONE]),
)
def test_rolled_months_are_upper_figures_by_month(tree, rate_tree, aggregation):
    """The indicator page's months rolled from the lowers (rolled_months, read as values) are
    the roll-up rules' figures (rollup.upper_figures_by_month, model instances): value,
    estimate, completeness, target and the districts missing — sums and a rate of sums."""
    with transaction.atomic():
        top = level()
        summed = build(tree, top, aggregation=aggregation)
        num = build(rate_tree, top, name="开工项目数")
        den = build(tree, top, name="计划开工项目数")
        rate = indicator(
            top, name="开工率", measure_unit=MeasureUnit.PERCENT, aggregation=Aggregation.RATE,
            rate_numerator=num, rate_denominator=den,
        )  # fmt: skip
        for ind in (summed, num, rate):
            ind.refresh_from_db()
            expected = upper_figures_by_month([ind], year=YEAR, months=[MONTH])[MONTH][ind.pk]
            found = rolled_months(ind, YEAR, MONTH, filed=[])
            if expected.value is None or expected.source != LOWERS:
                assert MONTH not in found
            else:
                assert _month_read(found[MONTH].figure) == _month_read(expected)
        transaction.set_rollback(True)


def test_a_level_without_its_figure_is_judged_on_its_lowers_sum():
    """The documented case: a county's 固定资产投资 (target 100) without its own figure, its two
    districts filed 30 and 40 (70% in July: 序时进度 58.3%, ahead) — 达序时; a district without a
    figure is 未填报; after a district misses, the county's partial sum is 未填报 too."""
    county = level()
    upper = indicator(county)
    IndicatorYear.objects.create(indicator=upper, year=YEAR, annual_target=Decimal(100))
    first, second = indicator(level(county), upper), indicator(level(county), upper)
    file(first, 30)
    file(second, 40)
    statuses = dict(rolled_statuses(Indicator.objects.all(), YEAR, clock.today()))
    assert statuses[county.pk] == IndicatorStatus.GREEN
    assert statuses[first.responsible_unit_id] == IndicatorStatus.GREY  # no target of its own
    third = indicator(level(county), upper)
    IndicatorYear.objects.create(indicator=third, year=YEAR, annual_target=Decimal(10))
    statuses = dict(rolled_statuses(Indicator.objects.all(), YEAR, clock.today()))
    assert statuses[county.pk] == IndicatorStatus.MISSING
    assert statuses[third.responsible_unit_id] == IndicatorStatus.MISSING


def test_queries_are_the_same_for_two_and_six_districts():
    county = level()
    upper = indicator(county)

    def read():
        rolled_statuses(Indicator.objects.all(), YEAR, clock.today())

    def grow():
        for value in range(4):
            file(indicator(level(county), upper), value)

    file(indicator(level(county), upper), 1)
    file(indicator(level(county), upper), 2)
    assert_same_queries(read, grow, exactly=4)
