"""Bad organisation workbooks: each is refused with its exact Chinese message — sheet, row, column
and value — and nothing is written (no unit, person, oversight, seat or audit entry). And the odd
files that are not bad: hidden rows, a code typed as a number, text that looks like a formula or
a script, a file saved by LibreOffice, one saved by WPS."""

import datetime
import io
import os
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from shigan.core.models import AuditEntry
from shigan.core.xlsx.layout import workbook_bytes
from shigan.orgs.models import LeadingGroupMember, Oversight, Person, Unit
from shigan.orgs.xlsx import org_import_apply, org_workbook

from .org_sheets import OrgBook, as_wps, world_book

FORMULA = "是公式，且文件中没有保存计算结果（系统不计算公式）：请改为直接填写内容，或在Excel/WPS中重新计算并保存"


def counts():
    return [m.objects.count() for m in (Unit, Person, Oversight, LeadingGroupMember, AuditEntry)]


@pytest.fixture
def refused(world, tmp_path):
    """refused(book_or_path) -> the errors of importing it as the coordinator; asserts that
    nothing was written."""

    def run(source):
        before = counts()
        if isinstance(source, OrgBook):
            source = source.save(tmp_path / "org.xlsx")
        result = org_import_apply(path_or_file=source, by=world.coordinator)
        assert not result.ok
        assert counts() == before
        return result.errors

    return run


@pytest.fixture
def imported(world, tmp_path):
    def run(source):
        if isinstance(source, OrgBook):
            source = source.save(tmp_path / "org.xlsx")
        result = org_import_apply(path_or_file=source, by=world.coordinator)
        assert result.ok, result.errors
        return result

    return run


def test_a_duplicate_unit_code(refused):
    book = world_book()
    row = book.unit(单位编码="102", 单位名称="区财政局", 类型="部门", 上级单位="100")
    assert refused(book) == [f"“单位”表第{row}行“单位编码”列：“102”与第4行的单位编码重复"]


def test_a_duplicate_person_code(refused):
    book = world_book()
    first = book.person(人员编码="P1", 姓名="甲", 单位="102")
    second = book.person(人员编码="P1", 姓名="乙", 单位="103")
    assert first < second
    assert refused(book) == [f"“人员”表第{second}行“人员编码”列：“P1”与第{first}行的人员编码重复"]


def test_a_unit_that_is_its_own_ancestor(refused):
    book = world_book()
    a = book.unit(单位编码="201", 单位名称="甲镇", 类型="乡镇街道", 上级单位="202")
    b = book.unit(单位编码="202", 单位名称="乙村", 类型="村", 上级单位="201")
    assert refused(book) == [
        f"“单位”表第{a}行“上级单位”列：“202”上级单位形成循环（甲镇 → 乙村 → 甲镇）：一个单位不能是自己的上级",
        f"“单位”表第{b}行“上级单位”列：“201”上级单位形成循环（乙村 → 甲镇 → 乙村）：一个单位不能是自己的上级",
    ]


def test_a_unit_that_is_its_own_parent(refused):
    book = world_book()
    row = book.unit(单位编码="201", 单位名称="甲镇", 类型="乡镇街道", 上级单位="甲镇")
    assert refused(book) == [
        f"“单位”表第{row}行“上级单位”列：“甲镇”上级单位形成循环（甲镇 → 甲镇）：一个单位不能是自己的上级"
    ]


def test_a_parent_that_names_nothing_with_the_closest_name(refused):
    book = world_book()
    row = book.unit(单位编码="201", 单位名称="交通站", 类型="部门", 上级单位="交通局")
    assert refused(book) == [
        f"“单位”表第{row}行“上级单位”列：“交通局”不是本文件或本区县中的单位，是否为“区交通局”？"
    ]


def test_a_leader_who_is_nobody(refused):
    book = world_book()
    row = book.oversee(领导="李区长", 分管单位="区水务局")
    assert refused(book) == [
        f"“分管”表第{row}行“领导”列：“李区长”不是本文件或本区县中的人员，是否为“李副区长”？"
    ]


def test_a_leader_who_is_a_unit_and_an_unknown_overseen_unit(refused):
    book = world_book()
    row = book.oversee(领导="区交通局", 分管单位="区水务局、区财政所")
    assert refused(book) == [
        f"“分管”表第{row}行“领导”列：“区交通局”是单位名称，不是人员：请填写人员编码或姓名",
        f"“分管”表第{row}行“分管单位”列：“区财政所”不是本文件或本区县中的单位（请先在“单位”表中填写该单位）",
    ]


def test_a_role_that_is_not_one_of_the_four(refused):
    book = world_book()
    row = book.person(姓名="孙管理", 单位="102", 系统角色="管理员")
    assert refused(book) == [
        f"“人员”表第{row}行“系统角色”列：“管理员”不是有效的系统角色（应为专班、领导、单位填报员、督查之一，或不填）"
    ]


def test_a_kind_that_is_not_known_and_a_second_district(refused):
    book = world_book()
    a = book.unit(单位编码="201", 单位名称="甲站", 类型="站所", 上级单位="100")
    b = book.unit(单位编码="202", 单位名称="乙区党委政府", 类型="党委政府", 上级单位="100")
    assert refused(book) == [
        f"“单位”表第{a}行“类型”列：“站所”不是有效的单位类型（应为党委政府、党委、政府部门、部门、办公室、乡镇街道、乡镇、街道、村、社区、企业、专班之一）",
        f"“单位”表第{b}行“类型”列：“党委政府”类型“党委政府”只能是本区县本身：下属单位请选其他类型（如乡镇街道、部门）",
    ]


def test_cells_with_only_spaces_are_blank(refused):
    book = world_book()
    row = book.unit(单位编码="201", 单位名称="   ", 类型="部门", 上级单位="100")
    person = book.person(姓名="\u3000 ", 单位="102")
    assert refused(book) == [
        f"“单位”表第{row}行“单位名称”列：请填写单位名称",
        f"“人员”表第{person}行“姓名”列：请填写姓名",
    ]


def test_a_merge_across_two_columns(refused):
    book = world_book()
    row = book.unit(单位编码="201", 单位名称="甲站", 类型="部门", 上级单位="100")
    book.ws("单位").merge_cells(f"B{row}:C{row}")
    assert refused(book) == [
        f"“单位”表第{row}行“单位名称”列：“甲站”“单位名称”至“简称”列合并为一格，无法分辨各列内容：请取消合并，每列分别填写"
    ]


def test_a_formula_without_a_cached_value(refused):
    book = world_book()
    row = book.unit(单位编码="201", 类型="部门", 上级单位="100")
    book.cell("单位", row, "单位名称").value = '=CONCATENATE("甲","站")'
    assert refused(book) == [f'“单位”表第{row}行“单位名称”列：“=CONCATENATE("甲","站")”{FORMULA}']


def test_a_date_where_text_is_expected(refused):
    book = world_book()
    row = book.person(姓名="孙一", 单位="102")
    book.cell("人员", row, "联系电话").value = datetime.date(2023, 5, 1)
    assert refused(book) == [
        f"“人员”表第{row}行“联系电话”列：“2023-05-01”是日期，不是文字：请将单元格设为文本格式后重新填写"
    ]


def test_a_code_with_superscript_digits_or_a_fraction(refused):
    book = world_book()
    a = book.unit(单位编码="20¹", 单位名称="甲站", 类型="部门", 上级单位="100")
    b = book.unit(单位名称="乙站", 类型="部门", 上级单位="100")
    book.cell("单位", b, "单位编码").value = 202.5
    assert refused(book) == [
        f"“单位”表第{a}行“单位编码”列：“20¹”不是有效的编码：只能由字母、数字和“.”“_”“-”组成，最多32个字符",
        f"“单位”表第{b}行“单位编码”列：“202.5”不是有效的编码：编码不能是小数，请将单元格设为文本格式后填写",
    ]


def test_a_top_unit_that_is_not_the_district(refused):
    book = OrgBook(sheets=("单位",))
    row = book.unit(单位编码="900", 单位名称="别的区党委政府", 类型="党委政府")
    assert refused(book) == [
        f"“单位”表第{row}行“上级单位”列：请填写上级单位：只有本区县“示范区党委政府”没有上级单位（它的一行应写明其名称或编码）"
    ]


def test_a_code_of_a_unit_given_to_another_unit(refused):
    book = world_book()
    ws = book.ws("单位")
    ws["A5"].value = "102"  # 区水务局 takes 区交通局's code: two rows, one unit
    assert refused(book)[:1] == ["“单位”表第5行“单位编码”列：“102”与第4行的单位编码重复"]


def test_a_group_role_that_is_not_known_and_a_member_twice(refused):
    book = world_book()
    a = book.seat(小组名称="领导小组", 成员="李副区长", 组内职务="组长")
    b = book.seat(小组名称="领导小组", 成员="李副区长", 组内职务="成员")
    c = book.seat(小组名称="领导小组", 成员="周专班", 组内职务="秘书长")
    assert a < b
    assert refused(book) == [
        f"“领导小组”表第{b}行“成员”列：“李副区长”与第{a}行是同一小组的同一人员",
        f"“领导小组”表第{c}行“组内职务”列：“秘书长”不是有效的组内职务（应为组长、副组长或成员）",
    ]


def test_the_importer_cannot_demote_himself(refused):
    book = world_book()
    book.cell("人员", 2, "系统角色").value = "督查"
    assert refused(book) == [
        "“人员”表第2行“系统角色”列：“督查”这是您本人：不能通过导入改变自己的系统角色（请由另一位专班在账号管理中修改）"
    ]


def test_a_file_without_a_unit_sheet_and_a_file_that_is_no_workbook(refused, tmp_path):
    assert refused(OrgBook(sheets=("人员",))) == [
        "未找到“单位”表：应有一张表头含“单位编码”的工作表。请使用系统下载的组织架构模板。"
    ]
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert refused(junk) == ["文件不是有效的Excel（.xlsx）文件，无法读取。"]


def test_hidden_rows_are_read_and_listed(world, imported):
    book = world_book()
    row = book.unit(单位编码="201", 单位名称="隐藏站", 类型="部门", 上级单位="100")
    book.ws("单位").row_dimensions[row].hidden = True
    result = imported(book)
    assert result.plan.hidden == [("单位", row)]
    assert Unit.objects.filter(name="隐藏站", district=world.district).exists()


def test_a_code_typed_as_a_number_reads_as_its_digits(world, imported):
    book = world_book()
    row = book.unit(单位名称="数字站", 类型="部门", 上级单位=100)
    book.cell("单位", row, "单位编码").value = 201.0
    book.person(姓名="数字人", 单位=201, 联系电话=13800000000)
    imported(book)
    unit = Unit.objects.get(name="数字站")
    assert (unit.code, unit.parent_id) == ("201", world.district.pk)
    assert Person.objects.get(name="数字人").phone == "13800000000"


def test_hostile_text_is_kept_as_text(world, imported):
    book = world_book()
    book.unit(单位编码="201", 单位名称="=cmd|' /C calc'!A0", 类型="部门", 上级单位="100")
    book.person(姓名="<script>alert(1)</script>", 单位="201")
    imported(book)
    assert Unit.objects.filter(name="=cmd|' /C calc'!A0").exists()
    assert Person.objects.filter(name="<script>alert(1)</script>").exists()
    # The export writes it back as text, never as a live formula, and imports back unchanged.
    data = workbook_bytes(org_workbook(world.district))
    ws = load_workbook(io.BytesIO(data))["单位"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=cmd|' /C calc'!A0")
    assert cell.data_type == "s"
    again = org_import_apply(path_or_file=io.BytesIO(data), by=world.coordinator)
    assert again.summary() == "未作任何更改：文件与系统中的组织架构相同。"


def test_a_file_saved_by_wps_imports_like_any_other(world, imported, tmp_path):
    book = world_book()
    book.unit(单位编码="201", 单位名称="WPS站", 类型="部门", 上级单位="100")
    source = book.save(tmp_path / "plain.xlsx")
    wps = as_wps(source, tmp_path / "wps.xlsx")
    with zipfile.ZipFile(wps) as z:
        assert "<Application>WPS 表格</Application>" in z.read("docProps/app.xml").decode()
        assert b"KSOProductBuildVer" in z.read("docProps/custom.xml")
    imported(wps)
    assert Unit.objects.filter(name="WPS站", code="201").exists()


def test_a_file_saved_by_libreoffice(world, refused, imported, tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("SHIGAN_REQUIRE_BROWSER") == "1":
            pytest.fail("LibreOffice (soffice) is missing; scripts/setup installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    book = world_book()
    book.unit(单位编码="201", 单位名称="甲站", 类型="部门", 上级单位="100")
    row = book.person(姓名="孙一", 单位="交通站")
    source = book.save(tmp_path / "lo.xlsx")
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = out / "lo.xlsx"
    assert converted.read_bytes() != source.read_bytes()
    assert refused(converted) == [
        f"“人员”表第{row}行“单位”列：“交通站”不是本文件或本区县中的单位，是否为“区交通局”？"
    ]
    book.cell("人员", row, "单位").value = "甲站"
    book.save(source)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    imported(converted)
    assert Person.objects.get(name="孙一").unit.name == "甲站"


def test_a_unit_merged_down_over_its_people_counts_for_each(world, imported):
    book = world_book()
    first = book.person(姓名="孙一", 单位="103")
    second = book.person(姓名="孙二")
    book.ws("人员").merge_cells(f"C{first}:C{second}")
    imported(book)
    assert set(
        Person.objects.filter(name__in=["孙一", "孙二"]).values_list("unit_id", flat=True)
    ) == {world.unit_b.pk}
