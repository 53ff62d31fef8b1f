"""Property-based: claims generated from random figures hold; perturbed ones are flagged."""

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shigan.indicators.calc import plain, time_progress
from shigan.reports.checker import Status, check_text
from shigan.reports.checker.numbers import round_to
from shigan.reports.tests.test_checker_kinds import growth_range, reachable

amounts = st.integers(min_value=1, max_value=10_000_000).map(Decimal)
tenths = st.integers(min_value=1, max_value=50).map(lambda n: Decimal(n) / 10)
signs = st.sampled_from([1, -1])
widths = st.sampled_from(["full", "half"])
HALF = str.maketrans({"％": "%", "，": ",", "；": ";"})


def render(text: str, width: str) -> str:
    return text.translate(HALF) if width == "half" else text


def statuses(text: str) -> list[Status]:
    return [claim.status for claim in check_text(text).claims]


def pct(x: Decimal, y: Decimal) -> Decimal:
    return round_to(x / y * 100, 1)


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(x=amounts, y=amounts, width=widths)
def test_generated_plan_share_holds(x, y, width):
    text = render(f"完成{x}万元，占年计划{y}万元的{pct(x, y)}％。", width)
    assert statuses(text) == [Status.OK]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(x=amounts, y=amounts, delta=tenths, sign=signs, width=widths)
def test_perturbed_plan_share_is_flagged(x, y, delta, sign, width):
    stated = pct(x, y) + sign * delta
    assume(stated >= 0)
    text = render(f"完成{x}万元，占年计划{y}万元的{stated}％。", width)
    result = check_text(text)
    assert [c.status for c in result.claims] == [Status.FALSE]
    claim = result.claims[0]
    assert text[claim.stated_span[0] : claim.stated_span[1]] == claim.stated


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(x=amounts, y=st.integers(min_value=1, max_value=99).map(Decimal))
def test_plan_in_yi_yuan_and_actual_in_wan_yuan(x, y):
    text = f"完成{x}万元，占目标任务{y}亿元的{pct(x, y * 10000)}％。"
    assert statuses(text) == [Status.OK]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(last=amounts, change=st.integers(min_value=-5000, max_value=5000).map(Decimal))
def test_generated_change_holds_and_perturbed_change_is_flagged(last, change):
    current = last + change
    assume(current > 0)
    word = "增加" if change >= 0 else "减少"
    text = f"产量{current}吨，比去年同期的{last}吨{word}{abs(change)}吨。"
    assert statuses(text) == [Status.OK]
    assert statuses(text.replace(f"{word}{abs(change)}吨", f"{word}{abs(change) + 1}吨")) == [
        Status.FALSE
    ]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(last=amounts, change=st.integers(min_value=1, max_value=100_000).map(Decimal), delta=tenths)
def test_generated_growth_holds_and_perturbed_growth_is_flagged(last, change, delta):
    current = last + change
    growth = round_to(change / last * 100, 1)
    text = f"产量{current}吨，比去年增加{change}吨，同比增长{growth}％。"
    assert statuses(text) == [Status.UNCHECKABLE, Status.OK]
    # wrong: out of what the written (rounded) figures can give too
    assume(not reachable(growth + delta, *growth_range(current, change, 1)))
    wrong = text.replace(f"增长{growth}％", f"增长{growth + delta}％")
    assert statuses(wrong) == [Status.UNCHECKABLE, Status.FALSE]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    parts=st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=4),
    off=st.integers(min_value=1, max_value=20),
    width=widths,
)
def test_generated_parts_sum_holds_and_wrong_total_is_flagged(parts, off, width):
    assume(sum(parts) > 0)
    words = ["已完成", "正在办理", "未启动", "逾期"]
    listed = "；".join(f"{words[i]}{n}件" for i, n in enumerate(parts))
    text = render(f"确定事项{sum(parts)}件，{listed}。", width)
    assert statuses(text) == [Status.OK]
    wrong = render(f"确定事项{sum(parts) + off}件，{listed}。", width)
    assert statuses(wrong) == [Status.FALSE]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    done=st.integers(min_value=0, max_value=300),
    rest=st.integers(min_value=1, max_value=300),
    delta=tenths,
)
def test_generated_part_shares_hold_and_perturbed_share_is_flagged(done, rest, delta):
    total = done + rest
    p, q = pct(Decimal(done), Decimal(total)), pct(Decimal(rest), Decimal(total))
    assume(p + q == 100)  # not a case of shares adjusted to total 100
    template = "确定事项{}件，已完成{}件，占{}％；正在办理{}件，占{}％。"
    assert statuses(template.format(total, done, p, rest, q)) == [Status.OK] * 3
    wrong = template.format(total, done, p, rest, q + delta)
    assert statuses(wrong) == [Status.OK, Status.OK, Status.FALSE]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(x=amounts, y=amounts, month=st.integers(min_value=1, max_value=12), delta=tenths)
def test_generated_time_progress_gap_holds_and_perturbed_gap_is_flagged(x, y, month, delta):
    gap = round_to(x / y * 100 - time_progress(month), 1)
    assume(gap != 0)
    word = "超" if gap > 0 else "低于"
    share = f"1-{month}月完成{x}万元，占年计划{y}万元的{pct(x, y)}％，"
    text = f"{share}{word}序时进度{abs(gap)}个百分点。"
    assert statuses(text) == [Status.OK, Status.OK]
    # the gap a reader recomputes from the printed share (74 − 8/12) holds as well
    printed = round_to(pct(x, y) - time_progress(month), 1)
    if printed and (printed > 0) == (gap > 0):
        assert statuses(f"{share}{word}序时进度{abs(printed)}个百分点。") == [Status.OK] * 2
    assume(abs(gap) + delta != abs(printed))
    wrong = f"{share}{word}序时进度{abs(gap) + delta}个百分点。"
    assert statuses(wrong) == [Status.OK, Status.FALSE]
    flipped = f"{share}{'低于' if gap > 0 else '超'}序时进度{abs(gap)}个百分点。"
    assert statuses(flipped) == [Status.OK, Status.FALSE]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(base=st.integers(min_value=0, max_value=1000), top=st.integers(min_value=0, max_value=1000))
def test_generated_points_change(base, top):
    a, b = Decimal(base) / 10, Decimal(top) / 10
    assume(a != b)
    word = "提高" if b > a else "下降"
    text = f"占比由{a}％{word}到{b}％，{word}{abs(b - a)}个百分点。"
    assert statuses(text) == [Status.OK]


def test_plain_shows_whole_numbers_without_decimals():
    assert plain(Decimal("33000")) == "33000"


FRAGMENTS = [
    "完成", "占", "年计划", "的", "万元", "亿元", "吨", "件", "个", "％", "%", "，", "；", "。", "\n",
    "比去年", "同期", "增加", "减少", "同比增长", "下降", "由", "到", "分别达到", "、", "分别增长",
    "确定事项", "已完成", "正在办理", "共计", "超", "低于", "序时进度", "个百分点", "1-7月", "上半年",
    "完成率", "总任务", "多", "0", "1", "7", "12.5", "100", "0.0", ".", "**", "##paidbegin##", "　",
]  # fmt: skip


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_any_text_is_checked_without_error_and_spans_quote_the_original(text):
    result = check_text(text)
    for claim in result.claims:
        assert text[claim.span[0] : claim.span[1]] == claim.quote
        assert text[claim.stated_span[0] : claim.stated_span[1]] == claim.stated
        assert claim.reason
