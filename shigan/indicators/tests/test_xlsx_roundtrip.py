import datetime
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from shigan.indicators.models import Actual, Indicator, IndicatorYear, KeyProject, SamePeriodValue
from shigan.indicators.queries import indicator_table, key_projects_annotated, project_rates
from shigan.indicators.xlsx import (
    import_workbook,
    indicator_table_workbook,
    key_projects_workbook,
)

from .sheets import actuals_file, read_back, targets_file, with_builtin_number_format

D = Decimal
VALUE, ESTIMATE, NOTE, REASON, PERIOD = (
    "本月完成/数值", "本月完成/是否预计", "说明", "更正原因", "填报月份"
)  # fmt: skip


def test_targets_template_has_the_ledger_layout(ind, tmp_path):
    path = targets_file(tmp_path).save()
    ws = read_back(path)
    assert ws["A1"].value == "2023年主要指标年度目标及上年同期数"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:R1", "B3:B4", "G3:R3"} <= merged
    assert (ws["G3"].value, ws["G4"].value, ws["R4"].value) == ("上年同期数", "1月", "12月")
    assert ws.freeze_panes == "C5"
    assert [ws.cell(row=r, column=2).value for r in (5, 6, 7)] == [
        "固定资产投资", "规模以上工业总产值", "生猪存栏"
    ]  # fmt: skip
    assert ws["F5"].value == 74160 and ws["M5"].value == 30000  # target, 同期 July
    assert ws.data_validations.dataValidation


def test_targets_round_trip(ind, world, tmp_path):
    sheet = targets_file(tmp_path)
    sheet.fill("规模以上工业总产值", "年度目标", 56000)
    sheet.fill("规模以上工业总产值", "上年同期数/7月", "21,000")
    sheet.fill("生猪存栏", "上年同期数/6月", 12800)
    result = import_workbook(path_or_file=sheet.save(), by=world.coordinator)
    assert result.ok, result.errors
    assert (result.kind, result.rows, result.saved) == ("targets", 3, 3)
    assert IndicatorYear.objects.get(indicator=ind.output, year=2023).annual_target == 56000
    assert SamePeriodValue.objects.get(indicator=ind.output, month=7).value == 21000
    assert SamePeriodValue.objects.get(indicator=ind.hogs, month=6).value == 12800
    again = import_workbook(path_or_file=sheet.path, by=world.coordinator)
    assert again.ok and again.saved == 0 and again.unchanged == 6


def test_actuals_template_lists_only_the_reporters_indicators(ind, world, tmp_path):
    ws = read_back(actuals_file(tmp_path, world.reporter_a).save())
    assert ws["A1"].value == "2023年7月主要指标完成情况填报表"
    names = [ws.cell(row=r, column=2).value for r in range(5, ws.max_row + 1)]
    assert names == ["固定资产投资", "生猪存栏"]
    assert ws["H3"].value == "本月完成" and (ws["H4"].value, ws["I4"].value) == ("数值", "是否预计")
    assert ws["F5"].value == datetime.datetime(2023, 7, 1)
    assert ws.freeze_panes == "C5"


def test_actuals_round_trip_then_export(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, 33000).fill("固定资产投资", ESTIMATE, "是")
    sheet.fill("生猪存栏", VALUE, 13631)
    result = import_workbook(path_or_file=sheet.save(), by=world.reporter_a)
    assert result.ok, result.errors
    assert (result.kind, result.saved) == ("actuals", 2)
    investment = Actual.objects.get(indicator=ind.investment)
    assert (investment.value, investment.is_estimate, investment.month) == (33000, True, 7)
    assert investment.submitted_by == world.reporter_a and investment.unit == world.unit_a

    rows = indicator_table(Indicator.objects.all(), 2023, 7)
    path = tmp_path / "table.xlsx"
    indicator_table_workbook(rows, year=2023, month=7).save(path)
    ws = read_back(path)
    assert ws["A1"].value == "2023年1-7月主要指标完成情况表"
    assert ws["H2"].value == "完成进度" and ws["H3"].value == "占年计划（%）"
    assert ws.freeze_panes == "C4"
    first = [ws.cell(row=4, column=c).value for c in range(2, 15)]
    assert first[:6] == ["固定资产投资", "万元", "区交通局", 74160, 33000, "是"]
    assert first[6:9] == [44.5, 58.3, -13.8]
    assert first[9:] == [30000, 3000, 10, "明显滞后"]


def test_reimporting_a_prefilled_template_changes_nothing(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, 33000)
    assert import_workbook(path_or_file=sheet.save(), by=world.reporter_a).ok
    prefilled = actuals_file(tmp_path, world.reporter_a, name="again.xlsx").save()
    again = import_workbook(path_or_file=prefilled, by=world.reporter_a)
    assert again.ok and (again.saved, again.unchanged) == (0, 1)
    assert Actual.objects.count() == 1


def test_correction_by_import_needs_a_reason_and_keeps_the_earlier_figure(ind, world, tmp_path):
    first = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    assert import_workbook(path_or_file=first.save(), by=world.reporter_a).ok
    sheet = actuals_file(tmp_path, world.reporter_a, name="fix.xlsx")
    sheet.fill("固定资产投资", VALUE, 33500)
    result = import_workbook(path_or_file=sheet.save(), by=world.reporter_a)
    row = sheet.row_of("固定资产投资")
    assert result.errors == [
        f"第{row}行“更正原因”列：2023年7月已填报33000，再次填报即为更正，请填写更正原因"
    ]
    sheet.fill("固定资产投资", REASON, "统计局反馈终值")
    assert import_workbook(path_or_file=sheet.save(), by=world.reporter_a).ok
    values = list(Actual.objects.order_by("id").values_list("value", "correction_reason"))
    assert values == [(33000, ""), (33500, "统计局反馈终值")]


def test_chinese_builtin_month_format_reads_as_a_date(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, 28000).fill("固定资产投资", PERIOD, datetime.date(2023, 6, 1))
    path = sheet.save()
    with_builtin_number_format(path, 'yyyy"年"m"月"', 57)
    assert 'numFmtId="57"' in __import__("zipfile").ZipFile(path).read("xl/styles.xml").decode()
    result = import_workbook(path_or_file=path, by=world.reporter_a)
    assert result.ok, result.errors
    assert Actual.objects.get().month == 6


def test_month_given_as_a_serial_number_or_text(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, 28000).fill("固定资产投资", PERIOD, 45078)  # 2023-06-01
    sheet.cell("固定资产投资", PERIOD).number_format = "General"
    sheet.fill("生猪存栏", VALUE, 13000).fill("生猪存栏", PERIOD, "2023年1-5月")
    result = import_workbook(path_or_file=sheet.save(), by=world.reporter_a)
    assert result.ok, result.errors
    assert dict(Actual.objects.values_list("indicator__name", "month")) == {
        "固定资产投资": 6, "生猪存栏": 5
    }  # fmt: skip


def test_percentage_cell_is_read_as_percent(world, today, tmp_path):
    from shigan.indicators.models import MeasureUnit

    from .conftest import make_indicator

    make_indicator("森林覆盖率", world.unit_a, measure_unit=MeasureUnit.PERCENT)
    sheet = actuals_file(tmp_path, world.reporter_a).fill("森林覆盖率", VALUE, 0.625)
    sheet.cell("森林覆盖率", VALUE).number_format = "0.0%"
    assert import_workbook(path_or_file=sheet.save(), by=world.reporter_a).ok
    assert Actual.objects.get().value == D("62.5")


def test_key_projects_export(world, tmp_path):
    KeyProject.objects.create(
        year=2023, name="兴业大道", responsible_unit=world.unit_a, task=world.task_a,
        contracted_investment=20000, planned_investment_this_year=8000,
        completed_investment_this_year=5000, funds_in_place=9000,
        planned_start=datetime.date(2023, 3, 1), actual_start=datetime.date(2023, 3, 10),
    )  # fmt: skip
    as_of = datetime.date(2023, 7, 31)
    projects = KeyProject.objects.all()
    wb = key_projects_workbook(
        list(key_projects_annotated(projects)), project_rates(projects, as_of), year=2023,
        as_of=as_of,
    )  # fmt: skip
    wb.save(tmp_path / "projects.xlsx")
    ws = read_back(tmp_path / "projects.xlsx")
    assert ws["A1"].value == "2023年重点项目推进情况表（截至2023年7月31日）"
    assert (ws["E2"].value, ws["E3"].value, ws["E4"].value) == ("投资情况", "合同投资", "万元")
    assert ws.freeze_panes == "C5"
    assert [ws.cell(row=5, column=c).value for c in (2, 5, 8, 13)] == [
        "兴业大道",
        20000,
        9000,
        "1/2",
    ]
    assert ws["J5"].value == datetime.datetime(2023, 3, 10)
    assert (ws["B6"].value, ws["E6"].value) == ("合计", 20000)
    assert [ws.cell(row=r, column=2).value for r in range(9, 13)] == [
        "履约率", "资金到位率", "开工率", "竣工投产率"
    ]  # fmt: skip
    assert ws["C9"].value == 62.5 and ws["D9"].value.startswith("计算口径：本年完成投资之和")


SOFFICE = "/usr/bin/soffice"
CALC = "/usr/lib/libreoffice/program/libsclo.so"  # libreoffice-calc(-nogui); Writer alone can't


def test_file_saved_by_libreoffice_imports(ind, world, tmp_path):
    if not (Path(SOFFICE).exists() and Path(CALC).exists()):
        if os.environ.get("SHIGAN_REQUIRE_BROWSER") == "1":
            pytest.fail("LibreOffice Calc is missing; scripts/setup installs it")
        pytest.skip("LibreOffice Calc is not installed")
    sheet = actuals_file(tmp_path, world.reporter_a, name="wps.xlsx")
    sheet.fill("固定资产投资", VALUE, 33000).fill("生猪存栏", VALUE, 13631)
    source = sheet.save()
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    converted = out / "wps.xlsx"
    assert converted.exists() and converted.read_bytes() != source.read_bytes()
    result = import_workbook(path_or_file=converted, by=world.reporter_a)
    assert result.ok, result.errors
    assert dict(Actual.objects.values_list("indicator__name", "value")) == {
        "固定资产投资": 33000, "生猪存栏": 13631
    }  # fmt: skip
    shutil.rmtree(out)
