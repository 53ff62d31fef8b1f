"""The demo's report as of 2023-07-31 states every figure the seed states, in the seed's wording,
each figure traceable to records that exist; and it passes the checker."""

import datetime
import unicodedata

import pytest
from django.apps import apps
from django.urls import resolve

from shigan.reports.compose import ReportOptions, build_summary

AS_OF = datetime.date(2023, 7, 31)
SEED_FIGURES = [
    "13篇", "3.2万亩", "527亩", "400多亩", "2000亩", "33000万元", "44.5％", "22000万元",
    "55500万元", "39.6％", "2500万元", "8800万元", "28.4％", "7272吨", "191吨", "325吨", "100吨",
    "13631头", "139头", "581头", "133018只", "4次", "4个", "3个",
]  # fmt: skip
SEED_INDICATOR_SENTENCE = (
    "年初以来预计完成固定资产投资33000万元，占年计划74200万元的44.5％；完成工业总产值22000万元，"
    "占年计划55500万元的39.6％；完成社会消费品零售总额2500万元，占目标任务8800万元的28.4％；夏粮"
    "实产预计完成7272吨，比去年的7081吨增加191吨；夏油实产325吨，比去年的225吨增加100吨；生猪出栏、"
    "牛出栏、羊出栏、家禽出笼分别达到13631头、139头、581头、133018只，分别比同期不同程度增长。"
)
SEED_SENTENCES = [
    "在中央、省、市、县等各级媒体发表“实干年”主题报道13篇",
    "实现3.2万亩土地全覆盖",
    "目前已栽植527亩、已整地待栽400多亩，计划完成2000亩种植面积",
    "零傲、佳仑、宏羽、楚汉源等重点企业稳健经营",
    "2月8日，区党委召开“实干年”活动动员会议",
    "年初以来共外出招商4次，共签订协议项目4个",
    "实际落地项目3个",
    "一是全面完善路网体系。",
    "8月底前完成项目的整体方案，9月进入项目申报工作。",
    "（一）强化理论学习，提升政治站位。",
]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture
def demo(db):
    from shigan.demo.district import load_demo

    return load_demo(today=AS_OF)


def test_demo_report_states_every_figure_the_seed_states(demo):
    document = build_summary(campaign=demo.campaign, as_of=AS_OF)
    text = nfkc(document.text)
    missing = [f for f in SEED_FIGURES if nfkc(f) not in text]
    assert not missing, f"not stated: {missing}"
    assert nfkc(SEED_INDICATOR_SENTENCE) in text
    for sentence in SEED_SENTENCES:
        assert nfkc(sentence) in text, sentence
    assert document.title == "关于示范区作风建设“实干年”活动总结及下一步工作计划"
    headings = [b.text for b in document.blocks if b.kind == "heading1"]
    assert headings == [
        "一、“实干年”活动开展情况",
        "二、“实干年”清单完成情况",
        "三、下一步工作计划",
    ]


def test_every_figure_of_the_demo_report_is_a_figure_with_existing_records(demo):
    document = build_summary(campaign=demo.campaign, as_of=AS_OF)
    stated = {nfkc(f.text) for f in document.figures}
    assert {nfkc(f) for f in SEED_FIGURES} <= stated  # figures, not typed words
    for figure in document.figures:
        assert figure.sources, figure
        for source in figure.sources:
            label, pk = source.record.split(":")
            assert apps.get_model(label).objects.filter(pk=pk).exists(), source
            assert source.url, source
            resolve(source.url.split("?")[0])


def test_demo_report_passes_the_checker(demo):
    from shigan.reports.checker import check_text

    result = check_text(build_summary(campaign=demo.campaign, as_of=AS_OF).text)
    assert not result.inconsistencies, [(c.quote, c.reason) for c in result.inconsistencies]
    assert len(result.claims) >= 6


def test_half_width_percent_option_writes_every_percentage_with_it(demo):
    options = ReportOptions(percent_sign="%")
    text = build_summary(campaign=demo.campaign, as_of=AS_OF, options=options).text
    assert "44.5%" in text and "39.6%" in text and "％" not in text
