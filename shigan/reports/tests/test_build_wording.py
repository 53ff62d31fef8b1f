"""The genre's phrasing helpers: percent sign and rounding, 万/亿, 多, changes, dates, ordinals."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shigan.reports import wording


@pytest.mark.parametrize(
    ("raw", "sign", "printed"),
    [
        (Decimal(33000) / Decimal(74200) * 100, "％", "44.5％"),
        (Decimal(22000) / Decimal(55500) * 100, "％", "39.6％"),
        (Decimal(2500) / Decimal(8800) * 100, "%", "28.4%"),
        (Decimal("28.25"), "％", "28.3％"),  # a tie rounds half up, once
        (Decimal("8.449"), "％", "8.4％"),  # never rounded twice (8.45 → 8.5)
        (Decimal(50), "％", "50.0％"),
    ],
)
def test_percent_rounds_once_half_up_and_carries_the_chosen_sign(raw, sign, printed):
    assert wording.percent(raw, sign) == printed


@pytest.mark.parametrize(
    ("value", "measure", "scale", "printed"),
    [
        (32000, "亩", "万", "3.2万亩"),
        (33000, "万元", "", "33000万元"),
        (33000, "万元", "亿", "3.3亿元"),
        (133018, "只", "", "133018只"),
        (250000000, "元", "亿", "2.5亿元"),
        (Decimal("7272.0000"), "吨", "", "7272吨"),
    ],
)
def test_scaled_writes_figures_with_wan_and_yi_without_separators(value, measure, scale, printed):
    assert wording.scaled(value, measure, scale) == printed


@given(st.integers(min_value=1, max_value=10**9))
def test_a_figure_written_in_wan_reads_back_as_the_same_value(n):
    text = wording.scaled(n, "亩", "万")
    assert Decimal(text.removesuffix("万亩")) * 10000 == n


@pytest.mark.parametrize(
    ("value", "printed"), [(420, "400多"), (400, "400"), (1250, "1000多"), (7, "7"), (99, "90多")]
)
def test_approximate_keeps_the_leading_digit_and_adds_duo_only_above_it(value, printed):
    assert wording.approximate(Decimal(value)) == printed


def test_changes_are_worded_by_their_direction():
    assert wording.change_words(Decimal(191)) == ("增加", "191")
    assert wording.change_words(Decimal(-5)) == ("减少", "5")
    assert wording.change_words(Decimal(0))[0] == "持平"
    assert wording.group_change_phrase([Decimal(1), Decimal(3)]) == "分别比同期不同程度增长"
    assert wording.group_change_phrase([Decimal(-1), Decimal(-3)]) == "分别比同期不同程度下降"
    assert wording.group_change_phrase([Decimal(1), Decimal(-3)]) is None


def test_time_gap_says_over_or_below_time_progress_on_the_rounded_gap():
    assert wording.time_gap_words(Decimal("2.3")) == "超序时进度"
    assert wording.time_gap_words(Decimal("-5")) == "低于序时进度"
    assert wording.time_gap_words(Decimal("0.04")) == "与序时进度持平"
    assert wording.points(Decimal("-5.04")) == "5.0个百分点"


def test_dates_are_written_without_leading_zeros_and_month_ends_as_di_qian():
    assert wording.month_day(datetime.date(2023, 2, 8)) == "2月8日"
    assert wording.deadline(datetime.date(2023, 8, 31)) == "8月底前"
    assert wording.deadline(datetime.date(2023, 2, 28)) == "2月底前"
    assert wording.deadline(datetime.date(2023, 8, 4)) == "8月4日前"


def test_ordinals_of_the_genre():
    assert [wording.ordinal_shi(n) for n in (1, 2, 3)] == ["一是", "二是", "三是"]
    assert wording.ordinal_heading(3) == "三、"
    assert wording.ordinal_paren(2) == "（二）"
    assert [wording.cn_number(n) for n in (10, 11, 20, 21)] == ["十", "十一", "二十", "二十一"]


def test_full_width_percent_normalises_to_the_ascii_sign():
    assert unicodedata.normalize("NFKC", wording.percent(Decimal(1))) == "1.0%"


def test_the_quoted_part_of_a_campaign_name_is_its_short_name():
    assert wording.quoted_short_name("作风建设“实干年”活动") == "“实干年”"
    assert wording.quoted_short_name("营商环境提升年") == "营商环境提升年"
