"""Filing progress through the API is filing it on the monthly report page: the same service
(tasks.services.progress.monthly_report_submit), so the same rules, refusals and audit."""

import pytest

from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import ProgressReport


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def file(client, task, **data):
    data = {"period": "2023-07", "text": "完成路基施工"} | data
    return client.post(f"/api/v1/tasks/{task.pk}/progress", data, content_type="application/json")


def page_file(client, task, text, **fields):
    data = {"period": "2023-07", f"task-{task.pk}-text": text}
    latest = ProgressReport.objects.filter(task=task).order_by("-submitted_at", "-id").first()
    data[f"task-{task.pk}-seen"] = latest.pk if latest else ""
    data.update({f"task-{task.pk}-{k}": v for k, v in fields.items()})
    return client.post("/tasks/report/", data)


def test_reporter_files_for_his_units_task_audited(world, token_client):
    api, _ = token_client(world.reporter_a)
    response = file(api, world.task_a)
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get()
    assert response.json()["id"] == report.pk and response.json()["period"] == "2023-07-01"
    assert (report.unit, report.submitted_by) == (world.unit_a, world.reporter_a)
    entry = AuditEntry.objects.get(record_type="tasks.progressreport")
    assert entry.action == AuditAction.SUBMIT and entry.actor == world.reporter_a
    detail = api.get(f"/api/v1/tasks/{world.task_a.pk}").json()
    assert detail["latest_progress"]["text"] == "完成路基施工"
    assert [r["id"] for r in detail["progress_reports"]] == [report.pk]


def test_reporter_cannot_file_for_another_units_task(world, token_client):
    api, _ = token_client(world.reporter_a)
    assert file(api, world.task_b).status_code == 404  # not his to read either
    leader, _ = token_client(world.leader)
    assert file(leader, world.task_a).status_code == 403  # reads it, may not write
    assert ProgressReport.objects.count() == 0


def test_coordinator_files_for_a_unit_of_his_level(world, token_client):
    api, _ = token_client(world.coordinator)
    assert file(api, world.task_b).status_code == 201
    assert ProgressReport.objects.get().unit == world.unit_b


def test_second_filing_without_reason_is_refused_as_on_the_page(world, token_client, client_for):
    api, _ = token_client(world.reporter_a)
    assert file(api, world.task_a).status_code == 201
    refused = file(api, world.task_a, text="补充")
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    message = "该任务2023年7月已填报过进展，再次提交即为更正，请填写更正原因。"
    assert refused.json()["errors"] == [{"field": "text", "detail": message}]
    page = page_file(client_for(world.reporter_a), world.task_a, "补充")
    assert page.status_code == 200 and message in page.content.decode()  # the page's words
    assert ProgressReport.objects.count() == 1
    corrected = file(api, world.task_a, text="补充", reason="数字有误")
    assert corrected.status_code == 201
    first, second = ProgressReport.objects.order_by("id")
    assert second.corrects == first and second.correction_reason == "数字有误"
    assert corrected.json()["corrects_id"] == first.pk


def test_a_closed_month_and_a_bad_month_are_refused(world, token_client):
    api, _ = token_client(world.reporter_a)
    closed = file(api, world.task_a, period="2023-03")
    assert closed.status_code == 422 and closed.json()["errors"][0]["field"] == "period"
    bad = file(api, world.task_a, period="2023-13")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "period" and "月份" in bad.json()["detail"]
    assert ProgressReport.objects.count() == 0


def test_a_stale_seen_is_refused(world, token_client):
    api, _ = token_client(world.reporter_a)
    assert file(api, world.task_a, seen=None).status_code == 201
    stale = file(api, world.task_a, text="再报", reason="补充", seen=None)
    assert stale.status_code == 201  # seen omitted: the latest at the time
    refused = file(
        api,
        world.task_a,
        text="三报",
        reason="补充",
        seen=ProgressReport.objects.order_by("id").first().pk,
    )
    assert refused.status_code == 422 and "刷新" in refused.json()["detail"]


def test_milestones_reached_through_the_api(world, token_client):
    api, _ = token_client(world.reporter_a)
    ms = world.task_a.milestones.get(done_on__isnull=True)
    future = file(api, world.task_a, milestones_reached=[{"id": ms.pk, "done_on": "2023-08-01"}])
    assert future.status_code == 422 and "未来日期" in future.json()["detail"]
    done = file(api, world.task_a, milestones_reached=[{"id": ms.pk, "done_on": "2023-07-10"}])
    assert done.status_code == 201
    ms.refresh_from_db()
    assert str(ms.done_on) == "2023-07-10"
