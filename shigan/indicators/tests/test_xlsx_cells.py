"""Cells as the importer reads them: free text exactly as written, vocabulary keys folded from
full-width, numbers through the one strict parser; and text written into a real workbook read
back unchanged, never as a formula."""

import datetime
import zipfile
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from shigan.core.text import clean_text
from shigan.core.xlsx import cells, put
from shigan.core.xlsx.cells import BadCell
from shigan.indicators.models import Actual
from shigan.indicators.xlsx import import_workbook

from .sheets import actuals_file

VALUE = "本月完成/数值"
FULL_WIDTH_PUNCTUATION = "，。：；“”（）％"
FORMULA_LOOKING = ["=1+1", '=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "#N/A", "=", "'=1"]
# Pieces the notes of a Chinese office are made of, and the ones that break spreadsheets.
PIECES = [
    *FULL_WIDTH_PUNCTUATION,
    " ", "\u3000", "\n", "\r\n", "\r", "\t", "😀", "👍🏻", "🇨🇳", "另已整地待栽400多亩", "２０２３",
    "³", "١٢", "_x000D_", "_x005F_", "<b>&amp;</b>", "\x0b", "\x1b", "\ufffe",
    *FORMULA_LOOKING,
]  # fmt: skip


# A cell holds at most 32,767 characters (Excel's limit, which openpyxl enforces by cutting);
# escaped, one character may take seven (_x000B_), so generated long texts stay below this.
LONG = 4000


def free_text(max_pieces: int = 12) -> st.SearchStrategy[str]:
    """Text as typed into a note: generated characters (no NUL, which no database stores, and no
    lone surrogates) mixed with the awkward pieces above, sometimes repeated into a long text."""
    characters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    piece = st.one_of(st.sampled_from(PIECES), st.text(characters, max_size=12))
    text = st.lists(piece, max_size=max_pieces).map("".join)
    long = st.tuples(text, st.integers(200, LONG)).map(lambda t: ((t[0] or "长") * t[1])[:LONG])
    return st.one_of(text, text, text, long)


NOTES = free_text()


@pytest.mark.parametrize(
    "written",
    [
        "2023年7月已填报527，再次填报即为更正",
        "另已整地待栽400多亩，待秋冬季栽植（预计）：完成率１２％；“秋冬”。",
        "甲\u3000乙  丙",
        "第一行\r\n第二行\n第三行",
        "进度良好👍🏻",
        *FORMULA_LOOKING,
    ],
)
def test_text_is_read_exactly_as_written(written):
    assert cells.text(written) == written.strip()


def test_text_loses_only_surrounding_whitespace_as_the_services_strip_it():
    assert cells.text("\u3000 说明，见附件\r\n ") == "说明，见附件"
    assert cells.text(" a \u3000 b ") == "a \u3000 b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("２０２３年７月", (2023, 7)), ("２０２３－０７", (2023, 7)), ("７月", (2023, 7))],
)
def test_month_text_in_full_width_digits_is_still_read(value, expected):
    assert cells.month(value, 2023) == expected


@pytest.mark.parametrize("value", ["2023年⁷月", "²⁰²³-07", "٢٠٢٣-٠٧", "2023年٧月", "⁷月"])
def test_superscript_and_arabic_indic_digits_are_no_month(value):
    with pytest.raises(BadCell, match="不是有效的月份"):
        cells.month(value, 2023)


def test_year_folds_full_width_digits_but_refuses_superscripts():
    assert cells.year("２０２３年", None) == 2023
    with pytest.raises(BadCell, match="不是有效的年度"):
        cells.year("²⁰²³", None)


def test_yes_no_folds_full_width_letters():
    assert cells.yes_no("ＹＥＳ") is True and cells.yes_no("\u3000否\u3000") is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("33,000", Decimal(33000)),
        ("1,234,567.5", Decimal("1234567.5")),
        (" 12.5% ", Decimal("12.5")),
        ("95％", Decimal(95)),
        ("-3", Decimal(-3)),
        (33000, Decimal(33000)),
        (0.1 + 0.2, Decimal("0.3")),
    ],
)
def test_decimal_accepts_plain_and_grouped_numbers(value, expected):
    assert cells.decimal(value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1,2,3", "不是数字"),
        ("²", "不是数字，请填写阿拉伯数字，如30000"),
        ("١٢", "不是数字，请填写阿拉伯数字，如30000"),
        ("１２ｋ", "不是数字（请使用半角数字）"),
        ("三万", "不是数字，请填写阿拉伯数字，如30000"),
        ("1e5", "不是数字，请填写阿拉伯数字，如30000"),
        ("1234567890123456", "超出允许的位数（整数部分最多15位）"),
    ],
)
def test_decimal_refuses_loose_number_text(value, problem):
    with pytest.raises(BadCell) as refused:
        cells.decimal(value)
    assert str(refused.value) == problem


def test_decimal_without_percent_refuses_a_trailing_percent_sign():
    with pytest.raises(BadCell, match="不是数字"):
        cells.decimal("12%", percent=False)
    assert cells.decimal("12", percent=False) == 12


def test_the_web_forms_variant_reads_full_width_but_refuses_superscript_and_other_digits():
    assert cells.decimal("33,000", percent=False) == 33000
    assert cells.decimal("３３，０００", percent=False) == 33000
    assert cells.decimal("－５００", percent=False) == -500
    for typed in ["²", "¹²³", "١٢", "1,2,3", "１２％"]:
        with pytest.raises(BadCell, match="不是数字"):
            cells.decimal(typed, percent=False)


def test_loose_numbers_in_a_real_file_are_refused_with_row_and_column(ind, world, tmp_path):
    sheet = actuals_file(tmp_path, world.reporter_a)
    sheet.fill("固定资产投资", VALUE, "1,2,3").fill("生猪存栏", VALUE, "１２ｋ")
    r1, r2 = sheet.row_of("固定资产投资"), sheet.row_of("生猪存栏")
    result = import_workbook(path_or_file=sheet.save(), by=world.reporter_a)
    assert result.errors == [
        f"第{r1}行“本月完成”列：“1,2,3”不是数字",
        f"第{r2}行“本月完成”列：“１２ｋ”不是数字（请使用半角数字）",
    ]
    assert not Actual.objects.exists()


def _written_and_read_back(tmp_path, value: str):
    wb = Workbook()
    put(wb.active, 1, 1, value)
    path = tmp_path / "text.xlsx"
    wb.save(path)
    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    return load_workbook(path).active["A1"], sheet_xml


@pytest.mark.parametrize("value", FORMULA_LOOKING)
def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, value):
    cell, sheet_xml = _written_and_read_back(tmp_path, value)
    assert (cell.value, cell.data_type) == (value, "s")
    assert "<f>" not in sheet_xml


def test_characters_xml_cannot_hold_are_escaped_and_read_back(tmp_path):
    cell, _ = _written_and_read_back(tmp_path, "甲\x0b乙\x1b丙_x0041_丁")
    assert cell.value == "甲_x000B_乙_x001B_丙_x005F_x0041_丁"  # as Excel stores them
    assert cells.text(cell.value) == "甲\x0b乙\x1b丙_x0041_丁"


@settings(max_examples=150, deadline=None)
@given(value=NOTES)
@example(value="=1+1")
@example(value="\u3000 前后空格，中间\u3000全角 \r\n")
@example(value="x" * 32767)
@example(value="\xad备注\u200b")  # invisible characters at the edges are no text (core.text)
def test_any_text_written_into_a_workbook_reads_back_the_same(tmp_path_factory, value):
    cell, sheet_xml = _written_and_read_back(tmp_path_factory.mktemp("cell"), value)
    assert cells.text(cell.value) == clean_text(value)
    assert cell.data_type == "s" or (value == "" and cell.value is None)
    assert "<f>" not in sheet_xml


def test_dates_and_numbers_in_a_text_column_are_shown_plainly():
    assert cells.text(datetime.datetime(2023, 7, 1)) == "2023-07-01"
    assert cells.text(12.0) == "12" and cells.text(None) == ""
