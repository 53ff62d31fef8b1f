import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shigan.indicators.models import Actual, IndicatorYear, KeyProject

from .sheets import actuals_file, targets_file

VALUE = "本月完成/数值"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_TARGETS = "/indicators/templates/targets.xlsx?year=2023"
TEMPLATE_ACTUALS = "/indicators/templates/actuals.xlsx?period=2023-07"
IMPORT = "/indicators/import/"
EXPORT_TABLE = "/indicators/export/table.xlsx?period=2023-07"
EXPORT_PROJECTS = "/indicators/export/projects.xlsx?year=2023"


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


def names(ws, first_row=5):
    return [ws.cell(row=r, column=2).value for r in range(first_row, ws.max_row + 1)]


def upload(client, path):
    data = path.read_bytes()
    return client.post(IMPORT, {"file": SimpleUploadedFile(path.name, data, content_type=XLSX)})


def test_anonymous_is_sent_to_login(client, ind):
    for url in (IMPORT, TEMPLATE_ACTUALS, EXPORT_TABLE):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_coordinator_downloads_targets_template(ind, world, client_for):
    response = client_for(world.coordinator).get(TEMPLATE_TARGETS)
    ws = sheet_of(response)
    assert ws["A1"].value == "2023年主要指标年度目标及上年同期数"
    assert "filename*=UTF-8''2023" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["reporter_a", "leader", "inspector"])
def test_only_coordinators_download_targets_template(ind, world, client_for, who):
    assert client_for(getattr(world, who)).get(TEMPLATE_TARGETS).status_code == 403


def test_reporter_downloads_his_units_actuals_template(ind, world, client_for):
    ws = sheet_of(client_for(world.reporter_b).get(TEMPLATE_ACTUALS))
    assert ws["A1"].value == "2023年7月主要指标完成情况填报表"
    assert names(ws) == ["规模以上工业总产值"]


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_read_only_roles_cannot_get_actuals_template_or_import(ind, world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.get(TEMPLATE_ACTUALS).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {}).status_code == 403


def test_import_page_offers_targets_template_to_coordinators_only(ind, world, client_for):
    assert "下载年度目标" in client_for(world.coordinator).get(IMPORT).content.decode()
    page = client_for(world.reporter_a).get(IMPORT).content.decode()
    assert "下载完成情况填报表" in page and "下载年度目标" not in page


def test_reporter_imports_his_actuals(ind, world, client_for, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    response = upload(client_for(world.reporter_a), sheet.save())
    assert response.status_code == 200
    assert "导入成功" in response.content.decode()
    assert Actual.objects.get().submitted_by == world.reporter_a


def test_outsider_reporter_cannot_import_for_another_unit(ind, world, client_for, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    row = sheet.row_of("固定资产投资")
    response = upload(client_for(world.reporter_b), sheet.save())
    page = response.content.decode()
    assert "未导入" in page
    assert (
        f"第{row}行“指标名称”列：“固定资产投资”由区交通局负责，您只能填报本单位（区水务局）的指标"
        in page
    )
    assert Actual.objects.count() == 0


def test_coordinator_imports_targets(ind, world, client_for, tmp_path):
    sheet = targets_file(tmp_path).fill("规模以上工业总产值", "年度目标", 56000)
    response = upload(client_for(world.coordinator), sheet.save())
    assert "导入成功" in response.content.decode()
    assert IndicatorYear.objects.get(indicator=ind.output).annual_target == 56000


def test_reporter_cannot_import_targets(ind, world, client_for, tmp_path):
    sheet = targets_file(tmp_path).fill("规模以上工业总产值", "年度目标", 56000)
    response = upload(client_for(world.reporter_b), sheet.save())
    assert "只有专班可以导入年度目标和上年同期数。" in response.content.decode()
    assert IndicatorYear.objects.get(indicator=ind.output).annual_target == 55500


def test_import_without_a_file(ind, world, client_for):
    response = client_for(world.reporter_a).post(IMPORT, {})
    assert "请选择要导入的Excel文件。" in response.content.decode()


def test_unreadable_upload_shows_why(ind, world, client_for):
    bad = SimpleUploadedFile("x.xlsx", b"hello", content_type=XLSX)
    response = client_for(world.reporter_a).post(IMPORT, {"file": bad})
    assert response.content.decode().count("文件不是有效的Excel（.xlsx）文件") == 1  # said once


def test_indicator_table_export_is_scoped_to_visible_indicators(ind, world, client_for):
    everything = names(sheet_of(client_for(world.inspector).get(EXPORT_TABLE)), first_row=4)
    assert everything == ["固定资产投资", "规模以上工业总产值", "生猪存栏"]
    leader = names(sheet_of(client_for(world.leader).get(EXPORT_TABLE)), first_row=4)
    assert leader == everything  # the district's headline figures (indicators.access)
    other_unit = names(sheet_of(client_for(world.reporter_b).get(EXPORT_TABLE)), first_row=4)
    assert other_unit == everything  # every person of the district reads them


def test_key_projects_export_is_scoped(ind, world, client_for):
    KeyProject.objects.create(year=2023, name="兴业大道", responsible_unit=world.unit_a)
    KeyProject.objects.create(year=2023, name="清凉河治理二期", responsible_unit=world.unit_b)
    ws = sheet_of(client_for(world.coordinator).get(EXPORT_PROJECTS))
    assert [ws.cell(row=r, column=2).value for r in (5, 6)] == ["兴业大道", "清凉河治理二期"]
    ws = sheet_of(client_for(world.reporter_b).get(EXPORT_PROJECTS))
    assert ws["B5"].value == "清凉河治理二期" and ws["B6"].value == "合计"


@pytest.mark.parametrize("url", [TEMPLATE_TARGETS, TEMPLATE_ACTUALS, EXPORT_TABLE, EXPORT_PROJECTS])
def test_downloads_refuse_post(ind, world, client_for, url):
    assert client_for(world.coordinator).post(url).status_code == 405
