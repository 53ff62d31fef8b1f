"""Scope by level (issue 17): a city above a county above two districts, each level with its own
units, a coordinator, an inspector, a leader (overseeing the level's 交通局) and a reporter (of
that 交通局), and its own campaign, task, meeting, inspection and finding, notice, media report,
indicator and concern, every record named after its level.

The rule (orgs.scope): what a user READS is a subtree — a coordinator or inspector his level and
every level below it, a leader his overseen units, a reporter his unit, and the campaign-wide
records (meetings, notices, media reports, indicators) of his own level for those two; what a
coordinator WRITES is his own level: a district's records are read-only (403) to its county's.
Outside the scope a record does not exist (404), never a 500.

The world is built once for the module (a transaction rolled back at its end); each test runs
in a savepoint inside it.
"""

import copy
import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client

from shigan.campaigns.access import campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.core.testing import assert_same_queries, get_page
from shigan.grassroots.models import Concern, ConcernCategory, ConcernKind, ConcernSource
from shigan.grassroots.services.concerns import ConcernInput, concern_create
from shigan.indicators.models import Indicator, IndicatorYear, MeasureUnit
from shigan.meetings.models import Meeting
from shigan.orgs.models import Oversight, Role, Unit, UnitKind
from shigan.orgs.scope import (
    at_own_level,
    district_scope_ids,
    has_levels_below,
    own_level_unit_ids,
    require_own_level,
    visible_unit_ids,
    within_district,
    within_own_level,
)
from shigan.publicity.models import MediaReport
from shigan.supervision.models import Finding, Inspection, Notice
from shigan.supervision.services.inspections import finding_record
from shigan.tasks.access import can_decide_change_request, can_edit_task
from shigan.tasks.models import ChangeKind, ChangeRequest, ChangeState, Task, TaskCategory
from shigan.testing import make_task, make_user

TODAY = "2023-07-31"
CITY, COUNTY, EAST, WEST = "示范市", "甲县", "东区", "西区"
PARENT = {CITY: None, COUNTY: CITY, EAST: COUNTY, WEST: COUNTY}
LEVELS = list(PARENT)
ROLES = ["coordinator", "inspector", "leader", "reporter"]
# A coordinator's or inspector's level and the levels below it.
SUBTREE = {CITY: LEVELS, COUNTY: [COUNTY, EAST, WEST], EAST: [EAST], WEST: [WEST]}


def reads(level: str, role: str) -> list[str]:
    """The levels whose records `role` of `level` reads (the rule, written from orgs.scope)."""
    return SUBTREE[level] if role in {"coordinator", "inspector"} else [level]


@dataclass
class Level:
    name: str
    root: Unit
    bureau: Unit
    users: dict
    campaign: Campaign
    task: Task
    meeting: Meeting
    finding: Finding
    notice: Notice
    indicator: Indicator
    concern: Concern
    media: MediaReport


# The record names each page shows, per level.
def task_name(level):
    return f"{level}交通任务"


def meeting_name(level):
    return f"{level}调度会"


def finding_name(level):
    return f"{level}台账问题"


def notice_name(level):
    return f"{level}作风通报"


def media_name(level):
    return f"{level}实干报道"


def indicator_name(level):
    return f"{level}固定资产投资"


def concern_text(level):
    return f"{level}路灯诉求"


def _level(name: str, parent: Unit | None, start_day: int) -> Level:
    root = Unit.objects.create(
        name=f"{name}党委政府", kind=UnitKind.PARTY_GOVERNMENT, parent=parent
    )
    force = Unit.objects.create(name=f"{name}作风专班", kind=UnitKind.TASK_FORCE, parent=root)
    bureau = Unit.objects.create(name=f"{name}交通局", kind=UnitKind.BUREAU, parent=root)
    key = {CITY: "shi", COUNTY: "xian", EAST: "dong", WEST: "xi"}[name]
    users = {
        "coordinator": make_user(f"{key}_zhuanban", unit=force, role=Role.COORDINATOR, name=f"{name}专班")[0],
        "inspector": make_user(f"{key}_ducha", unit=force, role=Role.INSPECTOR, name=f"{name}督查")[0],
        "reporter": make_user(f"{key}_tianbao", unit=bureau, role=Role.REPORTER, name=f"{name}填报")[0],
    }  # fmt: skip
    leader, leader_person = make_user(
        f"{key}_lingdao", unit=root, role=Role.LEADER, name=f"{name}领导", post="副职"
    )
    users["leader"] = leader
    Oversight.objects.create(leader=leader_person, unit=bureau)
    # The lower levels' campaigns are created later and start later: newer than the county's.
    campaign = Campaign.objects.create(
        year=2023,
        name=f"{name}实干年活动",
        organiser=root,
        start_date=datetime.date(2023, 1, start_day),
        end_date=datetime.date(2023, 12, 31),
    )
    category = TaskCategory.objects.create(campaign=campaign, name=f"{name}任务类别")
    task = make_task(
        campaign=campaign,
        category=category,
        unit=bureau,
        title=task_name(name),
        leader=leader_person,
        milestones=[(f"{name}节点", datetime.date(2023, 6, 30), None)],
    )
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind="other",
        title=meeting_name(name),
        date=datetime.date(2023, 3, 1),
        chair=leader_person,
    )
    inspection = Inspection.objects.create(
        campaign=campaign, topic=f"{name}专项督查", kind="special", date=datetime.date(2023, 4, 1)
    )
    inspection.units.add(bureau)
    finding = finding_record(
        inspection=inspection,
        unit=bureau,
        problem=finding_name(name),
        severity="general",
        requirement=f"{name}整改要求",
        deadline=datetime.date(2023, 5, 1),
        by=users["inspector"],
    )
    notice = Notice.objects.create(
        campaign=campaign,
        doc_number=f"{name}作风办〔2023〕1号",
        date=datetime.date(2023, 4, 2),
        title=notice_name(name),
        kind="praise",
    )
    media = MediaReport.objects.create(
        campaign=campaign,
        title=media_name(name),
        outlet=f"{name}融媒体",
        level="county",
        date=datetime.date(2023, 4, 3),
    )
    indicator = Indicator.objects.create(
        name=indicator_name(name), measure_unit=MeasureUnit.WAN_YUAN, responsible_unit=bureau
    )
    IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=100)
    category = ConcernCategory.objects.create(
        district=root, name=f"{name}道路交通", time_limit_workdays=5
    )
    concern = concern_create(
        campaign=campaign,
        item=ConcernInput(
            kind=ConcernKind.REQUEST,
            category=category,
            requester_name="张群众",
            content=concern_text(name),
            assigned_unit=bureau,
        ),
        by=users["coordinator"],
        source=ConcernSource.HOTLINE,
        received_on=datetime.date(2023, 6, 1),
    )
    return Level(
        name,
        root,
        bureau,
        users,
        campaign,
        task,
        meeting,
        finding,
        notice,
        indicator,
        concern,
        media,
    )


def build_levels() -> dict[str, Level]:
    levels: dict[str, Level] = {}
    for i, name in enumerate(LEVELS):
        parent = levels[PARENT[name]].root if PARENT[name] else None
        levels[name] = _level(name, parent, start_day=i + 1)
    return levels


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The four levels, once for the module, with a logged-in session per account."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHIGAN_TODAY", TODAY)
        with django_db_blocker.unblock(), transaction.atomic():
            levels = build_levels()
            cookies = {}
            for level in levels.values():
                for role, user in level.users.items():
                    client = Client()
                    client.force_login(user)
                    cookies[(level.name, role)] = client.cookies
            yield levels, cookies
            transaction.set_rollback(True)


@pytest.fixture
def levels(db, world, settings):
    settings.SHIGAN_TODAY = TODAY
    return world[0]


def client_of(world, level: str, role: str) -> Client:
    client = Client()
    client.cookies = copy.deepcopy(world[1][(level, role)])
    return client


def fresh(user):
    """The account without the scope cached on it by an earlier call."""
    return get_user_model().objects.get(pk=user.pk)


def shown(response, name_of) -> set[str]:
    text = response.content.decode()
    return {level for level in LEVELS if name_of(level) in text}


CELLS = [pytest.param(level, role, id=f"{level}-{role}") for level in LEVELS for role in ROLES]


# The scope primitive


def test_the_units_each_role_reads_are_its_levels_subtree(levels):
    for level, role in [(level, role) for level in LEVELS for role in ROLES]:
        user = fresh(levels[level].users[role])
        expected = {levels[level].bureau.pk} if role in {"leader", "reporter"} else set()
        for below in reads(level, role) if role in {"coordinator", "inspector"} else []:
            expected |= set(
                Unit.objects.filter(district=levels[below].root).values_list("pk", flat=True)
            )
        assert visible_unit_ids(user) == expected, (level, role)


def test_own_level_and_levels_below(levels):
    for level in LEVELS:
        coordinator = fresh(levels[level].users["coordinator"])
        own = set(Unit.objects.filter(district=levels[level].root).values_list("pk", flat=True))
        assert own_level_unit_ids(coordinator) == own
        assert has_levels_below(coordinator) == (level in {CITY, COUNTY})
        assert own < district_scope_ids(coordinator) or level in {EAST, WEST}
        for other in LEVELS:
            bureau = levels[other].bureau.pk
            # at_own_level is asked of records he reads: his own level's, or any for a district
            if other in reads(level, "coordinator"):
                assert at_own_level(coordinator, bureau) == (
                    other == level or level in {EAST, WEST}
                )
        assert not has_levels_below(fresh(levels[level].users["leader"]))


def test_within_own_level_keeps_forms_and_imports_to_the_own_level(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    units = within_own_level(county, Unit.objects.all(), "id")
    assert set(units.values_list("name", flat=True)) == {
        "甲县党委政府",
        "甲县作风专班",
        "甲县交通局",
    }
    reads_down = within_district(county, Unit.objects.all(), "id")
    assert reads_down.filter(name="东区交通局").exists()
    # a county's leader reads his own level's campaign-wide records, not its districts'
    leader = fresh(levels[COUNTY].users["leader"])
    campaigns = within_district(leader, Campaign.objects.all(), "organiser_id")
    assert list(campaigns) == [levels[COUNTY].campaign]
    operator = get_user_model().objects.create_superuser("operator", password="x" * 12)
    assert within_own_level(operator, Unit.objects.all(), "id").count() == Unit.objects.count()


def test_require_own_level_refuses_a_lower_levels_record(levels):
    county = fresh(levels[COUNTY].users["coordinator"])
    require_own_level(county, levels[COUNTY].meeting, "campaign__organiser_id")
    with pytest.raises(PermissionDenied, match="下级"):
        require_own_level(county, levels[EAST].meeting, "campaign__organiser_id")
    east = fresh(levels[EAST].users["coordinator"])
    require_own_level(east, levels[EAST].meeting, "campaign__organiser_id")


# Pages of one campaign: the campaign of a level the user reads shows its records and no other
# level's; another level's campaign is 404.

CAMPAIGN_PAGES = [
    pytest.param("/tasks/?campaign={}", task_name, id="tasks"),
    pytest.param("/map/?campaign={}", task_name, id="map"),
    pytest.param("/meetings/?campaign={}", meeting_name, id="meetings"),
    pytest.param("/grassroots/concerns/?campaign={}", concern_text, id="concerns"),
]


@pytest.mark.parametrize("level, role", CELLS)
@pytest.mark.parametrize("page, name_of", CAMPAIGN_PAGES)
def test_a_campaigns_pages_show_exactly_the_levels_the_user_reads(
    levels, world, level, role, page, name_of
):
    client = client_of(world, level, role)
    for target in LEVELS:
        url = page.format(levels[target].campaign.pk)
        response = client.get(url)
        if target in reads(level, role):
            assert response.status_code == 200, f"{level} {role} {url}"
            assert shown(response, name_of) == {target}, f"{level} {role} {url}"
        else:
            assert response.status_code == 404, f"{level} {role} {url}"


@pytest.mark.parametrize("level, role", CELLS)
def test_the_cockpit_opens_the_campaigns_the_user_reads(levels, world, level, role):
    client = client_of(world, level, role)
    for target in LEVELS:
        url = f"/map/cockpit/?campaign={levels[target].campaign.pk}"
        expected = 200 if target in reads(level, role) else 404
        assert client.get(url).status_code == expected, f"{level} {role} {url}"


# Lists across campaigns: exactly the levels the user reads.

LISTS = [
    pytest.param("/indicators/", indicator_name, id="indicators"),
    pytest.param("/supervision/findings/", finding_name, id="findings"),
    pytest.param("/supervision/notices/", notice_name, id="notices"),
]


@pytest.mark.parametrize("level, role", CELLS)
@pytest.mark.parametrize("page, name_of", LISTS)
def test_lists_show_exactly_the_levels_the_user_reads(levels, world, level, role, page, name_of):
    response = client_of(world, level, role).get(page)
    assert response.status_code == 200
    assert shown(response, name_of) == set(reads(level, role)), f"{level} {role} {page}"


def test_a_countys_campaigns_serve_as_a_subquery(levels):
    """campaigns_visible_to annotates at_own_level for a scope with levels below; the queryset
    still filters other records by campaign (investment, categories)."""
    county = fresh(levels[COUNTY].users["coordinator"])
    campaigns = campaigns_visible_to(county, Campaign.objects.all())
    assert {c.name for c in campaigns if c.at_own_level} == {"甲县实干年活动"}
    tasks = Task.objects.filter(campaign__in=campaigns)
    titles = set(tasks.values_list("title", flat=True))
    assert {task_name(n) for n in SUBTREE[COUNTY]} <= titles and task_name(CITY) not in titles


def test_pickers_open_the_own_levels_campaign_first(levels, world):
    """The districts' campaigns are newer than the county's; the county's coordinator still
    lands on the county's."""
    for level in LEVELS:
        response = client_of(world, level, "coordinator").get("/tasks/")
        assert shown(response, task_name) == {level}, level


# Detail pages: 200 inside the scope, 404 outside it, never a 500.

DETAILS = [
    ("/tasks/{}/", "task"),
    ("/meetings/{}/", "meeting"),
    ("/supervision/findings/{}/", "finding"),
    ("/supervision/notices/{}/", "notice"),
    ("/indicators/{}/", "indicator"),
    ("/grassroots/concerns/{}/", "concern"),
    ("/publicity/{}/", "media"),
]


@pytest.mark.parametrize("level, role", CELLS)
def test_detail_pages_answer_404_outside_the_scope(levels, world, level, role):
    client = client_of(world, level, role)
    wrong = []
    for pattern, record in DETAILS:
        for target in LEVELS:
            url = pattern.format(getattr(levels[target], record).pk)
            expected = 200 if target in reads(level, role) else 404
            status = client.get(url).status_code
            if status != expected:
                wrong.append(f"{url} ({target} {record}): {status}, not {expected}")
    assert not wrong, f"{level} {role}: " + "; ".join(wrong)


def test_the_summary_report_of_a_level_below_is_read_by_its_upper_coordinators(levels, world):
    for level in LEVELS:
        client = client_of(world, level, "coordinator")
        for target in LEVELS:
            url = f"/reports/?campaign={levels[target].campaign.pk}&as_of=2023-07-31"
            expected = 200 if target in SUBTREE[level] else 404
            assert client.get(url).status_code == expected, f"{level} {url}"


# Writes: a coordinator keeps his own level; a level below is read-only (403) to him.


def _answer(client, method, url):
    return (client.post(url, {}) if method == "post" else client.get(url)).status_code


@pytest.mark.parametrize("level", LEVELS)
def test_a_coordinator_writes_his_own_level_only(levels, world, level):
    client = client_of(world, level, "coordinator")
    wrong = []
    for target in LEVELS:
        t = levels[target]
        writes = [
            ("post", f"/tasks/{t.task.pk}/request/"),
            ("get", f"/tasks/{t.task.pk}/edit/"),
            ("get", f"/tasks/report/?unit={t.bureau.pk}"),
            ("get", f"/meetings/{t.meeting.pk}/edit/"),
            ("get", f"/supervision/findings/{t.finding.pk}/edit/"),
            ("get", f"/supervision/notices/{t.notice.pk}/edit/"),
            ("post", f"/grassroots/concerns/{t.concern.pk}/step/"),
            ("get", f"/indicators/{t.indicator.pk}/edit/"),
            ("get", f"/indicators/{t.indicator.pk}/year/"),
            ("get", f"/publicity/{t.media.pk}/edit/"),
        ]
        if target == level:
            expected = {200, 302}
        elif target in SUBTREE[level]:
            expected = {403}
        else:
            expected = {404}
        for method, url in writes:
            status = _answer(client, method, url)
            if status not in expected:
                wrong.append(f"{method.upper()} {url} ({target}): {status}, not {expected}")
    assert not wrong, f"{level} coordinator: " + "; ".join(wrong)


def test_a_task_is_edited_at_its_own_level_only(levels):
    for level in LEVELS:
        coordinator = fresh(levels[level].users["coordinator"])
        for target in SUBTREE[level]:
            assert can_edit_task(coordinator, levels[target].task) == (target == level)
        assert not can_edit_task(fresh(levels[level].users["reporter"]), levels[level].task)


def test_the_task_page_offers_编辑任务_at_the_own_level_only(levels, world):
    client = client_of(world, COUNTY, "coordinator")
    for target in (COUNTY, EAST):
        task = levels[target].task
        page = client.get(f"/tasks/{task.pk}/").content.decode()
        assert (f"/tasks/{task.pk}/edit/" in page) == (target == COUNTY), target


@pytest.mark.parametrize("level", [COUNTY, EAST])
def test_a_districts_change_request_is_decided_by_its_own_coordinators_only(levels, world, level):
    """The county's coordinator reads the district's request but may not decide it (403, still
    pending); the district's own coordinator decides it (returns it here)."""
    east = levels[EAST]
    request = ChangeRequest.objects.create(
        task=east.task, kind=ChangeKind.EXTEND, reason="征地延后",
        proposed_due_date=datetime.date(2023, 12, 31), requested_by=east.users["reporter"],
    )  # fmt: skip
    client = client_of(world, level, "coordinator")
    decision = {"decision": "return", "note": "请补充征地协议"}
    response = client.post(f"/tasks/requests/{request.pk}/decide/", decision)
    request.refresh_from_db()
    if level == EAST:
        assert response.status_code == 302 and request.state == ChangeState.RETURNED
    else:
        assert response.status_code == 403 and request.state == ChangeState.PENDING
    assert can_decide_change_request(fresh(east.users["coordinator"]), east.task)
    assert not can_decide_change_request(fresh(levels[COUNTY].users["coordinator"]), east.task)


def test_the_admin_keeps_a_coordinator_to_his_own_level(levels, world):
    """The admin's lists are for setting up one's own level: a county's coordinator does not
    list (or change) his districts' units and tasks there."""
    client = client_of(world, COUNTY, "coordinator")
    units = client.get("/admin/orgs/unit/").content.decode()
    assert "甲县交通局" in units and "东区交通局" not in units and "示范市交通局" not in units
    tasks = client.get("/admin/tasks/task/").content.decode()
    assert task_name(COUNTY) in tasks and task_name(EAST) not in tasks
    east_unit = levels[EAST].bureau.pk
    assert client.get(f"/admin/orgs/unit/{east_unit}/change/").status_code in {302, 404}


# Bounded queries: a district's coordinator's indicator dashboard costs the same whatever the
# other levels hold, and shows only his district's indicators.


def _grow_other_levels(levels):
    for name in (CITY, COUNTY, WEST):
        for i in range(8):
            indicator = Indicator.objects.create(
                name=f"{name}新增指标{i}",
                measure_unit=MeasureUnit.WAN_YUAN,
                responsible_unit=levels[name].bureau,
            )
            IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=50)


def test_a_districts_indicator_dashboard_costs_the_same_whatever_other_levels_hold(levels, world):
    client = client_of(world, EAST, "coordinator")
    url = "/indicators/?period=2023-07"
    response = assert_same_queries(
        get_page(client, url), lambda: _grow_other_levels(levels), warm_up=True
    )
    text = response.content.decode()
    assert indicator_name(EAST) in text and "新增指标" not in text
    assert shown(response, indicator_name) == {EAST}


def test_a_countys_indicator_dashboard_costs_the_same_as_its_districts_grow(levels, world):
    client = client_of(world, COUNTY, "coordinator")

    def grow():
        for i in range(8):
            indicator = Indicator.objects.create(
                name=f"东区增长指标{i}",
                measure_unit=MeasureUnit.WAN_YUAN,
                responsible_unit=levels[EAST].bureau,
            )
            IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=50)

    response = assert_same_queries(
        get_page(client, "/indicators/?period=2023-07"), grow, warm_up=True
    )
    assert "东区增长指标7" in response.content.decode()
    assert shown(response, indicator_name) == {COUNTY, EAST, WEST}
