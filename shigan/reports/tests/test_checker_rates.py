"""Rates (完成率, 开工率, 结案率…) whose base is stated earlier: corpus sentences, shortened, with
the verdict each must give, and generated rates."""

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shigan.reports.checker import Status, check_text
from shigan.reports.checker.numbers import round_to


def rate(text: str, stated: str):
    return next(c for c in check_text(text).claims if c.kind == "rate" and c.stated == stated)


def test_completion_rate_of_a_completion_table():
    # 03 镇坪: 次 (meetings) is not the base of 完成率.
    text = "2020年共召开县政府常务会议9次,确定事项405项,完成385项,正在办理20项,完成率95.1%。"
    claim = rate(text, "95.1%")
    assert claim.status == Status.OK
    assert "385项÷405项" in claim.reason
    assert rate(text.replace("95.1%", "95.7%"), "95.7%").status == Status.FALSE


def test_rate_base_is_the_subject_of_the_sentence():
    # 04 会昌: 65件民生实事已完成26件,完成率40%.
    assert rate("截至10月31日,65件民生实事已完成26件,完成率40%;", "40%").status == Status.OK
    assert rate("截至10月31日,65件民生实事已完成26件,完成率45%;", "45%").status == Status.FALSE


def test_rate_with_the_plan_stated_in_the_sentence_before():
    # 45 沁水: 当年计划投资19亿元。1-12月份完成投资28.78亿元,投资完成率151.47%.
    text = "省级6项,概算投资140.16亿元,当年计划投资19亿元。1-12月份完成投资28.78亿元,投资完成率151.47%。"
    claim = rate(text, "151.47%")
    assert claim.status == Status.OK
    assert "28.78亿元÷19亿元" in claim.reason
    assert rate(text.replace("151.47%", "161.45%"), "161.45%").status == Status.FALSE


def test_started_rate_of_started_plus_not_started():
    # 46 连南: 已开工项目33个,未开工项目17个,开工率为66% (33/50); 未开工 is not the numerator.
    claim = rate("从项目开工情况看,已开工项目33个,未开工项目17个,开工率为66%。", "66%")
    assert claim.status == Status.OK
    assert "33个" in claim.reason


def test_a_qualified_count_is_not_the_numerator_of_the_plain_rate():
    # 24 鸡西: 结案率100% is not 按时结案597件 ÷ 601件; 按时结案率99% has two readings.
    text = "共受理群众诉求2877件,自行处理2276件,派单601件,按时结案597件,超时办理4件,结案率100%,按时结案率99%。"
    assert rate(text, "100%").status == Status.UNCHECKABLE
    on_time = rate(text, "99%")
    assert on_time.status == Status.UNCHECKABLE
    assert "601件" in on_time.reason
    assert check_text(text).inconsistencies == []


def test_a_rate_off_by_rounding_at_the_inputs_is_false():
    # 46 连南 (real): 4.28/17.68 = 24.21%, stated 24.25%.
    claim = rate("年度投资计划17.68亿元,1-5月完成投资4.28亿元,完成率24.25%。", "24.25%")
    assert claim.status == Status.FALSE


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    planned=st.integers(2, 500),
    share=st.integers(1, 100),
    earlier=st.booleans(),
)
def test_generated_started_rates(planned, share, earlier):
    started = max(1, planned * share // 100)
    assume(started <= planned)
    pct = round_to(Decimal(started) / planned * 100, 0)
    if earlier:
        text = f"计划新开工项目{planned}个。截至目前,已开工{started}个,开工率{pct}%。"
    else:
        text = f"计划新开工项目{planned}个,已开工{started}个,开工率{pct}%。"
    assert rate(text, f"{pct}%").status == Status.OK
    wrong = pct + 3
    assert (
        rate(text.replace(f"开工率{pct}%", f"开工率{wrong}%"), f"{wrong}%").status == Status.FALSE
    )


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(done=st.integers(1, 900), still=st.integers(0, 100), off=st.sampled_from([-2, 2]))
def test_generated_completion_rates_never_false_when_consistent(done, still, off):
    total = done + still
    pct = round_to(Decimal(done) / total * 100, 1)
    text = f"确定事项{total}项,完成{done}项,正在办理{still}项,完成率{pct}%。"
    assert rate(text, f"{pct}%").status == Status.OK
    wrong = pct + off
    assume(wrong >= 0)
    assert rate(text.replace(f"{pct}%", f"{wrong}%"), f"{wrong}%").status == Status.FALSE


def test_a_rate_of_the_whole_is_not_judged_on_the_part_stated_just_before_it():
    text = "今年计划完成投资50亿元,1-6月完成投资28亿元,其中省级项目完成15亿元,完成率56%。"
    claim = rate(text, "56%")
    assert claim.status == Status.UNCHECKABLE
    assert "28亿元÷50亿元" in claim.reason
