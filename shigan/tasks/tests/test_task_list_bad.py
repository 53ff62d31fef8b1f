"""Bad task-list workbooks: each is refused with its exact Chinese message — row, column and value
where there are — and nothing is written (no task, milestone, category or audit entry). And the
seed list as WPS 表格 and LibreOffice Calc save it: imported like the openpyxl original."""

import datetime
import io
import zipfile

import pytest

from shigan.core.models import AuditEntry
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.tasks.models import Milestone, Task, TaskCategory
from shigan.tasks.xlsx import import_task_list

from .task_sheets import (
    SEED_HEADER,
    TEMPLATE_HEADER,
    ListSheet,
    libreoffice_saved,
    seed_sheet,
    wps_saved,
)

HINT = "（可写如“2023年8月31日”“2023.8.31”“8月底前”“三季度末”“年底”“长期坚持”）"
FORMULA = "是公式，且文件中没有保存计算结果（系统不计算公式）：请改为直接填写内容，或在Excel/WPS中重新计算并保存"
NO_DATE = "未写明日期：每个节点以日期开头，如“8月底前完成整体方案”或“2023年8月31日：完成整体方案”"


@pytest.fixture
def refused(world, tmp_path):
    """refused(sheet_or_path) -> the errors of importing it as the coordinator; asserts that
    nothing was written."""

    def counts():
        return [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)]

    def run(source):
        before = counts()
        if isinstance(source, ListSheet):
            source = source.save(tmp_path / "list.xlsx")
        result = import_task_list(
            path_or_file=source, by=world.coordinator, campaign=world.campaign
        )
        assert not result.ok
        assert counts() == before
        return result.errors

    return run


def sheet_with(**values) -> tuple[ListSheet, int]:
    """A template-headed list with one category and one task row of `values` over good ones."""
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    good = {"序号": 1, "任务名称": "兴业大道建设项目", "牵头单位": "区交通局", "完成时限": "年底"}
    return sheet, sheet.task(**(good | values))


def test_a_merge_across_two_columns_of_a_task_row(refused):
    sheet, row = sheet_with(配合单位=None)
    sheet.ws.merge_cells(f"{sheet.letter('牵头单位')}{row}:{sheet.letter('配合单位')}{row}")
    assert refused(sheet) == [
        f"第{row}行“牵头单位”列：“区交通局”“牵头单位”至“配合单位”列合并为一格，无法分辨各列内容："
        "请取消合并，每列分别填写"
    ]


def test_a_hidden_row(refused):
    sheet, row = sheet_with()
    sheet.ws.row_dimensions[row].hidden = True
    assert refused(sheet) == [
        f"第{row}行“整行”列：该行在Excel中被隐藏：请取消隐藏并核对后再导入（隐藏的行既不导入也不跳过）"
    ]


def test_a_formula_without_a_cached_value(refused):
    sheet, row = sheet_with(完成时限=None)
    sheet.cell(row, "完成时限").value = "=DATE(2023,12,31)"
    assert refused(sheet) == [f"第{row}行“完成时限”列：“=DATE(2023,12,31)”{FORMULA}"]


def test_a_date_as_text_that_says_no_date(refused):
    sheet, row = sheet_with(完成时限="尽快完成")
    assert refused(sheet) == [f"第{row}行“完成时限”列：“尽快完成”不是可识别的完成时限{HINT}"]


def test_a_number_that_is_no_date_serial(refused):
    sheet, row = sheet_with(完成时限=12)
    assert refused(sheet) == [
        f"第{row}行“完成时限”列：“12”是数字，不是日期（日期请写作“2023年8月31日”或设为日期格式）"
    ]


def test_a_month_before_which_is_ambiguous(refused):
    sheet, row = sheet_with(完成时限="8月前")
    assert refused(sheet) == [
        f"第{row}行“完成时限”列：“8月前”含义不明确：是该月1日前还是该月底前？请写作“M月底前”或“M月D日前”"
    ]


def test_a_duplicate_number_in_a_category(refused):
    sheet, _ = sheet_with()
    row = sheet.task(序号=1, 任务名称="招商引资", 牵头单位="区水务局", 完成时限="年底")
    assert refused(sheet) == [f"第{row}行“序号”列：“1”与第4行序号重复（同一类别内序号不能重复）"]


def test_an_unknown_unit_with_the_closest_name_suggested(refused):
    sheet, row = sheet_with(牵头单位="交通局", 配合单位="区水务局、区财政所")
    assert refused(sheet) == [
        f"第{row}行“牵头单位”列：“交通局”不是系统中已登记的单位，是否为“区交通局”？",
        f"第{row}行“配合单位”列：“区财政所”不是系统中已登记的单位（请先在“组织架构导入”中登记该单位）",
    ]


def test_a_leader_who_is_not_a_person(refused):
    sheet, row = sheet_with(责任领导="区交通局")
    second = sheet.task(序号=2, 任务名称="招商引资", 牵头单位="区水务局", 完成时限="年底",
                        责任领导="李区长")  # fmt: skip
    assert refused(sheet) == [
        f"第{row}行“责任领导”列：“区交通局”是单位名称，不是人员：责任领导请填写领导姓名",
        f"第{second}行“责任领导”列：“李区长”不是系统中登记的人员，是否为“李副区长”？",
    ]


def test_two_leaders_or_two_lead_units_in_one_cell(refused):
    sheet, row = sheet_with(牵头单位="区交通局、区水务局", 责任领导="李副区长、周专班")
    assert refused(sheet) == [
        f"第{row}行“牵头单位”列：“区交通局、区水务局”只能填写一个牵头单位，其余单位请填入配合单位",
        f"第{row}行“责任领导”列：“李副区长、周专班”只能填写一位责任领导（每项任务一位，其他领导可写入目标任务）",
    ]


def test_cells_with_only_spaces(refused):
    sheet, row = sheet_with(任务名称="   ", 牵头单位="\u3000 ")
    assert refused(sheet) == [
        f"第{row}行“任务名称”列：请填写任务名称",
        f"第{row}行“牵头单位”列：请填写牵头单位",
    ]


def test_a_milestone_without_a_date_and_one_outside_the_task(refused):
    sheet, row = sheet_with(完成时限="10月底", 时间节点="完成规划设计\n11月底前完成验收")
    assert refused(sheet) == [f"第{row}行“时间节点”列：“完成规划设计”{NO_DATE}"]
    sheet, row = sheet_with(完成时限="10月底", 时间节点="11月底前完成验收")
    assert refused(sheet) == [
        f"第{row}行“时间节点”列：“11月底前完成验收”节点日期2023-11-30不在任务起止日期"
        "（2023-01-01至2023-10-31）之内"
    ]


def test_a_task_row_before_any_category(refused):
    sheet = ListSheet(TEMPLATE_HEADER)
    row = sheet.task(序号=1, 任务名称="兴业大道建设项目", 牵头单位="区交通局", 完成时限="年底")
    assert refused(sheet) == [
        f"第{row}行“任务名称”列：“兴业大道建设项目”任务行之前没有类别行：请在任务上方加一行类别，"
        "如“一、全面完善路网体系”"
    ]


def test_a_header_without_a_deadline_column(refused):
    sheet = ListSheet(["序号", "任务名称", "牵头单位"])
    sheet.category("一、全面完善路网体系")
    sheet.task(序号=1, 任务名称="兴业大道建设项目", 牵头单位="区交通局")
    assert refused(sheet) == [
        "表头缺少“完成时限”列（任务清单应有：序号、任务名称、牵头单位、完成时限；"
        "可选：目标任务、配合单位、责任领导、时间节点）。请使用系统下载的模板。"
    ]


def test_a_bad_number_and_an_overlong_title(refused):
    sheet, row = sheet_with(序号="一", 任务名称="长" * 201)
    assert refused(sheet) == [
        f"第{row}行“序号”列：“一”不是有效的序号（应为1、2、3…的整数）",
        f"第{row}行“任务名称”列：“{'长' * 40}…”任务名称超过200字（201字）：请精简，详细内容写入目标任务",
    ]


def test_an_indicator_workbook_is_not_a_task_list(refused):
    sheet = ListSheet(["序号", "指标名称", "责任单位", "年度目标"])
    assert refused(sheet) == [
        "这是指标数据表（有“指标名称”列），不是任务清单：请在“指标”页面导入。"
    ]


def test_a_sheet_without_a_task_list_header(refused):
    sheet = ListSheet(["名称", "数量"])
    assert refused(sheet) == [
        "未找到任务清单的表头：前15行中应有“牵头单位”（或“责任单位”）列。请使用系统下载的任务清单模板。"
    ]


def test_a_file_that_is_not_a_zip(refused, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_text("序号,任务名称,牵头单位\n1,兴业大道,区交通局\n", encoding="utf-8")
    assert refused(path) == ["文件不是有效的Excel（.xlsx）文件，无法读取。"]


def test_an_old_xls_file_and_an_empty_file(refused, tmp_path):
    old = tmp_path / "list.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert refused(old) == ["这是旧版Excel（.xls）文件，请在Excel或WPS中另存为.xlsx后再导入。"]
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert refused(empty) == ["文件是空的（0字节），不是有效的Excel文件。"]


def test_a_zip_that_is_no_workbook(refused):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "不是表格")
    assert refused(data) == ["文件已损坏或不是有效的Excel（.xlsx）文件，无法读取。"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(refused):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):
                member.write(b"\0" * (1024 * 1024))
    assert len(data.getvalue()) < 200 * 1024
    [error] = refused(data)
    assert error.startswith("文件解压后过大（约64MB，压缩比") and error.endswith(
        "倍），不像正常的Excel（.xlsx）文件，已拒绝读取。"
    )


def test_a_problem_in_a_combined_column_names_it_as_written(refused):
    sheet = ListSheet(SEED_HEADER)
    sheet.category("一、全面完善路网体系")
    row = sheet.task(序号=1, 任务内容_目标="  ", 牵头单位="区交通局", 完成时限="年底")
    assert refused(sheet) == [f"第{row}行“任务内容/目标”列：请填写任务名称"]


def test_a_file_saved_by_libreoffice(refused, tmp_path):
    sheet = ListSheet(SEED_HEADER)
    sheet.category("一、全面完善路网体系")
    sheet.task(序号=1, 任务内容_目标="兴业大道建设项目", 牵头单位="区交通局",
               完成时限="2023年8月底", 节点1="6月底前完成规划设计")  # fmt: skip
    row = sheet.task(序号=2, 任务内容_目标="招商引资", 牵头单位="招商局", 完成时限="三季度末")
    source = sheet.save(tmp_path / "lo.xlsx")
    converted = libreoffice_saved(source, tmp_path)
    assert converted.read_bytes() != source.read_bytes()
    assert refused(converted) == [
        f"第{row}行“牵头单位”列：“招商局”不是系统中已登记的单位（请先在“组织架构导入”中登记该单位）"
    ]


def test_a_file_saved_by_wps_with_an_error(refused, tmp_path):
    sheet, row = sheet_with(完成时限="尽快完成")
    source = sheet.save(tmp_path / "list.xlsx")
    assert refused(wps_saved(source, tmp_path / "wps.xlsx")) == [
        f"第{row}行“完成时限”列：“尽快完成”不是可识别的完成时限{HINT}"
    ]


def imported(world, path) -> dict:
    """Import `path` as the coordinator; the campaign's list tasks as (title, unit, supporting
    units, leader, start, due, milestones)."""
    result = import_task_list(path_or_file=path, by=world.coordinator, campaign=world.campaign)
    assert result.ok, result.errors
    return {
        t.title: (
            t.category.name, t.number, t.lead_unit.name,
            sorted(u.name for u in t.supporting_units.all()),
            t.leader.name if t.leader else None, t.start_date, t.due_date,
            [(m.title, m.due_date) for m in t.milestones.all()],
        )
        for t in Task.objects.filter(campaign=world.campaign, title__in=SEED_TITLES)
    }  # fmt: skip


SEED_TITLES = ["兴业大道建设项目", "清凉河治理二期工程", "河道常态化保洁"]


def test_a_file_saved_by_wps_imports_like_any_other(world, tmp_path):
    source = seed_sheet().save(tmp_path / "seed.xlsx")
    wps = wps_saved(source, tmp_path / "wps.xlsx")
    with zipfile.ZipFile(wps) as archive:
        assert "<Application>WPS 表格</Application>" in archive.read("docProps/app.xml").decode()
        assert "KSOProductBuildVer" in archive.read("docProps/custom.xml").decode()
    tasks = imported(world, wps)
    assert set(tasks) == set(SEED_TITLES)
    assert tasks["兴业大道建设项目"][2:] == (
        "区交通局", ["区水务局"], "李副区长", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31),
        [("4月底前完成规划设计", datetime.date(2023, 4, 30)),
         ("8月底前完成整体方案", datetime.date(2023, 8, 31)),
         ("9月进入申报", datetime.date(2023, 9, 30))],
    )  # fmt: skip
    again = import_task_list(path_or_file=source, by=world.coordinator, campaign=world.campaign)
    assert again.ok and not again.changed  # the openpyxl original is the same list


def test_a_file_saved_by_libreoffice_imports_like_any_other(world, tmp_path):
    source = seed_sheet().save(tmp_path / "seed.xlsx")
    converted = libreoffice_saved(source, tmp_path)
    assert converted.read_bytes() != source.read_bytes()
    tasks = imported(world, converted)
    assert set(tasks) == set(SEED_TITLES)
    assert tasks["河道常态化保洁"][6] == world.campaign.end_date  # 长期坚持
    again = import_task_list(path_or_file=source, by=world.coordinator, campaign=world.campaign)
    assert again.ok and not again.changed


def test_every_problem_of_a_file_is_listed_in_row_order(refused):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    first = sheet.task(序号=1, 任务名称="甲", 牵头单位="区交通局", 完成时限="2023年2月30日")
    second = sheet.task(序号=2, 任务名称="乙", 牵头单位="区交通局", 完成时限="年底",
                        时间节点="13月底前完成")  # fmt: skip
    sheet.cell(first, "序号").value = datetime.date(2023, 1, 1)
    assert refused(sheet) == [
        f"第{first}行“序号”列：“2023-01-01”不是有效的序号（应为1、2、3…的整数）",
        f"第{first}行“完成时限”列：“2023年2月30日”不是存在的日期",
        f"第{second}行“时间节点”列：“13月底前完成”开头的日期“13月底前”不是有效的日期（月份应为1—12）",
    ]


@pytest.fixture
def second_district(world):
    """Another district in the database with a 区水务局, a 李副区长 and a unit of its own."""
    district = Unit.objects.create(name="乙区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    water = Unit.objects.create(name="区水务局", kind=UnitKind.BUREAU, parent=district)
    Unit.objects.create(name="乙区财政局", kind=UnitKind.BUREAU, parent=district)
    Person.objects.create(name="李副区长", unit=district, role=Role.LEADER)
    return water


def test_names_are_matched_within_the_campaigns_district(world, second_district, tmp_path):
    tasks = imported(world, seed_sheet().save(tmp_path / "seed.xlsx"))
    assert tasks["清凉河治理二期工程"][2:5] == ("区水务局", ["区交通局"], "李副区长")
    river = Task.objects.get(title="清凉河治理二期工程")
    assert river.lead_unit == world.unit_b and river.leader == world.leader_person


def test_a_unit_of_another_district_is_unknown(refused, second_district):
    sheet, row = sheet_with(牵头单位="乙区财政局")
    [error] = refused(sheet)
    assert error.startswith(f"第{row}行“牵头单位”列：“乙区财政局”不是系统中已登记的单位")
    assert "乙区" not in error.split("单位", 2)[-1]  # nor suggested
