"""The API's writes tried as an outsider would (found on the demo): an id of another
district's record answers the same 404 as an id that does not exist (its detail too: a
different message tells an outsider which ids exist); a body field the operation does not take
is refused, not dropped — a client that sends back the detail's names (supporting_unit_ids,
leader_id) had the task's supporting units and leader cleared with a 200; several refusals
read as one sentence."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditEntry
from shigan.meetings.models import MeetingFile
from shigan.meetings.tests.helpers import make_meeting
from shigan.tasks.models import Evidence, Task
from shigan.tasks.services.progress import progress_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="纪要.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_another_districts_phase_or_section_reads_as_one_that_does_not_exist(
    world, other_district, token_client
):
    from shigan.campaigns.models import Phase, PlanSection

    stranger, _ = token_client(other_district[0])
    section = PlanSection.objects.create(campaign=world.campaign, kind="goals", body="目标")
    phase = Phase.objects.create(
        campaign=world.campaign, name="动员部署",
        start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 2, 28),
    )  # fmt: skip
    for url, missing in (
        (f"/api/v1/phases/{phase.pk}", f"/api/v1/phases/{phase.pk + 1000}"),
        (f"/api/v1/plan-sections/{section.pk}", f"/api/v1/plan-sections/{section.pk + 1000}"),
    ):
        theirs, none = stranger.delete(url), stranger.delete(missing)
        assert theirs.status_code == none.status_code == 404
        assert theirs.json() == none.json(), url  # was 活动不存在。 against 活动阶段不存在。
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_several_refusals_read_as_one_sentence(world, other_district, token_client):
    """Each of the form's messages ends with 。: joined as they are, the detail read
    “所选活动不存在，请重新选择。；所选类别不存在…” (seen on POST /tasks on the demo)."""
    api, _ = token_client(world.coordinator)
    theirs = other_district[1]
    body = {
        "campaign": theirs.campaign_id, "category": theirs.category_id, "number": 5,
        "title": "越区任务", "lead_unit": theirs.lead_unit_id,
        "start_date": "2023-07-01", "due_date": "2023-12-31",
    }  # fmt: skip
    refused = api.post("/api/v1/tasks", body, content_type="application/json")
    assert refused.status_code == 422, refused.content
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["campaign", "category", "lead_unit"]
    assert refused.json()["detail"] == (
        "所选活动不存在，请重新选择；所选类别不存在，请重新选择；所选单位不存在，请重新选择。"
    )
    assert errors[0]["detail"] == "所选活动不存在，请重新选择。"  # each its own sentence


def test_another_districts_meeting_file_reads_as_one_that_does_not_exist(
    world, token_client, other_district
):
    meeting = make_meeting(world)
    api, _ = token_client(world.coordinator)
    added = api.post(f"/api/v1/meetings/{meeting.pk}/files", {"files": [pdf()]})
    assert added.status_code == 201, added.content
    stranger, _ = token_client(other_district[0])
    theirs = stranger.get(added.json()[0]["download"])
    missing = stranger.get(f"/api/v1/meeting-files/{MeetingFile.objects.get().pk + 1000}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs["Content-Type"] == "application/problem+json"
    assert theirs.json() == missing.json()  # was 会议不存在。 against 文件不存在或无权查看。


def test_evidence_of_a_task_not_read_reads_as_evidence_that_does_not_exist(world, token_client):
    progress_submit(
        task=world.task_a, unit=world.unit_a, period=datetime.date(2023, 7, 1),
        by=world.reporter_a, text="已完成", milestones_reached={}, uploads=[pdf("佐证.pdf")],
    )  # fmt: skip
    other, _ = token_client(world.reporter_b, scope="read")  # task_a is unit_a's
    theirs = other.get(f"/api/v1/evidence/{Evidence.objects.get().pk}")
    missing = other.get(f"/api/v1/evidence/{Evidence.objects.get().pk + 1000}")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()  # was 任务不存在或无权查看。 against 文件不存在…


def _task_body(task: Task, detail: dict, **changes) -> dict:
    body = {
        "campaign": task.campaign_id,
        "category": task.category_id,
        "number": task.number,
        "title": task.title,
        "target": task.target,
        "lead_unit": task.lead_unit_id,
        "start_date": task.start_date.isoformat(),
        "due_date": task.due_date.isoformat(),
        "milestones": [
            {"id": m["id"], "title": m["title"], "due_date": m["due_date"]}
            for m in detail["milestones"]
        ],
        "version": detail["version"],
    }
    return body | changes


def test_a_body_field_the_edit_does_not_take_is_refused_and_nothing_is_written(world, token_client):
    api, _ = token_client(world.coordinator)
    task = world.task_a
    url = f"/api/v1/tasks/{task.pk}"
    detail = api.get(url).json()
    body = _task_body(task, detail, supporting_units=[world.unit_b.pk], leader=None)
    assert api.put(url, body, content_type="application/json").status_code == 200
    detail = api.get(url).json()
    assert detail["supporting_unit_ids"] == [world.unit_b.pk]
    entries = AuditEntry.objects.count()
    # The detail's names sent back, as a client that edits what it read would send them.
    body = _task_body(
        task, detail, title="改名", supporting_unit_ids=[world.unit_b.pk], created_by=1, id=99
    )
    refused = api.put(url, body, content_type="application/json")
    assert refused.status_code == 422, refused.content
    assert refused["Content-Type"] == "application/problem+json"
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["created_by", "id", "supporting_unit_ids"]
    assert "未知的字段" in refused.json()["detail"]
    task.refresh_from_db()
    assert task.title != "改名" and list(task.supporting_units.all()) == [world.unit_b]
    assert AuditEntry.objects.count() == entries


def test_an_unknown_field_of_a_nested_item_is_named_with_its_place(world, token_client):
    api, _ = token_client(world.coordinator)
    task = world.task_a
    url = f"/api/v1/tasks/{task.pk}"
    detail = api.get(url).json()
    body = _task_body(
        task, detail, milestones=[{"title": "节点", "due_date": "2023-09-30", "done_on": "x"}]
    )
    refused = api.put(url, body, content_type="application/json")
    assert refused.status_code == 422, refused.content
    assert [e["field"] for e in refused.json()["errors"]] == ["milestones.0.done_on"]


def test_a_change_request_on_a_task_not_read_reads_as_one_that_does_not_exist(
    world, other_district, token_client
):
    from shigan.tasks.services.changes import change_request_create

    pending = change_request_create(
        task=world.task_a, by=world.reporter_a, kind="cancel", reason="已由他项覆盖",
        proposed_due_date=None,
    )  # fmt: skip
    stranger, _ = token_client(other_district[0])
    body = {"decision": "approve"}
    theirs = stranger.post(
        f"/api/v1/change-requests/{pending.pk}/decision", body, content_type="application/json"
    )
    none = stranger.post(
        f"/api/v1/change-requests/{pending.pk + 1000}/decision",
        body,
        content_type="application/json",
    )
    assert theirs.status_code == none.status_code == 404
    assert theirs.json() == none.json()  # was 任务不存在或无权查看。 against 变更申请不存在。


def test_a_stale_version_is_refused_in_the_apis_words_not_the_pages(world, token_client):
    """Two PUTs with the version both read: the second is refused (422 on version, as
    documented) and written nothing; its detail spoke of 此页 and of 下面保留了您填写的内容,
    which an API client has not."""
    api, _ = token_client(world.coordinator)
    task = world.task_a
    url = f"/api/v1/tasks/{task.pk}"
    detail = api.get(url).json()
    first = api.put(url, _task_body(task, detail, title="甲"), content_type="application/json")
    assert first.status_code == 200, first.content
    entries = AuditEntry.objects.count()
    second = api.put(url, _task_body(task, detail, title="乙"), content_type="application/json")
    assert second.status_code == 422 and second["Content-Type"] == "application/problem+json"
    (error,) = second.json()["errors"]
    assert error["field"] == "version"
    assert error["detail"].startswith("您读取该记录后，")
    assert error["detail"].endswith("请重新读取详情（新的version），核对后再提交。")
    assert "此页" not in error["detail"] and "下面" not in error["detail"]
    task.refresh_from_db()
    assert task.title == "甲" and AuditEntry.objects.count() == entries


def test_a_body_of_many_unknown_fields_is_answered_briefly(world, token_client):
    api, _ = token_client(world.coordinator)
    body = {f"f{i:05d}": i for i in range(20000)}  # about 300 KB, under the 1 MB limit
    refused = api.post("/api/v1/tasks", body, content_type="application/json")
    assert refused.status_code == 422
    assert len(refused.json()["errors"]) == 20 and len(refused.content) < 5000
    assert "等20000个" in refused.json()["detail"]
