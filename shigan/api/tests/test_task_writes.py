"""Creating and editing tasks through the API is doing it on the 新建任务 / 修改任务 page: the
page's form and milestone formset (choices of the caller's own level, their messages) and
tasks.services.tasks.task_save (the rules, the audit). Each role's token may do exactly what the
role may do on the page: the page is asked too, and the two answers compared."""

import pytest

from shigan.api.webhook_services import webhook_create, webhooks_sweep
from shigan.api.webhooks import WebhookDelivery
from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import Milestone, Task

from .versions import versioned

JSON = "application/json"

# The page's answer (to a GET of its form) → the API's answer to a valid write.
SAME_RULE = {200: {200, 201}, 403: {403}, 404: {404}}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def task_body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "category": world.category.pk,
        "number": 3,
        "title": "招商引资",
        "target": "全年外出招商不少于8次",
        "lead_unit": world.unit_a.pk,
        "supporting_units": [world.unit_b.pk],
        "leader": world.leader_person.pk,
        "start_date": "2023-02-08",
        "due_date": "2023-12-31",
        "milestones": [
            {"title": "签订协议4个", "due_date": "2023-06-30"},
            {"title": "实际落地3个", "due_date": "2023-09-30"},
        ],
    } | fields


def edit_body(api, task, **fields):
    """task's detail as the API answers it, sent back unchanged but for `fields`."""
    shown = api.get(f"/api/v1/tasks/{task.pk}").json()
    body = {
        "campaign": shown["campaign_id"],
        "category": shown["category_id"],
        "number": shown["number"],
        "title": shown["title"],
        "target": shown["target"],
        "lead_unit": shown["lead_unit_id"],
        "supporting_units": shown["supporting_unit_ids"],
        "leader": shown["leader_id"],
        "start_date": shown["start_date"],
        "due_date": shown["due_date"],
        "milestones": [
            {"id": m["id"], "title": m["title"], "due_date": m["due_date"]}
            for m in shown["milestones"]
        ],
        "version": shown["version"],
    }
    return body | fields


def test_coordinator_creates_a_task_with_milestones_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/tasks", task_body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    task = Task.objects.get(title="招商引资")
    assert list(task.supporting_units.all()) == [world.unit_b]
    assert [(m.title, str(m.due_date)) for m in task.milestones.all()] == [
        ("签订协议4个", "2023-06-30"),
        ("实际落地3个", "2023-09-30"),
    ]
    entries = AuditEntry.objects.filter(task_id=task.pk)
    assert sorted(e.record_type for e in entries) == ["tasks.milestone"] * 2 + ["tasks.task"]
    assert {(e.action, e.actor) for e in entries} == {(AuditAction.CREATE, world.coordinator)}
    created = entries.get(record_type="tasks.task")
    assert created.changes["配合单位"] == [None, "区水务局"]
    body = response.json()
    assert (
        body["id"] == task.pk and body["origin"] == "list" and body["status"] == "behind"
    )  # 6-30 passed
    assert body["supporting_unit_ids"] == [world.unit_b.pk]
    assert body["leader_id"] == world.leader_person.pk
    assert body["version"] == max(e.pk for e in entries)
    assert api.get(f"/api/v1/tasks/{task.pk}").json() == body


def test_each_roles_token_creates_a_task_as_the_role_may_on_the_page(
    world, token_client, client_for
):
    for name, user in world.users().items():
        page = client_for(user).get("/tasks/new/").status_code
        api, _ = token_client(user)
        response = api.post("/api/v1/tasks", task_body(world, title=name), content_type=JSON)
        assert response.status_code in SAME_RULE[page], (name, page, response.content)
        if response.status_code == 403:  # refused before the body is read, in the page's words
            assert response.json()["detail"] == "只有专班可以新建任务。"
    assert list(Task.objects.filter(title__in=world.users()).values_list("title", flat=True)) == [
        "coordinator"
    ]
    read_only, _ = token_client(world.coordinator, scope="read")
    refused = read_only.post("/api/v1/tasks", task_body(world), content_type=JSON)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "该令牌为只读令牌，不能用于修改数据。"
    assert not Task.objects.filter(title="招商引资").exists()


def test_each_roles_token_edits_a_task_as_the_role_may_on_the_page(world, token_client, client_for):
    coordinator, _ = token_client(world.coordinator)
    body = edit_body(coordinator, world.task_a, title="兴业大道建设（改）", version=None)
    for name, user in world.users().items():
        page = client_for(user).get(f"/tasks/{world.task_a.pk}/edit/").status_code
        api, _ = token_client(user)
        url = f"/api/v1/tasks/{world.task_a.pk}"
        response = api.put(url, versioned(url, body), content_type=JSON)  # the version now
        assert response.status_code in SAME_RULE[page], (name, page, response.content)
        expected = {404: "任务不存在或无权查看。", 403: "只有专班可以修改任务。"}
        if response.status_code in expected:
            assert response.json()["detail"] == expected[response.status_code], name
    assert Task.objects.get(pk=world.task_a.pk).title == "兴业大道建设（改）"
    updates = AuditEntry.objects.filter(record_type="tasks.task", action=AuditAction.UPDATE)
    assert [e.actor for e in updates] == [world.coordinator]


def test_another_districts_coordinator_neither_reads_nor_files_into_it(
    world, other_district, token_client
):
    outsider, _ = token_client(other_district[0])
    missing = outsider.put(
        f"/api/v1/tasks/{world.task_a.pk}", task_body(world) | {"milestones": []}, content_type=JSON
    )
    assert missing.status_code == 404
    # his own campaign's form offers none of the district's campaign, category, units, people
    created = outsider.post("/api/v1/tasks", task_body(world), content_type=JSON)
    assert created.status_code == 422
    fields = [e["field"] for e in created.json()["errors"]]
    assert fields == ["campaign", "category", "lead_unit", "supporting_units", "leader"]
    assert created.json()["errors"][0]["detail"] == "所选活动不存在，请重新选择。"
    assert not Task.objects.filter(title="招商引资").exists()


def test_a_task_breaking_the_pages_rules_is_refused_naming_the_field(world, token_client):
    api, _ = token_client(world.coordinator)

    def refused(**fields):
        response = api.post("/api/v1/tasks", task_body(world, **fields), content_type=JSON)
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "数据未通过校验"
        return response.json()["errors"]

    assert refused(due_date="2023-01-31", milestones=[]) == [
        {"field": "due_date", "detail": "完成时限2023-01-31早于开始日期2023-02-08。"}
    ]
    assert refused(supporting_units=[world.unit_a.pk]) == [
        {"field": "supporting_units", "detail": "牵头单位“区交通局”不能同时作为配合单位。"}
    ]
    late = [
        {"title": "签订协议4个", "due_date": "2023-06-30"},
        {"title": "验收", "due_date": "2024-01-15"},
    ]
    assert refused(milestones=late) == [
        {
            "field": "milestones.1.due_date",
            "detail": "节点“验收”的计划完成日期2024-01-15不在任务起止日期（2023-02-08至2023-12-31）之内。",
        }
    ]
    assert refused(title="\u200b") == [{"field": "title", "detail": "这个字段是必填项。"}]
    assert refused(milestones=[{"title": "", "due_date": "2023-06-30"}]) == [
        {"field": "milestones.0.title", "detail": "这个字段是必填项。"}
    ]
    missing = refused(number=None, due_date="2023-13-01")
    assert [e["field"] for e in missing] == ["number", "due_date"]
    assert not Task.objects.filter(title="招商引资").exists()
    assert not AuditEntry.objects.filter(record_type="tasks.task").exists()


def test_editing_changes_adds_and_deletes_milestones_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    done, planned = world.task_a.milestones.order_by("due_date")
    body = edit_body(api, world.task_a, due_date="2024-03-31")
    body["milestones"] = [
        body["milestones"][0],
        {"title": "提交申报", "due_date": "2023-09-30"},
    ]  # planned left out: deleted; done kept; one added
    response = api.put(f"/api/v1/tasks/{world.task_a.pk}", body, content_type=JSON)
    assert response.status_code == 200, response.content
    task = Task.objects.get(pk=world.task_a.pk)
    assert str(task.due_date) == "2024-03-31"
    assert [m.title for m in task.milestones.all()] == ["完成规划设计", "提交申报"]
    assert not Milestone.objects.filter(pk=planned.pk).exists()
    task_entry = AuditEntry.objects.get(record_type="tasks.task", task_id=task.pk)
    assert task_entry.changes == {"完成时限": ["2023-12-31", "2024-03-31"]}
    assert task_entry.actor == world.coordinator
    deleted = AuditEntry.objects.get(record_type="tasks.milestone", record_id=planned.pk)
    assert deleted.action == AuditAction.DELETE
    assert response.json()["milestones_total"] == 2 and response.json()["milestones_done"] == 1
    # the same body again: its version is stale now, refused, nothing written
    entries = AuditEntry.objects.count()
    stale = api.put(f"/api/v1/tasks/{world.task_a.pk}", body, content_type=JSON)
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    assert "为免覆盖他人的修改" in stale.json()["detail"]
    assert AuditEntry.objects.count() == entries
    # without a version: refused too (issue 19), nothing written
    unversioned = {k: v for k, v in body.items() if k != "version"}
    refused = api.put(f"/api/v1/tasks/{world.task_a.pk}", unversioned, content_type=JSON)
    assert refused.status_code == 422 and refused.json()["errors"] == [
        {"field": "version", "detail": "请提供读取时返回的version（防止覆盖他人的修改）"}
    ]
    assert AuditEntry.objects.count() == entries
    # with the version read again: the same body leaves the task as it is (no second milestone
    # added either: the added one now has its id in the detail the client reads back)
    again = edit_body(api, world.task_a)
    assert api.put(f"/api/v1/tasks/{world.task_a.pk}", again, content_type=JSON).status_code == 200
    assert AuditEntry.objects.count() == entries


def test_a_reached_milestone_is_not_deleted_nor_another_tasks_edited(world, token_client):
    api, _ = token_client(world.coordinator)
    body = edit_body(api, world.task_a)
    done, planned = world.task_a.milestones.order_by("due_date")
    dropped = api.put(
        f"/api/v1/tasks/{world.task_a.pk}", body | {"milestones": body["milestones"][1:]},
        content_type=JSON,
    )  # fmt: skip
    assert dropped.status_code == 422
    assert dropped.json()["errors"] == [
        {"field": "milestones", "detail": "节点“完成规划设计”已于2023-05-20完成，不能删除。"}
    ]
    foreign = world.task_b.milestones.get()
    stolen = body["milestones"] + [{"id": foreign.pk, "title": "挪用", "due_date": "2023-10-31"}]
    moved = api.put(
        f"/api/v1/tasks/{world.task_a.pk}", body | {"milestones": stolen}, content_type=JSON
    )
    assert moved.status_code == 422
    assert moved.json()["errors"] == [
        {"field": "milestones.2", "detail": "该节点不存在或不属于本任务。"}
    ]
    assert Milestone.objects.get(pk=foreign.pk).title == "新建堤防2公里"
    assert world.task_a.milestones.count() == 2
    assert not AuditEntry.objects.filter(action__in=[AuditAction.UPDATE, AuditAction.DELETE])
    # milestones is the whole list: left out, it is not read as "none"
    missing = api.put(
        f"/api/v1/tasks/{world.task_a.pk}",
        {k: v for k, v in body.items() if k != "milestones"},
        content_type=JSON,
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "milestones", "detail": "必填"}]


def test_a_retried_create_with_its_key_creates_one_task(world, token_client):
    api, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "1b7f2c4e-task"}
    first = api.post("/api/v1/tasks", task_body(world), content_type=JSON, **key)
    again = api.post("/api/v1/tasks", task_body(world), content_type=JSON, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Task.objects.filter(title="招商引资").count() == 1
    other = api.post("/api/v1/tasks", task_body(world, title="另一任务"), content_type=JSON, **key)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_an_edit_that_changes_the_status_is_a_webhook_event(world, token_client, settings):
    """A task's status is computed, not stored: the webhook sweep compares the level's statuses
    with those it saw last (api.webhook_services), so an edit through the API that makes a
    task overdue is sent as task.status_changed, as one made on the page."""
    settings.SHIGAN_WEBHOOK_ALLOW_PRIVATE = True
    webhook_create(
        by=world.coordinator, name="大屏", url="http://127.0.0.1:9/hook",
        events=["task.status_changed"],
    )  # fmt: skip
    assert webhooks_sweep() == 0  # the first sweep: a baseline
    api, _ = token_client(world.coordinator)
    body = edit_body(api, world.task_a, due_date="2023-07-10")
    body["milestones"] = body["milestones"][:1]  # the reached one stays; 8-31 would be outside
    response = api.put(f"/api/v1/tasks/{world.task_a.pk}", body, content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "overdue"
    assert webhooks_sweep() == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.payload["task_id"]) == ("task.status_changed", world.task_a.pk)
    assert delivery.payload["status"] == "overdue"
