"""The task list: scoping, filters, status badges, pagination and its query budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.tasks.models import Milestone, Task, TaskCategory

URL = "/tasks/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


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
    assert first.count("status status-overdue") == 50
    assert "第 1 / 3 页" in first and "status=overdue" in first
    last = c.get(URL, {"status": "overdue", "page": 3}).content.decode()
    assert last.count("status status-overdue") == 20


def _queries(client, url):
    client.get(url)  # warm-up: session and per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["coordinator", "reporter_a", "leader"])
def test_list_query_count_is_the_same_for_10_and_1000_tasks(
    world, client_for, django_assert_num_queries, role
):
    bulk_tasks(world, 8)
    c = client_for(world.users()[role])
    small = _queries(c, URL + "?q=任务")
    bulk_tasks(world, 990)
    with django_assert_num_queries(small):
        c.get(URL + "?q=任务")
