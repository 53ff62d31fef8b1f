"""The upper indicator page's 下级汇总 section (views.lower_figures.lower_section) read as values
(rolled.rolled_figure) at province scale: exactly the roll-up rules' figures as
rollup.upper_figures reads them with model instances — the figure, its source, own figure,
lowers' sum, target, missing districts, estimate, and each part listed with its figure, who filed
it and its Actual — on random trees of levels (sums, NONE, a rate of sums, figures filed after the
day read); the parts listed named with their level; a fixed number of queries whatever the levels
below and their indicators."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import (
    Actual,
    Aggregation,
    Indicator,
    IndicatorYear,
    MeasureUnit,
)
from shigan.indicators.rolled import rolled_figure
from shigan.indicators.rollup import upper_figures
from shigan.indicators.views.lower_figures import lower_section
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_user

from .conftest import TODAY
from .test_rollup import MONTH, YEAR, indicator

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(YEAR, MONTH, 20)
LATE = timezone.make_aware(datetime.datetime(YEAR, MONTH, 25, 9))  # filed after AS_OF
EARLY = timezone.make_aware(datetime.datetime(YEAR, MONTH, 10, 9))

targets = st.sampled_from([None, Decimal(0), Decimal(1000)])
# An entry: (value, is an estimate, filed after AS_OF); a node's entries file, then correct.
entries = st.lists(
    st.tuples(st.decimals(0, 2000, places=2, allow_nan=False), st.booleans(), st.booleans()),
    max_size=2,
)


def trees(depth: int):
    leaf = st.tuples(entries, targets, st.just([]))
    if depth == 0:
        return leaf
    return st.tuples(entries, targets, st.lists(trees(depth - 1), min_size=1, max_size=3))


_names = iter(range(10**6))


def level(parent=None) -> Unit:
    """A level's 党委政府 unit; every other one with a short name (the filed text's label)."""
    n = next(_names)
    short = f"第{n}区" if n % 2 else ""
    return Unit.objects.create(
        name=f"第{n}级党委政府", short_name=short, kind=UnitKind.PARTY_GOVERNMENT, parent=parent
    )


def build(tree, unit, upper=None, **fields) -> Indicator:
    filed, target, children = tree
    ind = indicator(unit, upper, **fields)
    current = None
    for value, estimate, late in filed:
        current = Actual.append(
            current=current, reason="更正", indicator=ind, year=YEAR, month=MONTH,
            value=value, is_estimate=estimate, unit=unit,
        )  # fmt: skip
        Actual.objects.filter(pk=current.pk).update(submitted_at=LATE if late else EARLY)
    if target is not None:
        IndicatorYear.objects.create(indicator=ind, year=YEAR, annual_target=target)
    for child in children:
        build(child, level(unit), ind, **fields)
    return ind


def _figure_read(fig) -> tuple:
    """What the section reads of a figure (the one shown and each part listed)."""
    return (
        fig.indicator.pk, fig.value, fig.source, fig.own, fig.actual_id, fig.lowers_sum,
        fig.target, fig.target_source, fig.estimate, fig.filed, fig.complete, fig.mismatch,
        fig.missing_label, sorted(m.indicator.pk for m in fig.missing),
    )  # fmt: skip


def _section_read(fig) -> tuple:
    rates = [f for f in (fig.numerator, fig.denominator) if f is not None]
    return (
        _figure_read(fig),
        [_figure_read(part) for part in fig.parts],
        [_figure_read(part) for part in rates],
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tree=st.integers(1, 3).flatmap(trees),
    rate_tree=st.integers(1, 2).flatmap(trees),
    aggregation=st.sampled_from([Aggregation.SUM, Aggregation.NONE]),
)
def test_the_section_reads_the_rollup_rules_figures(tree, rate_tree, aggregation, today):
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
            for as_of in (TODAY, AS_OF):
                expected = upper_figures([ind], year=YEAR, month=MONTH, as_of=as_of)[ind.pk]
                found = rolled_figure(ind, YEAR, MONTH, as_of)
                assert _section_read(found) == _section_read(expected)
        transaction.set_rollback(True)


def _province(cities: int, districts: int):
    """A province's indicator, each city's counting into it, each district's into its city's;
    the province's coordinator. District 1 of each city files July, the others not."""
    province = level()
    force = Unit.objects.create(name="省作风专班", kind=UnitKind.TASK_FORCE, parent=province)
    user, _ = make_user("province_coord", unit=force, role=Role.COORDINATOR, name="省专班")
    top = indicator(force)
    IndicatorYear.objects.create(indicator=top, year=YEAR, annual_target=Decimal(9000))
    for _ in range(cities):
        add_city(top, province, districts)
    return user, top


def add_city(top: Indicator, province: Unit, districts: int) -> None:
    city = level(province)
    mid = indicator(city, top)
    for n in range(districts):
        district = level(city)
        low = indicator(district, mid)
        IndicatorYear.objects.create(indicator=low, year=YEAR, annual_target=Decimal(100))
        if n == 0:
            Actual.objects.create(
                indicator=low, year=YEAR, month=MONTH, value=Decimal(40), unit=district
            )


def test_the_page_names_each_city_and_runs_the_same_queries_whatever_the_levels(today, client_for):
    user, top = _province(cities=2, districts=2)
    province = top.responsible_unit.parent

    def section():
        """The section with what its template reads of each part (its level's name)."""
        found = lower_section(user, top, YEAR, TODAY)
        assert all(part.district.label for part in found.figure.parts)
        return found

    def grow():
        for _ in range(3):
            add_city(top, province, districts=5)

    found = assert_same_queries(section, grow, at_most=6, warm_up=True)
    assert len(found.figure.parts) == 5 and found.figure.value == 200
    assert found.figure.missing_label == "14个区未报" and found.figure.target == 9000
    cities = [part.district.label for part in found.figure.parts]
    assert len(set(cities)) == 5 and all(cities)
    # Linked down: the province reads its cities' indicators (its scope read afresh).
    found = lower_section(get_user_model().objects.get(pk=user.pk), top, YEAR, TODAY)
    assert found.linked == {part.indicator.pk for part in found.figure.parts}
    page = client_for(user).get(f"/indicators/{top.pk}/?year={YEAR}").content.decode()
    for part in found.figure.parts:
        assert f"<td>{part.district.label}</td>" in page
        assert f'/indicators/{part.indicator.pk}/?year={YEAR}">{part.indicator.name}</a>' in page
    assert "14个区未报，汇总不全" in page


def test_a_part_filed_by_its_level_names_who_filed_it(today, client_for):
    user, top = _province(cities=1, districts=2)  # a district missing: the city's own wins
    city_indicator = top.lower.get()
    unit = city_indicator.responsible_unit
    actual = Actual.objects.create(
        indicator=city_indicator, year=YEAR, month=MONTH, value=Decimal(55), unit=unit
    )
    page = client_for(user).get(f"/indicators/{top.pk}/?year={YEAR}").content.decode()
    assert f'#actual-{actual.pk}">{unit.label}{MONTH}月填报</a>' in page


def test_the_province_page_runs_the_same_queries_whatever_the_levels(today, client_for):
    """The whole page (its months rolled from the lowers, the trend chart, 下级汇总) at two
    sizes of a three-level tree."""
    user, top = _province(cities=2, districts=2)
    province = top.responsible_unit.parent

    def grow():
        for _ in range(3):
            add_city(top, province, districts=5)

    page = get_page(client_for(user), f"/indicators/{top.pk}/?year={YEAR}")
    response = assert_same_queries(page, grow, at_most=18, warm_up=True)
    assert "下级汇总" in response.content.decode()
