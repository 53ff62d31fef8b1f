import json
import re
from decimal import Decimal as D

import pytest

from shigan.indicators.calc import IndicatorStatus

from .page_data import months_of, project, record

URL = "/indicators/"


@pytest.fixture
def figures(ind):
    months_of(ind.investment, [4000, 9000, 14000, 19000, 24000, 28000, 33000], estimate_last=True)
    months_of(ind.output, [3000, 6200, 9300, 12500, 15600, 18800, 22000])
    record(ind.hogs, 7, 13631)
    return ind


def rows_by_name(response) -> dict:
    assert response.status_code == 200
    return {row.indicator.name: row for row in response.context["rows"]}


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def chart_data(response) -> dict:
    match = re.search(
        r'<script id="indicator-charts" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def test_anonymous_is_sent_to_login(client):
    for url in (URL, "/indicators/1/", "/indicators/projects/", "/indicators/investment/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_refuses_post(world, client_for):
    assert client_for(world.coordinator).post(URL).status_code == 405


def test_coordinator_sees_every_computed_figure(figures, world, client_for):
    response = client_for(world.coordinator).get(URL)
    investment = rows_by_name(response)["固定资产投资"]
    assert investment.completion_pct == D("44.5") and investment.gap_points == D("-13.8")
    text = page_text(response)
    assert "2023年1-7月主要指标完成情况" in text
    assert "序时进度<b>58.3%</b>" in text
    row = re.search(r'<tr class="ind-row-red" data-indicator="\d+">(.*?)</tr>', text).group(1)
    for shown in ("33000", "预计", "74160", "44.5", "58.3", "低于13.8", "30000", "+3000", "+10.0"):
        assert shown in row
    assert "明显滞后" in row


def test_point_indicator_is_marked_and_measured_against_the_target(figures, world, client_for):
    response = client_for(world.coordinator).get(URL)
    hogs = rows_by_name(response)["生猪存栏"]
    assert hogs.time_progress_pct is None and hogs.status == IndicatorStatus.YELLOW
    assert "低于2.6" in page_text(response)


def test_reporter_reads_the_districts_indicators_his_units_filterable(figures, world, client_for):
    client = client_for(world.reporter_b)
    names = set(rows_by_name(client.get(URL)))
    assert names == {"固定资产投资", "规模以上工业总产值", "生猪存栏"}
    assert set(rows_by_name(client.get(URL + "?mine=1"))) == {"规模以上工业总产值"}


def test_leader_sees_the_districts_indicators_his_units_filterable(figures, world, client_for):
    client = client_for(world.leader)
    assert set(rows_by_name(client.get(URL))) == {"固定资产投资", "规模以上工业总产值", "生猪存栏"}
    assert set(rows_by_name(client.get(URL + "?mine=1"))) == {"固定资产投资", "生猪存栏"}


def test_inspector_reads_every_indicator(figures, world, client_for):
    assert len(rows_by_name(client_for(world.inspector).get(URL))) == 3


def test_filters_by_category_and_unit(figures, world, client_for):
    client = client_for(world.coordinator)
    assert set(rows_by_name(client.get(URL + "?category=agriculture"))) == {"生猪存栏"}
    unit_b = client.get(f"{URL}?unit={world.unit_b.pk}")
    assert set(rows_by_name(unit_b)) == {"规模以上工业总产值"}
    assert set(rows_by_name(client.get(URL + "?category=nonsense"))) == set(
        rows_by_name(unit_b)
    ) | {
        "固定资产投资",
        "生猪存栏",
    }


def test_unit_filter_offers_only_units_the_user_reads(figures, world, client_for):
    units = client_for(world.reporter_b).get(URL).context["units"]
    assert sorted(u.name for u in units) == ["区交通局", "区水务局"]


def test_period_chooses_the_month(figures, world, client_for):
    response = client_for(world.coordinator).get(URL + "?period=2023-06")
    output = rows_by_name(response)["规模以上工业总产值"]
    assert output.value == 18800 and output.time_progress_pct == 50
    assert "2023年1-6月主要指标完成情况" in page_text(response)


def test_days_mode_uses_days_elapsed(figures, world, client_for):
    response = client_for(world.coordinator).get(URL + "?mode=days")
    assert response.context["time_progress_pct"] == D("58.1")  # 212 ÷ 365
    assert rows_by_name(response)["固定资产投资"].time_progress_pct == D("58.1")
    assert "按天" in page_text(response)


def test_legend_explains_every_computed_column(figures, world, client_for):
    text = page_text(client_for(world.leader).get(URL))
    assert "完成值 ÷ 年度目标（年计划） × 100%" in text
    assert "已过月数 ÷ 12 × 100%" in text
    assert "完成率 − 序时进度（按表中显示的两数相减，如44.5 − 58.3 = −13.8），单位为百分点" in text
    assert "按显示的（已取舍的）数相减" in text
    assert "28.25→28.3" in text and "四舍五入" in text


@pytest.mark.parametrize("who", ["coordinator", "reporter_a"])
def test_those_who_report_see_template_and_import_links(figures, world, client_for, who):
    text = page_text(client_for(getattr(world, who)).get(URL))
    assert "/indicators/templates/actuals.xlsx?period=2023-07" in text
    assert "/indicators/import/" in text


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_read_only_roles_see_no_write_links(figures, world, client_for, who):
    text = page_text(client_for(getattr(world, who)).get(URL))
    assert "/indicators/templates/" not in text and "/indicators/import/" not in text
    assert "/indicators/export/table.xlsx?period=2023-07" in text


def test_trend_chart_defaults_to_the_first_indicator(figures, world, client_for):
    trend = chart_data(client_for(world.coordinator).get(URL))["trend"]
    assert trend["name"] == "固定资产投资" and trend["months"][0] == "1月"
    assert trend["actual"] == [4000, 9000, 14000, 19000, 24000, 28000, 33000]
    assert trend["estimate"] == [False] * 6 + [True]
    assert trend["target"][-1] == pytest.approx(74160 * 7 / 12)
    assert trend["samePeriod"][-1] == 30000 and trend["samePeriod"][0] is None


def test_trend_chart_of_a_chosen_point_indicator_has_a_flat_target(figures, world, client_for):
    url = f"{URL}?indicator={figures.hogs.pk}"
    trend = chart_data(client_for(world.coordinator).get(url))["trend"]
    assert trend["name"] == "生猪存栏" and set(trend["target"]) == {14000}
    assert trend["targetName"] == "年度目标"


def test_trend_chart_ignores_an_indicator_the_user_cannot_read(figures, world, client_for):
    from shigan.orgs.models import Unit, UnitKind

    from .conftest import make_indicator

    district = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    bureau = Unit.objects.create(name="邻区统计局", kind=UnitKind.BUREAU, parent=district)
    other = make_indicator("邻区地区生产总值", bureau)
    response = client_for(world.reporter_b).get(f"{URL}?indicator={other.pk}")
    assert chart_data(response)["trend"]["name"] != "邻区地区生产总值"
    assert "邻区地区生产总值" not in page_text(response)


def test_completion_chart_has_every_indicator_with_a_figure(figures, world, client_for):
    completion = chart_data(client_for(world.coordinator).get(URL))["completion"]
    assert completion["names"] == ["固定资产投资", "规模以上工业总产值", "生猪存栏"]
    assert completion["values"] == [44.5, 39.6, 97.4]
    assert completion["status"] == ["red", "red", "yellow"]
    assert completion["timeProgress"] == pytest.approx(58.333, abs=0.001)


def test_rates_chart_and_definitions_cover_the_users_projects(figures, world, client_for):
    project("A项目", world.unit_a)
    project("B项目", world.unit_b, completed_investment_this_year=4000)
    response = client_for(world.reporter_b).get(URL)
    rates = chart_data(response)["rates"]
    assert rates["names"] == ["履约率", "资金到位率", "开工率", "竣工投产率"]
    assert rates["values"][0] == 100.0  # only unit B's project: 4000 ÷ 4000
    assert "本年完成投资之和 ÷ 本年计划投资之和 × 100%" in page_text(response)


def test_page_loads_echarts_from_own_static_files(figures, world, client_for):
    text = page_text(client_for(world.coordinator).get(URL))
    assert '<script src="/static/vendor/echarts-6.1.0/echarts.min.js">' in text
    assert '<script src="/static/indicators/charts.js">' in text
    assert "http://" not in text and "https://" not in text


def test_empty_dashboard_says_so(world, client_for):
    response = client_for(world.coordinator).get(URL)
    assert response.status_code == 200
    said = re.sub(r"<[^>]+>", "", page_text(response))
    assert "暂无指标：在指标设置中新增指标，或导入年度目标（下载模板）。" in said
    assert chart_data(response)["trend"] is None
