"""Percentage points against a stated target (checker/targets.py): the issue's 高于/低于目标 kinds."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.reports.checker import Status, check_text


def gap(text: str):
    return next(c for c in check_text(text).claims if c.stated.endswith("百分点"))


def test_above_and_below_a_target_stated_in_the_sentence():
    assert gap("全年增长目标为7%,1-6月增长8.2%,高于目标1.2个百分点。").status == Status.OK
    assert gap("按照8%的增长目标,上半年增长6.5%,低于目标1.5个百分点。").status == Status.OK
    wrong = gap("全年增长目标为7%,1-6月增长6.2%,高于目标0.8个百分点。")
    assert wrong.status == Status.FALSE
    assert "实为低于目标" in wrong.reason


def test_without_a_target_or_with_one_stated_elsewhere():
    assert gap("1-6月增长8.2%,高于目标1.2个百分点。").status == Status.UNCHECKABLE
    # a target in an earlier sentence may be another indicator's: never 不一致 on it
    text = "地区生产总值增长目标为7%。规上工业增加值增长9.5%,高于目标1.5个百分点。"
    assert gap(text).status == Status.UNCHECKABLE


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(target=st.integers(10, 150), actual=st.integers(0, 300), off=st.integers(1, 30))
def test_generated_target_gaps(target, actual, off):
    t, a = Decimal(target) / 10, Decimal(actual) / 10
    word = "高于" if a >= t else "低于"
    text = f"全年增长目标为{t}%,1-9月增长{a}%,{word}目标{abs(a - t)}个百分点。"
    assert gap(text).status == Status.OK
    wrong = text.replace(f"目标{abs(a - t)}个", f"目标{abs(a - t) + Decimal(off) / 10}个")
    assert gap(wrong).status == Status.FALSE
