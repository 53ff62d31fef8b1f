"""Rectification → verification → closure, end to end through the pages: the unit reports and
asks for 办结销号 on the task, the inspector verifies, the coordinator approves closure."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditEntry
from shigan.supervision.models import Verification
from shigan.supervision.services import verification_record
from shigan.tasks.models import ChangeRequest, TaskState

from .helpers import complete, make_finding, make_inspection


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def status_on_page(client, finding) -> str:
    body = client.get(finding.get_absolute_url()).content.decode()
    start = body.index('class="fstatus fstatus-') + len('class="fstatus fstatus-')
    return body[start : body.index('"', start)]


def test_rectification_verification_and_closure(world, client_for):
    finding = make_finding(world, make_inspection(world))
    task = finding.task
    reporter, inspector, coordinator = (
        client_for(world.reporter_a),
        client_for(world.inspector),
        client_for(world.coordinator),
    )
    assert status_on_page(inspector, finding) == "pending"

    response = reporter.post(
        "/tasks/report/",
        {
            "period": "2023-07",
            f"task-{task.pk}-text": "已补齐台账并归档。",
            f"task-{task.pk}-seen": "",
        },
    )
    assert response.status_code == 302
    assert status_on_page(inspector, finding) == "in_progress"
    assert "已补齐台账并归档。" in inspector.get(finding.get_absolute_url()).content.decode()

    response = reporter.post(
        f"/tasks/{task.pk}/request/", {"kind": "complete", "reason": "整改已完成，申请销号。"}
    )
    assert response.status_code == 302
    assert status_on_page(inspector, finding) == "awaiting"

    assert inspector.get(f"/supervision/findings/{finding.pk}/verify/").status_code == 200
    response = inspector.post(
        f"/supervision/findings/{finding.pk}/verify/",
        {
            "verified_by": world.inspector.person.pk,
            "date": "2023-07-19",
            "result": "passed",
            "note": "实地查看，整改到位。",
        },
    )
    assert response.status_code == 302
    assert status_on_page(inspector, finding) == "verified"
    assert AuditEntry.objects.filter(
        task_id=task.pk, record_type="supervision.verification"
    ).exists()

    change_request = ChangeRequest.objects.get(task=task)
    response = coordinator.post(
        f"/tasks/requests/{change_request.pk}/decide/", {"decision": "approve", "note": "同意销号"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    assert status_on_page(reporter, finding) == "closed"
    body = reporter.get(finding.get_absolute_url()).content.decode()
    assert "已核查通过" in body and "已销号" in body and "周专班 批准" in body
    assert "录入核查结果" not in inspector.get(finding.get_absolute_url()).content.decode()


def test_failed_verification_needs_a_note_and_sends_the_finding_back(world, client_for):
    finding = make_finding(world, make_inspection(world))
    inspector = client_for(world.inspector)
    data = {"verified_by": world.inspector.person.pk, "date": "2023-07-19", "result": "failed"}
    response = inspector.post(f"/supervision/findings/{finding.pk}/verify/", data)
    assert response.status_code == 200
    assert "核查未通过时，请写明整改不到位的问题。" in response.content.decode()
    assert Verification.objects.count() == 0

    data["note"] = "台账仍缺三月资料。"
    assert inspector.post(f"/supervision/findings/{finding.pk}/verify/", data).status_code == 302
    assert status_on_page(inspector, finding) == "in_progress"


@pytest.mark.parametrize(
    "day, message",
    [
        (datetime.date(2023, 7, 21), "晚于今天"),
        (datetime.date(2023, 5, 1), "早于督查日期"),
    ],
)
def test_verification_date_outside_inspection_and_today_is_refused(world, day, message):
    finding = make_finding(world, make_inspection(world))
    with pytest.raises(ValidationError) as e:
        verification_record(
            finding=finding,
            verified_by=world.inspector.person,
            date=day,
            result="passed",
            by=world.inspector,
        )
    assert message in str(e.value)
    assert Verification.objects.count() == 0


def test_a_closed_finding_cannot_be_verified_again(world):
    finding = make_finding(world, make_inspection(world))
    verification_record(
        finding=finding,
        verified_by=world.inspector.person,
        date=datetime.date(2023, 7, 1),
        result="passed",
        by=world.inspector,
    )
    complete(finding.task, on=datetime.date(2023, 7, 2))
    with pytest.raises(ValidationError, match="已核查通过并销号"):
        verification_record(
            finding=finding,
            verified_by=world.inspector.person,
            date=datetime.date(2023, 7, 10),
            result="passed",
            by=world.inspector,
        )
    assert Verification.objects.count() == 1


def test_cancelled_finding_is_not_verified(world):
    finding = make_finding(world, make_inspection(world))
    finding.task.state = TaskState.CANCELLED
    finding.task.save()
    with pytest.raises(ValidationError, match="已取消"):
        verification_record(
            finding=finding,
            verified_by=world.inspector.person,
            date=datetime.date(2023, 7, 10),
            result="passed",
            by=world.inspector,
        )
