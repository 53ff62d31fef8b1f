"""The collapsed map's cache key moves with every kind of change the map shows, and only with
those of its own campaign (issue 18: any change anywhere used to make every cached map new).
A stale fragment would show the old text: each test caches the page and a fragment, makes one
change through its service, and reads them again."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.campaigns.models import Campaign
from shigan.core.figures_cache import clear_caches
from shigan.orgs.models import Person, Role
from shigan.orgs.services.accounts import person_assign
from shigan.orgs.tests.org_sheets import world_book
from shigan.orgs.xlsx import org_import_apply
from shigan.tasks.changes import last_change
from shigan.tasks.models import TaskCategory
from shigan.tasks.services.categories import category_update
from shigan.tasks.services.progress import progress_submit
from shigan.tasks.services.tasks import MilestoneInput, task_save
from shigan.testing import make_task

from ..views import battle_map as views
from .bulk import bulk_tasks
from .test_battle_map_collapsed import headings, task_ids

URL = "/map/?group=unit"
JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def collapsed(world, monkeypatch):
    bulk_tasks(world, 3)
    monkeypatch.setattr(views, "MAP_EXPAND_LIMIT", 1)
    return world


def book_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.wb.save(buffer)
    return buffer.getvalue()


def org_apply(world, book) -> None:
    result = org_import_apply(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    assert not result.errors, result.errors


def fragment(client, label="区交通局") -> str:
    src = headings(client.get(URL).content.decode())[label][2]
    return client.get(src).content.decode()


def twice(client, label="区交通局") -> str:
    """The fragment, asked twice: the second answer comes from the cache."""
    first = fragment(client, label)
    assert fragment(client, label) == first
    return first


def test_progress_filed_and_milestone_done_show(collapsed, client_for):
    world = collapsed
    client = client_for(world.coordinator)
    before = twice(client)
    assert "七月路面摊铺完成" not in before and ">1/2<" in row_of(before, world.task_a)
    milestone = world.task_a.milestones.filter(done_on__isnull=True).first()
    progress_submit(
        task=world.task_a,
        unit=world.unit_a,
        period=JULY,
        by=world.reporter_a,
        text="七月路面摊铺完成",
        milestones_reached={milestone.pk: datetime.date(2023, 7, 18)},
        uploads=[],
    )
    after = fragment(client)
    assert "七月路面摊铺完成" in after and ">2/2<" in row_of(after, world.task_a)


def row_of(html: str, task) -> str:
    return html.split(f'data-task="{task.pk}"')[1].split("</tr>")[0]


def test_a_task_edited_shows(collapsed, client_for):
    world = collapsed
    client = client_for(world.coordinator)
    assert "兴业大道建设" in twice(client)
    task = world.task_a
    task_save(
        task=task,
        by=world.coordinator,
        campaign=world.campaign,
        category=task.category,
        number=task.number,
        title="兴业大道建设（东段）",
        target=task.target,
        lead_unit=task.lead_unit,
        supporting_units=[],
        leader=task.leader,
        start_date=task.start_date,
        due_date=task.due_date,
        milestones=[MilestoneInput(m.title, m.due_date, m) for m in task.milestones.all()],
    )
    assert "兴业大道建设（东段）" in fragment(client)


def test_a_unit_and_a_leader_renamed_show(collapsed, client_for):
    world = collapsed
    org_apply(world, world_book())  # the units get their codes first, the leader his below
    Person.objects.filter(pk=world.leader_person.pk).update(code="L1")
    client = client_for(world.coordinator)
    assert "李副区长" in twice(client)
    book = world_book()
    book.cell("单位", 4, "单位名称").value = "区交通运输局"
    book.cell("分管", 2, "分管单位").value = "区交通运输局"
    org_apply(world, book)
    assert "区交通运输局" in headings(client.get(URL).content.decode())
    assert "区交通运输局" in fragment(client, "区交通运输局")
    assert "李副区长" in fragment(client, "区交通运输局")
    book.cell("人员", 3, "人员编码").value = "L1"
    book.cell("人员", 3, "姓名").value = "李区长"
    book.cell("分管", 2, "领导").value = "李区长"
    org_apply(world, book)
    assert "李区长" in fragment(client, "区交通运输局")


def test_a_category_renamed_shows(collapsed, client_for):
    world = collapsed
    client = client_for(world.coordinator)
    page = "/map/"
    assert "路网体系" in headings(client.get(page).content.decode())
    category_update(category=world.category, by=world.coordinator, name="路网建设")
    assert list(headings(client.get(page).content.decode())) == ["路网建设"]


def test_the_viewers_role_and_oversight_move_his_map(collapsed, client_for):
    world = collapsed
    org_apply(world, world_book())
    leader = client_for(world.leader)
    assert list(headings(leader.get(URL).content.decode())) == ["区交通局"]
    book = world_book()
    book.oversee(领导="李副区长", 分管单位="区水务局")
    org_apply(world, book)
    assert list(headings(leader.get(URL).content.decode())) == ["区交通局", "区水务局"]
    reporter = client_for(world.reporter_a)
    assert list(headings(reporter.get(URL).content.decode())) == ["区交通局"]
    person = world.reporter_a.person
    person_assign(person=person, role=Role.INSPECTOR, unit=person.unit, by=world.coordinator)
    assert list(headings(reporter.get(URL).content.decode())) == ["区交通局", "区水务局"]


def test_a_change_in_another_campaign_keeps_the_cached_map(collapsed, client_for):
    world = collapsed
    other = Campaign.objects.create(
        year=2022,
        name="另一项活动",
        organiser=world.district,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    elsewhere = make_task(
        campaign=other,
        category=TaskCategory.objects.create(campaign=other, name="其他"),
        unit=world.unit_a,
        title="另一活动的任务",
        leader=world.leader_person,
    )
    client = client_for(world.coordinator)
    before = twice(client)
    change = last_change(world.campaign)
    progress_submit(
        task=elsewhere,
        unit=world.unit_a,
        period=JULY,
        by=world.reporter_a,
        text="另一活动七月进展",
        milestones_reached={},
        uploads=[],
    )
    category_update(category=elsewhere.category, by=world.coordinator, name="其他类别")
    assert last_change(world.campaign) == change
    with CaptureQueriesContext(connection) as run:
        assert fragment(client) == before
    assert not any("tasks_milestone" in q["sql"] for q in run.captured_queries)  # not rebuilt
    assert task_ids(before)
