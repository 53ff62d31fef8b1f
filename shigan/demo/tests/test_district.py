import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from shigan.campaigns.models import Campaign, PlanSectionKind
from shigan.core.models import AuditEntry
from shigan.demo.data.org import DEMO_PASSWORD
from shigan.demo.district import DemoDataExists, load_demo
from shigan.meetings.models import Meeting, StudySession
from shigan.orgs.models import GroupRole, Person, Role, Unit
from shigan.orgs.scope import overseen_unit_ids
from shigan.publicity.models import MediaReport
from shigan.supervision.models import Finding, Notice
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import ProgressReport, Task
from shigan.tasks.queries import campaign_tasks_on, row_for, tasks_annotated
from shigan.tasks.status import TaskStatus

D = datetime.date


def own_list():
    """The demo district's list tasks (the seed's three), not the county's above it nor those of
    高新区 beside it (shigan.demo.county)."""
    return Task.objects.filter(origin="list", campaign__organiser__short_name="示范区")


@pytest.fixture
def demo(db):
    return load_demo()


def latest_report(task: Task) -> ProgressReport:
    return task.progress_reports.order_by("-submitted_at", "-id").first()


def test_demo_creates_the_seeds_three_list_tasks(demo):
    titles = list(own_list().order_by("number").values_list("title", flat=True))
    assert titles == ["兴业大道建设项目", "招商引资", "清凉河治理二期工程"]
    assert [t.category.name for t in own_list().order_by("number")] == [
        "全面完善路网体系",
        "大力实施招商引资",
        "持续修复流域生态",
    ]
    # the summary counts the campaign's tasks as its battle map does (the list's and the others)
    assert own_list().count() == 3
    assert demo.tasks == campaign_tasks_on(demo.campaign, demo.today, Task.objects.all()).count()
    assert demo.tasks > 3


def test_each_task_has_lead_and_supporting_units_leader_and_milestones(demo):
    for task in own_list().all():
        assert task.leader is not None
        assert task.supporting_units.exists()
        assert task.lead_unit not in task.supporting_units.all()
        assert task.milestones.count() >= 4
        for ms in task.milestones.all():
            assert task.start_date <= ms.due_date <= task.due_date


def test_road_milestones_follow_the_seed(demo):
    road = own_list().get(title="兴业大道建设项目")
    milestones = {m.title: m for m in road.milestones.all()}
    assert milestones["完成专项债项目规划设计"].done_on is not None
    assert milestones["完成项目实地测量"].done_on is not None
    assert milestones["8月底前完成项目整体方案"].due_date == D(2023, 8, 31)
    assert milestones["8月底前完成项目整体方案"].done_on is None
    assert milestones["9月进入项目申报"].due_date == D(2023, 9, 30)


def test_river_task_ends_with_results_by_year_end(demo):
    river = own_list().get(title="清凉河治理二期工程")
    last = river.milestones.order_by("-due_date").first()
    assert (last.title, last.due_date) == ("年底取得治理成效", D(2023, 12, 31))
    assert river.milestones.get(title="纳入全县重点项目建设范围").done_on is not None


def test_monthly_reports_run_from_february_to_july(demo):
    assert ProgressReport.objects.filter(task__in=own_list()).count() == 18
    assert demo.reports >= 18  # the campaign's, as the battle map counts them
    for task in own_list().all():
        reports = task.progress_reports.order_by("period")
        assert [r.period for r in reports] == [D(2023, m, 1) for m in range(2, 8)]
        for report in reports:
            assert timezone.localtime(report.submitted_at).month == report.period.month
            assert report.unit == task.lead_unit


def test_latest_reports_state_the_seeds_sentences(demo):
    expected = {
        "兴业大道建设项目": "已完成专项债项目的规划设计和项目的实地测量等工作，8月底前完成项目的整体方案，9月进入项目申报工作。",
        "招商引资": "年初以来共外出招商4次，共签订协议项目4个，实际落地项目3个",
        "清凉河治理二期工程": "清凉河治理二期工程已纳入全县重点项目建设范围。同时新建2公里清凉河堤防",
    }
    for title, sentence in expected.items():
        assert sentence in latest_report(own_list().get(title=title)).text


def test_reports_list_the_milestones_reached_in_their_month(demo):
    for task in own_list().all():
        reached = [item for r in task.progress_reports.all() for item in r.milestones_reached]
        done = task.milestones.filter(done_on__isnull=False)
        assert sorted(item["id"] for item in reached) == sorted(m.pk for m in done)
        for report in task.progress_reports.all():
            for item in report.milestones_reached:
                assert D.fromisoformat(item["done_on"]).month == report.period.month


def test_statuses_as_of_the_demo_day(demo):
    tasks = tasks_annotated(own_list().all())
    rows = {task.title: row_for(task, D(2023, 7, 31)) for task in tasks}
    assert rows["兴业大道建设项目"].status == TaskStatus.ON_TRACK
    assert rows["招商引资"].status == TaskStatus.ON_TRACK
    assert rows["清凉河治理二期工程"].status == TaskStatus.NEARING


def test_campaign_has_slogan_plan_sections_and_phases(demo):
    campaign = Campaign.objects.get(organiser__short_name="示范区")
    assert (campaign.year, campaign.name, campaign.slogan) == (
        2023,
        "作风建设“实干年”活动",
        "跑好第一棒、实干开新局",
    )
    assert {s.kind for s in campaign.plan_sections.all()} == set(PlanSectionKind.values)
    assert "2月8日" in campaign.plan_sections.get(kind=PlanSectionKind.ORGANISATION).body
    phases = [(p.name, p.start_date, p.end_date) for p in campaign.phases.all()]
    assert phases == [
        ("动员部署", D(2023, 2, 1), D(2023, 2, 28)),
        ("组织实施", D(2023, 3, 1), D(2023, 11, 30)),
        ("总结提升", D(2023, 12, 1), D(2023, 12, 31)),
    ]


def test_leading_group_is_led_by_the_party_secretary(demo):
    group = Campaign.objects.get(organiser__short_name="示范区").leading_group
    assert group.name == "作风建设“实干年”活动领导小组"
    leader = group.members.get(role=GroupRole.LEADER).person
    assert leader.post == "党委书记"
    deputies = [m.person.post for m in group.members.filter(role=GroupRole.DEPUTY)]
    assert any("区长" in post for post in deputies)
    assert group.members.filter(role=GroupRole.MEMBER).count() >= 3


def test_unit_tree_holds_the_seeds_enterprises_and_the_task_force(demo):
    district = Unit.objects.get(short_name="示范区")
    # The county (shigan.demo.county) is the tree's only root, the district below it.
    county = Unit.objects.get(parent=None)
    assert (county.name, district.parent) == ("云岭县委、县政府", county)
    assert {u.short_name for u in Unit.objects.filter(kind="enterprise")} == {
        "零傲",
        "佳仑",
        "宏羽",
        "楚汉源",
    }
    assert Unit.objects.filter(kind="task_force", parent=district).exists()
    assert Unit.objects.filter(kind__in=["village", "community"]).count() >= 2
    assert district.district_id == district.pk


def test_every_created_record_has_a_demo_audit_entry(demo):
    """The loader's own records carry the 演示数据 note; records the apps' demo content creates
    through their services are audited with the coordinator as actor."""
    entries = AuditEntry.objects.filter(note="演示数据", actor=None)
    for model, label in [(Unit, "orgs.unit"), (Person, "orgs.person")]:
        ids = set(entries.filter(record_type=label).values_list("record_id", flat=True))
        assert ids == set(model.objects.values_list("pk", flat=True))
    # The county's upper tasks and 高新区's new task answering one of them are made through the
    # directives' services (shigan.demo.county), audited with the county's or 高新区's coordinator.
    by_services = Task.objects.filter(
        campaign__organiser__short_name="云岭县"
    ) | Task.objects.filter(title="高新区招商引资攻坚")
    list_tasks = Task.objects.filter(origin="list").exclude(pk__in=by_services)
    ids = set(entries.filter(record_type="tasks.task").values_list("record_id", flat=True))
    assert ids == set(list_tasks.values_list("pk", flat=True))
    made = AuditEntry.objects.filter(record_type="tasks.task", action="create", actor__isnull=False)
    made_ids = set(made.values_list("record_id", flat=True))
    assert made_ids >= set(by_services.values_list("pk", flat=True)) and by_services.count() == 4
    for model, label in [(Task, "tasks.task"), (ProgressReport, "tasks.progressreport")]:
        audited = set(
            AuditEntry.objects.filter(record_type=label).values_list("record_id", flat=True)
        )
        assert audited == set(model.objects.values_list("pk", flat=True))
    road = own_list().get(title="兴业大道建设项目")
    assert entries.filter(task_id=road.pk, record_type="tasks.milestone").count() == 4


@pytest.mark.parametrize("username", ["zhuanban", "lingdao", "tianbao", "tianbao2", "ducha"])
def test_demo_account_logs_in_and_sees_the_battle_map(demo, client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/map/").status_code == 200


def test_there_is_one_demo_account_per_role(demo):
    roles = {a.username: a.role for a in demo.accounts}
    assert set(roles.values()) == {r.label for r in Role}
    assert {a.password for a in demo.accounts} == {DEMO_PASSWORD}


def test_coordinator_account_may_use_the_admin(demo, client):
    assert get_user_model().objects.get(username="zhuanban").is_staff
    client.login(username="zhuanban", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_leader_oversees_the_units_of_at_least_two_tasks(demo):
    leader = get_user_model().objects.get(username="lingdao")
    overseen = overseen_unit_ids(leader)
    led_here = own_list().filter(lead_unit_id__in=overseen)
    assert led_here.count() >= 2
    # He sits in the campaign's leading group: he reads every list task (the summary report's,
    # reports.access), and of the other tracked items only those of his units.
    listed = own_list()
    assert tasks_visible_to(leader, listed).count() == listed.count()
    others = Task.objects.exclude(origin="list")
    assert 0 < tasks_visible_to(leader, others).count() < others.count()


def test_reporter_tianbao_reports_for_the_road_tasks_lead_unit(demo):
    road = own_list().get(title="兴业大道建设项目")
    reporter = Person.objects.get(user__username="tianbao")
    assert reporter.role == Role.REPORTER
    assert reporter.unit == road.lead_unit
    other = Person.objects.get(user__username="tianbao2")
    assert other.unit != road.lead_unit


def test_load_demo_refuses_a_database_with_data(demo):
    with pytest.raises(DemoDataExists):
        load_demo()


def test_load_demo_as_of_an_earlier_day_leaves_out_later_progress(db):
    summary = load_demo(today=D(2023, 4, 30))
    road = own_list().get(title="兴业大道建设项目")
    assert road.progress_reports.count() == 3
    assert road.milestones.get(title="完成专项债项目规划设计").done_on == D(2023, 4, 21)
    assert road.milestones.get(title="完成项目实地测量").done_on is None
    assert summary.reports == 9


def test_demo_load_command_prints_the_accounts(db):
    out = io.StringIO()
    call_command("demo_load", stdout=out)
    assert "zhuanban" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    assert "xianzhuanban" in out.getvalue()
    assert own_list().count() == 3


def test_demo_load_command_refuses_when_a_campaign_exists(world):
    with pytest.raises(CommandError, match="演示数据只能载入空数据库"):
        call_command("demo_load", stdout=io.StringIO())


def test_demo_holds_meetings_inspection_and_media_reports(demo):
    assert Meeting.objects.filter(date=datetime.date(2023, 2, 8)).exists()
    assert Meeting.objects.count() >= 9
    assert StudySession.objects.exists()
    assert Finding.objects.count() >= 3
    assert Notice.objects.count() >= 2
    assert MediaReport.objects.count() == 13
