"""Ratios without a % sign (checker/structure.py): 三次产业结构 A:B:C and 城乡收入比 X:1."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.reports.checker import Status, check_text
from shigan.reports.checker.numbers import round_to

GDP = (
    "一季度,全市实现地区生产总值545.0亿元,同比增长10.2%。\n"
    "一、产业结构不断优化。第一产业实现增加值41.99亿元,增长3.6%;第二产业实现增加值313.14亿元,"
    "增长10.8%;第三产业实现增加值189.87亿元,增长10.6%。三次产业结构为{}。"
)


def shares(text: str) -> dict[str, Status]:
    return {c.stated: c.status for c in check_text(text).claims if c.kind == "share"}


def test_industry_structure_of_the_gdp_stated_in_the_paragraph_before():
    # 12 德州.
    assert shares(GDP.format("7.7:57.5:34.8")) == dict.fromkeys(["7.7", "57.5", "34.8"], Status.OK)
    assert shares(GDP.format("7.7:56.5:34.8"))["56.5"] == Status.FALSE
    reason = next(
        c for c in check_text(GDP.format("7.7:56.5:34.8")).claims if c.stated == "56.5"
    ).reason
    assert "313.14亿元÷545亿元" in reason


def test_per_head_gdp_is_not_the_total():
    # 11 丹寨: 人均地区生产总值为19967元 comes after the industries.
    text = (
        "全县地区生产总值244394万元,比上年增长13.1%。其中:第一产业增加值62857万元;第二产业增加值65585万元;"
        "第三产业增加值115952万元。人均地区生产总值为19967元。\n图1\n"
        "2015年三次产业结构比为25.72:26.84:47.44,与上年比…"
    )
    assert shares(text) == dict.fromkeys(["25.72", "26.84", "47.44"], Status.OK)


def test_income_ratio_now_and_not_last_year():
    # 14 酉阳: 由上年同期的2.05:1下降为2.02:1 — last year's incomes are not stated.
    text = (
        "城镇常住居民人均可支配收入10063元,增长5.2%;农村常住居民人均可支配收入4974元,增长6.6%。"
        "城乡收入比持续缩小,由上年同期的2.05:1下降为2.02:1。"
    )
    assert shares(text) == {"2.02": Status.OK}
    assert shares(text.replace("为2.02:1", "为2.12:1")) == {"2.12": Status.FALSE}


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    a=st.integers(1, 10**6),
    b=st.integers(1, 10**6),
    c=st.integers(1, 10**6),
    which=st.integers(0, 2),
)
def test_generated_structures(a, b, c, which):
    total = a + b + c
    figures = [round_to(Decimal(x) / total * 100, 1) for x in (a, b, c)]
    text = (
        f"全县实现地区生产总值{total}万元。其中,第一产业增加值{a}万元;第二产业增加值{b}万元;"
        f"第三产业增加值{c}万元。三次产业结构为{figures[0]}:{figures[1]}:{figures[2]}。"
    )
    result = check_text(text)
    assert result.inconsistencies == []
    assert [c.status for c in result.claims if c.kind == "share"] == [Status.OK] * 3
    wrong = list(figures)
    wrong[which] += Decimal("1.5")
    text = text.replace(
        f"{figures[0]}:{figures[1]}:{figures[2]}", f"{wrong[0]}:{wrong[1]}:{wrong[2]}"
    )
    flagged = [c for c in check_text(text).inconsistencies if c.kind == "share"]
    assert [c.stated for c in flagged] == [str(wrong[which])]


def test_gdp_is_the_sum_of_its_three_industries():
    # 12 德州 (the industries a paragraph later) and 11 丹寨 (工业/建筑业 nested inside 第二产业).
    assert {
        c.stated: c.status
        for c in check_text(GDP.format("7.7:57.5:34.8")).claims
        if c.kind == "total"
    } == {"545.0亿元": Status.OK}
    text = (
        "2015年全县地区生产总值245394万元,比上年增长13.1%。其中:第一产业增加值62857万元,同比增长6.3%;"
        "第二产业增加值65585万元,其中工业增加值完成40653万元;建筑业增加值完成24932万元。"
        "第三产业增加值115952万元,同比增长18.0%。"
    )
    wrong = check_text(text).inconsistencies
    assert [c.stated for c in wrong] == ["245394万元"]
    assert "244394万元" in wrong[0].reason
