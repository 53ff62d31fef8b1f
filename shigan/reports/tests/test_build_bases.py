"""The report states the base of every figure it computes, so that `shigan check-report`
recomputes each from the text (issue 16): a share with its target, a change with last year's
figure, a gap to 序时进度 beside the completion and time progress it is the printed difference of,
each key-project rate after its base and part — and a count rate over fewer than
calc.SMALL_BASE projects in words, not as a percentage."""

import datetime
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.core.numbers import round_pct
from shigan.indicators import calc
from shigan.indicators.calc import TimeProgressMode
from shigan.indicators.models import KeyProject, MeasureUnit
from shigan.reports import wording
from shigan.reports.checker import Status, check_text
from shigan.reports.compose import ReportOptions, build_summary
from shigan.reports.compose.indicator_data import IndicatorFigure
from shigan.reports.models import IndicatorPhrasing, PhraseStyle

from .reportdata import AS_OF, add_indicator

D = datetime.date


def text(world, as_of=AS_OF, **kwargs) -> str:
    return unicodedata.normalize(
        "NFKC", build_summary(campaign=world.campaign, as_of=as_of, **kwargs).text
    )


def claims_in(sentence_part: str, report: str):
    """The checker's claims over the paragraph of `report` holding `sentence_part`."""
    # the economy paragraph comes first; the 下一步 draft names the same indicators later
    paragraph = next(p for p in report.split("\n") if sentence_part in p)
    return check_text(paragraph).claims


def rates_clause(report: str) -> str:
    """全区N个重点项目… up to the end of its sentence."""
    return report.split("个重点项目", 1)[1].split("。")[0]


def assert_all_consistent(claims) -> None:
    assert claims
    assert [(c.quote, c.status) for c in claims if c.status != Status.OK] == []


def test_a_share_states_its_target_whatever_the_phrasing(world):
    investment = add_indicator("固定资产投资", world.unit_a, target=74200, values={7: 33000})
    IndicatorPhrasing.objects.create(campaign=world.campaign, indicator=investment)
    report = text(world)
    assert "完成固定资产投资33000万元,占年计划74200万元的44.5%" in report
    assert_all_consistent(claims_in("固定资产投资", report))


def test_the_demo_gap_is_the_printed_share_minus_the_printed_time_progress(world):
    # 33000 ÷ 74200 = 44.474 → 44.5; 7 ÷ 12 = 58.333 → 58.3; 44.5 − 58.3 = −13.8 (the raw
    # difference −13.86 would print 13.9, which a reader cannot get from the page)
    investment = add_indicator("固定资产投资", world.unit_a, target=74200, values={7: 33000})
    IndicatorPhrasing.objects.create(
        campaign=world.campaign, indicator=investment, show_time_gap=True
    )
    report = text(world)
    assert "占年计划74200万元的44.5%,1-7月序时进度58.3%,低于序时进度13.8个百分点" in report
    assert_all_consistent(claims_in("固定资产投资", report))


def test_by_days_the_time_progress_is_stated_without_months(world):
    output = add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    IndicatorPhrasing.objects.create(campaign=world.campaign, indicator=output, show_time_gap=True)
    options = ReportOptions(time_progress_mode=TimeProgressMode.DAYS)
    # 212 ÷ 365 = 58.08 → 58.1; 39.6 − 58.1 = −18.5
    assert ",序时进度58.1%,低于序时进度18.5个百分点" in text(world, options=options)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"show_change": True}, "夏粮实产预计完成7272吨,比去年的7081吨增加191吨。"),
        ({"show_change_pct": True}, "夏粮实产预计完成7272吨,比去年同期的7081吨增长2.7%。"),
        (
            {"show_change": True, "show_change_pct": True},
            "夏粮实产预计完成7272吨,比去年的7081吨增加191吨,同比增长2.7%。",
        ),
    ],
)
def test_a_change_states_last_years_figure(world, flags, expected):
    grain = add_indicator(
        "夏粮产量", world.unit_a, measure=MeasureUnit.TON, values={7: 7272}, same={7: 7081},
        estimates={7},
    )  # fmt: skip
    IndicatorPhrasing.objects.create(
        campaign=world.campaign, indicator=grain, label="夏粮实产", style=PhraseStyle.NAME_FIRST,
        show_share=False, **flags,
    )  # fmt: skip
    report = text(world)
    assert expected in report
    assert_all_consistent(claims_in("夏粮实产", report))


percents = st.decimals(min_value=0, max_value=300, places=4, allow_nan=False)


@settings(deadline=None)
@given(percents, st.integers(min_value=1, max_value=12))
def test_the_reports_gap_is_its_printed_share_minus_its_printed_time_progress(share, month):
    progress = calc.time_progress(month)
    fig = IndicatorFigure(
        indicator=SimpleNamespace(is_cumulative=True),
        phrasing=None,
        actual=SimpleNamespace(value=share, month=month),
        target=SimpleNamespace(annual_target=Decimal(100)),
        same=None,
        time_progress=progress,
    )
    printed_share = Decimal(wording.percent(fig.completion)[:-1])
    printed_progress = Decimal(wording.percent(progress)[:-1])
    assert Decimal(wording.points(fig.gap).removesuffix("个百分点")) == abs(
        printed_share - printed_progress
    )
    assert fig.gap == round_pct(fig.gap)


def project(world, number: int, **fields) -> KeyProject:
    return KeyProject.objects.create(
        year=2023, name=f"重点项目{number}", responsible_unit=world.unit_a, sort_order=number,
        contracted_investment=1000, planned_investment_this_year=800,
        completed_investment_this_year=400, funds_in_place=600, **fields,
    )  # fmt: skip


def projects_due(world, due: int, done: int, *, started: int = 0) -> None:
    """`due` projects due to be completed by July, `done` of them completed; `started` more
    due to start by July, none started."""
    for i in range(due):
        finished = D(2023, 6, 20) if i < done else None
        project(
            world, i, planned_start=D(2023, 2, 1), actual_start=D(2023, 2, 1),
            planned_completion=D(2023, 6, 30), actual_completion=finished,
        )  # fmt: skip
    for i in range(started):
        project(world, due + i, planned_start=D(2023, 3, 1))


def test_key_project_rates_state_their_bases_and_the_checker_verifies_each(world):
    projects_due(world, 5, 4, started=1)
    report = text(world)
    assert (
        "全区6个重点项目本年计划投资4800万元,已履约投资2400万元,履约率50.0%,"
        "合同投资6000万元,到位资金3600万元,资金到位率60.0%,"
        "应开工项目6个,已开工5个,开工率83.3%,"
        "应竣工投产项目5个,已竣工投产4个,竣工投产率80.0%"
    ) in report
    claims = claims_in("全区6个重点项目", report)
    assert_all_consistent(claims)
    assert len([c for c in claims if "率" in c.quote]) == 4


@pytest.mark.parametrize(
    ("due", "done", "words"),
    [
        (1, 1, "应竣工投产的1个项目已竣工投产"),
        (4, 4, "应竣工投产的4个项目均已竣工投产"),
        (4, 2, "应竣工投产项目4个,已竣工投产2个"),
        (3, 0, "应竣工投产的3个项目尚未竣工投产"),
    ],
)
def test_a_rate_over_fewer_than_five_projects_is_stated_in_words(world, due, done, words):
    assert calc.SMALL_BASE == 5
    projects_due(world, due, done, started=6 - due)
    clause = rates_clause(text(world))
    assert words in clause and "竣工投产率" not in clause


def test_at_five_projects_the_rate_is_a_percentage_again(world):
    projects_due(world, 5, 5, started=1)
    assert "应竣工投产项目5个,已竣工投产5个,竣工投产率100.0%" in text(world)


def test_the_small_base_rule_leaves_amount_rates_alone(world):
    project(world, 1, planned_start=D(2023, 2, 1), actual_start=D(2023, 2, 1))
    clause = rates_clause(text(world))
    assert "履约率50.0%" in clause and "资金到位率60.0%" in clause
    assert "应开工的1个项目已开工" in clause and "开工率" not in clause


@pytest.fixture
def demo(db):
    from shigan.demo.district import load_demo

    return load_demo(today=AS_OF)


def test_the_demo_reports_economy_paragraph_passes_the_checker_with_every_claim_consistent(demo):
    report = build_summary(campaign=demo.campaign, as_of=AS_OF).text
    [paragraph] = [p for p in report.split("\n") if "重点项目" in p and "固定资产投资" in p]
    rates = paragraph.split("全区6个重点项目")[1].split("零傲")[0]
    assert "应竣工投产的1个项目已竣工投产" in rates and "竣工投产率" not in rates
    claims = check_text(paragraph).claims
    assert_all_consistent(claims)
    quoted = "".join(c.quote for c in claims)
    for figure in ("履约率54.0％", "资金到位率53.3％", "开工率83.3％", "74200万元的44.5％"):
        assert figure in quoted
    for figure in ("7081吨增加191吨", "225吨增加100吨", "55500万元的39.6％", "8800万元的28.4％"):
        assert figure in quoted
