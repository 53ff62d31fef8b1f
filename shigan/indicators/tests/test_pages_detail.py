import re
from decimal import Decimal as D

import pytest

from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.models import SamePeriodValue

from .page_data import record


def url(indicator, year=None) -> str:
    return f"/indicators/{indicator.pk}/" + (f"?year={year}" if year else "")


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def corrected(ind):
    """July's investment figure reported as an estimate, then corrected twice."""
    first = record(ind.investment, 7, 32000, is_estimate=True)
    second = record(ind.investment, 7, 33500, corrects=first, reason="统计局反馈口径调整")
    third = record(ind.investment, 7, 33000, corrects=second, reason="剔除重复入库项目")
    record(ind.investment, 6, 28000)
    return first, second, third


def test_history_keeps_superseded_entries_and_correction_reasons(corrected, world, client_for):
    first, second, third = corrected
    response = client_for(world.coordinator).get(url(first.indicator))
    entries = response.context["entries"]
    assert [e.actual.month for e in entries] == [6, 7, 7, 7]  # by month, then as entered
    assert [e.actual.pk for e in entries[1:]] == [first.pk, second.pk, third.pk]
    assert [e.current for e in entries] == [True, False, False, True]
    assert entries[1].corrected_by == [second.pk]
    text = text_of(response)
    assert "统计局反馈口径调整" in text and "剔除重复入库项目" in text
    assert f'<tr id="actual-{first.pk}" class="superseded">' in text
    assert f'更正 <a href="#actual-{first.pk}">#{first.pk}</a>' in text
    assert "共4条" in text


def test_month_rows_use_each_months_current_figure(corrected, world, client_for):
    response = client_for(world.coordinator).get(url(corrected[0].indicator))
    months = response.context["months"]
    assert len(months) == 7  # January to July 2023, the pinned today
    july = months[6]
    assert july.actual.value == 33000 and july.completion_pct == D("44.5")
    assert july.gap_points == D("-13.8") and july.status == IndicatorStatus.RED
    assert july.same_period == 30000 and july.change_pct == D("10.0")
    assert months[0].status == IndicatorStatus.MISSING
    assert "1-7月" in text_of(response)


def test_detail_shows_target_and_same_period_values(ind, world, client_for):
    SamePeriodValue.objects.create(indicator=ind.investment, year=2023, month=6, value=25000)
    response = client_for(world.leader).get(url(ind.investment))
    text = text_of(response)
    assert "<b>74160</b> 万元" in text
    assert response.context["months"][5].same_period == 25000


def test_past_year_shows_twelve_months_and_no_target(ind, world, client_for):
    response = client_for(world.coordinator).get(url(ind.investment, 2022))
    assert len(response.context["months"]) == 12
    assert "未设年度目标" in text_of(response)


def test_future_year_has_no_months_and_no_chart(ind, world, client_for):
    response = client_for(world.coordinator).get(url(ind.investment, 2024))
    assert response.context["months"] == [] and "echarts" not in text_of(response)


def test_trend_chart_of_the_year(corrected, world, client_for):
    response = client_for(world.coordinator).get(url(corrected[0].indicator))
    trend = response.context["chart_data"]["trend"]
    assert trend["actual"] == [None] * 5 + [28000, 33000]
    assert trend["estimate"][-1] is False  # the current July figure is final
    assert 'id="chart-trend"' in text_of(response)


def test_another_units_reporter_reads_an_indicator_but_may_not_edit_it(ind, world, client_for):
    client = client_for(world.reporter_b)
    assert client.get(url(ind.investment)).status_code == 200
    assert client.get(f"/indicators/{ind.investment.pk}/edit/").status_code == 403


def test_leader_reads_every_indicator_of_his_district(ind, world, client_for):
    # The headline figures are the district's (indicators.access); another district's are
    # test_leader_indicators.py's.
    client = client_for(world.leader)
    assert client.get(url(ind.investment)).status_code == 200
    assert client.get(url(ind.output)).status_code == 200


def test_unknown_indicator_is_404(world, client_for):
    assert client_for(world.coordinator).get("/indicators/999999/").status_code == 404


def test_detail_refuses_post(ind, world, client_for):
    assert client_for(world.coordinator).post(url(ind.investment)).status_code == 405


def test_reporter_of_the_unit_sees_report_links(ind, world, client_for):
    text = text_of(client_for(world.reporter_a).get(url(ind.investment)))
    assert "/indicators/import/" in text and "/admin/" not in text


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_read_only_roles_see_no_write_links_on_detail(ind, world, client_for, who):
    text = text_of(client_for(getattr(world, who)).get(url(ind.investment)))
    assert "/indicators/import/" not in text and "/indicators/templates/" not in text
    assert "/admin/" not in text


def test_coordinator_may_edit_the_indicator(ind, world, client_for):
    text = text_of(client_for(world.coordinator).get(url(ind.investment)))
    assert f"/indicators/{ind.investment.pk}/edit/" in text
