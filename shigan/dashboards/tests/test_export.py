import datetime
import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from shigan.tasks.models import ProgressReport

URL = "/map/export.xlsx"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).active


def task_titles(ws) -> list[str]:
    return [ws.cell(row=r, column=3).value for r in range(3, ws.max_row + 1)]


def test_export_has_title_headers_and_rows(world, client_for):
    ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        text="设计勘察已完成",
        submitted_by=world.reporter_a,
    )
    ws = sheet(client_for(world.coordinator).get(URL))
    assert ws["A1"].value == "2023年作风建设“实干年”活动 挂图作战表（截至2023年7月20日）"
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    headers = [c.value for c in ws[2]]
    assert headers[:6] == ["序号", "类别", "任务名称", "牵头单位", "责任领导", "状态"]
    assert "最新进展" in headers and "期限" in headers and "剩余天数" not in headers
    first = [c.value for c in ws[3]]
    assert first[:6] == [1, "路网体系", "兴业大道建设", "区交通局", "李副区长", "正常"]
    assert first[7].date() == datetime.date(2023, 12, 31)
    assert first[8] == "完成整体方案" and first[10] == "1/2"
    assert first[11] == "2023年7月" and first[12] == "设计勘察已完成"
    assert first[13] == "剩164天"
    assert task_titles(ws) == ["兴业大道建设", "清凉河治理二期"]


def test_export_colours_status_and_freezes_header(world, client_for):
    ws = sheet(client_for(world.coordinator).get(URL))
    assert ws["F3"].fill.fgColor.rgb.endswith("2E9E4F")  # on track
    assert ws["F4"].fill.fgColor.rgb.endswith("F07C12")  # behind
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width


def test_export_filename_is_chinese_per_rfc_5987(world, client_for):
    response = client_for(world.coordinator).get(URL)
    disposition = response["Content-Disposition"]
    expected = quote("2023年作风建设“实干年”活动挂图作战表-20230720.xlsx")
    assert disposition.startswith('attachment; filename="battle-map-20230720.xlsx"')
    assert f"filename*=UTF-8''{expected}" in disposition


def test_filtered_export_contains_only_filtered_rows(world, client_for):
    c = client_for(world.coordinator)
    assert task_titles(sheet(c.get(URL, {"status": "behind"}))) == ["清凉河治理二期"]
    assert task_titles(sheet(c.get(URL, {"unit": world.unit_a.pk}))) == ["兴业大道建设"]
    as_of = sheet(c.get(URL, {"as_of": "2024-01-05"}))
    assert as_of["A1"].value.endswith("（截至2024年1月5日）")
    assert as_of["F3"].value == "逾期"


def test_reporters_export_excludes_other_units(world, client_for):
    ws = sheet(client_for(world.reporter_a).get(URL))
    assert task_titles(ws) == ["兴业大道建设"]
    assert task_titles(sheet(client_for(world.reporter_b).get(URL))) == ["清凉河治理二期"]


def test_export_of_unknown_campaign_is_404(world, client_for):
    assert client_for(world.coordinator).get(URL, {"campaign": 999}).status_code == 404


HOSTILE_TEXTS = ['=HYPERLINK("http://x","点我")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "#N/A"]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_text_typed_by_users_is_written_as_text_never_as_a_formula(world, client_for, text):
    world.task_a.title = text
    world.task_a.save(update_fields=["title"])
    ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        text=text + "\x0b进展",
        submitted_by=world.reporter_a,
    )
    ws = sheet(client_for(world.coordinator).get(URL))
    title, progress = ws.cell(row=3, column=3), ws.cell(row=3, column=13)
    assert (title.value, title.data_type) == (text, "s")
    assert progress.data_type == "s" and progress.value.startswith(text)
