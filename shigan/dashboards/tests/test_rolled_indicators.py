"""The county's own indicator that its districts' figures roll into (下级汇总) reads the same on
the indicator table, the cockpit and 下级对比: judged on the rolled figure, never counted as
未填报 while the districts have filed; a fixed number of queries whatever the districts."""

import re
from decimal import Decimal

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import Actual, Indicator, IndicatorYear, MeasureUnit
from shigan.orgs.models import Unit, UnitKind

from .levels_world import COUNTY, EAST, TODAY, WEST, build_world


def _lower(upper: Indicator, bureau: Unit, june: Decimal) -> None:
    made = Indicator.objects.create(
        name="固定资产投资", measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=bureau, upper=upper
    )
    IndicatorYear.objects.create(indicator=made, year=2023, annual_target=Decimal(100))
    Actual.objects.create(indicator=made, year=2023, month=6, value=june, unit=bureau)


@pytest.fixture
def world(db, settings, monkeypatch):
    settings.SHIGAN_TODAY = TODAY
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    levels = build_world()
    county = levels[COUNTY]
    upper = Indicator.objects.create(
        name="全县固定资产投资", measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=county.bureau
    )
    IndicatorYear.objects.create(indicator=upper, year=2023, annual_target=Decimal(200))
    # June read on 2023-07-31: 序时进度 50%; 60 + 60 of 200 = 60% → 达序时 (green)
    _lower(upper, levels[EAST].bureau, Decimal(60))
    _lower(upper, levels[WEST].bureau, Decimal(60))
    return levels, upper


def test_the_county_figure_rolled_from_its_districts_is_not_counted_unfiled(world, client):
    levels, upper = world
    client.force_login(levels[COUNTY].users["coordinator"])
    table = client.get("/indicators/?period=2023-06")
    row = next(r for r in table.context["rows"] if r.indicator.pk == upper.pk)
    assert (row.rolled.value, row.completion_pct, row.status) == (120, Decimal(60), "green")
    cockpit = client.get("/map/cockpit/").content.decode()
    assert "120万元（下级汇总）" in cockpit
    card = client.get("/map/cockpit/").context["data"].headline
    assert card.counts["missing"] == sum(r.status == "missing" for r in table.context["rows"])
    assert card.counts["red"] == sum(r.status == "red" for r in table.context["rows"])
    # 下级对比's 本级 row: the county's own (levels_world: one red, one unfiled) and the rolled one
    html = client.get("/map/levels/").content.decode()
    own = re.search(r'data-row="own-[^"]*">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(r'data-cell="indicators"[^>]*>(.*?)</td>', own, re.S).group(1)
    assert "达序时1 · 落后1 · 未填报1" in cell


def test_the_cockpit_runs_the_same_queries_for_two_and_five_districts(world, client):
    levels, upper = world
    client.force_login(levels[COUNTY].users["coordinator"])
    county = levels[COUNTY].root

    def grow():
        for n in range(3):
            root = Unit.objects.create(
                name=f"新{n}区党委政府", kind=UnitKind.PARTY_GOVERNMENT, parent=county
            )
            bureau = Unit.objects.create(name=f"新{n}区局", kind=UnitKind.BUREAU, parent=root)
            _lower(upper, bureau, Decimal(10))

    page = get_page(client, "/map/cockpit/")
    response = assert_same_queries(page, grow, warm_up=True)
    assert "150万元（下级汇总）" in response.content.decode()
