import datetime
from decimal import Decimal

import pytest

from shigan.core.xlsx import cells
from shigan.core.xlsx.cells import BadCell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (33000, Decimal(33000)),
        (33000.5, Decimal("33000.5")),
        (0.1 + 0.2, Decimal("0.3")),
        (36300.000000000004, Decimal(36300)),
        ("33,000", Decimal(33000)),
        (" 12.5% ", Decimal("12.5")),
        ("-3", Decimal(-3)),
        (None, None),
        ("  ", None),
    ],
)
def test_decimal_reads_numbers_and_numeric_text(value, expected):
    assert cells.decimal(value) == expected


@pytest.mark.parametrize("value", ["三万", "3.3万", "约3000", True, datetime.date(2023, 7, 1)])
def test_decimal_refuses_what_is_not_a_number(value):
    with pytest.raises(BadCell, match="不是数字"):
        cells.decimal(value)


def test_percentage_formatted_cell_is_scaled():
    assert cells.decimal(0.625, percent_format=True) == Decimal("62.5")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2023, 7, 1), (2023, 7)),
        (datetime.date(2023, 6, 30), (2023, 6)),
        (45108, (2023, 7)),
        (45108.0, (2023, 7)),
        ("2023年7月", (2023, 7)),
        ("2023年1-7月", (2023, 7)),
        ("2023 年 10 月", (2023, 10)),
        ("2023-07", (2023, 7)),
        ("2023/7/31", (2023, 7)),
        ("2023.12", (2023, 12)),
        ("7月", (2025, 7)),
        ("1-7月", (2025, 7)),
        (7, (2025, 7)),
    ],
)
def test_month_reads_dates_serials_and_chinese_text(value, expected):
    assert cells.month(value, 2025) == expected


@pytest.mark.parametrize("value", ["七月份", "2023年13月", 0, 123, "2023"])
def test_month_refuses_what_is_no_month(value):
    with pytest.raises(BadCell):
        cells.month(value, 2023)


def test_month_without_year_needs_a_default():
    with pytest.raises(BadCell, match="未写明年份"):
        cells.month("7月", None)


@pytest.mark.parametrize(("value", "expected"), [("是", True), ("否", False), (None, False),
                                                 ("预计", True), (True, True), (0, False)])  # fmt: skip
def test_yes_no(value, expected):
    assert cells.yes_no(value) is expected


def test_error_message_names_row_column_and_value():
    assert (
        cells.cell_error(17, "本月完成", "三万", "不是数字") == "第17行“本月完成”列：“三万”不是数字"
    )
    assert cells.cell_error(5, "说明", None, "请填写说明") == "第5行“说明”列：请填写说明"
