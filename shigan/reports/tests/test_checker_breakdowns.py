"""Totals and their breakdowns (checker/breakdowns.py): corpus sentences, shortened, with the
verdict each must give, and generated breakdowns of each kind."""

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shigan.reports.checker import Status, check_text

counts = st.integers(min_value=1, max_value=5000)


def totals(text: str) -> dict[str, Status]:
    return {c.stated: c.status for c in check_text(text).claims if c.kind == "total"}


def test_completion_table_in_prose():
    # 03 镇坪: 确定事项405项,完成385项,正在办理20项.
    text = "2020年共召开县政府常务会议9次,确定事项405项,完成385项,正在办理20项,完成率95.1%。"
    assert totals(text) == {"405项": Status.OK}
    assert totals(text.replace("405项", "406项")) == {"406项": Status.FALSE}
    reason = check_text(text.replace("405项", "406项")).inconsistencies[0].reason
    assert "385项+20项=405项" in reason


def test_started_and_not_started_add_up_and_a_later_clause_is_no_third_part():
    # 02 紫阳: "国债项目5个,开工2个,未开工3个,县农业农村局负责国债项目1个未开工".
    text = "县自然资源局负责国债项目6个,开工2个,未开工3个,县农业农村局负责国债项目1个未开工;"
    assert totals(text) == {"6个": Status.FALSE}
    # 02 紫阳: 18家 = 8 + 11 is false (19).
    assert totals("截至目前,18家茶宿项目,达到验收标准8家,正在建设11家。") == {"18家": Status.FALSE}


def test_a_third_status_part_leaves_a_two_part_table_unjudged():
    text = "确定事项56项,完成48项,正在办理6项,暂缓2项。"
    assert check_text(text).inconsistencies == []


def test_parts_spread_over_clauses_that_add_up_are_verified():
    # 31 招商: 109个 = 35 + 18 + 56, each part in its own clause with its money.
    text = (
        "签订正式合同109个,协议引资7.78亿元。其中工业项目35个,到位资金6.14亿元;"
        "基础设施建设项目18个,到位资金8910万元;其它项目56个,到位资金1.31亿元。"
    )
    assert totals(text)["109个"] == Status.OK


def test_a_change_holds_no_parts():
    text = "产量2吨，比去年同期的1吨增加1吨。"
    assert totals(text) == {}


def test_partial_list_exceeding_its_total_is_false():
    # 40 乡镇: 1830+3850+745+280+50 = 6755亩, stated 6675亩.
    text = "全年完成其他农作物种植6675亩(其中:油菜1830亩、蔬菜3850亩、花卉745亩、小米辣280亩、草莓50亩)。"
    claim = check_text(text).inconsistencies[0]
    assert claim.stated == "6675亩"
    assert "6755亩" in claim.reason and "超过" in claim.reason
    # a partial list may fall short
    assert check_text(text.replace("6675亩", "7000亩")).inconsistencies == []


def test_complete_breakdown_must_add_up():
    text = "共梳理任务100项,分为三类:甲类20项、乙类35项、丙类45项。"
    assert totals(text) == {"100项": Status.OK}
    assert totals(text.replace("丙类45项", "丙类44项")) == {"100项": Status.FALSE}
    # 45 沁水: "建设项目27项(省级6项、市级5项、县级16项)"
    assert totals("其中:建设项目27项(省级6项、市级5项、县级16项)。") == {"27项": Status.OK}
    assert totals("其中:建设项目28项(省级6项、市级5项、县级16项)。") == {"28项": Status.FALSE}


def test_a_number_restated_later_must_equal_the_first_statement():
    # 02 紫阳: "正在办理27件" then "28件正在办理的事项中".
    text = "确定事项43件,已完成16件,占37%;正在办理27件,占63%。\n在督查中发现,28件正在办理的事项中,推进事项25件,需要加快事项3件。"
    claim = next(c for c in check_text(text).claims if c.stated == "28件")
    assert claim.status == Status.FALSE
    assert "正在办理27件" in claim.reason
    # 01 紫阳: "确定的22件事项中,16件正在办理" after "正在办理16件".
    text = "确定事项22件,已办结6件,占比27%;正在办理16件,占比73%。\n确定的22件事项中,16件正在办理。"
    claims = [c for c in check_text(text).claims if c.stated == "16件"]
    assert [c.status for c in claims] == [Status.OK]


def test_mixed_magnitudes_add_up():
    text = "共完成造林2.05万亩,其中:人工造林1.2万亩、封山育林8500亩。"
    assert totals(text) == {"2.05万亩": Status.OK}


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(parts=st.lists(counts, min_size=2, max_size=5), delta=st.integers(1, 50))
def test_generated_complete_breakdowns(parts, delta):
    names = "甲乙丙丁戊"
    listed = "、".join(f"{names[i]}类{n}项" for i, n in enumerate(parts))
    total = sum(parts)
    assert totals(f"共梳理任务{total}项,分为{len(parts)}类:{listed}。") == {f"{total}项": Status.OK}
    assert totals(f"共梳理任务{total + delta}项,分为{len(parts)}类:{listed}。") == {
        f"{total + delta}项": Status.FALSE
    }


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    parts=st.lists(counts, min_size=2, max_size=5),
    spare=st.integers(0, 100),
    over=st.integers(1, 50),
)
def test_generated_partial_lists_may_fall_short_but_never_exceed(parts, spare, over):
    listed = "、".join(
        f"{'咨询求助投诉建议其他'[2 * i : 2 * i + 2]}类{n}件" for i, n in enumerate(parts)
    )
    total = sum(parts)
    short = check_text(f"共受理诉求{total + spare}件(其中:{listed})。")
    assert short.inconsistencies == []
    assume(total - over > max(parts))
    excess = check_text(f"共受理诉求{total - over}件(其中:{listed})。")
    assert [c.stated for c in excess.inconsistencies] == [f"{total - over}件"]


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(done=counts, still=counts, delta=st.integers(1, 50), sign=st.sampled_from([1, -1]))
def test_generated_completion_tables(done, still, delta, sign):
    total = done + still
    assert totals(f"确定事项{total}项,完成{done}项,正在办理{still}项。") == {
        f"{total}项": Status.OK
    }
    wrong = total + sign * delta
    assume(wrong > max(done, still))
    assert totals(f"确定事项{wrong}项,完成{done}项,正在办理{still}项。") == {
        f"{wrong}项": Status.FALSE
    }


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(a=st.integers(1, 99), b=st.integers(1, 9999))
def test_generated_mixed_magnitude_sums(a, b):
    total = Decimal(a) + Decimal(b) / 10000
    text = f"共完成造林{total}万亩,其中:人工造林{a}万亩、封山育林{b}亩。"
    assert totals(text) == {f"{total}万亩": Status.OK}


def test_a_status_restated_before_its_number_must_equal_the_first_statement():
    text = "正在办理14件。正在办理的15件事项中,9件按计划推进,6件滞后。"
    claim = next(c for c in check_text(text).claims if c.stated == "15件")
    assert claim.status == Status.FALSE
    assert "正在办理14件" in claim.reason
    same = check_text(text.replace("15件", "14件").replace("6件", "5件"))
    # the restated 14件, and its parts 9件 + 5件 = 14件
    assert [c.status for c in same.claims if c.stated_span[0] > 5] == [Status.OK, Status.OK]


def test_an_enumeration_before_its_heji_is_complete():
    # the example: 1.2万亩 + 8500亩 = 2.05万亩
    assert totals("全县完成造林1.2万亩、森林抚育8500亩,合计2.05万亩。") == {"2.05万亩": Status.OK}
    assert totals("全县完成造林1.2万亩、森林抚育8500亩,合计2.15万亩。") == {
        "2.15万亩": Status.FALSE
    }


@settings(deadline=None)  # timing varies on a shared machine; the rule does not
@given(
    a=st.integers(1, 9999), b=st.integers(1, 9999), c=st.integers(1, 9999), off=st.integers(1, 99)
)
def test_generated_lists_with_a_trailing_total(a, b, c, off):
    total = a + b + c
    text = f"分别完成道路{a}米、桥梁{b}米、隧道{c}米,合计{total}米。"
    assert totals(text) == {f"{total}米": Status.OK}
    assert totals(text.replace(f"合计{total}米", f"合计{total + off}米")) == {
        f"{total + off}米": Status.FALSE
    }


def test_parts_set_out_line_by_line_after_qizhong():
    # 45 沁水: 完成投资77.57亿元 … 其中:\n省级…28.78亿元\n市级…26.4亿元\n县级…22.39亿元.
    text = (
        "1-12月份,完成投资77.57亿元,投资完成率122.6%。其中:\n"
        "省级6项,概算投资140.16亿元,当年计划投资19亿元。1-12月份完成投资28.78亿元。\n"
        "市级5项,概算投资221.76亿元,当年计划投资22.67亿元。1-12月份完成投资26.4亿元。\n"
        "县级16项,概算投资108.72亿元,当年计划投资21.6亿元。1-12月份完成投资22.39亿元。"
    )
    assert totals(text) == {"77.57亿元": Status.OK}


def test_a_restatement_after_two_statements_of_the_status_is_not_judged_against_the_wrong_one():
    text = (
        "第一次会议确定事项20件,已完成15件,正在办理5件。第二次会议确定事项30件,已完成22件,正在办理8件。"
        "\n8件正在办理的事项中,6件按计划推进。"
    )
    claim = next(c for c in check_text(text).claims if c.stated == "8件" and c.stated_span[0] > 50)
    assert claim.status == Status.OK
    other = text.replace("\n8件正在办理", "\n7件正在办理")
    claim = next(c for c in check_text(other).claims if c.stated == "7件")
    assert claim.status == Status.UNCHECKABLE
