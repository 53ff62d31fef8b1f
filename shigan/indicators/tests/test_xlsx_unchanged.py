"""Every workbook the app offers for download, imported back unchanged, changes nothing and says
so — through the upload page and through `shigan import` — whatever its notes hold. The exports
that are no templates are refused as such, writing nothing."""

import zipfile
from contextlib import contextmanager
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from openpyxl import load_workbook

from shigan.core.models import AuditEntry
from shigan.core.text import clean_text
from shigan.core.xlsx import cells, put
from shigan.demo.district import load_demo
from shigan.indicators.access import indicators_for_report
from shigan.indicators.models import (
    Actual,
    IndicatorYear,
    KeyEnterprise,
    KeyProject,
    SamePeriodValue,
)
from shigan.indicators.services import actual_submit
from shigan.indicators.xlsx import actuals_template, import_workbook
from shigan.indicators.xlsx.importer import EXPORTED_TABLE, NO_HEADER
from shigan.indicators.xlsx.layout import ACTUAL_COLUMNS

from .conftest import make_indicator
from .sheets import actuals_file, column, data_row
from .test_xlsx_cells import FORMULA_LOOKING, NOTES, free_text

D = Decimal
VALUE, ESTIMATE, NOTE, REASON = "本月完成/数值", "本月完成/是否预计", "说明", "更正原因"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT = "/indicators/import/"
ACTUALS = "/indicators/templates/actuals.xlsx"
TARGETS = "/indicators/templates/targets.xlsx"
NOTHING_CHANGED = "未作任何更改"
# The demo accounts that may import (leader and inspector may not download templates).
DEMO_IMPORTERS = ["zhuanban", "tianbao", "tianbao2", "tianbao3", "tianbao4", "tianbao5"]
AWKWARD_NOTES = [
    "另已整地待栽400多亩，待秋冬季栽植",
    "完成率１２％；同比（上年）：“持平”。",
    "\u3000前有全角空格，中间  两个半角空格\u3000再一个全角",
    "第一行\n第二行",
    "Windows换行\r\n第二行",
    "进度良好👍🏻🇨🇳",
    *FORMULA_LOOKING,
    "控制字符\x0b在中间",
    "_x000D_字面",
    "很长的说明。" * 2000,
]
fuzz = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def counts() -> list[int]:
    models = (Actual, IndicatorYear, SamePeriodValue, AuditEntry)
    return [model.objects.count() for model in models]


@contextmanager
def rolled_back():
    """One hypothesis example's writes, undone before the next example."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    return response.content


def web_import(client, data: bytes) -> str:
    upload = SimpleUploadedFile("back.xlsx", data, content_type=XLSX)
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def command_import(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def assert_unchanged_both_ways(client, data: bytes, path: Path, *args: str) -> None:
    """The web import and `shigan import` of `data` both answer "nothing changed"."""
    before = counts()
    html = web_import(client, data)
    assert "<h2>未作任何更改</h2>" in html and "导入成功" not in html, html
    assert NOTHING_CHANGED in html
    assert counts() == before
    path.write_bytes(data)
    code, out, err = command_import(path, *args)
    assert (code, err) == (0, "") and out.startswith(NOTHING_CHANGED), (out, err)
    assert counts() == before


def note_cells(data: bytes) -> list[str]:
    ws = load_workbook(BytesIO(data)).active
    col = column(ACTUAL_COLUMNS, NOTE)
    return [cells.text(ws.cell(row=r, column=col).value) for r in range(5, ws.max_row + 1)]


@pytest.fixture
def demo(db, today):
    load_demo(today=today)
    return {user.username: user for user in get_user_model().objects.all()}


def test_demo_july_template_with_a_full_width_comma_imports_back_unchanged(
    demo, client_for, tmp_path
):
    client = client_for(demo["zhuanban"])
    data = download(client, f"{ACTUALS}?period=2023-07")
    assert "另已整地待栽400多亩，待秋冬季栽植" in note_cells(data)
    actuals = Actual.objects.count()
    assert_unchanged_both_ways(client, data, tmp_path / "july.xlsx", "--user", "zhuanban")
    code, out, _ = command_import(tmp_path / "july.xlsx")  # as the operator
    assert code == 0 and out.startswith(NOTHING_CHANGED)
    assert Actual.objects.count() == actuals


def test_every_demo_template_imports_back_unchanged_for_every_account_that_may_import(
    demo, client_for, tmp_path
):
    for username in DEMO_IMPORTERS:
        client = client_for(demo[username])
        for month in range(1, 8):
            data = download(client, f"{ACTUALS}?period=2023-{month:02d}")
            path = tmp_path / f"{username}-{month}.xlsx"
            assert_unchanged_both_ways(client, data, path, "--user", username)
    client = client_for(demo["zhuanban"])
    for year in (2022, 2023):
        data = download(client, f"{TARGETS}?year={year}")
        assert_unchanged_both_ways(client, data, tmp_path / f"targets-{year}.xlsx")


def test_demo_summary_counts_the_figures_it_found_unchanged(demo, client_for):
    client = client_for(demo["tianbao5"])
    html = web_import(client, download(client, f"{ACTUALS}?period=2023-07"))
    assert (
        "未作任何更改：指标完成值与系统中已有数据相同（共9行，9项相同），没有新增或更正任何数据。"
        in html
    )


def test_template_of_a_unit_without_indicators_imports_back_as_nothing_changed(demo, client_for):
    client = client_for(demo["tianbao"])  # 交通建设办公室 reports no indicator
    html = web_import(client, download(client, f"{ACTUALS}?period=2023-07"))
    assert "未作任何更改：表中没有填写任何“本月完成”数值。" in html


@pytest.mark.parametrize("note", AWKWARD_NOTES, ids=range(len(AWKWARD_NOTES)))
def test_awkward_notes_import_back_unchanged_through_the_page_and_the_command(
    ind, world, client_for, tmp_path, note
):
    actual = actual_submit(
        indicator=ind.investment, year=2023, month=7, value=D(30000), is_estimate=True,
        note=note, by=world.reporter_a, unit=world.unit_a,
    )  # fmt: skip
    assert actual.note == clean_text(note)
    client = client_for(world.reporter_a)
    data = download(client, f"{ACTUALS}?period=2023-07")
    assert clean_text(note) in note_cells(data)
    assert_unchanged_both_ways(client, data, tmp_path / "back.xlsx", "--user", "reporter_a")


def test_targets_template_with_fractions_imports_back_unchanged(ind, world, client_for, tmp_path):
    IndicatorYear.objects.filter(indicator=ind.output).update(annual_target=D("55500.1234"))
    SamePeriodValue.objects.create(indicator=ind.hogs, year=2023, month=6, value=D("0.0001"))
    SamePeriodValue.objects.create(indicator=ind.output, year=2023, month=12, value=D("9999999999.9999"))  # fmt: skip
    client = client_for(world.coordinator)
    data = download(client, f"{TARGETS}?year=2023")
    assert_unchanged_both_ways(client, data, tmp_path / "targets.xlsx")


@fuzz
@given(note=NOTES)
@example(note="另已整地待栽400多亩，待秋冬季栽植")
@example(note='=HYPERLINK("x")')
@example(note="\u3000 ，。：；“”（）％ \r\n")
@example(note="\xad")  # a soft hyphen alone: invisible, so no note (core.text)
def test_actuals_template_with_any_note_imports_back_as_nothing_changed(ind, world, note):
    with rolled_back():
        actual_submit(
            indicator=ind.investment, year=2023, month=7, value=D(30000), is_estimate=False,
            note=note, by=world.reporter_a, unit=world.unit_a,
        )  # fmt: skip
        wb = actuals_template(indicators_for_report(world.reporter_a), 2023, 7)
        buffer = BytesIO()
        wb.save(buffer)
        assert note_cells(buffer.getvalue())[0] == clean_text(note)
        result = import_workbook(path_or_file=buffer, by=world.reporter_a)
        assert result.ok, result.errors
        assert (result.saved, result.unchanged) == (0, 1)
        assert result.summary().startswith(NOTHING_CHANGED)
        assert Actual.objects.count() == 1


@fuzz
@given(note=NOTES, reason=free_text(max_pieces=6))
@example(note="  前后有空格，全角标点。  ", reason="统计局反馈终值（修正）")
@example(note="=1+1", reason="@SUM(A1)")
def test_notes_and_reasons_typed_into_the_workbook_are_stored_as_written(
    ind, world, tmp_path_factory, note, reason
):
    folder = tmp_path_factory.mktemp("typed")
    with rolled_back():
        sheet = actuals_file(folder, world.reporter_a)
        row = data_row(sheet.ws, "固定资产投资")
        sheet.fill("固定资产投资", VALUE, 30000)
        put(sheet.ws, row, column(ACTUAL_COLUMNS, NOTE), note)  # as Excel stores typed text
        assert import_workbook(path_or_file=sheet.save(), by=world.reporter_a).saved == 1
        assert Actual.objects.get().note == clean_text(note)

        again = actuals_file(folder, world.reporter_a, name="again.xlsx").save()
        unchanged = import_workbook(path_or_file=again, by=world.reporter_a)
        assert unchanged.ok and (unchanged.saved, unchanged.unchanged) == (0, 1)

        fix = actuals_file(folder, world.reporter_a, name="fix.xlsx")
        fix.fill("固定资产投资", VALUE, 30001)
        put(fix.ws, row, column(ACTUAL_COLUMNS, REASON), reason)
        corrected = import_workbook(path_or_file=fix.save(), by=world.reporter_a)
        if clean_text(reason):
            assert corrected.ok, corrected.errors
            assert Actual.objects.latest("id").correction_reason == clean_text(reason)
        else:
            assert [e for e in corrected.errors if "请填写更正原因" in e]


def test_exports_are_refused_as_no_templates_and_change_nothing(demo, client_for):
    client = client_for(demo["zhuanban"])
    exports = {
        "/indicators/export/table.xlsx?period=2023-07": EXPORTED_TABLE,
        "/indicators/export/projects.xlsx?year=2023": NO_HEADER,
        "/map/export.xlsx": NO_HEADER,
    }
    before = counts()
    for url, message in exports.items():
        result = import_workbook(path_or_file=BytesIO(download(client, url)), by=demo["zhuanban"])
        assert result.errors == [message], url
        assert message in web_import(client, download(client, url))
    assert counts() == before


def _formulas(data: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(data)) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        return [n for n in sheets if "<f>" in book.read(n).decode()]


def test_text_that_looks_like_a_formula_stays_text_in_every_indicator_workbook(
    world, today, client_for, tmp_path
):
    name = '=HYPERLINK("x")'
    indicator = make_indicator(name, world.unit_a)
    IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=D(100))
    actual_submit(
        indicator=indicator, year=2023, month=7, value=D(50), is_estimate=False,
        note="=1+1", by=world.reporter_a, unit=world.unit_a,
    )  # fmt: skip
    enterprise = KeyEnterprise.objects.create(name="+1", unit=world.unit_a)
    KeyProject.objects.create(
        year=2023, name="@SUM(A1)", responsible_unit=world.unit_a, enterprise=enterprise
    )
    client = client_for(world.coordinator)
    urls = [
        f"{ACTUALS}?period=2023-07", f"{TARGETS}?year=2023",
        "/indicators/export/table.xlsx?period=2023-07", "/indicators/export/projects.xlsx?year=2023",
    ]  # fmt: skip
    for url in urls:
        data = download(client, url)
        assert _formulas(data) == [], url
        values = {c.value for row in load_workbook(BytesIO(data)).active.iter_rows() for c in row}
        assert {name, "@SUM(A1)"} & values, url
    assert "=1+1" in note_cells(download(client, f"{ACTUALS}?period=2023-07"))
    for url in urls[:2]:
        assert_unchanged_both_ways(client, download(client, url), tmp_path / "f.xlsx")
