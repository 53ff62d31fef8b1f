"""Recording meetings and their decisions through the API is recording them on the meeting
pages: the pages' forms (choices of the caller's own level, their messages) and
meetings.services (the rules, the audit); a decision's progress and closure are its task's."""

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.meetings.models import Decision, Meeting
from shigan.meetings.services import DUPLICATE_MESSAGE
from shigan.meetings.tests.helpers import make_decision, make_meeting, make_series
from shigan.tasks.models import Task, TaskOrigin, TaskState

from .versions import versioned

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def meeting_body(world, **fields):
    return {
        "campaign": world.campaign.pk,
        "kind": "task_force",
        "title": "7月碰头会",
        "date": "2023-07-18",
        "chair": world.leader_person.pk,
        "attendees": [world.leader_person.pk, world.coordinator.person.pk],
        "agenda": "听取各单位汇报",
        "minutes": "纪要",
    } | fields


def decision_body(world, **fields):
    return {
        "title": "加快兴业大道征迁",
        "target": "8月底前完成",
        "lead_unit": world.unit_a.pk,
        "supporting_units": [world.unit_b.pk],
        "leader": world.leader_person.pk,
        "due_date": "2023-08-31",
    } | fields


def test_coordinator_records_a_meeting_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/meetings", meeting_body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get()
    body = response.json()
    assert body["id"] == meeting.pk and body["title"] == "7月碰头会"
    assert body["kind_label"] == "专班碰头会" and body["chair_id"] == world.leader_person.pk
    assert body["attendee_ids"] == sorted([world.leader_person.pk, world.coordinator.person.pk])
    entry = AuditEntry.objects.get(record_type="meetings.meeting", record_id=meeting.pk)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.coordinator)
    assert body["version"] == entry.pk
    assert api.get(f"/api/v1/meetings/{meeting.pk}").json() == body


def test_who_may_not_record_meetings_is_refused_before_the_body_is_read(world, token_client):
    for user in (world.reporter_a, world.leader, world.inspector):
        api, _ = token_client(user)
        response = api.post("/api/v1/meetings", {"title": 3}, content_type=JSON)
        assert response.status_code == 403, user
        assert response.json()["detail"] == "只有专班可以录入会议、议定事项和学习。"
    read_only, _ = token_client(world.coordinator, scope="read")
    response = read_only.post("/api/v1/meetings", meeting_body(world), content_type=JSON)
    assert response.status_code == 403
    assert response.json()["detail"] == "该令牌为只读令牌，不能用于修改数据。"
    assert not Meeting.objects.exists()


def test_a_meeting_breaking_the_pages_rules_is_refused_naming_the_field(
    world, other_district, token_client
):
    api, _ = token_client(world.coordinator)

    def refused(**fields):
        response = api.post("/api/v1/meetings", meeting_body(world, **fields), content_type=JSON)
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
        return response.json()["errors"]

    assert refused(date="2024-01-05") == [
        {
            "field": "date",
            "detail": "会议日期2024-01-05不在活动起止日期（2023-01-01至2023-12-31）之内。",
        }
    ]
    # another district's person is not offered by the page's form: 不存在, as there
    other_person = other_district[0].person.pk
    assert refused(chair=other_person) == [
        {"field": "chair", "detail": "所选人员不存在，请重新选择。"}
    ]
    assert refused(campaign=other_district[1].campaign_id) == [
        {"field": "campaign", "detail": "所选活动不存在，请重新选择。"}
    ]
    assert refused(title="") == [{"field": "title", "detail": "请填写会议名称。"}]
    assert refused(kind="party")[0]["field"] == "kind"
    assert not Meeting.objects.exists()


def test_a_second_meeting_of_a_series_on_a_day_is_refused(world, token_client):
    """A retried POST of a series' meeting does not record it twice."""
    series = make_series(world)
    api, _ = token_client(world.coordinator)
    body = meeting_body(world, series=series.pk)
    assert api.post("/api/v1/meetings", body, content_type=JSON).status_code == 201
    again = api.post("/api/v1/meetings", body, content_type=JSON)
    assert again.status_code == 422
    message = DUPLICATE_MESSAGE.format(series=series.name, date="2023-07-18")
    assert again.json()["errors"] == [{"field": "date", "detail": message}]
    assert Meeting.objects.count() == 1


def test_correcting_a_meeting_audits_before_and_after(world, token_client):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    shown = api.get(f"/api/v1/meetings/{meeting.pk}").json()
    body = meeting_body(world, date="2023-02-08", title="动员会", version=shown["version"])
    response = api.put(f"/api/v1/meetings/{meeting.pk}", body, content_type=JSON)
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.title == "动员会" and response.json()["title"] == "动员会"
    entry = AuditEntry.objects.filter(record_id=meeting.pk, action=AuditAction.UPDATE).get()
    assert entry.actor == world.coordinator and entry.changes["会议名称"] == ["碰头会", "动员会"]
    assert response.json()["version"] == entry.pk
    # the same body again (its version now stale): refused, nothing written
    stale = api.put(f"/api/v1/meetings/{meeting.pk}", body, content_type=JSON)
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    assert "为免覆盖他人的修改" in stale.json()["detail"]
    assert AuditEntry.objects.filter(record_id=meeting.pk, action=AuditAction.UPDATE).count() == 1
    # without a version: refused too (issue 19: never a silent overwrite), nothing written
    unchecked = {k: v for k, v in body.items() if k != "version"}
    refused = api.put(f"/api/v1/meetings/{meeting.pk}", unchecked, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "version", "detail": "请提供读取时返回的version（防止覆盖他人的修改）"}
    ]
    assert AuditEntry.objects.filter(record_id=meeting.pk, action=AuditAction.UPDATE).count() == 1


def test_correcting_a_meeting_is_refused_as_on_its_edit_page(world, other_district, token_client):
    meeting = make_meeting(world)
    url = f"/api/v1/meetings/{meeting.pk}"
    reporter, _ = token_client(world.reporter_a)
    denied = reporter.put(url, meeting_body(world), content_type=JSON)
    assert denied.status_code == 403  # he reads the meeting, does not record meetings
    outsider, _ = token_client(other_district[0])
    missing = outsider.put(url, meeting_body(world), content_type=JSON)
    assert missing.status_code == 404 and missing.json()["detail"] == "会议不存在。"
    make_decision(world, meeting)
    api, _ = token_client(world.coordinator)
    moved = api.put(url, versioned(url, meeting_body(world, date="2023-03-01")), content_type=JSON)
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "date"
    assert "已有议定事项，不能修改会议日期" in moved.json()["detail"]
    meeting.refresh_from_db()
    assert str(meeting.date) == "2023-02-08" and meeting.title == "碰头会"


def test_a_decision_is_recorded_as_a_tracked_item(world, token_client):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    response = api.post(url, decision_body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    task = decision.task
    assert (task.origin, task.start_date, task.lead_unit) == (
        TaskOrigin.DECISION, meeting.date, world.unit_a,
    )  # fmt: skip
    assert list(task.supporting_units.all()) == [world.unit_b]
    body = response.json()
    assert (body["id"], body["number"], body["task_id"]) == (decision.pk, 1, task.pk)
    assert body["status"] == "on_track" and body["due_date"] == "2023-08-31"
    entry = AuditEntry.objects.get(record_type="meetings.decision", record_id=decision.pk)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.coordinator)
    second = api.post(url, decision_body(world, title="河道清淤"), content_type=JSON)
    assert second.json()["number"] == 2


def test_a_decision_breaking_the_rules_is_refused(world, other_district, token_client):
    meeting = make_meeting(world)
    url = f"/api/v1/meetings/{meeting.pk}/decisions"
    reporter, _ = token_client(world.reporter_a)
    assert reporter.post(url, decision_body(world), content_type=JSON).status_code == 403
    outsider, _ = token_client(other_district[0])
    assert outsider.post(url, decision_body(world), content_type=JSON).status_code == 404
    read_only, _ = token_client(world.coordinator, scope="read")
    assert read_only.post(url, decision_body(world), content_type=JSON).status_code == 403
    api, _ = token_client(world.coordinator)
    early = api.post(url, decision_body(world, due_date="2023-02-01"), content_type=JSON)
    assert early.status_code == 422
    assert early.json()["errors"] == [
        {"field": "due_date", "detail": "完成时限2023-02-01早于会议日期2023-02-08。"}
    ]
    foreign = other_district[1].lead_unit_id
    theirs = api.post(url, decision_body(world, lead_unit=foreign), content_type=JSON)
    assert theirs.status_code == 422 and theirs.json()["errors"][0]["field"] == "lead_unit"
    both = api.post(
        url, decision_body(world, supporting_units=[world.unit_a.pk]), content_type=JSON
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "supporting_units"
    assert not Decision.objects.exists() and not Task.objects.filter(origin="decision").exists()


def test_a_decisions_progress_and_closure_are_its_tasks(world, token_client):
    meeting = make_meeting(world)
    decision = make_decision(world, meeting)
    task_id = decision.task_id
    reporter, _ = token_client(world.reporter_a)
    progress = reporter.post(
        f"/api/v1/tasks/{task_id}/progress",
        {"period": "2023-07", "text": "已完成征迁摸底"},
        content_type=JSON,
    )
    assert progress.status_code == 201
    asked = reporter.post(
        f"/api/v1/tasks/{task_id}/change-requests",
        {"kind": "complete", "reason": "已落实"},
        content_type=JSON,
    )
    assert asked.status_code == 201
    coordinator, _ = token_client(world.coordinator)
    decided = coordinator.post(
        f"/api/v1/change-requests/{asked.json()['id']}/decision",
        {"decision": "approve"},
        content_type=JSON,
    )
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    assert Task.objects.get(pk=task_id).state == TaskState.COMPLETED
    (row,) = coordinator.get(f"/api/v1/meetings/{meeting.pk}").json()["decisions"]
    assert row["status"] == "done"
