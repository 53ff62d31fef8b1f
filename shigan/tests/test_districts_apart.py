"""Two districts in one database keep apart: the demo district 示范区 and a second district, 乙县,
whose every record carries its name. Each district's accounts crawl their whole site and never
meet a record of the other; opening the other's records by id answers 404; a name (水务站, an
indicator, an enterprise) may exist once in each."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from shigan.campaigns.models import Campaign
from shigan.core.crawl import crawl
from shigan.demo.district import load_demo
from shigan.indicators.models import Indicator, IndicatorYear, KeyEnterprise, KeyProject
from shigan.meetings.models import Meeting, StudySession
from shigan.orgs.models import Oversight, Role, Unit, UnitKind
from shigan.publicity.models import MediaReport
from shigan.supervision.models import Finding, Inspection, Notice
from shigan.supervision.services.inspections import finding_record
from shigan.tasks.models import ChangeRequest, Task, TaskCategory
from shigan.testing import make_task, make_user

pytestmark = pytest.mark.django_db(transaction=False)

OTHER = "乙县"
DEMO_MARK = "示范区"
# What only the demo's pages hold: its name, a task's title, its coordinator and a reporter.
DEMO_MARKS = "示范区|兴业大道|周伟|杨帆"


def _second_district():
    """乙县 with its own units (one named like a demo unit), people of every role, a campaign,
    tasks, a meeting, a study session, an inspection with a finding, a notice, a media report,
    an indicator and an enterprise named like the demo's."""
    demo_station = Unit.objects.get(name="水务站")
    demo_indicator = Indicator.objects.order_by("id").first()
    demo_enterprise = KeyEnterprise.objects.order_by("id").first()
    district = Unit.objects.create(name=f"{OTHER}党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name=f"{OTHER}作风办", kind=UnitKind.TASK_FORCE, parent=district)
    station = Unit.objects.create(name=demo_station.name, kind=UnitKind.BUREAU, parent=district)
    roads = Unit.objects.create(name=f"{OTHER}交通局", kind=UnitKind.BUREAU, parent=district)
    users = {
        "coordinator": make_user("yi_zhuanban", unit=office, role=Role.COORDINATOR, name="乙专班")[
            0
        ],
        "inspector": make_user("yi_ducha", unit=office, role=Role.INSPECTOR, name="乙督查")[0],
        "reporter": make_user("yi_tianbao", unit=station, role=Role.REPORTER, name="乙填报")[0],
    }
    leader, leader_person = make_user(
        "yi_lingdao", unit=district, role=Role.LEADER, name="乙县长", post="副县长"
    )
    users["leader"] = leader
    Oversight.objects.create(leader=leader_person, unit=station)
    campaign = Campaign.objects.create(
        year=2023,
        name=f"{OTHER}实干年活动",
        organiser=district,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    category = TaskCategory.objects.create(campaign=campaign, name=f"{OTHER}任务类别")
    for unit in (station, roads):
        make_task(
            campaign=campaign,
            category=category,
            unit=unit,
            title=f"{OTHER}{unit.name}的任务",
            leader=leader_person,
            milestones=[(f"{OTHER}节点", datetime.date(2023, 6, 30), None)],
        )
    Meeting.objects.create(
        campaign=campaign,
        kind="other",
        title=f"{OTHER}专题会议",
        date=datetime.date(2023, 3, 1),
        chair=leader_person,
    )
    StudySession.objects.create(
        campaign=campaign, topic=f"{OTHER}学习", date=datetime.date(2023, 3, 2), kind="special"
    )
    inspection = Inspection.objects.create(
        campaign=campaign, topic=f"{OTHER}专项督查", kind="special", date=datetime.date(2023, 4, 1)
    )
    inspection.units.add(station)
    finding_record(
        inspection=inspection,
        unit=station,
        problem=f"{OTHER}问题",
        severity="general",
        requirement=f"{OTHER}整改要求",
        deadline=datetime.date(2023, 5, 1),
        by=users["inspector"],
    )
    Notice.objects.create(
        campaign=campaign,
        doc_number=f"{OTHER}作风办〔2023〕1号",
        date=datetime.date(2023, 4, 2),
        title=f"{OTHER}通报",
        kind="praise",
    )
    MediaReport.objects.create(
        campaign=campaign,
        title=f"{OTHER}报道",
        outlet=f"{OTHER}融媒体",
        level="county",
        date=datetime.date(2023, 4, 3),
    )
    indicator = Indicator.objects.create(
        name=demo_indicator.name,
        measure_unit=demo_indicator.measure_unit,
        responsible_unit=station,
    )
    IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=100)
    enterprise = KeyEnterprise.objects.create(name=demo_enterprise.name, unit=roads)
    KeyProject.objects.create(
        year=2023,
        name=f"{OTHER}重点项目",
        enterprise=enterprise,
        responsible_unit=roads,
    )
    return users, campaign


class Reading(Client):
    """A test client that remembers every page whose body names `marks`."""

    def __init__(self, marks: str, **kwargs):
        super().__init__(**kwargs)
        self.marks = re.compile(marks)
        self.leaks: list[str] = []

    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            found = self.marks.search(response.content.decode())
            if found:
                self.leaks.append(f"{path}: …{found.group(0)}…")
        return response


@pytest.fixture
def two_districts(db, settings):
    settings.SHIGAN_TODAY = "2023-07-31"
    load_demo()
    demo_task = Task.objects.get(title__startswith="兴业大道")
    ChangeRequest.objects.create(
        task=demo_task,
        kind="extend",
        reason="示范区雨季施工受阻，申请延期",
        proposed_due_date=datetime.date(2023, 10, 31),
        requested_by=get_user_model().objects.get(username="tianbao"),
    )
    return _second_district()


def test_names_repeat_across_districts_and_each_district_is_its_own(two_districts):
    _, campaign = two_districts
    stations = Unit.objects.filter(name="水务站")
    assert stations.count() == 2
    assert len({unit.district_id for unit in stations}) == 2
    assert campaign.organiser.district_id == campaign.organiser_id


def test_the_second_districts_accounts_never_meet_the_demo(two_districts):
    users, _ = two_districts
    leaks, failures = [], []
    for role, user in users.items():
        client = Reading(f".{{0,12}}(?:{DEMO_MARKS}).{{0,12}}")
        client.force_login(user)
        result = crawl(client, account=role, seeds=("/",), max_pages=150)
        failures += result.failures
        leaks += client.leaks
    assert not failures, failures
    assert not leaks, "\n".join(leaks)


def test_the_demo_coordinator_never_meets_the_second_district(two_districts):
    client = Reading(f".{{0,12}}{OTHER}.{{0,12}}")
    client.force_login(get_user_model().objects.get(username="zhuanban"))
    result = crawl(client, account="zhuanban", seeds=("/",), max_pages=150)
    assert not result.failures, result.report()
    assert not client.leaks, "\n".join(client.leaks)


def test_the_other_districts_records_do_not_exist_by_id(two_districts):
    users, campaign = two_districts
    # The demo's district, not the county above it nor 高新区 beside it (shigan.demo.county).
    demo = Campaign.objects.get(organiser__short_name=DEMO_MARK)
    demo_records = {
        "/tasks/{}/": Task.objects.filter(campaign=demo).first(),
        "/campaigns/{}/": demo,
        "/meetings/{}/": Meeting.objects.filter(campaign=demo).first(),
        "/supervision/findings/{}/": Finding.objects.filter(inspection__campaign=demo).first(),
        "/supervision/{}/": Inspection.objects.filter(campaign=demo).first(),
        "/supervision/notices/{}/": Notice.objects.filter(campaign=demo).first(),
        "/indicators/{}/": Indicator.objects.exclude(
            responsible_unit__district__name__startswith=OTHER
        ).first(),
        "/map/?campaign={}": demo,
        "/tasks/report/?unit={}": Unit.objects.get(
            name="水务站", district__name__startswith=DEMO_MARK
        ),
    }
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for pattern, record in demo_records.items():
            assert record is not None, pattern
            url = pattern.format(record.pk)
            status = client.get(url).status_code
            assert status == 404, f"{role} {url}: {status}"
