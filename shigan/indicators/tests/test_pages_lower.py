"""下级汇总 on the pages (indicators.rollup): the upper indicator's page lists each district's
figure with links down, the sum and its target; the dashboard shows the rolled figure where the
level has none of its own; the indicator form sets the links; bounded queries."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import Actual, Aggregation, Indicator, IndicatorYear, MeasureUnit
from shigan.indicators.rollup import SUM_OF_PERCENT
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_user

pytestmark = pytest.mark.django_db
YEAR = 2023


@dataclass
class Levels:
    county: Unit
    coordinator: object
    upper: Indicator
    districts: list[Unit] = field(default_factory=list)
    coordinators: list = field(default_factory=list)
    lowers: list[Indicator] = field(default_factory=list)


def make_indicator(unit, **fields) -> Indicator:
    fields.setdefault("measure_unit", MeasureUnit.WAN_YUAN)
    fields.setdefault("name", "固定资产投资")
    return Indicator.objects.create(responsible_unit=unit, **fields)


def add_district(levels: Levels, filed: Decimal | None = None) -> Indicator:
    n = len(levels.districts) + 1
    unit = Unit.objects.create(
        name=f"第{n}区党委政府", short_name=f"第{n}区", kind=UnitKind.PARTY_GOVERNMENT,
        parent=levels.county,
    )  # fmt: skip
    force = Unit.objects.create(name="作风专班", kind=UnitKind.TASK_FORCE, parent=unit)
    user, _ = make_user(f"d{n}_coord", unit=force, role=Role.COORDINATOR, name=f"区{n}专班")
    lower = make_indicator(force, upper=levels.upper)
    IndicatorYear.objects.create(indicator=lower, year=YEAR, annual_target=Decimal(1200))
    if filed is not None:
        Actual.objects.create(indicator=lower, year=YEAR, month=7, value=filed, unit=force)
    levels.districts.append(unit)
    levels.coordinators.append(user)
    levels.lowers.append(lower)
    return lower


@pytest.fixture
def levels(today) -> Levels:
    county = Unit.objects.create(name="示范县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    force = Unit.objects.create(name="县作风办", kind=UnitKind.TASK_FORCE, parent=county)
    coordinator, _ = make_user("county_coord", unit=force, role=Role.COORDINATOR, name="县专班")
    upper = make_indicator(force)
    built = Levels(county, coordinator, upper)
    add_district(built, Decimal(700))
    add_district(built)
    return built


def test_upper_page_lists_each_district_with_links_down_and_an_incomplete_sum(levels, client_for):
    page = client_for(levels.coordinator).get(f"/indicators/{levels.upper.pk}/?year={YEAR}")
    html = page.content.decode()
    assert "下级汇总 · 2023年1-7月" in html and "1个区未报，汇总不全" in html
    section = page.context["lower"]
    assert section.figure.value == 700 and section.figure.target == 2400
    assert section.target_label == "下级目标之和"
    assert f'/indicators/{levels.lowers[0].pk}/?year=2023"' in html
    actual = Actual.objects.get(indicator=levels.lowers[0])
    # 来源 names who filed which month, linking to the record (not a raw id: 填报#7)
    assert f'#actual-{actual.pk}">作风专班7月填报</a>' in html and "未报" in html
    assert "填报#" not in html
    # a partial sum is not judged against the whole target: 未填报 until every district files
    assert (section.completion_pct, section.status) == (None, "missing")
    Actual.objects.create(
        indicator=levels.lowers[1], year=YEAR, month=7, value=Decimal(50), unit=levels.county
    )
    section = client_for(levels.coordinator).get(f"/indicators/{levels.upper.pk}/").context["lower"]
    # 750 of 2400 = 31.3%, 序时进度 7/12 = 58.3%: 27.0 points behind, red
    assert (section.completion_pct, section.time_progress_pct) == (Decimal("31.3"), Decimal("58.3"))
    assert (section.gap_points, section.status) == (Decimal("-27.0"), "red")


def test_a_district_page_has_no_lower_section_and_the_county_page_is_not_the_districts(
    levels, client_for
):
    district = client_for(levels.coordinators[0])
    page = district.get(f"/indicators/{levels.lowers[0].pk}/")
    assert page.status_code == 200 and page.context["lower"] is None
    assert district.get(f"/indicators/{levels.upper.pk}/").status_code == 404


def test_dashboard_shows_the_rolled_figure_where_the_level_has_none(levels, client_for):
    page = client_for(levels.coordinator).get("/indicators/?period=2023-07")
    row = next(r for r in page.context["rows"] if r.indicator.pk == levels.upper.pk)
    assert (row.rolled.value, row.completion_pct, row.status) == (700, None, "missing")
    assert "1个区未报" in page.content.decode()
    Actual.objects.create(
        indicator=levels.lowers[1], year=YEAR, month=7, value=Decimal(50), unit=levels.county
    )
    page = client_for(levels.coordinator).get("/indicators/?period=2023-07")
    row = next(r for r in page.context["rows"] if r.indicator.pk == levels.upper.pk)
    assert row.value is None and row.rolled.value == 750
    # judged on the rolled figure: 750 of the districts' targets 2400 = 31.3%, 序时进度 58.3%
    assert (row.target, row.completion_pct, row.status) == (2400, Decimal("31.3"), "red")
    assert "下级汇总" in page.content.decode()


@pytest.mark.parametrize("url", ["/indicators/{pk}/", "/indicators/?period=2023-07"])
def test_pages_run_the_same_queries_for_two_and_six_districts(levels, client_for, url):
    client = client_for(levels.coordinator)

    def grow():
        for _ in range(4):
            add_district(levels, Decimal(10))

    page = get_page(client, url.format(pk=levels.upper.pk))
    response = assert_same_queries(page, grow, at_most=20, warm_up=True)
    assert len(levels.districts) == 6 and "下级汇总" in response.content.decode()


def _form(indicator: Indicator, **links) -> dict:
    data = {
        "name": indicator.name, "measure_unit": indicator.measure_unit,
        "category": indicator.category, "accumulation": indicator.accumulation,
        "direction": indicator.direction, "responsible_unit": indicator.responsible_unit_id,
        "source": "", "sort_order": "0", "aggregation": Aggregation.SUM,
    }  # fmt: skip
    return {**data, **links}


def test_district_coordinator_links_his_indicator_to_the_county_one_audited(levels, client_for):
    own = make_indicator(levels.lowers[0].responsible_unit, name="招商引资到位资金")
    client = client_for(levels.coordinators[0])
    form = client.get(f"/indicators/{own.pk}/edit/")
    assert list(form.context["form"].fields["upper"].queryset) == [levels.upper]
    assert "本级的数计入哪个上级" in form.content.decode()
    response = client.post(f"/indicators/{own.pk}/edit/", _form(own, upper=levels.upper.pk))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.upper == levels.upper
    entry = AuditEntry.objects.filter(record_id=own.pk).order_by("-id").first()
    assert entry.changes == {"汇入上级指标": [None, "固定资产投资"]}


def test_a_percent_indicator_summed_is_refused_in_chinese(levels, client_for):
    rate = make_indicator(
        levels.upper.responsible_unit, name="开工率", measure_unit=MeasureUnit.PERCENT,
        aggregation=Aggregation.NONE,
    )  # fmt: skip
    client = client_for(levels.coordinator)
    response = client.post(f"/indicators/{rate.pk}/edit/", _form(rate))
    assert response.status_code == 200
    assert response.context["form"].errors["aggregation"] == [SUM_OF_PERCENT]
    assert "百分比指标不能相加" in response.content.decode()
    rate.refresh_from_db()
    assert rate.aggregation == Aggregation.NONE


def test_a_rate_page_recomputes_from_the_summed_parts_and_lists_the_districts_rates(
    levels, client_for
):
    force = levels.upper.responsible_unit
    num = make_indicator(force, name="开工项目数", measure_unit=MeasureUnit.GE)
    den = make_indicator(force, name="计划开工项目数", measure_unit=MeasureUnit.GE)
    rate = make_indicator(
        force, name="开工率", measure_unit=MeasureUnit.PERCENT, aggregation=Aggregation.RATE,
        rate_numerator=num, rate_denominator=den,
    )  # fmt: skip
    # district 1: 1 of 2 (50%), district 2: 9 of 10 (90%): 10 of 12 = 83.3%, not the mean 70%
    for lower, (started, planned) in zip(levels.lowers, ((1, 2), (9, 10)), strict=True):
        unit = lower.responsible_unit
        for upper, value in ((num, started), (den, planned)):
            part = make_indicator(unit, name=upper.name, measure_unit=MeasureUnit.GE, upper=upper)
            Actual.objects.create(indicator=part, year=YEAR, month=7, value=value, unit=unit)
        own_rate = make_indicator(unit, name="开工率", measure_unit=MeasureUnit.PERCENT,
                                  aggregation=Aggregation.NONE, upper=rate)  # fmt: skip
        Actual.objects.create(
            indicator=own_rate, year=YEAR, month=7, value=started * 100 / planned, unit=unit
        )
    page = client_for(levels.coordinator).get(f"/indicators/{rate.pk}/?year={YEAR}")
    html = page.content.decode()
    assert page.context["lower"].figure.value == Decimal(10) / Decimal(12) * 100
    assert "83.3333" in html and "不是下级比率的平均" in html and "合计" not in html
    assert [p.value for p in page.context["lower"].figure.parts] == [50, 90]


def test_county_dashboard_names_each_indicators_level_the_districts_do_not(levels, client_for):
    """The county reads 固定资产投资 three times (its own, each district's): each is named by
    its level, in the table, the completion chart and the trend picker; a district reading one
    level sees the names alone. Key projects are counted over 全县, not 全区."""
    for lower in levels.lowers:
        IndicatorYear.objects.filter(indicator=lower).update(annual_target=Decimal(1000))
    Actual.objects.create(
        indicator=levels.lowers[1], year=YEAR, month=7, value=Decimal(50), unit=levels.county
    )
    page = client_for(levels.coordinator).get("/indicators/?period=2023-07")
    html = page.content.decode()
    names = {r.indicator.pk: r.display_name for r in page.context["rows"]}
    assert names == {
        levels.upper.pk: "固定资产投资（示范县党委政府）",
        levels.lowers[0].pk: "固定资产投资（第1区）",
        levels.lowers[1].pk: "固定资产投资（第2区）",
    }
    assert '<span class="ind-level-tag" title="所属层级">第1区</span>' in html
    assert set(page.context["chart_data"]["completion"]["names"]) <= set(names.values())
    assert ">固定资产投资（第2区）</option>" in html
    assert page.context["rates_scope"] == "全县重点项目"

    district = client_for(levels.coordinators[0]).get("/indicators/?period=2023-07")
    assert [r.display_name for r in district.context["rows"]] == ["固定资产投资"]
    assert "ind-level-tag" not in district.content.decode()
    assert district.context["rates_scope"] == "全区重点项目"
