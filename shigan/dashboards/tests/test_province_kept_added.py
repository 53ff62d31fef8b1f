"""An indicator added judges again only itself and those reading it (dashboards.kept_indicators,
issue 17): at province scale a new district indicator counting into its city's sum judges 3
indicators and the rates over them, not the 12,640 of the province's scope — and the kept figures
stay exactly those judged afresh (indicator_rows asserts it). An indicator changed is still
judged afresh (its links may have moved: what depends on what)."""

from decimal import Decimal

import pytest

from shigan.dashboards import kept_indicators as kept_module
from shigan.indicators.models import Aggregation, Indicator, IndicatorYear, MeasureUnit
from shigan.indicators.services.actuals import target_set
from shigan.indicators.services.records import indicator_save

from .levels_world import COUNTY, WEST
from .test_kept_indicators import _named, indicator_rows, levels  # noqa: F401 (the fixture)


@pytest.fixture
def judged(monkeypatch) -> list:
    """The names of the indicators each call of indicator_statuses judged, call by call."""
    calls = []
    original = kept_module.indicator_statuses

    def spy(indicators, *args, **kwargs):
        found = original(indicators, *args, **kwargs)
        calls.append(sorted(Indicator.objects.get(pk=pk).name for pk, _, _ in found[1]))
        return found

    monkeypatch.setattr(kept_module, "indicator_statuses", spy)
    return calls


def _add(world, name: str, **fields) -> Indicator:
    west = world[WEST]
    return indicator_save(
        indicator=None, by=west.users["coordinator"], name=name, responsible_unit=west.bureau,
        measure_unit=fields.pop("measure_unit", MeasureUnit.WAN_YUAN), **fields,
    )  # fmt: skip


def test_an_indicator_added_judges_again_only_what_reads_it(levels, judged):  # noqa: F811
    before = indicator_rows(levels)
    del judged[:]
    _add(levels, "西区指标新", upper=_named("甲县投资"))
    after = indicator_rows(levels)  # kept == judged afresh, for both viewers
    # The county's coordinator: the new one, the sum it counts into and the rate over that sum;
    # the city's inspector: the city's sum too.
    assert judged == [
        ["甲县投资", "甲县比率", "西区指标新"],
        ["甲县投资", "甲县比率", "示范市投资", "西区指标新"],
    ]
    assert after[0][levels[WEST].root.pk] == {"missing": 2, "grey": 1}  # no target yet
    assert after != before
    del judged[:]
    # Its target set: judged again as a target is (itself and what reads it), still exact.
    target_set(
        indicator=_named("西区指标新"), year=2023, annual_target=Decimal(100),
        by=levels[WEST].users["coordinator"],
    )  # fmt: skip
    assert indicator_rows(levels)[0][levels[WEST].root.pk] == {"missing": 3}
    assert judged[0] == ["甲县投资", "甲县比率", "西区指标新"]


def test_a_rate_added_judges_again_only_itself(levels, judged):  # noqa: F811
    county = levels[COUNTY]
    indicator_rows(levels)
    del judged[:]
    rate = indicator_save(
        indicator=None, by=county.users["coordinator"], name="甲县新比率",
        responsible_unit=county.bureau, measure_unit=MeasureUnit.PERCENT,
        aggregation=Aggregation.RATE, rate_numerator=_named("甲县分母"),
        rate_denominator=_named("甲县投资"),
    )  # fmt: skip
    assert not IndicatorYear.objects.filter(indicator=rate).exists()
    indicator_rows(levels)
    assert judged == [["甲县新比率"], ["甲县新比率"]]


def test_an_indicator_changed_is_judged_afresh(levels, judged):  # noqa: F811
    indicator_rows(levels)
    added = _add(levels, "西区指标新", upper=_named("甲县投资"))
    indicator_rows(levels)
    del judged[:]
    indicator_save(
        indicator=added, by=levels[WEST].users["coordinator"], name="西区指标新",
        responsible_unit=levels[WEST].bureau, measure_unit=MeasureUnit.WAN_YUAN, upper=None,
    )  # fmt: skip
    indicator_rows(levels)
    assert [len(names) for names in judged] == [2 + 3 + 2 + 3, 2 + 3 + 2 + 3 + 2]
