"""False alarms the checker raised on the real-report corpus (issue 16), each a shortened corpus
sentence with the verdict it must give: the base of a share is the total stated earlier, a bare
number after 下降 may be a percentage, 亿 without a unit is still 亿, 已开工 is no part of a
partition with 已完成, and a rate's numerator is the figure its own verb names."""

from shigan.reports.checker import Status, check_text


def claim_at(text: str, stated: str):
    """The claim whose stated figure is the first occurrence of `stated` after a comma or 占."""
    result = check_text(text)
    matches = [c for c in result.claims if c.stated == stated]
    assert matches, [(c.stated, c.reason) for c in result.claims]
    return matches[0]


def test_shares_of_a_list_take_the_total_stated_earlier_in_another_paragraph():
    # 21 12345 周报: the total is in 一、受理概况, the categories in 二、诉求分类.
    text = (
        "一、受理概况\n12345政务服务热线共受理市民诉求71184件,日均10169件。"
        "本周所受理的市民诉求中,直办37527件,占52.7%,转办33657件,占47.3%。\n"
        "二、诉求分类\n咨询类共33523件,占47.09%;求助类共21570件,占30.30%;"
        "建议类共10497件,占14.75%;投诉举报类共3783件,占5.31%;感谢类共228件,占0.32%;"
        "其他类1583件,占2.22%。"
    )
    result = check_text(text)
    shares = [c for c in result.claims if c.kind == "part_share"]
    assert len(shares) == 8
    assert all(c.status == Status.OK for c in shares), [c.reason for c in shares]
    assert "71184件" in claim_at(text, "30.30%").reason  # not 33523件, the item before
    wrong = check_text(text.replace("占30.30%", "占33.30%"))
    assert [c.stated for c in wrong.inconsistencies] == ["33.30%"]


def test_a_named_base_is_the_stated_total_not_the_previous_item():
    # 30 提案: "占总数的22.7%" is 20 of 88, not 20 of 42.
    text = (
        "共承办人大代表建议和政协委员提案88件,其中已经解决或基本解决的有42件,占总数的47.7%;"
        "正在进一步讨论落实或列入规划逐步解决的有20件,占总数的22.7%;"
    )
    claim = claim_at(text, "22.7%")
    assert claim.status == Status.OK
    assert "20件÷88件" in claim.reason
    assert check_text(text.replace("22.7%", "24.7%")).inconsistencies


def test_status_named_parts_share_the_total_stated_in_the_sentence_before():
    # 39 金寨: the parts of 222个 with 占总任务的…; 72.9% is 162/222 = 72.97% (a real error).
    text = (
        "明确145项目标任务,经主办单位分解报分管领导审定细化为222个具体工作内容。"
        "经督查核实,欠进度的有17个,占总任务的7.7%;超进度的有10个,占总任务的4.5%;"
        "已完成和提前完成24个,占总任务的10.8%;其它类9个,占总任务的4.1%;"
        "达进度的有162个,占总任务的72.9%。"
    )
    result = check_text(text)
    verdicts = {c.stated: c.status for c in result.claims if c.kind == "part_share"}
    assert verdicts == {
        "7.7%": Status.OK,
        "4.5%": Status.OK,
        "10.8%": Status.OK,
        "4.1%": Status.OK,
        "72.9%": Status.FALSE,
    }
    assert "162个÷222个" in claim_at(text, "72.9%").reason


def test_an_enumeration_before_a_share_is_summed_and_the_total_is_the_one_stated_with_gong():
    # 25 大英: "A、B、C,占工单总量的77%" of 共办理…2495件, not of 交办…2388件.
    text = (
        "共办理热线工单2495件。交办二级责任单位2388件,县热线办直办107件。"
        "位居前三的工单:交通能源环保类783件、城乡建设类579件、政法类562件,占工单总量的77%。"
    )
    claim = claim_at(text, "77%")
    assert claim.status == Status.OK
    assert "783件+579件+562件=1924件" in claim.reason
    assert "2495件" in claim.reason
    assert claim_at(text.replace("77%", "72%"), "72%").status == Status.FALSE


def test_a_share_borne_out_only_by_the_sum_of_the_parts_is_uncheckable_not_false():
    # 09 唐山: the shares are of the listed categories' sum, not of the 284406 stated.
    text = (
        "共受理群众各类诉求284406件。其中,咨询类诉求124599件,占63.72%;求助类诉求56672件,"
        "占28.98%;投诉类诉求1983件,占1.01%;建议类诉求1182件,占0.6%;举报类890件,占0.46%;"
        "感谢类415件,占0.21%;其它类诉求9791件,占5.01%。"
    )
    result = check_text(text)
    assert result.inconsistencies == []
    claim = claim_at(text, "63.72%")
    assert claim.status == Status.UNCHECKABLE
    assert "284406件" in claim.reason and "195532件" in claim.reason


def test_a_named_base_disagreeing_with_the_stated_total_is_false_and_says_what_would_agree():
    # 29 宁波: 148+364+66+10=588, the text says 591; 25.2% is of 588.
    text = (
        "市政府系统共有80个部门和单位办理提案591件。\n"
        "所提问题已经解决或基本解决的有148件,占总数的25.2%;部分解决的有364件,占总数的61.9%;"
        "尚不能解决的有66件,占总数的11.2%;留作参考的有10件,占总数的1.7%。"
    )
    claim = claim_at(text, "25.2%")
    assert claim.status == Status.FALSE
    assert "148件÷591件" in claim.reason and "588件" in claim.reason
    assert claim_at(text, "11.2%").status == Status.OK


def test_a_bare_number_after_xiajiang_may_be_a_percentage():
    # 27 信访: "较去年同期的10件下降20" is 20%, "较去年同期的225人次下降了5" is 4.89% → 5.
    text = "其中,来信8件,较去年同期的10件下降20;单个访214人次,较去年同期的225人次下降了5;"
    result = check_text(text)
    assert [c.status for c in result.claims] == [Status.OK, Status.OK]
    assert "未写“%”" in result.claims[0].reason
    assert check_text("来信8件,较去年同期的10件下降2。").claims[0].status == Status.OK
    neither = check_text("来信8件,较去年同期的10件下降3。").claims[0]
    assert neither.status == Status.UNCHECKABLE
    assert check_text("收入8万元,较去年同期的10万元下降2万。").inconsistencies == []


def test_yi_without_a_unit_keeps_its_magnitude():
    # 36 攀枝花: 1005136万元 of 80亿 is 125.64%, not 1256420%.
    text = "实际到位资金1005136万元,同比增长125%,完成全年80亿目标任务的125.64%。"
    claim = claim_at(text, "125.64%")
    assert claim.status == Status.OK
    assert "80亿元" in claim.reason
    assert claim_at(text.replace("125.64%", "12.56%"), "12.56%").status == Status.FALSE


def test_started_and_finished_are_not_parts_of_one_total():
    # 04 会昌: 已开工65件 includes the 26 finished; no 65 = 26 + 65 claim.
    text = "65件民生实事已完成26件,完成率40%;已开工事项65件(含政策类),开工率达100%"
    result = check_text(text)
    assert result.inconsistencies == []
    assert not [c for c in result.claims if c.kind == "total"]
    partition = check_text("确定事项56项,已完成48项,正在办理9项。")
    assert [c.stated for c in partition.inconsistencies] == ["56项"]


def test_a_rate_takes_the_numerator_its_own_verb_names():
    # 23 四川: 超期率 0.01% is not 办结 150.25万件 ÷ 180万件.
    text = (
        "全省12345热线共受理企业群众诉求180.00万件,环比上升17.42%,办结150.25 万件,"
        "正在办理中29.75万件,超期率 0.01%。"
    )
    claim = claim_at(text, "0.01%")
    assert claim.status == Status.UNCHECKABLE
    rate = claim_at("共受理诉求180万件,办结150.25万件,办结率83.47%。", "83.47%")
    assert rate.status == Status.OK


def test_each_verdict_names_its_numbers_and_where_the_text_states_them():
    text = (
        "一、受理概况\n12345政务服务热线共受理市民诉求71184件,日均10169件。\n"
        "二、诉求分类\n咨询类共33523件,占47.09%;求助类共21570件,占30.30%;"
        "建议类共10497件,占14.75%;投诉举报类共3783件,占5.31%;感谢类共228件,占0.32%;"
        "其他类1583件,占2.22%。"
    )
    claim = claim_at(text, "30.30%")
    assert [o.text for o in claim.operands] == ["21570件", "71184件"]
    for operand in claim.operands:
        assert text[operand.span[0] : operand.span[1]] == operand.text
    assert claim.operands[1].span[0] < text.index("二、")  # the total stated a paragraph before
    missing = check_text("其中亿元以上项目8个,占66.7%。").claims[0]
    assert missing.status == Status.UNCHECKABLE
    assert missing.reason == "未给出合计数"


def test_the_base_is_the_total_named_like_the_part_and_stated_beside_its_count():
    # 34 亳州: 58个 of 新签约…219个 (not the nearest 222个); 总投资355.1亿元 of the 总投资 stated with
    # 219个 (1115.2亿元), not of the nearer 总投资614.9亿元.
    text = (
        "1—10 月份,全市新签约亿元以上工业项目219 个,总投资1115.2 亿元、同比增长49.8%。"
        "新落地亿元以上工业项目 159个,总投资 614.9 亿元、同比增长 131.1%。"
        "预计全市新建亿元以上省外投资项目222个,实际到位省外资金 867.1 亿元、同比增长13.2%。"
        "其中来自沪苏浙的新签约亿元以上工业项目 58 个、占比26.5%,总投资 355.1 亿元、占比 31.8%;"
        "来自沪苏浙的新落地亿元以上工业项目41 个、占比25.8%,总投资 142.9 亿元、占比23.2%;"
    )
    result = check_text(text)
    shares = {c.stated.strip(): c for c in result.claims if c.kind == "part_share"}
    assert {k: c.status for k, c in shares.items()} == dict.fromkeys(
        ["26.5%", "31.8%", "25.8%", "23.2%"], Status.OK
    )
    assert "1115.2亿元" in shares["31.8%"].reason
    assert "614.9亿元" in shares["23.2%"].reason
    wrong = check_text(text.replace("占比 31.8%", "占比 38.1%")).inconsistencies
    assert [c.stated.strip() for c in wrong] == ["38.1%"]


def test_a_county_part_is_not_the_city_total():
    # 16 宁德: 县级管理在建项目271个,完成投资430.9亿元,占全市总量91.1% — 271个 and 430.9亿元 are the
    # county's part; 市管…42.3亿元 (8.9% of 473.2亿元) and 268个 (89.3% of 300个) are not shares of them.
    text = (
        "1-8月,300个在建市重点项目完成投资473.2亿元,占年度计划77.2%。\n\n"
        "分县域看:县级管理在建项目271个,完成投资430.9亿元,占全市总量91.1%。"
        "市管在建项目29个,完成投资42.3亿元,占全市总量8.9%。"
        "分项目看:古田洋上至汶洋公路工程等268个项目完成投资超序时进度,占在建项目总数89.3%。"
    )
    assert check_text(text).inconsistencies == []


def test_share_of_a_named_total_takes_the_part_named_like_it():
    # 36 攀枝花: "到位资金为412678万元,…(83253万元)的495.69%,占总到位资金的41.06%" is 412678 of 1005136.
    text = (
        "实际到位资金1005136万元,同比增长125%。其中:国内省外履约项目113个,到位资金为412678万元,"
        "完成省政府下达考核目标任务的(83253万元)的495.69%, 占总到位资金的41.06%;"
        "市外省内履约项目79个,到位资金176031万元,完成目标任务的70.41%,占总到位资金的17.51%,"
        "市内县际间履约项目230个,到位资金416427万元,占总到位资金41.43%。"
    )
    shares = {c.stated: c for c in check_text(text).claims if c.kind == "part_share"}
    assert {k: c.status for k, c in shares.items()} == dict.fromkeys(
        ["41.06%", "17.51%", "41.43%"], Status.OK
    )
    assert "412678万元÷1005136万元" in shares["41.06%"].reason
    assert "176031万元÷1005136万元" in shares["17.51%"].reason


def test_a_share_that_agrees_only_with_an_earlier_part_of_its_sentence_is_uncheckable():
    text = "今年计划投资50亿元,共完成投资28亿元,其中省级项目15亿元,占56%。"
    claim = claim_at(text, "56%")
    assert claim.status == Status.UNCHECKABLE
    assert "28亿元÷50亿元" in claim.reason
    assert claim_at("共受理诉求1000件,其中咨询类300件,占35%。", "35%").status == Status.FALSE


def test_a_share_adjusted_to_make_the_set_total_100_is_reported_and_said_so():
    # 39 金寨 (real): 162/222 = 72.97% → 73.0%, printed 72.9% so the five shares total 100.0.
    text = (
        "审定细化为222个具体工作内容。经督查核实,欠进度的有17个,占总任务的7.7%;超进度的有10个,"
        "占总任务的4.5%;已完成和提前完成24个,占总任务的10.8%;其它类9个,占总任务的4.1%;"
        "达进度的有162个,占总任务的72.9%。"
    )
    claim = claim_at(text, "72.9%")
    assert claim.status == Status.FALSE
    assert "人工调整" in claim.reason and "73.0%" in claim.warning
