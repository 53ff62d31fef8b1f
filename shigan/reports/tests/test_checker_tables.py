"""Rates in tables set out as text (checker/tables.py), from 47 湘西's summary table."""

from shigan.reports.checker import Status, check_text

TABLE = """1-9月份州重点项目投资完成情况汇总表
单位:个、亿元
隶 属 | 项目个数 | 年投资计划 | 完成投资额 | 年计划投资完成率 |
吉首市 | 57 | 82.5 | 65.1 | 78.9% |
泸溪县 | 27 | 42.6 | 31.2 | 73.2% |
州 直 | 58 | 156.7 | 92.0 | 58.8% |
"""


def rates(text: str) -> dict[str, object]:
    return {c.stated: c for c in check_text(text).claims if c.kind == "rate"}


def test_table_rates_are_the_actual_over_the_plan_of_their_row():
    found = rates(TABLE)
    assert {k: c.status for k, c in found.items()} == dict.fromkeys(
        ["78.9%", "73.2%", "58.8%"], Status.OK
    )
    assert [o.text for o in found["78.9%"].operands] == ["65.1", "82.5"]
    for claim in found.values():
        start, end = claim.stated_span
        assert TABLE[start:end] == claim.stated


def test_a_table_rate_holds_within_the_rounding_of_its_figures():
    # 92.0 ÷ 156.7 = 58.71%, but 92.05 ÷ 156.65 = 58.76%: the table's figures are rounded.
    claim = rates(TABLE)["58.8%"]
    assert "舍入范围" in claim.reason
    assert rates(TABLE.replace("58.8%", "59.8%"))["59.8%"].status == Status.FALSE


def test_a_wrong_table_rate_is_false():
    assert rates(TABLE.replace("78.9%", "87.9%"))["87.9%"].status == Status.FALSE


def test_a_table_without_plan_and_actual_columns_is_left_alone():
    text = "地区 | 项目个数 | 增长率 |\n吉首市 | 57 | 7.9% |\n泸溪县 | 27 | 3.2% |\n"
    assert rates(text) == {}
