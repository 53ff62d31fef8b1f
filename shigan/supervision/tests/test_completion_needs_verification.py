"""办结销号 of a finding's rectification task is approved only after the inspector's latest
verification of the finding passed (tasks.services.changes.completion_error)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.supervision.models import VerificationResult
from shigan.supervision.services import verification_record
from shigan.tasks.models import ChangeKind, ChangeState, TaskState
from shigan.tasks.services import changes
from shigan.tasks.services.changes import change_request_create, change_request_decide

from .helpers import make_finding, make_inspection

NOT_VERIFIED = "督查人员尚未核查整改情况，核查通过后方可批准办结销号"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def finding(world):
    return make_finding(world, make_inspection(world))


def ask_completion(world, finding):
    return change_request_create(
        task=finding.task, by=world.reporter_a, kind=ChangeKind.COMPLETE, reason="整改已完成。"
    )


def verify(world, finding, result, day=datetime.date(2023, 7, 10), note="核查意见"):
    return verification_record(
        finding=finding,
        verified_by=world.inspector.person,
        date=day,
        result=result,
        note=note,
        by=world.inspector,
    )


def approve(world, change_request):
    return change_request_decide(
        change_request=change_request, by=world.coordinator, approve=True, note="同意"
    )


def test_completion_before_any_verification_is_refused(world, finding):
    change_request = ask_completion(world, finding)
    with pytest.raises(ValidationError) as refused:
        approve(world, change_request)
    assert NOT_VERIFIED in refused.value.messages[0]
    finding.task.refresh_from_db()
    change_request.refresh_from_db()
    assert finding.task.state == TaskState.ACTIVE and finding.task.closed_on is None
    assert change_request.state == ChangeState.PENDING


def test_completion_after_a_failed_latest_verification_is_refused(world, finding):
    verify(world, finding, VerificationResult.PASSED, datetime.date(2023, 7, 1))
    verify(world, finding, VerificationResult.FAILED, datetime.date(2023, 7, 10), "台账仍不全")
    change_request = ask_completion(world, finding)
    with pytest.raises(ValidationError) as refused:
        approve(world, change_request)
    assert "最近一次核查（2023-07-10）未通过" in refused.value.messages[0]
    finding.task.refresh_from_db()
    assert finding.task.state == TaskState.ACTIVE


def test_completion_after_a_passed_verification_is_approved(world, finding):
    change_request = ask_completion(world, finding)
    verify(world, finding, VerificationResult.FAILED, datetime.date(2023, 7, 1), "台账仍不全")
    verify(world, finding, VerificationResult.PASSED, datetime.date(2023, 7, 10))
    assert approve(world, change_request).state == ChangeState.APPROVED
    finding.task.refresh_from_db()
    assert finding.task.state == TaskState.COMPLETED


def test_other_changes_of_a_finding_task_need_no_verification(world, finding):
    change_request = change_request_create(
        task=finding.task,
        by=world.reporter_a,
        kind=ChangeKind.EXTEND,
        reason="施工期延长",
        proposed_due_date=datetime.date(2023, 9, 30),
    )
    assert approve(world, change_request).state == ChangeState.APPROVED


def test_returning_an_unverified_completion_request_is_still_possible(world, finding):
    change_request = ask_completion(world, finding)
    returned = change_request_decide(
        change_request=change_request, by=world.coordinator, approve=False, note="请先等待核查"
    )
    assert returned.state == ChangeState.RETURNED


def test_completion_of_a_list_task_needs_no_verification(world):
    change_request = change_request_create(
        task=world.task_a, by=world.reporter_a, kind=ChangeKind.COMPLETE, reason="已完成。"
    )
    assert approve(world, change_request).state == ChangeState.APPROVED


def test_the_passed_result_tasks_reads_is_the_supervision_choice():
    assert changes.VERIFICATION_PASSED == VerificationResult.PASSED


def test_coordinator_approving_an_unverified_completion_sees_the_message(
    world, client_for, finding
):
    change_request = ask_completion(world, finding)
    response = client_for(world.coordinator).post(
        f"/tasks/requests/{change_request.pk}/decide/",
        {"decision": "approve", "note": "同意销号"},
        follow=True,
    )
    assert response.status_code == 200
    assert NOT_VERIFIED in response.content.decode()
    finding.task.refresh_from_db()
    change_request.refresh_from_db()
    assert finding.task.state == TaskState.ACTIVE
    assert change_request.state == ChangeState.PENDING


def test_coordinator_approves_through_the_queue_once_verified(world, client_for, finding):
    change_request = ask_completion(world, finding)
    verify(world, finding, VerificationResult.PASSED)
    response = client_for(world.coordinator).post(
        f"/tasks/requests/{change_request.pk}/decide/",
        {"decision": "approve", "note": "同意销号", "next": "/tasks/requests/"},
        follow=True,
    )
    assert response.status_code == 200
    assert "办结销号申请已批准" in response.content.decode()
    finding.task.refresh_from_db()
    assert finding.task.state == TaskState.COMPLETED
