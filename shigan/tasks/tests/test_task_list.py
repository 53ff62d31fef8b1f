"""The task list: scoping, filters, status badges, pagination and its query budget."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.core.figures_cache import clear_caches
from shigan.core.testing import assert_same_queries, get_page
from shigan.tasks.models import Milestone, Task, TaskCategory

URL = "/tasks/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def cold(run):
    """`run` with the list's cache emptied first (tasks.list_cache): every figure from the
    database."""

    def emptied():
        clear_caches()
        return run()

    return emptied


def bulk_tasks(world, n, *, unit=None, title="批量任务", due=datetime.date(2023, 12, 31)):
    tasks = Task.objects.bulk_create(
        Task(
            campaign=world.campaign,
            category=world.category,
            number=100 + i,
            title=f"{title}{i}",
            lead_unit=unit or world.unit_a,
            start_date=datetime.date(2023, 1, 1),
            due_date=due,
        )
        for i in range(n)
    )
    Milestone.objects.bulk_create(
        Milestone(task=t, title="节点", due_date=datetime.date(2023, 9, 30)) for t in tasks
    )
    return tasks


def test_coordinator_sees_every_task_with_its_status_badge(world, client_for):
    body = client_for(world.coordinator).get(URL).content.decode()
    assert "兴业大道建设" in body and "清凉河治理二期" in body
    assert '<span class="status status-on_track">正常</span>' in body
    assert "完成整体方案" in body  # next milestone of task_a


def test_reporter_sees_his_units_tasks_and_not_other_units(world, client_for):
    body = client_for(world.reporter_a).get(URL).content.decode()
    assert "兴业大道建设" in body
    assert "清凉河治理二期" not in body


def test_reporter_sees_task_his_unit_supports(world, client_for):
    world.task_b.supporting_units.add(world.unit_a)
    body = client_for(world.reporter_a).get(URL).content.decode()
    assert "清凉河治理二期" in body


def test_leader_sees_tasks_of_overseen_units_only(world, client_for):
    body = client_for(world.leader).get(URL).content.decode()
    assert "兴业大道建设" in body
    assert "清凉河治理二期" not in body


def test_only_coordinator_sees_new_task_button(world, client_for):
    assert "新建任务" in client_for(world.coordinator).get(URL).content.decode()
    for user in (world.leader, world.reporter_a, world.inspector):
        assert "新建任务" not in client_for(user).get(URL).content.decode()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "param, expect_a, expect_b",
    [
        ("unit", True, False),
        ("leader", True, False),
        ("status", False, True),
        ("q", False, True),
    ],
)
def test_filters_narrow_the_list(world, client_for, param, expect_a, expect_b):
    Milestone.objects.filter(task=world.task_b).update(due_date=datetime.date(2023, 7, 1))
    values = {
        "unit": world.unit_a.pk,
        "leader": world.leader_person.pk,
        "status": "behind",
        "q": "清凉河",
    }
    body = client_for(world.coordinator).get(URL, {param: values[param]}).content.decode()
    assert ("兴业大道建设" in body) is expect_a
    assert ("清凉河治理二期" in body) is expect_b


def test_category_and_campaign_filters(world, client_for):
    other = TaskCategory.objects.create(campaign=world.campaign, name="招商引资")
    Task.objects.filter(pk=world.task_b.pk).update(category=other)
    c = client_for(world.coordinator)
    body = c.get(URL, {"category": other.pk, "campaign": world.campaign.pk}).content.decode()
    assert "清凉河治理二期" in body and "兴业大道建设" not in body


def test_unknown_filter_value_is_ignored(world, client_for):
    body = client_for(world.coordinator).get(URL, {"unit": 99999, "q": "兴业"}).content.decode()
    assert "兴业大道建设" in body


def test_list_is_paginated_fifty_per_page_after_status_filter(world, client_for):
    bulk_tasks(world, 120, title="逾期任务", due=datetime.date(2023, 6, 30))
    bulk_tasks(world, 10, title="正常任务")
    c = client_for(world.coordinator)
    first = c.get(URL, {"status": "overdue"}).content.decode()
    assert first.count('<td><span class="status status-overdue') == 50
    assert "第1/3页" in first and "status=overdue" in first
    last = c.get(URL, {"status": "overdue", "page": 3}).content.decode()
    assert last.count('<td><span class="status status-overdue') == 20


@pytest.mark.parametrize("role", ["coordinator", "reporter_a", "leader"])
def test_list_query_count_is_the_same_for_10_and_1000_tasks(world, client_for, role):
    bulk_tasks(world, 8)
    c = client_for(world.users()[role])
    assert_same_queries(
        cold(get_page(c, URL + "?q=任务")), lambda: bulk_tasks(world, 990), warm_up=True
    )


def _newer_campaign(world, *, year=2024, name="新一年活动"):
    from shigan.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        year=year,
        name=name,
        organiser=world.campaign.organiser,
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )
    category = TaskCategory.objects.create(campaign=campaign, name="新类别")
    return campaign, category


def _task_in(campaign, category, unit, title):
    return Task.objects.create(
        campaign=campaign,
        category=category,
        number=1,
        title=title,
        lead_unit=unit,
        start_date=datetime.date(campaign.year, 1, 1),
        due_date=datetime.date(campaign.year, 12, 31),
    )


def test_list_defaults_to_the_newest_campaign_and_hides_other_campaigns(world, client_for):
    newer, category = _newer_campaign(world)
    _task_in(newer, category, world.unit_a, "新年度任务")
    c = client_for(world.coordinator)
    body = c.get(URL).content.decode()
    assert "新年度任务" in body
    assert "兴业大道建设" not in body and "清凉河治理二期" not in body
    assert f'<option value="{newer.pk}" selected>' in body
    assert f'<option value="{world.campaign.pk}">' in body  # the chooser offers the older one
    older = c.get(URL, {"campaign": world.campaign.pk}).content.decode()
    assert "兴业大道建设" in older and "新年度任务" not in older


def test_default_campaign_is_the_newest_the_user_can_read(world, client_for):
    newer, category = _newer_campaign(world)
    _task_in(newer, category, world.unit_b, "别家新任务")  # reporter_a cannot read it
    body = client_for(world.reporter_a).get(URL).content.decode()
    assert "兴业大道建设" in body and "别家新任务" not in body
    assert newer.name not in body  # a campaign he cannot read is not offered


def test_campaign_he_cannot_read_is_not_found(world, client_for):
    # campaigns.queries.campaign_current: an explicit id naming nothing he may open is a 404
    # on every page, never a silent fall-back to another campaign.
    newer, category = _newer_campaign(world)
    _task_in(newer, category, world.unit_b, "别家新任务")
    response = client_for(world.reporter_a).get(URL, {"campaign": newer.pk})
    assert response.status_code == 404


def test_filter_options_list_only_units_leaders_and_categories_of_visible_tasks(world, client_for):
    from shigan.orgs.models import Unit

    idle = Unit.objects.create(name="无任务的乡镇", kind=world.unit_a.kind, parent=world.unit_a)
    other, other_category = _newer_campaign(world, year=2022, name="旧活动")
    _task_in(other, other_category, idle, "旧活动任务")  # a unit with tasks elsewhere only
    coordinator = client_for(world.coordinator).get(URL).content.decode()
    assert world.unit_a.name in coordinator and world.unit_b.name in coordinator
    assert idle.name not in coordinator and "新类别" not in coordinator
    reporter = client_for(world.reporter_a).get(URL).content.decode()
    assert f'<option value="{world.unit_b.pk}">' not in reporter
    assert f'<option value="{world.unit_a.pk}">' in reporter


def test_pagination_without_status_filter_happens_in_the_database(world, client_for, monkeypatch):
    from shigan.tasks import queries
    from shigan.tasks.views import tasks as views

    bulk_tasks(world, 130)
    computed = []

    def counting_row_for(task, today):
        computed.append(task.pk)
        return queries.row_for(task, today)

    monkeypatch.setattr(views, "row_for", counting_row_for)
    response = client_for(world.coordinator).get(URL, {"page": 2})
    body = response.content.decode()
    page = response.context["page"]
    assert page.paginator.count == Task.objects.filter(campaign=world.campaign).count() == 132
    assert len(computed) == 50 and body.count('<td><span class="status status-') == 50
    assert "共132项任务" in body and "第2/3页" in body


def test_status_filter_counts_one_campaign_only(world, client_for):
    newer, category = _newer_campaign(world)
    _task_in(newer, category, world.unit_a, "新年度任务")
    c = client_for(world.coordinator)
    body = c.get(URL, {"status": "not_started"}).content.decode()
    assert "新年度任务" in body and "兴业大道建设" not in body and "共1项任务" in body
    older = c.get(URL, {"status": "on_track", "campaign": world.campaign.pk}).content.decode()
    assert "兴业大道建设" in older and "新年度任务" not in older


def test_status_band_counts_the_lists_statuses_worst_first(world, client_for):
    """Issue 15 review: on a phone /tasks/ showed no status up front. The band leads the page,
    worst first, its counts those of the rows listed, each a link to ?status=."""
    bulk_tasks(world, 3, title="逾期任务", due=datetime.date(2023, 6, 30))
    c = client_for(world.coordinator)
    response = c.get(URL)
    listed = {}
    for status in re.findall(r'<tr class="row-(\w+)">', response.content.decode()):
        listed[status] = listed.get(status, 0) + 1
    tiles = response.context["tiles"]
    assert {t["status"].value: t["count"] for t in tiles if t["count"]} == listed
    assert listed["overdue"] >= 3
    order = [t["status"].value for t in tiles]
    assert order == sorted(order, key=["overdue", "behind", "nearing", "on_track",
                                       "not_started", "done", "cancelled"].index)  # fmt: skip
    assert order[:3] == ["overdue", "behind", "nearing"]
    html = response.content.decode()
    assert html.index("data-status-tiles") < html.index('<table class="task-table"')
    assert 'href="?status=overdue' in html.replace("&amp;", "&") or "status=overdue" in html
    overdue = c.get(URL, {"status": "overdue"})
    assert len(overdue.context["page"].object_list) == listed["overdue"]
    assert overdue.content.decode().count('<tr class="row-overdue">') == listed["overdue"]
    band = {t["status"].value: t["count"] for t in overdue.context["tiles"]}
    assert band["overdue"] == listed["overdue"]  # the band still counts the whole list


@pytest.mark.parametrize("role", ["coordinator", "reporter_a"])
def test_status_band_query_count_is_flat_with_a_status_filter(world, client_for, role):
    bulk_tasks(world, 8, due=datetime.date(2023, 6, 30))
    c = client_for(world.users()[role])
    run = cold(get_page(c, URL + "?status=overdue"))
    assert_same_queries(
        run, lambda: bulk_tasks(world, 300, due=datetime.date(2023, 6, 30)), warm_up=True
    )


@pytest.mark.parametrize("role", ["coordinator", "reporter_a"])
def test_a_warm_list_makes_the_same_few_queries_for_10_and_1000_tasks(world, client_for, role):
    bulk_tasks(world, 8, due=datetime.date(2023, 6, 30))
    page = get_page(client_for(world.users()[role]), URL + "?status=overdue")

    def warm_queries() -> int:
        page()  # fills the cache (tasks.list_cache)
        with CaptureQueriesContext(connection) as captured:
            page()
        return len(captured)

    # session, user, person, (a coordinator: his level's units), campaigns, last change, the
    # inbox's unread count; the page's rows, rendered, are cached too (tasks.list_cache)
    expected = 7 if role == "coordinator" else 6
    assert warm_queries() == expected
    bulk_tasks(world, 990, due=datetime.date(2023, 6, 30))
    assert warm_queries() == expected
