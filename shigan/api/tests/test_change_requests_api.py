"""Change requests (调整时限/取消/办结销号) through the API are those of the task page and the
审批 queue: the page's forms and tasks.services.changes (rules, audit); who may request is who
may write the task, who may decide is a coordinator of the task's own level."""

import datetime
import re

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import ChangeRequest, ChangeState, TaskState

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def ask(client, task, **fields):
    body = {"kind": "extend", "reason": "征迁未完成", "proposed_due_date": "2023-12-20"} | fields
    return client.post(f"/api/v1/tasks/{task.pk}/change-requests", body, content_type=JSON)


def decide(client, change_request_id, **fields):
    body = {"decision": "approve"} | fields
    url = f"/api/v1/change-requests/{change_request_id}/decision"
    return client.post(url, body, content_type=JSON)


def test_reporter_requests_an_extension_audited(world, token_client):
    api, _ = token_client(world.reporter_a)
    response = ask(api, world.task_a)
    assert response.status_code == 201, response.content
    change = ChangeRequest.objects.get()
    body = response.json()
    assert (body["id"], body["kind_label"], body["state"]) == (change.pk, "调整时限", "pending")
    assert body["proposed_due_date"] == "2023-12-20" and change.requested_by == world.reporter_a
    entry = AuditEntry.objects.get(record_type="tasks.changerequest", record_id=change.pk)
    assert (entry.action, entry.actor) == (AuditAction.SUBMIT, world.reporter_a)
    listed = api.get(f"/api/v1/tasks/{world.task_a.pk}/change-requests").json()
    assert [c["id"] for c in listed] == [change.pk]
    # a retry while it is pending files nothing more (one pending request per task)
    again = ask(api, world.task_a)
    assert again.status_code == 422 and "已有一项待审批的“调整时限”申请" in again.json()["detail"]
    assert ChangeRequest.objects.count() == 1


def test_requesting_is_refused_as_on_the_task_page(world, token_client):
    reporter, _ = token_client(world.reporter_a)
    assert ask(reporter, world.task_b).status_code == 404  # not his unit's: not his to read
    for user in (world.leader, world.inspector):
        api, _ = token_client(user)
        denied = ask(api, world.task_a)
        assert denied.status_code == 403 and denied.json()["detail"] == "无权修改该任务。", user
    read_only, _ = token_client(world.reporter_a, scope="read")
    assert ask(read_only, world.task_a).status_code == 403
    assert not ChangeRequest.objects.exists()


def test_a_request_breaking_the_rules_is_refused_naming_the_field(world, token_client):
    api, _ = token_client(world.reporter_a)
    no_date = ask(api, world.task_a, proposed_due_date=None)
    assert no_date.status_code == 422
    assert no_date.json()["errors"] == [
        {"field": "proposed_due_date", "detail": "申请调整时限时，请填写调整后的时限。"}
    ]
    early = ask(api, world.task_a, proposed_due_date="2023-08-01")
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "proposed_due_date"
    assert "节点“完成整体方案”的计划完成日期2023-08-31晚于调整后的时限" in early.json()["detail"]
    blank = ask(api, world.task_a, reason="  ")
    assert blank.json()["errors"] == [{"field": "reason", "detail": "请填写申请理由。"}]
    kind = ask(api, world.task_a, kind="delete")
    assert kind.status_code == 422 and kind.json()["errors"][0]["field"] == "kind"
    assert not ChangeRequest.objects.exists()


def test_coordinator_approves_and_the_task_follows_audited(world, token_client):
    reporter, _ = token_client(world.reporter_a)
    change_id = ask(reporter, world.task_a).json()["id"]
    api, _ = token_client(world.coordinator)
    response = decide(api, change_id, note="同意")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved" and response.json()["decision_note"] == "同意"
    world.task_a.refresh_from_db()
    assert world.task_a.due_date == datetime.date(2023, 12, 20)
    approvals = AuditEntry.objects.filter(action=AuditAction.APPROVE, actor=world.coordinator)
    assert {e.record_type for e in approvals} == {"tasks.task", "tasks.changerequest"}
    # the same decision again answers the request as it is, writing nothing
    retry = decide(api, change_id)
    assert retry.status_code == 200 and retry.json() == response.json()
    assert approvals.count() == 2
    reverse = decide(api, change_id, decision="return", note="再议")
    assert reverse.status_code == 422 and reverse.json()["errors"][0]["field"] == "decision"
    assert re.fullmatch(
        r"该申请已批准（\d{4}-\d\d-\d\d \d\d:\d\d），不能重复审批。", reverse.json()["detail"]
    ), reverse.json()["detail"]  # once 已 (not 已于…已批准), the time in brackets
    assert ChangeRequest.objects.get().state == ChangeState.APPROVED


def test_deciding_is_refused_as_on_the_queue(world, other_district, token_client):
    reporter, _ = token_client(world.reporter_a)
    change_id = ask(reporter, world.task_a, kind="cancel").json()["id"]
    denied = decide(reporter, change_id)  # he reads it, decides nothing
    assert denied.status_code == 403 and denied.json()["detail"] == "只有专班可以审批变更申请。"
    outsider, _ = token_client(world.reporter_b)
    missing = decide(outsider, change_id)
    # as a request that does not exist (test_attack_writes): its task's 404 would tell it exists
    assert missing.status_code == 404 and missing.json()["detail"] == "变更申请不存在。"
    assert decide(token_client(other_district[0])[0], change_id).status_code == 404
    assert decide(token_client(world.coordinator, scope="read")[0], change_id).status_code == 403
    api, _ = token_client(world.coordinator)
    assert decide(api, 10**12).status_code == 404
    no_note = decide(api, change_id, decision="return")
    assert no_note.status_code == 422
    assert no_note.json()["errors"] == [
        {"field": "note", "detail": "退回申请时请填写审批意见，说明退回原因。"}
    ]
    returned = decide(api, change_id, decision="return", note="理由不充分")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    world.task_a.refresh_from_db()
    assert world.task_a.state == TaskState.ACTIVE
