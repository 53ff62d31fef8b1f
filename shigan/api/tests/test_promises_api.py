"""我为群众办实事 through the API is its pages: read by every role as the list and the item's
page read (tasks of origin 办实事事项 the caller's role reads), an item recorded and its 回访
recorded by the task force as the pages do — PromiseForm/promise_create (a tracked task, its
milestones and audit: the same record GET /tasks/{id} reads) and FollowUpForm/
promise_follow_up_record, the same messages on the body's fields, audited; each role's token
answers what the page answers; Idempotency-Key replays; unknown fields refused."""

import datetime
import json

import pytest
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import PromiseFollowUp, Satisfaction
from shigan.grassroots.services.promises import promise_create, promise_follow_up_record
from shigan.tasks.models import Milestone, Task, TaskOrigin, TaskState

JSON = "application/json"
URL = "/api/v1/promises"
D = datetime.date
DUE = D(2023, 11, 30)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def make_promise(world, title="为兴业社区加装电梯", unit=None, due_date=DUE):
    return promise_create(
        campaign=world.campaign, by=world.coordinator, title=title, target="年底前加装3台",
        lead_unit=unit or world.unit_a, leader=world.leader_person,
        start_date=D(2023, 3, 1), due_date=due_date,
    )  # fmt: skip


def body(world, **fields):
    return {
        "title": "为兴业社区加装电梯", "target": "年底前加装3台", "lead_unit": world.unit_a.pk,
        "leader": world.leader_person.pk, "start_date": "2023-03-01", "due_date": "2023-11-30",
    } | fields  # fmt: skip


def follow_up_body(**fields):
    return {
        "on": "2023-07-18",
        "satisfaction": "satisfied",
        "result": "居民反映电梯运行良好",
    } | fields


def post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type=JSON, **headers)


def follow_up_url(task) -> str:
    return f"{URL}/{task.pk}/follow-up"


def promises(world) -> Task:
    return Task.objects.filter(origin=TaskOrigin.PROMISE)


def test_the_task_force_records_an_item_as_a_tracked_task_and_its_follow_up(world, token_client):
    api, _ = token_client(world.coordinator)
    milestones = [{"title": "完成选址", "due_date": "2023-06-30"}]
    created = post(api, URL, body(world, milestones=milestones))
    assert created.status_code == 201, created.content
    task = promises(world).get()
    assert created.json() | {"id": None} == {
        "id": None, "campaign_id": world.campaign.pk, "title": "为兴业社区加装电梯",
        "target": "年底前加装3台", "lead_unit_id": world.unit_a.pk, "lead_unit": "区交通局",
        "leader_id": world.leader_person.pk, "leader": "李副区长", "state": "active",
        "status": "behind", "status_label": "滞后",  # its milestone of 6-30 not reached
        "start_date": "2023-03-01", "due_date": "2023-11-30", "latest_progress": None,
        "evidence_count": 0, "follow_up": None, "ready_to_close": False,
    }  # fmt: skip
    assert (task.category.name, task.campaign_id) == ("办实事事项", world.campaign.pk)
    assert list(Milestone.objects.filter(task=task).values_list("title", "due_date")) == [
        ("完成选址", D(2023, 6, 30))
    ]
    as_task = api.get(f"/api/v1/tasks/{task.pk}").json()  # the same record, tracked as a task
    assert (as_task["origin"], as_task["title"], as_task["status"]) == (
        "promise",
        task.title,
        "behind",
    )
    recorded = post(api, follow_up_url(task), follow_up_body())
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["follow_up"] == {
        "on": "2023-07-18", "result": "居民反映电梯运行良好", "satisfaction": "satisfied",
        "satisfaction_label": "满意",
    }  # fmt: skip
    again = post(api, follow_up_url(task), follow_up_body(satisfaction="basic", result="基本满意"))
    assert again.json()["follow_up"]["satisfaction_label"] == "基本满意"
    assert PromiseFollowUp.objects.get().satisfaction == Satisfaction.BASIC
    audited = AuditEntry.objects.filter(task_id=task.pk)
    assert sorted(audited.values_list("record_type", "action")) == sorted([
        ("tasks.task", AuditAction.CREATE), ("tasks.milestone", AuditAction.CREATE),
        ("grassroots.promisefollowup", AuditAction.CREATE),
        ("grassroots.promisefollowup", AuditAction.UPDATE),
    ])  # fmt: skip
    update = audited.get(record_type="grassroots.promisefollowup", action=AuditAction.UPDATE)
    assert update.actor_id == world.coordinator.pk
    assert api.get(f"{URL}/{task.pk}").json() == again.json()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"due_date": "2023-02-01"}, "due_date", "承诺完成时限2023-02-01早于开始日期2023-03-01"),
        ({"lead_unit": 999999}, "lead_unit", "单位不存在"),
        ({"leader": 999999}, "leader", "人员不存在"),
        ({"title": " \u200b"}, "title", "这个字段是必填项"),
        ({"start_date": "2023-02-30"}, "start_date", "日期"),
        ({"milestones": [{"title": "选址\n验收", "due_date": "2023-06-30"}]},
         "milestones.0.title", "节点名称不能换行"),  # one line of the page's text area each
        ({"milestones": [{"title": "验收", "due_date": "2023-12-31"}]},
         "milestones", "节点“验收”的计划完成日期2023-12-31不在任务起止日期"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_the_pages_message(world, token_client, change, field, message):
    api, _ = token_client(world.coordinator)
    response = post(api, URL, body(world) | change)
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"]
    assert not promises(world).exists()
    assert not AuditEntry.objects.filter(record_type__startswith="tasks.").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"on": "2023-07-21"}, "on", "回访日期2023-07-21晚于今天，请在回访后录入"),
        ({"on": "2023-02-28"}, "on", "回访日期2023-02-28早于事项开始日期2023-03-01"),
        ({"result": "\u202e "}, "result", "这个字段是必填项"),
        ({"satisfaction": "很好"}, "satisfaction", "取值应为"),
    ],
)
def test_a_bad_follow_up_is_refused_naming_its_field(world, token_client, change, field, message):
    task = make_promise(world)
    api, _ = token_client(world.coordinator)
    response = post(api, follow_up_url(task), follow_up_body(**change))
    assert response.status_code == 422, response.content
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"]
    assert not PromiseFollowUp.objects.exists()


def test_a_closed_item_takes_no_follow_up(world, token_client):
    task = make_promise(world)
    Task.objects.filter(pk=task.pk).update(state=TaskState.COMPLETED)
    api, _ = token_client(world.coordinator)
    response = post(api, follow_up_url(task), follow_up_body())
    assert response.status_code == 422
    assert "已办结，不能再录入回访" in response.json()["detail"]
    assert not PromiseFollowUp.objects.exists()


def test_hostile_text_is_kept_as_text_and_unknown_fields_refused(world, token_client):
    api, _ = token_client(world.coordinator)
    title = "<script>alert(1)</script>加装\u202e电梯'; DROP TABLE tasks_task;--"
    created = post(api, URL, body(world, title=title, target="😀\u200b" * 3))
    assert created.status_code == 201, created.content
    assert created.json()["title"] == "<script>alert(1)</script>加装电梯'; DROP TABLE tasks_task;--"
    assert created.json()["target"] == "😀😀😀"
    unknown = post(api, URL, body(world, category=world.category.pk))
    assert unknown.status_code == 422 and "category" in unknown.content.decode()
    nul = post(api, follow_up_url(promises(world).get()), follow_up_body(result="好\x00"))
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "result"
    assert promises(world).count() == 1 and not PromiseFollowUp.objects.exists()


def test_a_retried_post_with_its_key_is_replayed_not_doubled(world, token_client):
    api, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "promise-1"}
    first, again = post(api, URL, body(world), **key), post(api, URL, body(world), **key)
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert promises(world).count() == 1
    task = promises(world).get()
    key = {"HTTP_IDEMPOTENCY_KEY": "follow-up-1"}
    first = post(api, follow_up_url(task), follow_up_body(), **key)
    again = post(api, follow_up_url(task), follow_up_body(), **key)
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert AuditEntry.objects.filter(record_type="grassroots.promisefollowup").count() == 1


def test_each_roles_token_reads_and_writes_as_the_pages(world, token_client, client_for):
    shown, other = make_promise(world), make_promise(world, "清凉河边修步道", unit=world.unit_b)
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        create_page = page.get(reverse("grassroots:promise_create")).status_code
        created = post(api, URL, body(world, title=f"{name}的事项"))
        assert created.status_code == {200: 201}.get(create_page, create_page), (name, created)
        for task in (shown, other):
            detail_page = page.get(reverse("grassroots:promise_detail", args=[task.pk]))
            detail = api.get(f"{URL}/{task.pk}")
            assert detail.status_code == detail_page.status_code, (name, task.title)
            follow_page = page.post(reverse("grassroots:promise_follow_up", args=[task.pk]))
            follow = post(api, follow_up_url(task), follow_up_body())
            assert follow.status_code == follow_page.status_code, (name, follow.content)
        listed = {t["id"] for t in api.get(f"{URL}?limit=100").json()["items"]}
        list_page = page.get(reverse("grassroots:promise_list")).content.decode()
        for task in promises(world):
            in_page = reverse("grassroots:promise_detail", args=[task.pk]) in list_page
            assert (task.pk in listed) == in_page, (name, task.title)
        promises(world).exclude(pk__in=[shown.pk, other.pk]).delete()
    read, _ = token_client(world.coordinator, scope="read")
    assert post(read, URL, body(world)).status_code == 403


def test_an_item_out_of_reach_reads_as_one_that_does_not_exist(world, token_client, other_district):
    task = make_promise(world)
    outsider, _ = token_client(world.reporter_b)
    stranger, _ = token_client(other_district[0])
    missing = token_client(world.coordinator)[0].get(f"{URL}/999999")
    for api in (outsider, stranger):
        hidden = api.get(f"{URL}/{task.pk}")
        assert (hidden.status_code, hidden.json()) == (404, missing.json())
        assert post(api, follow_up_url(task), follow_up_body()).status_code == 404
    assert stranger.get(URL).json()["items"] == []


def test_the_list_filters_pages_and_runs_the_same_queries_for_one_and_many(world, token_client):
    api, _ = token_client(world.coordinator)
    first = make_promise(world, "事项1")
    promise_follow_up_record(task=first, by=world.coordinator, on=D(2023, 7, 1), result="好",
                             satisfaction=Satisfaction.SATISFIED)  # fmt: skip
    api.get(URL)  # the token's first use is recorded once, not counted here

    def grow():
        for n in range(2, 6):
            task = make_promise(world, f"事项{n}", due_date=D(2023, 7, n))  # overdue
            promise_follow_up_record(task=task, by=world.coordinator, on=D(2023, 7, 1),
                                     result="好", satisfaction=Satisfaction.BASIC)  # fmt: skip

    listed = assert_same_queries(lambda: api.get(URL), grow, exactly=5)
    assert [t["title"] for t in listed.json()["items"]] == [f"事项{n}" for n in range(1, 6)]
    overdue = api.get(f"{URL}?status=overdue").json()["items"]
    assert [t["title"] for t in overdue] == ["事项2", "事项3", "事项4", "事项5"]
    one = api.get(f"{URL}?limit=2").json()
    two = api.get(f"{URL}?limit=2&cursor={one['next']}").json()
    assert [t["title"] for t in one["items"] + two["items"]] == ["事项1", "事项2", "事项3", "事项4"]
    assert api.get(f"{URL}?campaign={world.campaign.pk + 1000}").json()["items"] == []
    assert api.get(f"{URL}?page=2").status_code == 422  # an unknown filter
