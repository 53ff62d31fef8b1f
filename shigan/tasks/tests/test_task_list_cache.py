"""The task list's cached figures (tasks.list_cache): after every kind of change the cached list
is the list computed afresh, and a warm list makes four queries fewer at any size."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core.figures_cache import clear_caches
from shigan.orgs.models import Oversight, Person
from shigan.orgs.services.accounts import person_assign
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.list_cache import _filter_options
from shigan.tasks.models import ChangeKind, Milestone, Task
from shigan.tasks.queries import task_filter_options
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import progress_submit
from shigan.tasks.services.tasks import MilestoneInput, task_save
from shigan.testing import make_task

URL = "/tasks/"
JULY = datetime.date(2023, 7, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    clear_caches()


def figures(client, **params) -> dict:
    """What the list shows: its band, its page's rows, its totals and its filter choices."""
    response = client.get(URL, params)
    assert response.status_code == 200
    context = response.context
    return {
        "band": {tile["status"].value: tile["count"] for tile in context["tiles"]},
        "rows": shown_rows(str(context["rows_html"])),
        "html": str(context["rows_html"]),  # the page's rows as rendered (cached so)
        "total": context["total"],
        "all": context["all_count"],
        "options": {
            name: list(context["filter_form"].fields[name].choices)
            for name in ("category", "unit", "leader")
        },
    }


def shown_rows(html: str) -> list[tuple]:
    """(task id, title, status, latest progress text or None) of each row in `html`."""
    rows = []
    for status, body in re.findall(r'<tr class="row-(\w+)">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        pk, title = re.search(r'<a href="/tasks/(\d+)/">(.*?)</a>', cells[1]).groups()
        progress = re.fullmatch(r'<span class="muted">[^<]*</span> (.*)', cells[6], re.S)
        rows.append((int(pk), title, status, progress and progress.group(1)))
    return rows


VIEWS = [{}, {"status": "behind"}, {"status": "on_track"}]


def warm(client) -> list[dict]:
    """The list and its status-filtered views, now in the cache."""
    return [figures(client, **params) for params in VIEWS]


def assert_cached_is_fresh(client, before: list[dict]) -> list[dict]:
    """Each view as served (from the cache where its key still holds) equals the view computed
    with the cache emptied, and differs from `before` (the change shows)."""
    served = [figures(client, **params) for params in VIEWS]
    clear_caches()
    fresh = [figures(client, **params) for params in VIEWS]
    assert served == fresh
    assert served != before
    return served


def test_a_warm_list_is_served_from_the_cache(world, client_for):
    c = client_for(world.coordinator)
    before = warm(c)
    assert before[0]["band"] == {"overdue": 0, "behind": 1, "nearing": 0, "on_track": 1}
    with CaptureQueriesContext(connection) as warm_queries:
        again = warm(c)
    assert again == before
    clear_caches()
    with CaptureQueriesContext(connection) as cold_queries:
        warm(c)
    # The campaign's statuses, the list's ids in order, the visible tasks' units, leaders and
    # categories and the three choice lists: read once, then from the cache by all three views
    # (a status filter reads the same pass); and each view's page of rows (three).
    assert len(cold_queries) - len(warm_queries) == 6 + 3


def test_progress_filed_shows_on_the_cached_list(world, client_for):
    c = client_for(world.coordinator)
    before = warm(c)
    progress_submit(
        task=world.task_a,
        unit=world.unit_a,
        period=JULY,
        by=world.reporter_a,
        text="七月完成路基施工",
        milestones_reached={},
        uploads=[],
    )
    after = assert_cached_is_fresh(c, before)
    assert "七月完成路基施工" in {row[3] for row in after[0]["rows"]}


def test_milestone_done_shows_on_the_cached_band(world, client_for):
    c = client_for(world.coordinator)
    before = warm(c)
    milestone = Milestone.objects.get(task=world.task_b)
    progress_submit(
        task=world.task_b,
        unit=world.unit_b,
        period=JULY,
        by=world.reporter_b,
        text="新建堤防完成",
        milestones_reached={milestone.pk: datetime.date(2023, 7, 15)},
        uploads=[],
    )
    after = assert_cached_is_fresh(c, before)
    assert after[0]["band"]["behind"] == 0 and after[0]["band"]["on_track"] == 2


def test_closure_shows_on_the_cached_band(world, client_for):
    c = client_for(world.coordinator)
    before = warm(c)
    request = change_request_create(
        task=world.task_b, by=world.reporter_b, kind=ChangeKind.CANCEL, reason="并入其他项目"
    )
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    after = assert_cached_is_fresh(c, before)
    assert after[0]["band"]["cancelled"] == 1 and after[0]["band"]["behind"] == 0


def test_extension_approved_shows_on_the_cached_band(world, client_for):
    make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="临期任务",
        due=datetime.date(2023, 7, 25),
        number=3,
    )
    task = Task.objects.get(title="临期任务")
    c = client_for(world.coordinator)
    before = warm(c)
    assert before[0]["band"]["nearing"] == 1
    request = change_request_create(
        task=task,
        by=world.reporter_a,
        kind=ChangeKind.EXTEND,
        reason="征地延后",
        proposed_due_date=datetime.date(2023, 12, 31),
    )
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    after = assert_cached_is_fresh(c, before)
    assert after[0]["band"]["nearing"] == 0


def test_task_edited_shows_on_the_cached_list_and_choices(world, client_for):
    c = client_for(world.reporter_a)
    before = warm(c)
    task = world.task_b
    task_save(
        task=task,
        by=world.coordinator,
        campaign=task.campaign,
        category=task.category,
        number=task.number,
        title="清凉河治理二期（交通局牵头）",
        target=task.target,
        lead_unit=world.unit_a,
        supporting_units=[],
        leader=None,
        start_date=task.start_date,
        due_date=task.due_date,
        milestones=[MilestoneInput(m.title, m.due_date, m) for m in task.milestones.all()],
    )
    after = assert_cached_is_fresh(c, before)
    assert "清凉河治理二期（交通局牵头）" in {row[1] for row in after[0]["rows"]}


def test_a_role_change_shows_on_the_cached_list(world, client_for):
    c = client_for(world.reporter_a)
    before = warm(c)
    assert [row[1] for row in before[0]["rows"]] == ["兴业大道建设"]
    person = Person.objects.get(user=world.reporter_a)
    person_assign(person=person, role=person.role, unit=world.unit_b, by=world.coordinator)
    after = assert_cached_is_fresh(c, before)
    assert [row[1] for row in after[0]["rows"]] == ["清凉河治理二期"]


def test_the_next_day_is_counted_afresh(world, client_for, monkeypatch):
    c = client_for(world.coordinator)
    before = warm(c)
    monkeypatch.setenv("SHIGAN_TODAY", "2024-01-02")  # nothing written: statuses move at midnight
    after = assert_cached_is_fresh(c, before)
    assert after[0]["band"]["overdue"] == 2


def test_each_viewer_reads_his_own_cached_list(world, client_for):
    warm(client_for(world.coordinator))
    reporter = client_for(world.reporter_b)
    listed = figures(reporter)
    assert [row[1] for row in listed["rows"]] == ["清凉河治理二期"]
    assert listed["all"] == 1
    assert [pk for pk, _ in listed["options"]["unit"][1:]] == [world.unit_b.pk]


def test_a_second_viewer_reads_the_campaigns_cached_statuses(world, client_for):
    warm(client_for(world.coordinator))
    reporter = client_for(world.reporter_a)
    with CaptureQueriesContext(connection) as captured:
        listed = figures(reporter)
    assert not [q for q in captured.captured_queries if "CASE WHEN" in q["sql"]]
    assert listed["band"] == {"overdue": 0, "behind": 0, "nearing": 0, "on_track": 1}


def test_the_filter_choices_are_those_of_task_filter_options(world, client_for):
    make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_b,
        title="无责任领导的任务",
        number=4,
    )
    for user in (world.coordinator, world.leader, world.reporter_a, world.reporter_b):
        visible = tasks_visible_to(user, Task.objects.filter(campaign=world.campaign))
        assert _filter_options(visible) == task_filter_options(visible)
    assert _filter_options(Task.objects.none()) == task_filter_options(Task.objects.none())


def test_a_filtered_list_is_cached_apart(world, client_for):
    c = client_for(world.coordinator)
    warm(c)
    narrowed = figures(c, unit=world.unit_b.pk)
    assert [row[1] for row in narrowed["rows"]] == ["清凉河治理二期"]
    assert narrowed["all"] == 1


def test_an_oversight_change_shows_on_the_leaders_cached_list(world, client_for):
    c = client_for(world.leader)
    before = warm(c)
    assert [row[1] for row in before[0]["rows"]] == ["兴业大道建设"]
    # Written as the admin's inline writes it: no entry about any task of the campaign.
    Oversight.objects.create(leader=world.leader_person, unit=world.unit_b)
    after = assert_cached_is_fresh(c, before)
    assert [row[1] for row in after[0]["rows"]] == ["兴业大道建设", "清凉河治理二期"]
