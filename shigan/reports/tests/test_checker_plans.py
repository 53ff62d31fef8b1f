"""Plan shares whose plan is stated before them, and changes stated with both forms: corpus
sentences, shortened, with the verdict each must give, and generated claims."""

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shigan.reports.checker import Status, check_text
from shigan.reports.checker.numbers import round_to
from shigan.reports.tests.test_checker_kinds import growth_range, reachable


def claim(text: str, stated: str):
    return next(c for c in check_text(text).claims if c.stated == stated)


def test_plan_share_of_the_plan_stated_earlier_in_the_sentence_and_paragraph():
    # 15 福建: 年度计划完成投资5005亿元 … 2751亿元、占年度计划的55% … 704亿元、占年度计划的14.1%.
    text = (
        "今年我省在建省重点项目年度计划完成投资5005亿元,上半年累计完成投资2751亿元、占年度计划的55%,"
        "比上年同期增加346亿元、增长14.4%。其中,6月份完成投资704亿元、占年度计划的14.1%。"
    )
    assert claim(text, "55%").status == Status.OK
    assert claim(text, "14.1%").status == Status.OK
    assert "704亿元÷5005亿元" in claim(text, "14.1%").reason
    assert claim(text.replace("14.1%", "15.1%"), "15.1%").status == Status.FALSE
    # the change with both forms: base = 2751 − 346
    assert claim(text, "14.4%").status == Status.OK
    assert claim(text.replace("14.4%", "15.4%"), "15.4%").status == Status.FALSE


def test_plan_before_the_share_and_the_actual_after_it():
    # 08 焦作: 年度计划完成投资410.1亿元,截止上半年已完成年度计划的50.4%,完成投资206.7亿元.
    text = "年度计划完成投资410.1亿元,截止上半年已完成年度计划的50.4%,完成投资206.7亿元。"
    assert claim(text, "50.4%").status == Status.OK
    assert claim(text.replace("50.4%", "52.4%"), "52.4%").status == Status.FALSE


def test_a_group_of_its_own_does_not_take_the_overall_plan():
    # 08 焦作: 175个工业项目完成投资151.2亿元,占年度计划的70.1% — its own plan is not stated.
    text = (
        "年度计划完成投资410.1亿元,已完成年度计划的50.4%,完成投资206.7亿元。"
        "前6个月,175个工业项目完成投资151.2亿元,占年度计划的70.1%。"
    )
    assert claim(text, "70.1%").status == Status.UNCHECKABLE


def test_change_with_a_year_as_its_period_and_a_parenthesis():
    # 18 粮食: 比2010年增产2473万吨,增长4.5%; 20 夏粮: 增产474.8万吨(94.9亿斤),增长3.6%.
    text = "2011年全国粮食总产量达到57121万吨,比2010年增产2473万吨,增长4.5%。"
    assert claim(text, "4.5%").status == Status.OK
    text = "全国夏粮总产量13659.6万吨(2731.9亿斤),比2013年增产474.8万吨(94.9亿斤),增长3.6%。"
    assert claim(text, "3.6%").status == Status.OK
    assert claim(text.replace("3.6%", "4.6%"), "4.6%").status == Status.FALSE


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    current=st.integers(100, 10**7),
    change=st.integers(1, 10**5),
    comma=st.sampled_from([",", "、"]),
)
def test_generated_changes_with_both_forms(current, change, comma):
    base = current - change
    assume(base > 0)
    growth = round_to(Decimal(change) / base * 100, 1)
    text = f"产量{current}吨,比上年增加{change}吨{comma}增长{growth}%。"
    assert claim(text, f"{growth}%").status == Status.OK
    wrong = growth + Decimal("0.5")
    # wrong: out of what the written (rounded) figures can give too
    assume(not reachable(wrong, *growth_range(Decimal(current), Decimal(change), 1)))
    assert claim(text.replace(f"{growth}%", f"{wrong}%"), f"{wrong}%").status == Status.FALSE


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(plan=st.integers(100, 10**6), share=st.integers(1, 150))
def test_generated_plan_shares_with_the_plan_stated_before(plan, share):
    actual = plan * share // 100
    assume(actual > 0)
    pct = round_to(Decimal(actual) / plan * 100, 1)
    text = f"全年计划投资{plan}万元。1-9月完成投资{actual}万元,占年度计划的{pct}%。"
    assert claim(text, f"{pct}%").status == Status.OK
    wrong = pct + 2
    assert claim(text.replace(f"{pct}%", f"{wrong}%"), f"{wrong}%").status == Status.FALSE


def test_ahead_and_behind_progress_written_with_a_percent_sign():
    # 36 攀枝花 (1-10月, 序时进度 83.33%): 超进度42.31% / 欠进度12.92% are points.
    text = (
        "2006年1-10月全市履约项目422个。实际到位资金1005136万元,同比增长125%,"
        "完成全年80亿目标任务的125.64%,超进度42.31%。其中:国内省外履约项目113个,"
        "到位资金为412678万元,完成市下达目标任务的165.07%,超进度81.74%,"
        "完成省政府下达考核目标任务的(83253万元)的495.69%, 超进度412.36%;"
        "市外省内履约项目79个,到位资金176031万元,完成目标任务的70.41%,欠进度12.92%。"
    )
    gaps = {c.stated: c.status for c in check_text(text).claims if c.kind == "time_progress_gap"}
    assert gaps == dict.fromkeys(
        ["超进度42.31%", "超进度81.74%", "超进度412.36%", "欠进度12.92%"], Status.OK
    )
    wrong = check_text(text.replace("欠进度12.92%", "欠进度21.92%")).inconsistencies
    assert [c.stated for c in wrong] == ["欠进度21.92%"]
    # a status count (超进度的有10个) is no gap
    assert check_text("超进度的有10个,占总任务的4.5%。").inconsistencies == []


def test_a_share_written_without_a_percent_sign():
    # "占年计划的61.5", "完成年度任务的47": the examples.
    claim_ok = claim("年计划投资72.4亿元,完成投资44.5亿元,占年计划的61.5。", "61.5")
    assert claim_ok.status == Status.OK
    assert (
        claim("年计划投资72.4亿元,完成投资44.5亿元,占年计划的65.1。", "65.1").status == Status.FALSE
    )
    assert claim("年度任务300件,已完成141件,完成年度任务的47。", "47").status == Status.OK


def test_jianci_counts_compare_with_jian():
    # 44 人大信访: 499件次 vs 453件次 is 10.15% → 10%; 256件 vs 237件次 is 8.02%, stated 7.4% (real).
    text = (
        "2019年市人大信访办共受理群众来信来访499件次,较去年同期453件次,上升10%;"
        "其中来信 256件,较去年同期237件次,上升7.4%;"
    )
    assert claim(text, "10%").status == Status.OK
    wrong = claim(text, "7.4%")
    assert wrong.status == Status.FALSE
    assert "256件" in wrong.reason and "237件次" in wrong.reason


def test_a_gap_recomputed_from_the_printed_share_holds():
    # 88.3/96 = 91.98% printed 92%; 92 − 83.33 = 8.67 → 8.7 (the reader's way), 91.98 − 83.33 → 8.6.
    text = "年度计划投资96亿元,1-10月完成投资88.3亿元,占年度计划的92%,超序时进度8.7个百分点。"
    gap = next(c for c in check_text(text).claims if c.kind == "time_progress_gap")
    assert gap.status == Status.OK
    assert "按文中所列完成进度92%计算" in gap.reason
    assert check_text(text.replace("8.7个", "8.6个")).inconsistencies == []
    assert check_text(text.replace("8.7个", "9.7个")).inconsistencies


def test_a_share_of_a_figure_named_earlier_in_the_paragraph():
    # 一般公共预算收入 is revenue, not a budget: its share is of the figure stated under that name.
    text = (
        "全年一般公共预算收入完成18.6亿元,增长5.2%;其中税收收入13.2亿元,占一般公共预算收入的71%。"
    )
    share = claim(text, "71%")
    assert share.status == Status.OK
    assert "13.2亿元÷18.6亿元" in share.reason
    assert claim(text.replace("的71%", "的75%"), "75%").status == Status.FALSE


def test_change_against_the_plan_with_both_forms():
    # the "比计划增…，增…%": the plan is current − change.
    assert claim("完成投资52亿元,比计划增2亿元,增4%。", "4%").status == Status.OK
    # 2亿元 and 52亿元 are rounded: 5% (2.5÷49.0) is within their rounding, 6% is not
    assert claim("完成投资52亿元,比计划增加2亿元,增长5%。", "5%").status == Status.OK
    assert claim("完成投资52亿元,比计划增加2亿元,增长6%。", "6%").status == Status.FALSE


def test_a_change_stated_before_the_current_figure():
    # the "减产…同比减少…": last year = current + the decrease.
    assert claim("全年粮食减产1200吨,产量8800吨,同比减少12%。", "12%").status == Status.OK
    assert claim("全年粮食减产1200吨,产量8800吨,同比减少13%。", "13%").status == Status.FALSE
    # directions that disagree: not judged
    assert claim("全年粮食增产1200吨,产量8800吨,同比减少12%。", "12%").status == Status.UNCHECKABLE
