"""Bad workbooks: each gives its message (naming row, column and value) and writes nothing."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from shigan.core.models import AuditEntry
from shigan.indicators.models import Actual, IndicatorYear, SamePeriodValue
from shigan.indicators.xlsx import import_workbook

from .conftest import make_indicator
from .sheets import actuals_file, targets_file

VALUE, ESTIMATE, NOTE, PERIOD = "本月完成/数值", "本月完成/是否预计", "说明", "填报月份"


@pytest.fixture
def nothing_written(db):
    """Asserts, after the test, that no figure, target or audit entry was written by it."""

    def counts():
        return [m.objects.count() for m in (Actual, IndicatorYear, SamePeriodValue, AuditEntry)]

    holder = {}
    yield lambda: holder.setdefault("before", counts())
    assert "before" in holder and counts() == holder["before"]


def run(path, user, nothing_written):
    nothing_written()
    result = import_workbook(path_or_file=path, by=user)
    assert not result.ok
    return result


def test_text_in_a_number_cell(ind, world, tmp_path, nothing_written):
    for i in range(11):  # the figure lands on row 17, as in the example
        make_indicator(f"辅助指标{i:02d}", world.unit_a, sort_order=10 + i)
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("辅助指标10", VALUE, "三万")
    assert sheet.row_of("辅助指标10") == 17
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == ["第17行“本月完成”列：“三万”不是数字，请填写阿拉伯数字，如30000"]
    assert not result.unreadable


def test_every_error_is_listed_not_just_the_first(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, "3.3万").fill("固定资产投资", ESTIMATE, "大概")
    sheet.fill("生猪存栏", VALUE, 13631).fill("生猪存栏", PERIOD, "七月份")
    r1, r2 = sheet.row_of("固定资产投资"), sheet.row_of("生猪存栏")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [
        f"第{r1}行“本月完成”列：“3.3万”不是数字，请填写阿拉伯数字，如30000",
        f"第{r1}行“是否预计”列：“大概”应填“是”或“否”",
        f"第{r2}行“填报月份”列：“七月份”不是有效的月份（应如“2023年7月”）",
    ]


def test_missing_header_column(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    sheet.ws["J3"] = "备注"  # was 说明
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == ["表头缺少“说明”列，请使用系统下载的模板。"]


def test_unrecognised_headers(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    sheet.ws["H3"] = "完成数"  # was 本月完成
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors[0].startswith("无法识别表格类型")


def test_sheet_without_any_known_header(world, tmp_path, nothing_written):
    wb = Workbook()
    wb.active.append(["名称", "数量"])
    wb.active.append(["固定资产投资", 1])
    wb.save(tmp_path / "other.xlsx")
    result = run(tmp_path / "other.xlsx", world.coordinator, nothing_written)
    assert result.errors[0].startswith("未找到表头")


def test_duplicate_rows(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    first = sheet.row_of("固定资产投资")
    copy = sheet.ws.max_row + 1
    for col in range(1, 12):
        sheet.ws.cell(row=copy, column=col).value = sheet.ws.cell(row=first, column=col).value
    sheet.ws.cell(row=copy, column=8).value = 33100
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [
        f"第{copy}行“指标名称”列：“固定资产投资”2023年7月与第{first}行重复（同一指标同一月份只能填一行）"
    ]


def test_duplicate_rows_in_targets(ind, world, tmp_path, nothing_written):
    sheet = targets_file(tmp_path)
    sheet.ws["B6"] = "固定资产投资"  # row 5 is 固定资产投资 already
    sheet.ws["C6"] = "万元"
    sheet.ws["D6"] = "区交通局"
    result = run(sheet.save(), world.coordinator, nothing_written)
    assert result.errors == [
        "第6行“指标名称”列：“固定资产投资”与第5行重复（同一指标同一年度只能填一行）"
    ]


def test_unknown_indicator(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.coordinator).fill("生猪存栏", VALUE, 13631)
    sheet.fill("生猪存栏", "指标名称", "生猪出栏量")
    row = sheet.row_of("生猪出栏量")
    result = run(sheet.save(), world.coordinator, nothing_written)
    assert result.errors == [f"第{row}行“指标名称”列：“生猪出栏量”不是系统中已登记的指标"]


def test_unknown_unit_and_measure_unit(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.coordinator).fill("生猪存栏", VALUE, 13631)
    sheet.fill("生猪存栏", "责任单位", "区火星局").fill("生猪存栏", "计量单位", "万头")
    sheet.fill("固定资产投资", VALUE, 33000).fill("固定资产投资", "计量单位", "亿元")
    sheet.fill("固定资产投资", "责任单位", "区水务局")
    r1, r2 = sheet.row_of("固定资产投资"), sheet.row_of("生猪存栏")
    result = run(sheet.save(), world.coordinator, nothing_written)
    assert result.errors == [
        f"第{r1}行“计量单位”列：“亿元”与该指标登记的计量单位“万元”不一致",
        f"第{r1}行“责任单位”列：“区水务局”不是该指标的责任单位（应为“区交通局”）",
        f"第{r2}行“计量单位”列：“万头”不是可用的计量单位（可用：万元、亿元、吨、头、只、亩、个、次、%、人、公里）",
        f"第{r2}行“责任单位”列：“区火星局”不是系统中已登记的单位",
    ]


def test_serial_number_that_is_no_date(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 33000)
    sheet.fill("固定资产投资", PERIOD, 123)
    sheet.cell("固定资产投资", PERIOD).number_format = "General"
    row = sheet.row_of("固定资产投资")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [f"第{row}行“填报月份”列：“123”不是有效的月份"]


def test_formula_without_cached_value(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, "=A1*2")
    row = sheet.row_of("固定资产投资")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"第{row}行“本月完成”列：“=A1*2”是公式")


def test_formula_in_targets(ind, world, tmp_path, nothing_written):
    sheet = targets_file(tmp_path).fill("生猪存栏", "年度目标", "=SUM(G7:R7)")
    result = run(sheet.save(), world.coordinator, nothing_written)
    assert result.errors[0].startswith("第7行“年度目标”列：“=SUM(G7:R7)”是公式")


def test_empty_file(world, tmp_path, nothing_written):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    result = run(path, world.coordinator, nothing_written)
    assert result.unreadable
    assert result.errors == ["文件是空的（0字节），不是有效的Excel文件。"]


def test_text_file_renamed_xlsx(world, tmp_path, nothing_written):
    path = tmp_path / "notes.xlsx"
    path.write_text("指标名称,本月完成\n固定资产投资,33000\n", encoding="utf-8")
    result = run(path, world.coordinator, nothing_written)
    assert result.unreadable
    assert result.errors == ["文件不是有效的Excel（.xlsx）文件，无法读取。"]


def test_damaged_zip(world, tmp_path, nothing_written):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = run(path, world.coordinator, nothing_written)
    assert result.unreadable and "已损坏" in result.errors[0]


def test_old_xls_file(world, tmp_path, nothing_written):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    result = run(path, world.coordinator, nothing_written)
    assert result.unreadable and "另存为.xlsx" in result.errors[0]


def test_template_with_nothing_filled_in_changes_nothing_and_says_why(
    ind, world, tmp_path, nothing_written
):
    nothing_written()
    path = actuals_file(tmp_path, world.reporter_a).save()
    result = import_workbook(path_or_file=path, by=world.reporter_a)
    assert result.ok and (result.saved, result.unchanged) == (0, 0)
    assert result.summary() == "未作任何更改：表中没有填写任何“本月完成”数值。"


def test_reporter_cannot_import_another_units_indicator(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.coordinator)
    sheet.fill("规模以上工业总产值", VALUE, 22000).fill("固定资产投资", VALUE, 33000)
    row = sheet.row_of("规模以上工业总产值")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [
        f"第{row}行“指标名称”列：“规模以上工业总产值”由区水务局负责，您只能填报本单位（区交通局）的指标"
    ]


def test_reporter_cannot_import_targets(ind, world, tmp_path, nothing_written):
    sheet = targets_file(tmp_path).fill("固定资产投资", "年度目标", 80000)
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == ["只有专班可以导入年度目标和上年同期数。"]


def test_leader_cannot_import_actuals(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.coordinator).fill("固定资产投资", VALUE, 33000)
    result = run(sheet.save(), world.leader, nothing_written)
    assert result.errors == ["只有专班和单位填报员可以导入完成值。"]


def test_rule_problems_name_the_note_column(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 46000)
    row = sheet.row_of("固定资产投资")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [f"第{row}行“说明”列：与上年同期的30000相差超过50%，请填写说明"]


def test_future_month(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.reporter_a).fill("固定资产投资", VALUE, 36000)
    sheet.fill("固定资产投资", PERIOD, datetime.date(2023, 8, 1))
    row = sheet.row_of("固定资产投资")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [f"第{row}行“填报月份”列：不能填报未来月份（2023年8月）"]


def test_one_bad_row_saves_none_of_the_good_ones(ind, world, tmp_path, nothing_written):
    sheet = actuals_file(tmp_path, world.coordinator)
    sheet.fill("固定资产投资", VALUE, 33000).fill("生猪存栏", VALUE, 13631)
    sheet.fill("规模以上工业总产值", VALUE, "两万二")
    result = run(sheet.save(), world.coordinator, nothing_written)
    assert len(result.errors) == 1


def test_a_negative_count_is_refused_with_row_and_column(ind, world, tmp_path, nothing_written):
    # 生猪存栏 (头) cannot be negative, full-width minus or not; 固定资产投资 (万元) neither.
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, -500).fill("固定资产投资", NOTE, "核减")
    sheet.fill("生猪存栏", VALUE, "－１３６３１")
    r1, r2 = sheet.row_of("固定资产投资"), sheet.row_of("生猪存栏")
    result = run(sheet.save(), world.reporter_a, nothing_written)
    assert result.errors == [
        f"第{r1}行“本月完成”列：“-500”不能为负数（-500）",
        f"第{r2}行“本月完成”列：“-13631”不能为负数（-13631）",
    ]


def test_a_negative_growth_rate_is_imported(ind, world, tmp_path):
    make_indicator("规上工业增加值增速", world.unit_a, measure_unit="percent", sort_order=9)
    sheet = actuals_file(tmp_path, world.reporter_a).fill("规上工业增加值增速", VALUE, "-1.5")
    result = import_workbook(path_or_file=sheet.save(), by=world.reporter_a)
    assert result.ok, result.errors
    assert Actual.objects.get().value == Decimal("-1.5")
