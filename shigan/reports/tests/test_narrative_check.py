"""The narrative check's comparison (narrative_check.compare): which statements it reads, the
rounding rule it compares with, and hostile text it survives. Pure: no database."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.core.numbers import round_to
from shigan.reports.narrative_check import Known, Narrative, check_narratives, warning_line
from shigan.reports.narrative_check.records import INVESTMENT, PROJECT

MONEY = frozenset({"元"})


def investment(**values) -> tuple[Known, ...]:
    """The investment table of records.py with these values (0 for the rest)."""
    return tuple(
        Known(key, pattern, units, Decimal(values.get(field, 0)), unit, what, "/inv/", after)
        for key, pattern, units, field, unit, after, what in INVESTMENT
    )


def project(completed) -> tuple[Known, ...]:
    pattern = dict((field, p) for p, field in PROJECT)["completed_investment_this_year"]
    return (
        Known("project.1.completed", pattern, MONEY, Decimal(completed), "万元", "项目", "/p/"),
    )


def check(text: str, known, month: int = 7):
    narrative = Narrative(
        "任务进展", "任务“招商引资”2023年7月进展", "王填报（区交通局）", "/t/", text, True, known
    )
    return check_narratives([narrative], month).findings


def verdicts(text: str, known, month: int = 7) -> list[tuple[str, str, bool]]:
    return [(f.label, f.stated, f.agrees) for f in check(text, known, month)]


SIGNED = dict(trips=4, agreements=4, contract_amount=31500, landed=3, landed_contract_amount=25000)


def test_a_count_typed_as_the_records_hold_agrees_and_one_more_does_not():
    known = investment(**SIGNED)
    assert verdicts("年初以来共外出招商4次，共签订协议项目4个，实际落地项目3个。", known) == [
        ("外出招商", "4次", True),
        ("签订协议项目", "4个", True),
        ("实际落地项目", "3个", True),
    ]
    (finding,) = check("年初以来共签订协议项目5个。", known)
    assert not finding.agrees and finding.recorded == "4个" and finding.stated == "5个"
    assert "写签订协议项目5个，记录为4个" in warning_line(finding)


def test_the_amount_after_landed_projects_is_the_landed_projects_amount():
    known = investment(**SIGNED)
    text = "共签订协议项目4个，合同资金31500万元，实际落地项目3个，合同资金25000万元。"
    assert [f.known.quantity for f in check(text, known)] == [
        "investment.agreements",
        "investment.contract",
        "investment.landed",
        "investment.landed_contract",
    ]
    assert all(f.agrees for f in check(text, known))


@pytest.mark.parametrize(
    ("recorded", "agrees"),
    [(11499, False), (11500, True), (12000, True), (12499, True), (12500, False)],
)
def test_a_figure_in_hundred_millions_agrees_to_its_one_decimal_half_up(recorded, agrees):
    (finding,) = check("完成投资1.2亿元。", project(recorded))
    assert finding.agrees is agrees


def test_a_figure_in_another_scale_shows_the_record_in_that_scale():
    (finding,) = check("项目累计完成投资1.3亿元。", project(12000))
    assert not finding.agrees
    assert (finding.stated, finding.recorded, finding.converted) == (
        "1.3亿元",
        "12000万元",
        "1.2亿元",
    )


def test_a_figure_in_ten_thousands_must_be_exact():
    assert verdicts("完成投资12000万元", project(12000)) == [("完成投资", "12000万元", True)]
    assert verdicts("完成投资12001万元", project(12000)) == [("完成投资", "12001万元", False)]


def test_full_width_digits_are_read_as_typed_with_an_ime():
    (finding,) = check("共签订协议项目５个", investment(agreements=4))
    assert not finding.agrees and finding.stated == "５个"


@pytest.mark.parametrize(
    "text",
    [
        "6月份签订协议项目1个。",  # another month
        "上半年签订协议项目3个。",
        "全年签订协议项目不少于6个。",  # a target
        "计划签订协议项目6个。",
        "比去年多签订协议项目2个。",  # a change
        "本月新增签约项目1个。",
        "共梳理项目10个，其中签订协议项目2个。",  # a part
        "签订协议项目约5个。",  # approximate
        "签订协议项目5个多。",
        "1-6月签订协议项目3个。",  # a cumulative period ending in another month
        "签订协议项目5家企业参与。",
        "签订协议项目共计划5个。",
    ],
)
def test_statements_of_another_period_plan_change_or_part_are_not_compared(text):
    assert check(text, investment(agreements=4)) == []


@pytest.mark.parametrize("text", ["1-7月签订协议项目5个。", "截至7月底签订协议项目5个。"])
def test_a_cumulative_period_ending_in_the_reports_month_is_compared(text):
    assert verdicts(text, investment(agreements=4)) == [("签订协议项目", "5个", False)]


def test_a_label_two_scopes_hold_without_a_selector_is_not_compared():
    both = investment(funds_in_place=100) + (
        Known("project.1.funds", r"到位资金|资金到位", MONEY, Decimal(50), "万元", "项目", "/p/"),
    )
    assert check("到位资金80万元。", both) == []


def test_a_narrative_without_figures_of_its_scope_finds_nothing():
    assert check("完成项目的实地测量工作，形成测量成果报告。", investment(**SIGNED)) == []
    assert check("共签订协议项目5个。", ()) == []


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>共签订协议项目5个",
        "共签订协议项目" + "9" * 5000 + "个",
        "共签订协议项目4." + "0" * 60 + "1个",
        "共签订协议项目1e309个，完成投资1e309亿元",
        "完成投资" + "9" * 400 + "亿元",
        "签订协议项目" * 20000,
        "共签订协议项目5个，" * 5000,
        "\x00\ufeff共签订协议项目４个\u200b",
    ],
)
def test_hostile_narratives_are_read_without_error(text):
    findings = check(text, investment(**SIGNED) + project(12000))
    for finding in findings:
        assert warning_line(finding)


def test_one_narrative_yields_a_bounded_number_of_findings():
    assert len(check("共签订协议项目5个，" * 5000, investment(agreements=4))) == 30


def test_huge_figures_disagree():
    (finding,) = check("共签订协议项目" + "9" * 5000 + "个", investment(agreements=4))
    assert not finding.agrees


LABELS = st.sampled_from(
    ["共签订协议项目", "完成投资", "外出招商", "合同资金", "实际落地项目", "，", "。"]
)
NUMBERS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers().map(str),
    st.text("0123456789.０１２３４５６７８９e-", max_size=30),
)
UNITS = st.sampled_from(["个", "次", "万元", "亿元", "元", "项", "", "％"])


@settings(deadline=None, max_examples=150)
@given(st.lists(st.tuples(LABELS, NUMBERS, UNITS, st.text(max_size=5)), max_size=8))
def test_any_text_of_labels_and_numbers_is_checked_without_error(parts):
    text = "".join(label + number + unit + noise for label, number, unit, noise in parts)
    for finding in check(text, investment(**SIGNED) + project(12000)):
        assert isinstance(finding.agrees, bool) and warning_line(finding)


SCALES = st.sampled_from([("", Decimal(10000)), ("万", Decimal(1)), ("亿", Decimal("0.0001"))])


@settings(deadline=None, max_examples=200)
@given(
    recorded=st.decimals(min_value=0, max_value=10**7, places=2),
    scale=SCALES,
    decimals=st.integers(min_value=0, max_value=3),
)
def test_the_records_figure_rounded_half_up_agrees_and_one_unit_off_does_not(
    recorded, scale, decimals
):
    magnitude, factor = scale
    stated = round_to(recorded * factor, decimals)
    text = f"{plain_places(stated, decimals)}{magnitude}元"
    (finding,) = check(f"完成投资{text}。", project(recorded))
    assert finding.agrees, (text, recorded)
    other = plain_places(stated + Decimal(1).scaleb(-decimals), decimals)
    (finding,) = check(f"完成投资{other}{magnitude}元。", project(recorded))
    assert not finding.agrees, (other, recorded)


def plain_places(value: Decimal, decimals: int) -> str:
    """A figure as typed with exactly `decimals` places (12000, 1.20)."""
    return f"{value:.{decimals}f}"
