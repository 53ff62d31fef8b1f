"""The report checks its narrative against the records: on the report page before download
(disagreements open, agreements folded), in `shigan report`'s stderr, in a fixed number of
queries; hostile narratives never break the page."""

from decimal import Decimal
from functools import partial

import pytest
from django.core.management import call_command

from shigan.core.testing import assert_same_queries
from shigan.indicators.models import (
    Actual,
    Agreement,
    InvestmentTrip,
    KeyProject,
    MeasureUnit,
    ProjectFigure,
)
from shigan.reports.compose import build_summary
from shigan.reports.models import NarrativeSlot
from shigan.reports.narrative_check import narrative_check
from shigan.reports.services import NarrativeEntry, narrative_save
from shigan.tasks.models import ProgressReport, Task, TaskCategory

from .reportdata import AS_OF, D, add_indicator, filed_in, grow

REPORT = "/reports/?campaign={pk}&as_of=2023-07-31&percent=％"
BAD = "叙述中的数字与记录不一致"


def progress(world, task, text: str, *, month: int = 7) -> ProgressReport:
    report = ProgressReport.objects.create(
        task=task,
        unit=task.lead_unit,
        period=D(2023, month, 1),
        text=text,
        submitted_by=world.reporter_a,
    )
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=filed_in(month))
    return report


def investment_task(world) -> Task:
    """The 招商引资 task, four agreements signed (31500万元), three landed, four trips."""
    category = TaskCategory.objects.create(campaign=world.campaign, name="大力实施招商引资")
    task = Task.objects.create(
        campaign=world.campaign,
        category=category,
        title="招商引资",
        lead_unit=world.unit_a,
        start_date=D(2023, 2, 1),
        due_date=D(2023, 12, 31),
        number=9,
    )
    for i, (amount, landed) in enumerate(
        [(12000, True), (8000, True), (5000, True), (6500, False)]
    ):
        trip = InvestmentTrip.objects.create(
            campaign=world.campaign, date=D(2023, 2 + i, 15), destination=f"城市{i}"
        )
        Agreement.objects.create(
            campaign=world.campaign,
            investor=f"投资方{i}",
            project_name=f"项目{i}",
            contract_amount=amount,
            signed_on=D(2023, 3 + i, 16),
            landed=landed,
            trip=trip,
        )
    return task


@pytest.fixture
def disagreeing(world):
    """A progress report typing 5 agreements where the records hold 4, and a key project's
    completed investment typed 1.3亿元 where the project holds 12000万元."""
    task = investment_task(world)
    progress(world, task, "年初以来共外出招商4次，共签订协议项目5个，实际落地项目3个。")
    KeyProject.objects.create(
        year=2023,
        name="清凉河治理二期工程",
        responsible_unit=world.unit_b,
        task=world.task_b,
        contracted_investment=20000,
        completed_investment_this_year=Decimal(12000),
    )
    progress(world, world.task_b, "清凉河治理二期工程累计完成投资1.3亿元，堤防基础施工过半。")
    return world


def project_note(world, project: KeyProject, note: str, *, completed=12000, month=7):
    figure = ProjectFigure.objects.create(
        project=project,
        month=month,
        completed_investment=Decimal(completed),
        funds_in_place=Decimal(3000),
        note=note,
        unit=project.responsible_unit,
        submitted_by=world.reporter_b,
    )
    ProjectFigure.objects.filter(pk=figure.pk).update(submitted_at=filed_in(month))
    return figure


@pytest.fixture
def noted(disagreeing):
    """Notes filed with the figures: the project's July note typing 1.3亿元 where its July
    figure holds 12000万元; the order-planting actual's note typing what its value holds."""
    project = KeyProject.objects.get(name="清凉河治理二期工程")
    project_note(disagreeing, project, "1-7月累计完成投资1.3亿元，到位资金3000万元。")
    indicator = add_indicator(
        "订单种植面积", disagreeing.unit_a, measure=MeasureUnit.MU, values={7: 32000}
    )
    Actual.objects.filter(indicator=indicator).update(
        note="茅台酒原料（高粱）订单种植3.2万亩，实现土地全覆盖",
        submitted_by=disagreeing.reporter_a,
    )
    return disagreeing


def checked(world):
    document = build_summary(campaign=world.campaign, as_of=AS_OF)
    return narrative_check(document=document, campaign=world.campaign, as_of=AS_OF)


def test_a_progress_report_typing_other_figures_than_the_records_is_found(disagreeing):
    result = checked(disagreeing)
    bad = {(f.label, f.stated, f.recorded, f.converted) for f in result.disagreements}
    assert bad == {
        ("签订协议项目", "5个", "4个", ""),
        ("累计完成投资", "1.3亿元", "12000万元", "1.2亿元"),
    }
    assert {(f.label, f.stated) for f in result.agreements} == {
        ("外出招商", "4次"),
        ("实际落地项目", "3个"),
    }
    (signed,) = [f for f in result.disagreements if f.label == "签订协议项目"]
    assert signed.narrative.title == "任务“招商引资”2023年7月进展"
    assert signed.narrative.author == "王填报（区交通局）"
    assert signed.narrative.url == f"/tasks/{signed.narrative.url.split('/')[2]}/"
    assert signed.known.url.startswith("/indicators/investment/?campaign=")


def test_notes_filed_with_figures_are_compared_with_the_figures_of_their_month(noted):
    result = checked(noted)
    notes = [f for f in result.findings if f.narrative.kind == "填报说明"]
    summary = {(f.narrative.title, f.label, f.stated, f.agrees) for f in notes}
    assert summary == {
        ("重点项目“清凉河治理二期工程”2023年7月填报说明", "累计完成投资", "1.3亿元", False),
        ("重点项目“清凉河治理二期工程”2023年7月填报说明", "到位资金", "3000万元", True),
        ("指标“订单种植面积”2023年7月填报说明", "订单种植", "3.2万亩", True),
    }
    assert {f.narrative.author for f in notes} == {"赵填报（区水务局）", "王填报（区交通局）"}


def test_a_note_of_an_earlier_month_is_compared_with_that_months_figure(disagreeing):
    project = KeyProject.objects.get(name="清凉河治理二期工程")
    project_note(disagreeing, project, "1-6月累计完成投资9000万元。", completed=9000, month=6)
    (finding,) = [f for f in checked(disagreeing).findings if f.narrative.kind == "填报说明"]
    assert finding.agrees and finding.recorded == "9000万元"


def test_figures_of_another_task_are_not_compared_with_the_investment_records(world):
    investment_task(world)
    progress(world, world.task_a, "共签订协议项目9个，到位资金100万元。")
    assert checked(world).findings == []


def test_the_coordinators_own_text_is_checked_against_the_districts_records(world):
    add_indicator("固定资产投资", world.unit_a, target=74200, values={7: 33000})
    narrative_save(
        campaign=world.campaign,
        period=D(2023, 1, 1),
        by=world.coordinator,
        note="",
        entries=[
            NarrativeEntry(
                NarrativeSlot.ECONOMY, "经济", "年初以来完成固定资产投资3.4亿元。【重点项目】"
            )
        ],
    )
    (finding,) = checked(world).findings
    assert (finding.stated, finding.recorded, finding.agrees) == ("3.4亿元", "33000万元", False)
    assert finding.narrative.author == "周专班" and "经济发展" in finding.narrative.title
    assert finding.narrative.url.startswith("/reports/narrative/?campaign=")


def test_the_page_shows_the_disagreements_before_the_download_links(disagreeing, client_for):
    page = client_for(disagreeing.coordinator).get(REPORT.format(pk=disagreeing.campaign.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"{BAD}：2处" in html and html.index(BAD) < html.index("/reports/download/")
    assert '写为 <b class="nc-stated">签订协议项目5个</b>' in html
    assert '记录为 <b class="nc-recorded">12000万元</b>（折合1.2亿元）' in html
    assert "任务“招商引资”2023年7月进展</a>" in html and "/indicators/investment/?campaign=" in html
    assert "已核对报告中印出的2个叙述数字，与记录一致" in html and '<details class="nc-ok">' in html
    assert "报告文字中有2处数字与记录不一致" in html


def test_the_download_is_not_blocked_by_a_disagreement(disagreeing, client_for):
    url = f"/reports/download/md/?campaign={disagreeing.campaign.pk}&as_of=2023-07-31"
    assert client_for(disagreeing.coordinator).get(url).status_code == 200


def test_agreeing_figures_are_folded_and_nothing_is_flagged(world, client_for):
    task = investment_task(world)
    progress(world, task, "年初以来共外出招商4次，共签订协议项目4个，实际落地项目3个。")
    html = client_for(world.inspector).get(REPORT.format(pk=world.campaign.pk)).content.decode()
    assert BAD not in html and "已核对报告中印出的3个叙述数字，与记录一致" in html
    assert "核对的叙述：任务“招商引资”2023年7月进展（报告中印出）" in html


def test_figures_in_texts_the_report_no_longer_prints_are_not_counted_as_the_reports(
    world, client_for
):
    """The 专班 leaves 二、out (and writes an 经济发展 text whose section is also left out): the
    progress figures still agree with the records but are no longer the report's — the summary
    says so and names each narrative as 报告未引用."""
    task = investment_task(world)
    progress(world, task, "年初以来共外出招商4次，共签订协议项目4个，实际落地项目3个。")
    narrative_save(
        campaign=world.campaign, period=D(2023, 7, 1), by=world.coordinator,
        entries=[NarrativeEntry(NarrativeSlot.TASKS), NarrativeEntry(NarrativeSlot.ACTIVITIES)],
    )  # fmt: skip
    narrative_save(
        campaign=world.campaign, period=D(2023, 7, 1), by=world.coordinator,
        entries=[NarrativeEntry(NarrativeSlot.ECONOMY, "经济", "年初以来共签订协议项目4个。")],
    )  # fmt: skip
    html = client_for(world.inspector).get(REPORT.format(pk=world.campaign.pk)).content.decode()
    assert "签订协议项目4个" not in html.split('class="report-doc"')[1]  # not printed
    assert "已核对报告中印出" not in html and "已核对叙述中" not in html
    assert "报告印出的文字中没有可核对的数字；另有4个数字出自报告未引用的文字" in html
    assert "任务“招商引资”2023年7月进展（报告未引用）" in html
    assert "报告文字（三是 经济发展）（报告未引用）" in html


def test_a_page_without_checkable_figures_says_so(world, client_for):
    html = client_for(world.coordinator).get(REPORT.format(pk=world.campaign.pk)).content.decode()
    assert "无需核对" in html and BAD not in html


HOSTILE = [
    "<script>alert('x')</script>共签订协议项目5个。",
    "共签订协议项目" + "9" * 3000 + "个。完成投资" + "9" * 300 + "亿元。",
    "共签订协议项目1e309个，合同资金1e309万元。",
    "共签订协议项目５个，合同资金３１５００万元。",
    "共签订协议项目4." + "0" * 80 + "1个。",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_narratives_never_break_the_page(world, client_for, text):
    progress(world, investment_task(world), text)
    response = client_for(world.coordinator).get(REPORT.format(pk=world.campaign.pk))
    html = response.content.decode()
    assert response.status_code == 200 and "<script>alert" not in html


def test_the_command_line_prints_the_same_warnings_to_stderr(disagreeing, tmp_path, capsys):
    out = tmp_path / "report.md"
    call_command("report", "--as-of", "2023-07-31", "-o", str(out))
    captured = capsys.readouterr()
    assert out.exists() and "个数字均有来源记录" in captured.out
    assert f"{BAD}：2处" in captured.err
    assert (
        "“年初以来共外出招商4次，共签订协议项目5个，实际落地项目3个”写签订协议项目5个，记录为4个"
        in captured.err
    )
    assert "写累计完成投资1.3亿元，记录为12000万元（折合1.2亿元）" in captured.err
    assert "（重点项目“清凉河治理二期工程”本年完成投资）" in captured.err
    assert "记录：/indicators/investment/?campaign=" in captured.err


def test_the_command_line_is_quiet_when_the_narratives_agree(world, tmp_path, capsys):
    progress(world, investment_task(world), "共签订协议项目4个。")
    call_command("report", "--as-of", "2023-07-31", "-o", str(tmp_path / "r.txt"))
    assert BAD not in capsys.readouterr().err


def grow_noted(world, n: int, offset: int = 0) -> None:
    """n more of every record, each key project and indicator with a noted figure."""
    grow(world, n, offset)
    for project in KeyProject.objects.filter(figures__isnull=True):
        project_note(world, project, "累计完成投资40万元。", completed=40)
    Actual.objects.filter(note="").update(note="完成指标500万元。", submitted_by=world.reporter_a)


def test_the_check_runs_the_same_queries_for_3_and_30_of_every_record(noted):
    grow_noted(noted, 3)
    document = build_summary(campaign=noted.campaign, as_of=AS_OF)

    def run():
        return narrative_check(document=document, campaign=noted.campaign, as_of=AS_OF)

    result = assert_same_queries(run, partial(grow_noted, noted, 30, offset=100), at_most=21)
    assert len(result.findings) > 30  # the notes of every grown project and indicator


def test_the_page_runs_the_same_queries_for_3_and_30_of_every_record(noted, client_for):
    grow_noted(noted, 3)
    client = client_for(noted.coordinator)
    url = REPORT.format(pk=noted.campaign.pk)
    assert_same_queries(
        lambda: client.get(url), partial(grow_noted, noted, 30, offset=100), warm_up=True
    )


def test_a_district_that_records_no_investment_has_nothing_to_compare(world):
    category = TaskCategory.objects.create(campaign=world.campaign, name="招商引资")
    task = Task.objects.create(
        campaign=world.campaign,
        category=category,
        title="精准招商",
        lead_unit=world.unit_a,
        start_date=D(2023, 2, 1),
        due_date=D(2023, 12, 31),
    )
    progress(world, task, "年初以来共外出招商4次，共签订协议项目4个，合同资金31500万元。")
    assert checked(world).findings == []


def test_trips_and_amounts_not_recorded_are_not_compared_but_agreements_are(world):
    task = investment_task(world)
    InvestmentTrip.objects.all().delete()
    Agreement.objects.update(contract_amount=0)
    progress(world, task, "年初以来共外出招商6次，共签订协议项目4个，合同资金31500万元。")
    assert {(f.label, f.agrees) for f in checked(world).findings} == {("签订协议项目", True)}
