"""core.csv_export: the file Excel and WPS open (UTF-8 with BOM), values as the workbook shows
them, and text that would start a formula neutralised by core.xlsx's rule."""

import datetime
from decimal import Decimal

import pytest

from shigan.core.csv_export import BOM, csv_bytes, csv_filename, csv_number, csv_value
from shigan.core.xlsx import FORMULA_START, formula_like


def test_file_is_utf8_with_bom_and_crlf():
    body = csv_bytes(["序号", "任务名称"], [[1, "兴业大道，建设"], [2, "多行\n文本,逗号"]])
    assert body.startswith(BOM.encode("utf-8"))
    assert (
        body.decode("utf-8") == f'{BOM}序号,任务名称\r\n1,兴业大道，建设\r\n2,"多行\n文本,逗号"\r\n'
    )


@pytest.mark.parametrize("start", FORMULA_START)
def test_text_starting_a_formula_gets_an_apostrophe(start):
    assert formula_like(f"{start}1+1")
    assert csv_value(f"{start}1+1") == f"'{start}1+1"


def test_other_values_are_shown_as_the_workbook_shows_them():
    assert csv_value('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert csv_value("设计勘察已完成") == "设计勘察已完成"
    assert csv_value("—") == "—"  # the map's dash for a finished task is no minus
    assert csv_value(-5) == "-5"  # a number is never text
    assert csv_value(None) == ""
    assert csv_value(datetime.date(2023, 7, 31)) == "2023-07-31"
    assert csv_value(True) == "是"
    assert csv_number(Decimal("33000.0000"), "0.####") == "33000"
    assert csv_number(Decimal("1.23456"), "0.####") == "1.2346"
    assert csv_number(0.1 + 0.2) == "0.3"
    assert csv_number(Decimal("95.25"), "0.0") == "95.3"
    assert csv_number(Decimal("-0.01"), "0.0") == "0.0"


def test_filename_beside_the_workbook():
    assert csv_filename("2023年重点项目推进情况表.xlsx") == "2023年重点项目推进情况表.csv"
