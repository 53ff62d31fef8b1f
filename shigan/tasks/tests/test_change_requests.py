"""Change requests (调整时限 / 取消 / 办结销号): filing, the coordinator's decision, access, bad input."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditEntry
from shigan.tasks.models import ChangeRequest, Evidence, Task

PDF = b"%PDF-1.4 plan"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def request_url(task):
    return f"/tasks/{task.pk}/request/"


def decide_url(cr):
    return f"/tasks/requests/{cr.pk}/decide/"


def pdf(name="方案.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def extend(**overrides):
    data = {"kind": "extend", "reason": "征地拆迁未完成", "proposed_due_date": "2024-03-31"}
    data.update(overrides)
    return data


def counts():
    return ChangeRequest.objects.count(), Evidence.objects.count(), AuditEntry.objects.count()


def file_request(world, client_for, **data):
    response = client_for(world.reporter_a).post(request_url(world.task_a), data)
    assert response.status_code == 302, response.content.decode()
    return ChangeRequest.objects.get(task=world.task_a, state="pending")


def test_reporter_files_extension_with_evidence(world, client_for):
    response = client_for(world.reporter_a).post(
        request_url(world.task_a), extend(files=[pdf(), pdf("照片.pdf")])
    )
    assert response.status_code == 302 and response["Location"] == f"/tasks/{world.task_a.pk}/"
    cr = ChangeRequest.objects.get()
    assert (
        cr.proposed_due_date == datetime.date(2024, 3, 31) and cr.requested_by == world.reporter_a
    )
    assert sorted(e.original_name for e in cr.evidence.all()) == ["方案.pdf", "照片.pdf"]
    assert AuditEntry.objects.filter(task_id=world.task_a.pk, record_type="tasks.changerequest")
    assert (
        AuditEntry.objects.filter(task_id=world.task_a.pk, record_type="tasks.evidence").count()
        == 2
    )


def test_cancel_request_ignores_a_proposed_date(world, client_for):
    cr = file_request(world, client_for, kind="cancel", reason="并入其他任务", proposed_due_date="")
    assert cr.proposed_due_date is None


def test_approved_extension_moves_the_due_date_and_shows_in_history(world, client_for):
    cr = file_request(world, client_for, **extend())
    coord = client_for(world.coordinator)
    response = coord.post(decide_url(cr), {"decision": "approve", "note": "同意"})
    assert response.status_code == 302
    assert Task.objects.get(pk=world.task_a.pk).due_date == datetime.date(2024, 3, 31)
    cr.refresh_from_db()
    assert (
        cr.state == "approved" and cr.decided_by == world.coordinator and cr.decision_note == "同意"
    )
    body = coord.get(f"/tasks/{world.task_a.pk}/").content.decode()
    assert "<b>完成时限</b>：2023-12-31 → 2024-03-31" in body
    assert "<b>审批状态</b>：待审批 → 已批准" in body
    assert "批准调整时限申请：征地拆迁未完成" in body


@pytest.mark.parametrize("kind, state", [("cancel", "cancelled"), ("complete", "completed")])
def test_approved_cancel_or_complete_closes_the_task_today(world, client_for, kind, state):
    cr = file_request(world, client_for, kind=kind, reason="已全部完成")
    client_for(world.coordinator).post(decide_url(cr), {"decision": "approve"})
    task = Task.objects.get(pk=world.task_a.pk)
    assert task.state == state and task.closed_on == datetime.date(2023, 7, 20)
    entry = AuditEntry.objects.get(record_type="tasks.task", task_id=task.pk)
    assert entry.changes["办理状态"] == ["active", state]


def test_returning_needs_a_note(world, client_for):
    cr = file_request(world, client_for, **extend())
    coord = client_for(world.coordinator)
    before = counts()
    response = coord.post(decide_url(cr), {"decision": "return", "note": " "}, follow=True)
    assert "退回申请时请填写审批意见" in response.content.decode()
    assert counts() == before and ChangeRequest.objects.get().state == "pending"
    coord.post(decide_url(cr), {"decision": "return", "note": "请补充拆迁进度材料"})
    cr.refresh_from_db()
    assert cr.state == "returned" and cr.decision_note == "请补充拆迁进度材料"
    assert Task.objects.get(pk=world.task_a.pk).due_date == datetime.date(2023, 12, 31)


def test_a_decided_request_cannot_be_decided_again(world, client_for):
    cr = file_request(world, client_for, **extend())
    coord = client_for(world.coordinator)
    coord.post(decide_url(cr), {"decision": "return", "note": "材料不全"})
    before = counts()
    response = coord.post(decide_url(cr), {"decision": "approve"}, follow=True)
    assert "不能重复审批" in response.content.decode()
    assert counts() == before
    assert Task.objects.get(pk=world.task_a.pk).due_date == datetime.date(2023, 12, 31)


def test_decision_returns_to_a_safe_next_url_only(world, client_for):
    cr = file_request(world, client_for, **extend())
    coord = client_for(world.coordinator)
    response = coord.post(
        decide_url(cr), {"decision": "return", "note": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/tasks/{world.task_a.pk}/"
    cr2 = file_request(world, client_for, **extend())
    response = coord.post(
        decide_url(cr2), {"decision": "return", "note": "x", "next": "/tasks/requests/"}
    )
    assert response["Location"] == "/tasks/requests/"


def test_a_new_request_may_follow_a_returned_one(world, client_for):
    cr = file_request(world, client_for, **extend())
    client_for(world.coordinator).post(decide_url(cr), {"decision": "return", "note": "补材料"})
    file_request(world, client_for, **extend(reason="补充了材料"))
    assert ChangeRequest.objects.count() == 2


def test_coordinator_may_file_a_request_too(world, client_for):
    response = client_for(world.coordinator).post(request_url(world.task_b), extend())
    assert response.status_code == 302
    assert ChangeRequest.objects.filter(task=world.task_b).exists()


# --- access ---


def test_outsider_gets_404_on_request(world, client_for):
    response = client_for(world.reporter_b).post(request_url(world.task_a), extend())
    assert response.status_code == 404
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("role", ["leader", "inspector"])
def test_read_only_roles_get_403_on_request(world, client_for, role):
    response = client_for(world.users()[role]).post(request_url(world.task_a), extend())
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_reporter_of_supporting_unit_gets_403_on_request(world, client_for):
    world.task_a.supporting_units.add(world.unit_b)
    response = client_for(world.reporter_b).post(request_url(world.task_a), extend())
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role, status", [("reporter_a", 403), ("leader", 403), ("inspector", 403), ("reporter_b", 404)]
)
def test_only_coordinator_decides(world, client_for, role, status):
    cr = file_request(world, client_for, **extend())
    response = client_for(world.users()[role]).post(decide_url(cr), {"decision": "approve"})
    assert response.status_code == status
    assert ChangeRequest.objects.get().state == "pending"


def test_unknown_request_is_404(world, client_for):
    response = client_for(world.coordinator).post("/tasks/requests/99999/decide/", {})
    assert response.status_code == 404


def test_post_only_views_refuse_get(world, client_for):
    cr = file_request(world, client_for, **extend())
    coord = client_for(world.coordinator)
    assert coord.get(request_url(world.task_a)).status_code == 405
    assert coord.get(decide_url(cr)).status_code == 405


def test_anonymous_is_sent_to_login(client, world):
    response = client.post(request_url(world.task_a), extend())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- bad input: a message on the form, nothing written ---

BAD_INPUT = [
    (extend(reason=""), "请填写申请理由"),
    (extend(kind=""), "请选择申请事项"),
    (extend(kind="delete"), "所选申请事项无效"),
    (extend(proposed_due_date=""), "申请调整时限时，请填写调整后的时限"),
    (
        extend(proposed_due_date="2022-12-31"),
        "调整后的时限2022-12-31须晚于任务开始日期2023-01-01",
    ),
    (extend(proposed_due_date="2023-12-31"), "调整后的时限与现有完成时限2023-12-31相同"),
    (
        extend(proposed_due_date="2023-08-15"),
        "节点“完成整体方案”的计划完成日期2023-08-31晚于调整后的时限2023-08-15",
    ),
    (extend(proposed_due_date="not-a-date"), "调整后的时限“not-a-date”不是有效的日期"),
    (extend(proposed_due_date="9999-12-31"), "调整后的时限“9999-12-31”超出允许的年份范围"),
    (extend(proposed_due_date="２０２３-09-30"), "调整后的时限“２０２３-09-30”不是有效的日期"),
]


@pytest.mark.parametrize("data, message", BAD_INPUT)
def test_bad_request_shows_message_and_saves_nothing(world, client_for, data, message):
    before = counts()
    response = client_for(world.reporter_a).post(request_url(world.task_a), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_second_pending_request_is_refused_with_a_clear_message(world, client_for):
    file_request(world, client_for, **extend())
    before = counts()
    response = client_for(world.coordinator).post(
        request_url(world.task_a), {"kind": "cancel", "reason": "取消"}
    )
    assert "该任务已有一项待审批的“调整时限”申请" in response.content.decode()
    assert counts() == before


def test_closed_task_takes_no_requests(world, client_for):
    Task.objects.filter(pk=world.task_a.pk).update(state="completed")
    before = counts()
    response = client_for(world.reporter_a).post(request_url(world.task_a), extend())
    assert "该任务已办结，不能再申请变更" in response.content.decode()
    assert counts() == before


def test_wrong_type_file_refuses_the_whole_request(world, client_for):
    before = counts()
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf")
    response = client_for(world.reporter_a).post(
        request_url(world.task_a), extend(files=[pdf(), fake])
    )
    assert "文件“方案.pdf”的内容与扩展名 .pdf 不符" in response.content.decode()
    assert counts() == before


def test_oversized_file_is_refused(world, client_for, settings):
    settings.MAX_UPLOAD_MB = 1
    before = counts()
    big = pdf("大文件.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = client_for(world.reporter_a).post(request_url(world.task_a), extend(files=[big]))
    assert "超过1 MB 的上限" in response.content.decode()
    assert counts() == before


def test_executable_file_is_refused(world, client_for):
    before = counts()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00")
    response = client_for(world.reporter_a).post(request_url(world.task_a), extend(files=[exe]))
    assert "文件“tool.exe”的类型不支持" in response.content.decode()
    assert counts() == before


def test_a_refused_change_request_says_so_at_the_top_of_the_page(world, client_for):
    response = client_for(world.reporter_a).post(f"/tasks/{world.task_a.pk}/request/", {})
    assert response.status_code == 200
    assert "申请未提交：请按“申请变更”表单中的提示修改后重新提交。" in response.content.decode()
