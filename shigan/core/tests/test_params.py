import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shigan.core import params
from shigan.core.params import BadValue

HOSTILE = ["²", "³", "١٢", "１２", "9223372036854775808", "1" * 30, "-1", "1e3", " ", "\x00", "０"]


@pytest.mark.parametrize("raw", HOSTILE[:-3] + ["-1", "1.5", "abc"])
def test_id_refuses_anything_but_ascii_digits(raw):
    if raw.strip() == "":
        return
    with pytest.raises(BadValue):
        params.parse_id(raw)
    assert params.id_or_none(raw) is None


def test_id_of_eighteen_digits_is_the_largest_accepted():
    assert params.parse_id("9" * 18) == 10**18 - 1
    with pytest.raises(BadValue, match="不是有效的编号"):
        params.parse_id("1" + "0" * 18)


def test_blank_values_are_none():
    for parse in (params.parse_id, params.parse_date, params.parse_period, params.parse_number):
        assert parse("") is None
        assert parse(None) is None
        assert parse("  ") is None


@pytest.mark.parametrize(
    "raw", ["9999-12-31", "0000-07-01", "1989-12-31", "2101-01-01", "2023-02-30", "２０２３-07-31"]
)
def test_dates_outside_the_years_or_calendar_are_refused(raw):
    with pytest.raises(BadValue):
        params.parse_date(raw)
    assert params.date_or_none(raw) is None


def test_year_range_is_1990_to_2100():
    assert params.parse_date("1990-01-01") == datetime.date(1990, 1, 1)
    assert params.parse_date("2100-12-31") == datetime.date(2100, 12, 31)
    assert params.parse_year("2023年") == 2023
    with pytest.raises(BadValue, match="1990—2100"):
        params.parse_year("2101")


def test_date_or_default_says_what_was_used():
    default = datetime.date(2023, 7, 31)
    assert params.date_or_default("2023-7-1", default) == (datetime.date(2023, 7, 1), "")
    day, message = params.date_or_default("9999-12-31", default)
    assert day == default
    assert "9999-12-31" in message and "2023-07-31" in message


@pytest.mark.parametrize("raw", ["0000-07", "2023-13", "2023-00", "2023-7-1", "²⁰²³-07"])
def test_bad_periods_are_refused(raw):
    with pytest.raises(BadValue):
        params.parse_period(raw)


def test_period_is_the_first_day_of_the_month():
    assert params.parse_period("2023-7") == datetime.date(2023, 7, 1)


@pytest.mark.parametrize(
    "raw,value",
    [("33000", "33000"), ("33,000", "33000"), ("-1,234.5", "-1234.5"), (".5", "0.5"), ("+7", "7")],
)
def test_numbers_as_typed(raw, value):
    assert params.parse_number(raw) == Decimal(value)


@pytest.mark.parametrize(
    "raw", ["1,2,3", "12%", "²", "٣", "¹²³", "①", "１２ｋ", "三万", "1e5", "1.2.3", "Infinity"]
)
def test_loose_numbers_are_refused(raw):
    with pytest.raises(BadValue, match="不是数字"):
        params.parse_number(raw)


@pytest.mark.parametrize(
    "raw,value",
    [("１２３", "123"), ("３３，０００", "33000"), ("－５００", "-500"), ("１２．５", "12.5"),
     ("\u3000１２\u3000", "12"), ("１ ２００", "1200")],
)  # fmt: skip
def test_full_width_digits_as_an_ime_types_them_are_read(raw, value):
    assert params.parse_number(raw) == Decimal(value)


@pytest.mark.parametrize(
    "raw,message",
    [
        ("三万", "“三万”不是数字，请填写阿拉伯数字，如30000"),
        # NFKC would make these digits: a superscript or a circled digit is refused, not read.
        ("¹²³", "“¹²³”不是数字，请填写阿拉伯数字，如30000"),
        ("1²", "“1²”不是数字，请填写阿拉伯数字，如30000"),
        ("①", "“①”不是数字，请填写阿拉伯数字，如30000"),
        # The 半角 hint only where full-width characters are what is still wrong.
        ("１２ｋ", "“１２ｋ”不是数字（请使用半角数字）"),
        ("1,2,3", "“1,2,3”不是数字"),
    ],
)
def test_what_is_wrong_with_a_number_is_said(raw, message):
    with pytest.raises(BadValue) as refused:
        params.parse_number(raw)
    assert str(refused.value) == message


def test_percent_only_where_allowed():
    assert params.parse_number("95%", percent=True) == Decimal(95)
    assert params.parse_number("95％", percent=True) == Decimal(95)


def test_numbers_longer_than_fifteen_digits_are_refused():
    assert params.parse_number("9" * 15) == Decimal("9" * 15)
    with pytest.raises(BadValue, match="15"):
        params.parse_number("1" + "0" * 15)


def test_long_values_are_cut_in_messages():
    with pytest.raises(BadValue) as info:
        params.parse_number("x" * 5000)
    assert len(str(info.value)) < 80


@given(st.text())
def test_any_text_parses_or_raises_badvalue(raw):
    for parse in (params.parse_id, params.parse_date, params.parse_period, params.parse_number):
        try:
            parse(raw)
        except BadValue:
            pass
