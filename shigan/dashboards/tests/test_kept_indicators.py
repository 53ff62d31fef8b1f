"""下级对比's indicators kept for the day (dashboards.kept_indicators) are exactly those judged
afresh (every indicator of the viewer's scope, indicators.rolled.rolled_statuses) after every
kind of write — a figure filed, a figure corrected, a target changed, a unit moved to another
level, an indicator added, the next day — and a figure filed judges again only the indicator it
is for and those reading it (the sums above it, a rate of their level), not the scope's others.

The world (levels_world) with a roll-up: 东区指标0 and 西区指标0 are summed into 甲县投资, which
counts into 示范市投资; 东区指标1 and 西区指标1 into 甲县分母; 甲县比率 is 甲县投资 ÷ 甲县分母
(a rate recomputed from its parts, never summed). On 2023-07-31 (June's figures, 序时进度 50%):
东区指标0 60 of 100 (green), 东区指标1 10 (red), 西区's two not filed, so the county's sums and
the city's are partial (missing) and the rate too."""

import datetime
from decimal import Decimal

import pytest

from shigan.core.audit import audit_record, snapshot
from shigan.core.figures_cache import clear_caches
from shigan.core.models import AuditAction
from shigan.dashboards import kept_indicators as kept_module
from shigan.indicators.models import (
    Actual,
    Aggregation,
    Indicator,
    IndicatorYear,
    MeasureUnit,
)
from shigan.indicators.services.actuals import actual_submit, target_set
from shigan.indicators.services.records import indicator_save

from .levels_world import CITY, COUNTY, EAST, TODAY, WEST, build_world
from .test_campaign_counts import fresh, served

D = datetime.date
INDICATORS = 4  # the row of _plain holding the indicators' counts


@pytest.fixture
def levels(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    clear_caches()
    world = build_world()
    county, city = world[COUNTY], world[CITY]

    def upper(name: str, level, unit=MeasureUnit.WAN_YUAN, **links) -> Indicator:
        return Indicator.objects.create(
            name=name, measure_unit=unit, responsible_unit=level.bureau, **links
        )

    total = upper("甲县投资", county)
    city_total = upper("示范市投资", city)
    total.upper = city_total
    total.save()
    base = upper("甲县分母", county)
    upper(
        "甲县比率", county, MeasureUnit.PERCENT, aggregation=Aggregation.RATE,
        rate_numerator=total, rate_denominator=base,
    )  # fmt: skip
    IndicatorYear.objects.create(indicator=Indicator.objects.get(name="甲县比率"), year=2023,
                                 annual_target=Decimal(50))  # fmt: skip
    for index, into in ((0, total), (1, base)):
        Indicator.objects.filter(name__in=[f"东区指标{index}", f"西区指标{index}"]).update(
            upper=into
        )
    clear_caches()
    return world


def viewers(levels):
    return [levels[COUNTY].users["coordinator"], levels[CITY].users["inspector"]]


def indicator_rows(levels, as_of=None) -> list[dict]:
    """Each viewer's 下级对比 indicators' counts per row, as served (kept) — after asserting
    every figure of the page equals the one judged afresh."""
    found = [served(user, as_of) for user in viewers(levels)]
    assert found == [fresh(user, as_of) for user in viewers(levels)]
    return [
        {branch: row[INDICATORS] for branch, row in f.items() if branch != "late"} for f in found
    ]


def _named(name: str) -> Indicator:
    return Indicator.objects.get(name=name)


def _file(levels, name: str, value: int, **correction) -> Actual:
    level = levels[EAST if name.startswith("东区") else WEST]
    return actual_submit(
        indicator=_named(name), year=2023, month=6, value=Decimal(value), is_estimate=False,
        note="", by=level.users["coordinator"], unit=level.bureau, **correction,
    )  # fmt: skip


def test_the_kept_statuses_are_those_judged_afresh(levels):
    before = indicator_rows(levels)
    county, east, west = levels[COUNTY], levels[EAST], levels[WEST]
    # The county's page: 东区 green and red; 西区 both missing; 本级 (甲县投资, 分母, 比率
    # partial: missing; its own 1 red and 1 missing from levels_world).
    assert before[0][east.root.pk] == {"green": 1, "red": 1}
    assert before[0][west.root.pk] == {"missing": 2}
    assert before[0][0] == {"red": 1, "missing": 1 + 3}
    assert county.root.pk in before[1]  # the city's page: the county's row
    assert indicator_rows(levels) == before  # served again from what is kept


def test_a_figure_filed(levels):
    before = indicator_rows(levels)
    _file(levels, "西区指标0", 60)
    after = indicator_rows(levels)
    west, county = levels[WEST], levels[COUNTY]
    assert after[0][west.root.pk] == {"green": 1, "missing": 1}
    # 甲县投资 complete now: 120 of the lowers' 200 → green; its city's sum too.
    assert after[0][0] == {"green": 1, "red": 1, "missing": 1 + 2}
    assert after[1][county.root.pk] != before[1][county.root.pk]


def test_a_figure_corrected(levels):
    _file(levels, "西区指标0", 60)
    before = indicator_rows(levels)
    _file(levels, "东区指标0", 10, reason="填报有误")
    after = indicator_rows(levels)
    assert after[0][levels[EAST].root.pk] == {"red": 2}
    assert after[0][0] == {"red": 2, "missing": 1 + 2}  # 甲县投资 70 of 200: red
    assert after != before


def test_a_target_changed(levels):
    _file(levels, "西区指标0", 60)
    before = indicator_rows(levels)
    target_set(
        indicator=_named("西区指标0"), year=2023, annual_target=Decimal(1000),
        by=levels[WEST].users["coordinator"],
    )  # fmt: skip
    after = indicator_rows(levels)
    assert after[0][levels[WEST].root.pk] == {"red": 1, "missing": 1}
    assert after[0][0] == {"red": 2, "missing": 1 + 2}  # 甲县投资 120 of 1,100: red
    assert after != before


def test_a_rate_recomputed_from_its_parts(levels):
    """甲县比率 = 甲县投资 ÷ 甲县分母 × 100, judged on its own target (50): complete once both
    sums are, never the sum of anything."""
    _file(levels, "西区指标0", 60)
    before = indicator_rows(levels)
    _file(levels, "西区指标1", 230)  # 甲县分母 240 → the rate 120 ÷ 240 = 50 %: green
    after = indicator_rows(levels)
    # 甲县投资 120 of 200, 甲县分母 240 of 200, 甲县比率 50 of 50: green.
    assert after[0][0] == {"green": 3, "red": 1, "missing": 1}
    assert after != before


def test_a_unit_moved_to_another_level(levels):
    before = indicator_rows(levels)
    east, west = levels[EAST], levels[WEST]
    unit = west.bureau
    was = snapshot(unit)
    unit.parent = east.root
    unit.save()
    audit_record(actor=None, obj=unit, action=AuditAction.UPDATE, before=was)
    after = indicator_rows(levels)
    assert after[0][east.root.pk] == {"green": 1, "red": 1, "missing": 2}
    assert after != before


def test_an_indicator_added(levels):
    before = indicator_rows(levels)
    west = levels[WEST]
    indicator_save(
        indicator=None, by=west.users["coordinator"], name="西区指标新", responsible_unit=west.bureau,
        measure_unit=MeasureUnit.WAN_YUAN, upper=_named("甲县投资"),
    )  # fmt: skip
    after = indicator_rows(levels)
    assert after[0][west.root.pk] == {"missing": 2, "grey": 1}  # no target
    assert after != before


def test_the_next_day(levels, settings, monkeypatch):
    """A figure written without the services (no audit entry) is not seen until the next day:
    what is kept holds the day."""
    before = indicator_rows(levels)
    west = levels[WEST]
    Actual.objects.create(
        indicator=_named("西区指标0"), year=2023, month=6, value=Decimal(60), unit=west.bureau
    )
    assert [served(user) for user in viewers(levels)][0][west.root.pk][INDICATORS] == {
        "missing": 2
    }  # still kept today
    settings.SHIGAN_TODAY = "2023-08-01"
    monkeypatch.setenv("SHIGAN_TODAY", "2023-08-01")
    after = indicator_rows(levels, D(2023, 8, 1))
    assert after[0][west.root.pk] == {"green": 1, "missing": 1}
    assert after != before


def test_a_figure_filed_judges_again_only_what_reads_it(levels, monkeypatch):
    judged = []
    original = kept_module.indicator_statuses

    def spy(indicators, *args, **kwargs):
        found = original(indicators, *args, **kwargs)
        judged.append(sorted(Indicator.objects.get(pk=pk).name for pk, _, _ in found[1]))
        return found

    monkeypatch.setattr(kept_module, "indicator_statuses", spy)
    indicator_rows(levels)
    # Each viewer's whole scope: the county's 2 + 3 and its districts' 2 + 2; the city's 2 more.
    assert [len(names) for names in judged] == [2 + 3 + 2 + 2, 2 + 3 + 2 + 2 + 2]
    del judged[:]
    indicator_rows(levels)
    assert judged == []  # nothing written: nothing judged
    _file(levels, "西区指标1", 5)
    target_set(
        indicator=Indicator.objects.get(name="东区指标0"), year=2023, annual_target=Decimal(80),
        by=levels[EAST].users["coordinator"],
    )  # fmt: skip
    indicator_rows(levels)
    # The county's coordinator reads the county and its districts; the city's inspector the
    # city and everything below it (示范市投资 too).
    assert judged == [
        ["东区指标0", "甲县分母", "甲县投资", "甲县比率", "西区指标1"],
        ["东区指标0", "甲县分母", "甲县投资", "甲县比率", "示范市投资", "西区指标1"],
    ]
