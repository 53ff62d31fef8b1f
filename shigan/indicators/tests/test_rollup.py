"""The roll-up rules of an upper level's indicator (indicators.rollup): sums equal the sum of
their parts at every level, rates are recomputed from their parts, NONE is never summed;
incomplete sums say so; a fixed number of queries; the rules a link must keep."""

from decimal import Decimal
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shigan.core.testing import assert_same_queries
from shigan.indicators import calc
from shigan.indicators.models import (
    Accumulation,
    Actual,
    Aggregation,
    Indicator,
    IndicatorYear,
    MeasureUnit,
)
from shigan.indicators.rollup import (
    LOWERS,
    OWN,
    RATE_PARTS_REQUIRED,
    SUM_OF_PERCENT,
    UPPER_NOT_ABOVE,
    levels_above,
    upper_figures,
)
from shigan.indicators.services import indicator_save
from shigan.orgs.models import Unit, UnitKind

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2023, 7
_names = count()


def level(parent=None) -> Unit:
    name = f"第{next(_names)}级党委政府"
    return Unit.objects.create(name=name, kind=UnitKind.PARTY_GOVERNMENT, parent=parent)


def indicator(unit, upper=None, name="固定资产投资", **fields) -> Indicator:
    fields.setdefault("measure_unit", MeasureUnit.WAN_YUAN)
    return Indicator.objects.create(name=name, responsible_unit=unit, upper=upper, **fields)


def file(ind: Indicator, *values, month: int = MONTH) -> Actual | None:
    """Files `values` for the month: the first, then each later one correcting the one before."""
    current = None
    for value in values:
        current = Actual.append(
            current=current, reason="更正", indicator=ind, year=YEAR, month=month,
            value=Decimal(value), unit=ind.responsible_unit,
        )  # fmt: skip
    return current


# A random tree: each node is (own figures, children); a leaf's figures are its district's.
figures = st.lists(st.decimals(0, 10**6, places=4, allow_nan=False), max_size=3)


def trees(depth: int):
    leaf = st.tuples(figures, st.just([]))
    if depth == 0:
        return leaf
    return st.tuples(figures, st.lists(trees(depth - 1), min_size=1, max_size=3))


def build(tree, unit, upper=None, *, name="固定资产投资", **fields):
    """Creates the indicators of `tree` (a unit per node) and returns {indicator: (tree node)}."""
    own, children = tree
    ind = indicator(unit, upper, name=name, **fields)
    file(ind, *own)
    file(ind, Decimal(999), month=MONTH - 1)  # another month never counts
    built = {ind.pk: tree}
    for child in children:
        built.update(build(child, level(unit), ind, name=name, **fields))
    return built


def leaf_total(tree) -> tuple[Decimal, int]:
    """Expected: the sum of the districts' current figures and how many districts have none."""
    own, children = tree
    if not children:
        return (own[-1], 0) if own else (Decimal(0), 1)
    totals = [leaf_total(child) for child in children]
    return sum((t for t, _ in totals), Decimal(0)), sum(m for _, m in totals)


def check_sum(fig):
    """The rules at this node and every node below it."""
    shown = [p.value for p in fig.parts if p.value is not None]
    if fig.parts:
        assert fig.lowers_sum == (sum(shown, Decimal(0)) if shown else None)
        if not fig.missing:
            assert fig.value == fig.lowers_sum and fig.source == LOWERS
        elif fig.own is not None:
            assert fig.value == fig.own and fig.source == OWN
        else:
            assert fig.value == fig.lowers_sum and not fig.complete
            assert fig.missing_label == f"{len(fig.missing)}个区未报"
    else:
        assert fig.value == fig.own
    for part in fig.parts:
        check_sum(part)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=st.integers(1, 3).flatmap(trees), accumulation=st.sampled_from(Accumulation.values))
def test_a_sum_is_the_sum_of_its_parts_at_every_level(tree, accumulation):
    with transaction.atomic():
        built = build(tree, level(), accumulation=accumulation)
        root = Indicator.objects.get(pk=next(iter(built)))
        fig = upper_figures([root], year=YEAR, month=MONTH)[root.pk]
        check_sum(fig)
        total, missing = leaf_total(tree)
        if missing == 0:
            assert fig.value == total and fig.complete
        transaction.set_rollback(True)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=1, max_size=5))
def test_a_rate_is_recomputed_from_its_parts_never_the_mean_of_rates(parts):
    with transaction.atomic():
        top = level()
        num, den = indicator(top, name="开工项目数"), indicator(top, name="计划开工项目数")
        rate = indicator(
            top, name="开工率", measure_unit=MeasureUnit.PERCENT, aggregation=Aggregation.RATE,
            rate_numerator=num, rate_denominator=den,
        )  # fmt: skip
        rates, exact = [], []
        for started, planned in parts:
            unit = level(top)
            file(indicator(unit, num, name="开工项目数"), started)
            file(indicator(unit, den, name="计划开工项目数"), planned)
            lower_rate = indicator(
                unit, rate, name="开工率", measure_unit=MeasureUnit.PERCENT,
                aggregation=Aggregation.NONE,
            )  # fmt: skip
            exact.append(calc.rate_pct(started, planned))
            rates.append(exact[-1].quantize(Decimal("0.0001")))
            file(lower_rate, rates[-1])
        fig = upper_figures([rate], year=YEAR, month=MONTH)[rate.pk]
        total_started, total_planned = (sum(p[i] for p in parts) for i in (0, 1))
        assert fig.value == calc.rate_pct(total_started, total_planned)
        assert sorted(p.value for p in fig.parts) == sorted(rates)
        if len(parts) == 2 and parts[0][1] != parts[1][1] and exact[0] != exact[1]:
            assert fig.value != sum(exact) / 2  # weighted by the denominators, not the mean
        transaction.set_rollback(True)


def test_none_has_no_figure_only_its_parts_side_by_side():
    top = level()
    upper = indicator(top, name="营商环境排名", measure_unit=MeasureUnit.GE,
                      aggregation=Aggregation.NONE)  # fmt: skip
    for rank in (3, 5):
        file(indicator(level(top), upper, name="营商环境排名", measure_unit=MeasureUnit.GE), rank)
    file(upper, 4)
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert fig.value is None and fig.own == 4 and [p.value for p in fig.parts] == [3, 5]


def test_two_districts_one_missing_the_sum_is_incomplete_and_says_so():
    county = level()
    upper = indicator(county)
    one, two = indicator(level(county), upper), indicator(level(county), upper)
    actual = file(one, 100, 120)  # corrected: 120 counts
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert (fig.value, fig.complete, fig.missing_label) == (120, False, "1个区未报")
    assert fig.parts[0].actual_id == actual.pk and fig.missing[0].indicator == two
    assert not fig.estimate
    Actual.objects.create(
        indicator=two, year=YEAR, month=MONTH, value=30, is_estimate=True, unit=county
    )
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert (fig.value, fig.complete, fig.missing_label, fig.estimate) == (150, True, "", True)


def test_own_figure_beside_a_complete_sum_is_flagged_and_wins_while_incomplete():
    county = level()
    upper = indicator(county)
    one, two = indicator(level(county), upper), indicator(level(county), upper)
    file(upper, 200)
    file(one, 120)
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert (fig.value, fig.source, fig.lowers_sum) == (200, OWN, 120)
    file(two, 30)
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert (fig.value, fig.source, fig.own, fig.mismatch) == (150, LOWERS, 200, True)


def test_target_is_its_own_else_the_sum_of_the_lowers_targets():
    county = level()
    upper = indicator(county)
    lowers = [indicator(level(county), upper), indicator(level(county), upper)]
    for low, target in zip(lowers, (100, 50), strict=True):
        IndicatorYear.objects.create(indicator=low, year=YEAR, annual_target=target)
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert (fig.target, fig.target_source) == (150, LOWERS)
    IndicatorYear.objects.create(indicator=upper, year=YEAR, annual_target=140)
    fig = upper_figures([upper], year=YEAR, month=MONTH)[upper.pk]
    assert (fig.target, fig.target_source) == (140, OWN)


def _city(districts: int):
    city = level()
    top = indicator(city)
    for _ in range(2):
        county = level(city)
        mid = indicator(county, top)
        for _ in range(districts):
            file(indicator(level(county), mid), 7)
    return top


def test_queries_are_the_same_for_two_and_six_districts():
    top = _city(1)

    def grow():
        for county_indicator in Indicator.objects.filter(upper=top):
            for _ in range(5):
                unit = level(county_indicator.responsible_unit)
                file(indicator(unit, county_indicator), 7)

    fig = assert_same_queries(lambda: upper_figures([top], year=YEAR, month=MONTH), grow, exactly=3)
    assert fig[top.pk].value == 7 * 12


def _save(ind: Indicator, **links):
    fields = {
        "name": ind.name, "measure_unit": ind.measure_unit, "category": ind.category,
        "accumulation": ind.accumulation, "direction": ind.direction,
        "responsible_unit": ind.responsible_unit, "source": "", "sort_order": 0,
    }  # fmt: skip
    return indicator_save(indicator=ind, by=None, **{**fields, **links})


def test_upper_must_be_a_level_above_with_the_same_measure_unit():
    city = level()
    county = level(city)
    district = level(county)
    assert levels_above(district.pk) == {county.pk, city.pk}
    own = indicator(district)
    sibling = indicator(level(county))
    with pytest.raises(ValidationError) as refused:
        _save(own, upper=sibling)
    assert refused.value.message_dict["upper"] == [UPPER_NOT_ABOVE]
    tons = indicator(city, name="粮食产量", measure_unit=MeasureUnit.TON)
    with pytest.raises(ValidationError) as refused:
        _save(own, upper=tons)
    assert "计量单位（吨）与本指标（万元）不同" in refused.value.message_dict["upper"][0]
    assert _save(own, upper=indicator(city)).upper.district_id == city.pk  # two levels up


def test_a_percent_indicator_is_never_summed_and_a_rate_needs_its_parts():
    unit = level()
    pct = indicator(unit, name="开工率", measure_unit=MeasureUnit.PERCENT,
                    aggregation=Aggregation.NONE)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        _save(pct, aggregation=Aggregation.SUM)
    assert refused.value.message_dict["aggregation"] == [SUM_OF_PERCENT]
    with pytest.raises(ValidationError) as refused:
        _save(pct, aggregation=Aggregation.RATE)
    assert refused.value.message_dict["rate_numerator"] == [RATE_PARTS_REQUIRED]
    other_level = indicator(level(unit), name="开工项目数")
    with pytest.raises(ValidationError) as refused:
        _save(pct, aggregation=Aggregation.RATE, rate_numerator=other_level,
              rate_denominator=indicator(unit, name="计划开工项目数"))  # fmt: skip
    assert "分子、分母须是本级的指标" in refused.value.message_dict["rate_numerator"][0]
