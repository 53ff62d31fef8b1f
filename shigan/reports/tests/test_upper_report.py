"""A county's report states its districts' figures (issue 17): the tasks it handed down and their
roll-ups, the districts behind with their task and unit, each district's tasks by status and
indicators behind 序时进度 — every figure backed by the district records it counts, linked in
the HTML preview, named in the appendix, checked by the report's own checker, in a number of
queries that does not grow with the districts. A district's report is what it was."""

import datetime
import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.dashboards.levels import level_figures, level_tree
from shigan.directives.tests.factories import add_district, build_county, hand_down
from shigan.indicators.models import Actual, Aggregation, Indicator, MeasureUnit
from shigan.orgs.models import Unit
from shigan.reports import compose
from shigan.reports.checker import check_text
from shigan.reports.checker.results import Status
from shigan.reports.compose import build_summary
from shigan.reports.compose.levels_data import LevelFacts
from shigan.reports.document import BlockKind
from shigan.reports.models import NarrativeSlot
from shigan.reports.render.docx import render_docx
from shigan.reports.render.html import render_fragment
from shigan.reports.render.text import render_text
from shigan.reports.services import NarrativeEntry, narrative_save
from shigan.tasks.models import TaskState
from shigan.testing import make_task

from .reportdata import add_indicator

D = datetime.date
AS_OF = D(2023, 7, 31)


def county_world(districts: int = 3):
    """示范县 with 第1区…第3区. 优化营商环境专项行动 handed down to all three: 第1区's child is
    逾期 (due 6月30日), 第2区's 已办结, 第3区 has not accepted it since 7月20日 (11 days: 滞后).
    县城道路提升 handed to 第1区 and 第2区, both 正常. Each district has an indicator
    固定资产投资 (target 1000万元), 第2区's behind 序时进度 (300 of 1000 in July: 30.0％ vs 58.3％)."""
    county = build_county(districts)
    first, second, *rest = county.districts
    upper = county.upper_task
    roads = make_task(
        campaign=county.campaign, category=county.category, unit=county.office,
        title="县城道路提升", due=D(2023, 11, 30), number=2,
    )  # fmt: skip
    late = hand_down(county, first, upper, on=D(2023, 3, 1), due=D(2023, 6, 30))
    done = hand_down(county, second, upper, on=D(2023, 3, 1), due=D(2023, 6, 30))
    done.state, done.closed_on = TaskState.COMPLETED, D(2023, 6, 20)
    done.save(update_fields=["state", "closed_on"])
    for district in rest:
        hand_down(county, district, upper, on=D(2023, 7, 20))
    hand_down(county, first, roads, on=D(2023, 3, 1), title="第1区道路提升")
    hand_down(county, second, roads, on=D(2023, 3, 1), title="第2区道路提升")
    uppers = county_indicators(county)
    for district, figures in zip(county.districts, DISTRICT_FIGURES, strict=False):
        district_indicators(district, uppers, *figures)
    return county, late


# Per district: 固定资产投资 in July (target 1000), 工业总产值 (None: not filed), 计划开工项目数,
# 开工项目数.
DISTRICT_FIGURES = [(600, 400, 4, 3), (300, 500, 3, 2), (700, None, 3, 2), (650, 450, 2, 1)]


def county_indicators(county) -> dict[str, Indicator]:
    """The county's 固定资产投资 (target 3000万元), 工业总产值, the two project counts and 开工率
    recomputed from them."""
    made = {
        name: add_indicator(name, county.office, measure=measure, target=target, sort_order=i)
        for i, (name, measure, target) in enumerate(
            [
                ("固定资产投资", MeasureUnit.WAN_YUAN, 3000),
                ("工业总产值", MeasureUnit.WAN_YUAN, None),
                ("计划开工项目数", MeasureUnit.GE, None),
                ("开工项目数", MeasureUnit.GE, None),
            ]
        )
    }
    made["开工率"] = Indicator.objects.create(
        name="开工率", measure_unit=MeasureUnit.PERCENT, responsible_unit=county.office,
        aggregation=Aggregation.RATE, rate_numerator=made["开工项目数"],
        rate_denominator=made["计划开工项目数"], sort_order=9,
    )  # fmt: skip
    return made


def district_indicators(district, uppers: dict, investment, output, planned, started) -> None:
    values = {"固定资产投资": investment, "工业总产值": output, "计划开工项目数": planned}
    values["开工项目数"] = started
    for name, july in values.items():
        measure = MeasureUnit.GE if "项目数" in name else MeasureUnit.WAN_YUAN
        target = 1000 if name == "固定资产投资" else None
        figures = {} if july is None else {6: july - 1, 7: july}
        own = add_indicator(name, district.bureau, measure=measure, target=target, values=figures)
        own.upper = uppers[name]
        own.save(update_fields=["upper"])


@pytest.fixture
def county(db):
    return county_world()


def paragraph(document, head: str) -> str:
    return next(b.text for b in document.blocks if b.head.endswith(head))


HANDDOWN = (
    "三是交办下级任务落实情况。交办下级任务5项，其中已办结1项、逾期1项。分任务看，“优化营商环境专项行动”"
    "下级应办3项，已办结1项，汇总为逾期，其中第1区交通局“第1区党委政府落实优化营商环境专项行动”逾期、"
    "第3区交办已11天尚未接收；“县城道路提升”下级应办2项，已办结0项，汇总为正常。"
)
INDICATORS = (
    "四是各区主要指标汇总。截至7月，固定资产投资各区合计1600万元，占年计划3000万元的53.3％，"
    "其中第1区600万元、第2区300万元、第3区700万元。工业总产值2个区已报，合计900万元，其中第1区"
    "400万元、第2区500万元；第3区未报。计划开工项目数各区合计10个，其中第1区4个、第2区3个、"
    "第3区3个。开工项目数各区合计7个，其中第1区3个、第2区2个、第3区2个。各区计划开工项目数合计"
    "10个，开工项目数合计7个，开工率70.0％。"
)
DISTRICTS = (
    "五是各区落实情况。第1区跟踪任务2项，其中逾期1项、正常1项；指标4项，落后于序时进度0项。"
    "第2区跟踪任务2项，其中正常1项、已完成1项；指标4项，落后于序时进度1项（固定资产投资）。"
    "第3区暂无跟踪任务；指标4项，落后于序时进度0项。"
)


def test_the_county_report_states_its_hand_downs_and_districts(county):
    world, _ = county
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    assert paragraph(document, "交办下级任务落实情况。") == HANDDOWN
    assert paragraph(document, "各区主要指标汇总。") == INDICATORS
    assert paragraph(document, "各区落实情况。") == DISTRICTS
    # the county's own economy paragraph does not state its districts' figures as its own
    assert "完成固定资产投资600万元" not in document.text


def test_sections_with_nothing_under_them_are_left_out_and_the_rest_renumbered(county):
    """The county has no activities or plan of its own: its report prints neither heading (no
    一、 and 三、 with nothing under them); its task list is 一、. A lead-in someone wrote for
    an empty section keeps it: it is then what the section says."""
    world, _ = county
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    headings = [b.runs for b in document.blocks if b.kind == BlockKind.HEADING1]
    assert headings == [["一、全县实干年清单完成情况"]]
    entry = NarrativeEntry(NarrativeSlot.PLAN, "下一步工作计划", "继续督促各区落实交办任务。")
    narrative_save(campaign=world.campaign, period=AS_OF, entries=[entry], by=world.coordinator)
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    headings = [b.runs for b in document.blocks if b.kind == BlockKind.HEADING1]
    assert headings == [["一、全县实干年清单完成情况"], ["二、下一步工作计划"]]
    assert "继续督促各区落实交办任务。" in document.text


def test_each_district_figure_names_the_district_records_it_counts(county):
    world, late = county
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    figures = {f.key: f for f in document.figures}
    owed = figures["levels.handdown.owed"]
    kinds = sorted(s.record.split(":")[0] for s in owed.sources)
    assert kinds == ["directives.handdown"] + ["tasks.task"] * 4
    assert owed.sources[0].label == ("第1区交通局任务“第1区党委政府落实优化营商环境专项行动”")
    assert owed.sources[0].value == "逾期"
    assert owed.sources[0].url == f"/tasks/{late.pk}/"
    overdue = figures["levels.handdown.overdue"]
    assert [s.record for s in overdue.sources] == [f"tasks.task:{late.pk}"]
    rolled = figures[f"levels.rollup.{world.upper_task.pk}"]
    assert rolled.sources[0].value == "1/3"
    assert rolled.sources[0].url == f"/directives/task/{world.upper_task.pk}/"
    behind = figures[f"levels.{world.districts[1].unit.pk}.indicators.behind"]
    assert behind.sources[0].label == "第2区指标“固定资产投资”7月完成情况"
    assert behind.sources[0].url.startswith("/indicators/")
    investment = Indicator.objects.get(district=world.unit, name="固定资产投资")
    total = figures[f"levels.rolled.{investment.pk}"]
    assert [(s.label, s.value) for s in total.sources] == [
        ("第1区指标“固定资产投资”7月", "600万元"),
        ("第2区指标“固定资产投资”7月", "300万元"),
        ("第3区指标“固定资产投资”7月", "700万元"),
    ]
    actuals = Actual.objects.filter(indicator__upper=investment, month=7)
    assert {s.record for s in total.sources} == {f"indicators.actual:{a.pk}" for a in actuals}
    lowers = investment.lower.order_by("district__sort_order")
    assert [s.url for s in total.sources] == [f"/indicators/{i.pk}/" for i in lowers]
    # the appendix of the text and docx names the parts; the docx prints no link
    text = render_text(document, appendix=True)
    assert (
        f"5项 —— 第1区交通局任务“第1区党委政府落实优化营商环境专项行动”：逾期（tasks.task:{late.pk}）"
        in text
    )


def test_the_html_preview_links_each_district_figure_to_its_record(county):
    world, late = county
    html = render_fragment(build_summary(campaign=world.campaign, as_of=AS_OF), appendix=True)
    assert (
        f'data-key="levels.handdown.overdue" tabindex="0"><a href="/tasks/{late.pk}/">1项</a>'
        in html
    )
    rollup_link = f'<a href="/directives/task/{world.upper_task.pk}/">逾期</a>'
    assert rollup_link in html


def test_the_county_report_checks_itself_without_doubt(county):
    world, _ = county
    result = check_text(build_summary(campaign=world.campaign, as_of=AS_OF).text)
    assert [(c.quote, c.reason) for c in result.claims if c.status == Status.FALSE] == []
    assert [(c.quote, c.reason) for c in result.claims if c.status == Status.UNCHECKABLE] == []
    verified = {c.quote for c in result.claims if c.status == Status.OK}
    assert any("跟踪任务2项，其中逾期1项、正常1项" in q for q in verified), verified


def test_the_docx_reads_back_the_same_sentences(county):
    world, _ = county
    stream = io.BytesIO()
    render_docx(build_summary(campaign=world.campaign, as_of=AS_OF), stream)
    stream.seek(0)
    word = docx.Document(stream)
    texts = [p.text for p in word.paragraphs]
    assert HANDDOWN in texts
    assert INDICATORS in texts
    assert DISTRICTS in texts
    assert not word.element.body.xpath(".//w:hyperlink")


def count_queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        build_summary(campaign=world.campaign, as_of=AS_OF)
    return len(queries)


def test_the_queries_do_not_grow_with_the_districts(db):
    two, _ = county_world(2)
    uppers = {i.name: i for i in Indicator.objects.filter(district=two.unit)}
    small = count_queries(two)
    for index in (3, 4, 5):
        district = add_district(two, index)
        hand_down(two, district, two.upper_task, on=D(2023, 3, 1), title=f"第{index}区营商环境")
        district_indicators(district, uppers, 500, 500, 2, 2)
    assert len(two.districts) == 5
    assert count_queries(two) == small


def test_a_district_report_states_no_level_below_and_is_what_it_was(db, monkeypatch):
    """The demo district's report, byte for byte, is the one built without the levels below."""
    from shigan.demo.district import load_demo

    demo = load_demo(today=AS_OF)
    with_levels = build_summary(campaign=demo.campaign, as_of=AS_OF)
    assert not [b for b in with_levels.blocks if "交办下级" in b.head or "各区落实" in b.head]
    monkeypatch.setattr(compose, "level_facts", lambda *args: LevelFacts([]))
    without = build_summary(campaign=demo.campaign, as_of=AS_OF)
    assert render_text(with_levels, appendix=True) == render_text(without, appendix=True)
    assert with_levels.text.count("\n") > 15


REPORT = "/reports/?campaign={pk}&as_of=2023-07-31&percent=％"


@pytest.mark.parametrize("who", ["coordinator", "inspector"])
def test_the_county_generates_its_report_with_the_districts_linked(county, client_for, who):
    world, late = county
    page = client_for(getattr(world, who)).get(REPORT.format(pk=world.campaign.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "交办下级任务" in html and "各区落实情况" in html
    assert f'<a href="/tasks/{late.pk}/">1项</a>' in html
    assert f'<a href="/directives/task/{world.upper_task.pk}/">逾期</a>' in html
    investment = Indicator.objects.get(district=world.districts[0].unit, name="固定资产投资")
    assert f'<a href="/indicators/{investment.pk}/">600万元</a>' in html


def test_a_district_coordinators_report_page_states_no_level_below(county, client_for):
    world, _ = county
    district = world.districts[0]
    page = client_for(district.coordinator).get(REPORT.format(pk=district.campaign.pk))
    assert page.status_code == 200
    assert "交办下级" not in page.content.decode()
    # the county's report is not his to read: its campaign is not among his choices
    other = client_for(district.coordinator).get(REPORT.format(pk=world.campaign.pk))
    assert "交办下级" not in other.content.decode()


def test_a_campaign_named_after_its_organiser_is_not_named_twice_in_the_title(county):
    world, _ = county
    Unit.objects.filter(pk=world.unit.pk).update(short_name="示范县")
    Campaign.objects.filter(pk=world.campaign.pk).update(name="示范县作风建设“实干年”活动")
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    assert document.title == "关于示范县作风建设“实干年”活动总结及下一步工作计划"


def test_the_demo_countys_report_states_its_districts_and_checks_itself(db):
    """The demo's county (云岭县, above 示范区 and 高新区): its report states both districts and
    the self-check finds nothing inconsistent or uncheckable."""
    from shigan.demo.district import load_demo

    load_demo(today=AS_OF)
    county = Campaign.objects.get(name__startswith="云岭县")
    document = build_summary(campaign=county, as_of=AS_OF)
    assert document.title == "关于云岭县作风建设“实干年”活动总结及下一步工作计划"
    districts = paragraph(document, "各区落实情况。")
    assert "示范区跟踪任务20项" in districts and "高新区跟踪任务" in districts
    assert "交办下级任务" in paragraph(document, "交办下级任务落实情况。")
    result = check_text(document.text)
    assert [c.quote for c in result.claims if c.status != Status.OK] == []
    assert len(result.claims) >= 5


def test_the_report_counts_what_was_handed_down_and_filed_by_its_day(county, monkeypatch):
    """As of AS_OF: a hand-down made that day counts, one made the day after does not; a
    district figure submitted the day after is not in the county's sum."""
    monkeypatch.setenv("SHIGAN_TODAY", "2023-08-15")
    world, _ = county
    third, day_after = world.districts[2], AS_OF + datetime.timedelta(days=1)
    roads = world.upper_task.campaign.tasks.get(title="县城道路提升")
    hand_down(world, third, roads, on=AS_OF)
    later = make_task(campaign=world.campaign, category=world.category, unit=world.office,
                      title="县城绿化提升", due=D(2023, 11, 30), number=3)  # fmt: skip
    hand_down(world, third, later, on=day_after)
    late_figure = Actual.objects.filter(
        indicator__name="固定资产投资", indicator__responsible_unit=third.bureau, month=7
    )
    late_figure.update(submitted_at=timezone.make_aware(datetime.datetime(2023, 8, 1, 0, 0)))
    text = paragraph(build_summary(campaign=world.campaign, as_of=AS_OF), "交办下级任务落实情况。")
    assert "交办下级任务6项" in text and "“县城道路提升”下级应办3项" in text
    assert "县城绿化提升" not in text
    indicators = paragraph(
        build_summary(campaign=world.campaign, as_of=AS_OF), "各区主要指标汇总。"
    )
    assert "固定资产投资2个区已报，合计900万元" in indicators
    text = paragraph(
        build_summary(campaign=world.campaign, as_of=day_after), "交办下级任务落实情况。"
    )
    assert "县城绿化提升" in text


def test_a_sum_including_a_districts_estimate_says_so(county):
    """As the indicator pages mark 含预计数: the districts whose figure is an estimate are named
    after the sum, complete or not."""
    world, _ = county
    Actual.objects.filter(indicator__responsible_unit=world.districts[0].bureau, month=7).update(
        is_estimate=True
    )
    text = paragraph(build_summary(campaign=world.campaign, as_of=AS_OF), "各区主要指标汇总。")
    assert "固定资产投资各区合计1600万元（含第1区预计数），占年计划3000万元的53.3％" in text
    assert "工业总产值2个区已报，合计900万元（含第1区预计数），其中" in text
    assert "计划开工项目数合计10个（含第1区预计数），开工项目数合计7个（含第1区预计数）" in text
    assert check_text(text).claims and all(c.status == Status.OK for c in check_text(text).claims)


def test_the_demo_countys_report_names_every_task_and_its_estimates(db):
    """云岭县's first task of a category is led by the category and named after it; every task
    of its list is named; its investment sum includes 示范区's 预计数 and says so; the district
    report's task paragraphs, which named their tasks, are as they were."""
    from shigan.demo.district import load_demo

    demo = load_demo(today=AS_OF)
    county = Campaign.objects.get(name__startswith="云岭县")
    document = build_summary(campaign=county, as_of=AS_OF)
    assert "一是县委、县政府交办事项：招商引资攻坚行动。" in document.text
    for task in county.tasks.all():
        assert task.title in document.text, task.title
    indicators = paragraph(document, "各区主要指标汇总。")
    assert "固定资产投资各区合计56400万元（含示范区预计数），" in indicators
    assert "工业总产值各区合计57600万元，" in indicators  # no estimate in it
    district = build_summary(campaign=demo.campaign, as_of=AS_OF).text
    assert "一是全面完善路网体系。兴业大道建设项目" in district
    assert "二是大力实施招商引资。" in district


def test_the_demo_countys_report_counts_each_districts_tasks_as_the_levels_page(db):
    """Each district's tasks by status in 各区落实情况 are the 下级对比 page's (the county
    coordinator's view): one definition, tasks.tracked."""
    from shigan.demo.district import load_demo

    load_demo(today=AS_OF)
    county = Campaign.objects.get(name__startswith="云岭县")
    facts = build_summary(campaign=county, as_of=AS_OF)
    figures = {f.key: f.text for f in facts.figures}
    viewer = get_user_model().objects.get(username="xianzhuanban")
    root = county.organiser.district_id
    page = level_figures(viewer, root, level_tree(root), AS_OF)
    districts = Unit.objects.filter(pk__in=level_tree(root).branches)
    assert {d.short_name or d.name for d in districts} >= {"示范区", "高新区"}
    for district in districts:
        shown = page.by_branch[district.pk]
        assert figures[f"levels.{district.pk}.tasks"] == f"{shown.task_total}项"
        for status, n in shown.tasks.items():
            if n:
                assert figures[f"levels.{district.pk}.{status}"] == f"{n}项", status
    text = paragraph(facts, "各区落实情况。")
    assert "示范区跟踪任务20项，其中逾期3项、滞后1项、临期1项、正常9项、已完成6项" in text
