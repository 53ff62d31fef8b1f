"""A rate that counts projects over fewer than calc.SMALL_BASE (5) of them is not printed as a
percentage — on the project page, the indicator page, the rates chart and the export it shows
its counts (1/2个) and says why; from 5 projects on it is a percentage again. Amount rates
(履约率, 资金到位率) are ratios of 万元 and keep their percentage."""

import datetime
import io
import json
import re
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from shigan.indicators import calc
from shigan.indicators.queries import ProjectRate

from .page_data import project

DAY = datetime.date(2023, 3, 1)


def test_the_threshold_is_five_projects():
    assert calc.SMALL_BASE == 5
    assert [calc.is_small_base(n) for n in range(7)] == [False] + [True] * 4 + [False] * 2


@pytest.mark.parametrize(("due", "small"), [(4, True), (5, False)])
def test_a_count_rate_is_small_below_five_and_an_amount_rate_never(due, small):
    assert ProjectRate(calc.START, D(due), D(due), D(100)).small_base is small
    assert ProjectRate(calc.COMPLETION, D(1), D(due), D(1)).small_base is small
    assert ProjectRate(calc.CONTRACT_FULFILMENT, D(1), D(due), D(20)).small_base is False


def rates_html(world, client_for, url: str) -> str:
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_project_page_shows_a_small_base_rate_as_its_counts(world, today, client_for):
    project("零傲", world.unit_a, actual_start=DAY)
    project("佳仑", world.unit_b)
    html = rates_html(world, client_for, "/indicators/projects/")
    tile = re.search(r'data-rate="start">(.*?)</div>', html).group(1)
    assert "<b>1/2个</b>" in tile and "应计项目不足5个，不计百分比" in tile and "50.0" not in tile
    fulfilment = re.search(r'data-rate="contract_fulfilment">(.*?)</div>', html).group(1)
    assert "<b>50.0%</b>" in fulfilment


def test_five_projects_due_give_a_percentage_again(world, today, client_for):
    for i in range(5):
        project(f"项目{i}", world.unit_a, actual_start=DAY if i < 4 else None)
    html = rates_html(world, client_for, "/indicators/projects/")
    tile = re.search(r'data-rate="start">(.*?)</div>', html).group(1)
    assert "<b>80.0%</b>" in tile and "4 ÷ 5" in tile


def test_indicator_page_and_chart_leave_out_a_small_base_percentage(world, today, client_for):
    project("零傲", world.unit_a, actual_start=DAY)
    response = client_for(world.coordinator).get("/indicators/")
    chart = re.search(
        r'<script id="indicator-charts" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    ).group(1)
    assert json.loads(chart)["rates"]["values"] == [50, 50, None, None]
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "开工率 <b>1/1个</b>" in html and "应计项目不足5个，不计百分比" in html


def test_export_writes_a_small_base_rate_as_its_counts(world, today, client_for):
    project("零傲", world.unit_a, actual_start=DAY)
    response = client_for(world.coordinator).get("/indicators/export/projects.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {
        ws.cell(row=r, column=2).value: (ws.cell(row=r, column=3).value, r)
        for r in range(1, ws.max_row + 1)
    }
    assert rows["开工率"][0] == "1/1个"
    assert "应计项目不足5个" in ws.cell(row=rows["开工率"][1], column=4).value
    assert rows["履约率"][0] == 50
