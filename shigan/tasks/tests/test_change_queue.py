"""The coordinator's queue of change requests, and the change services' branchy rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.tasks.models import ChangeKind, ChangeRequest, Evidence, Milestone, Task
from shigan.tasks.services.changes import change_request_create, change_request_decide

URL = "/tasks/requests/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def new_tasks(world, n):
    return Task.objects.bulk_create(
        Task(
            campaign=world.campaign,
            category=world.category,
            title=f"任务{i}",
            lead_unit=world.unit_a if i % 2 else world.unit_b,
            start_date=datetime.date(2023, 1, 1),
            due_date=datetime.date(2023, 12, 31),
        )
        for i in range(n)
    )


def fill_queue(world, n):
    """n pending and n decided requests, each with one evidence file."""
    for i, task in enumerate(new_tasks(world, 2 * n)):
        decided = i % 2 == 0
        cr = ChangeRequest.objects.create(
            task=task,
            kind=ChangeKind.CANCEL,
            reason=f"理由{i}",
            requested_by=world.reporter_a,
            state="returned" if decided else "pending",
            decided_by=world.coordinator if decided else None,
            decided_at=datetime.datetime(2023, 7, 1, tzinfo=datetime.UTC) if decided else None,
            decision_note="材料不全" if decided else "",
        )
        Evidence.objects.create(
            task=task,
            change_request=cr,
            file="evidence/x/a.pdf",
            original_name=f"材料{i}.pdf",
            size=1,
            uploaded_by=world.reporter_a,
        )


def test_coordinator_sees_pending_requests_and_recent_decisions(world, client_for):
    fill_queue(world, 2)
    body = client_for(world.coordinator).get(URL).content.decode()
    assert "待审批（2）" in body
    assert "理由1" in body and "理由3" in body and "材料不全" in body
    pending = ChangeRequest.objects.filter(state="pending").first()
    assert f'action="/tasks/requests/{pending.pk}/decide/"' in body
    assert 'name="next" value="/tasks/requests/"' in body


@pytest.mark.parametrize("role", ["leader", "reporter_a", "reporter_b", "inspector"])
def test_others_may_not_open_the_queue(world, client_for, role):
    assert client_for(world.users()[role]).get(URL).status_code == 403


def test_queue_query_count_is_the_same_for_3_and_30_requests(world, client_for):
    fill_queue(world, 3)
    c = client_for(world.coordinator)
    assert_same_queries(get_page(c, URL), lambda: fill_queue(world, 27), warm_up=True)


# --- services ---


def _extend(world, proposed=datetime.date(2024, 3, 31)):
    return change_request_create(
        task=world.task_a,
        by=world.reporter_a,
        kind=ChangeKind.EXTEND,
        reason="征地未完成",
        proposed_due_date=proposed,
    )


def test_create_refuses_a_second_pending_request(world):
    _extend(world)
    with pytest.raises(ValidationError, match="已有一项待审批"):
        _extend(world, datetime.date(2024, 6, 30))
    assert ChangeRequest.objects.count() == 1


def test_create_refuses_a_blank_reason(world):
    with pytest.raises(ValidationError, match="请填写申请理由"):
        change_request_create(
            task=world.task_a, by=world.reporter_a, kind=ChangeKind.CANCEL, reason="  "
        )


def test_decide_refuses_a_decided_request(world):
    cr = _extend(world)
    change_request_decide(change_request=cr, by=world.coordinator, approve=True, note="")
    with pytest.raises(ValidationError, match="不能重复审批"):
        change_request_decide(change_request=cr, by=world.coordinator, approve=False, note="再议")
    assert ChangeRequest.objects.get().state == "approved"


def test_decide_requires_a_note_to_return(world):
    cr = _extend(world)
    with pytest.raises(ValidationError, match="请填写审批意见"):
        change_request_decide(change_request=cr, by=world.coordinator, approve=False, note="")


def test_approval_rechecks_milestones_added_since_the_request(world):
    cr = _extend(world, datetime.date(2024, 1, 31))
    Milestone.objects.create(
        task=world.task_a, title="竣工验收", due_date=datetime.date(2024, 2, 28)
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="节点“竣工验收”"):
        change_request_decide(change_request=cr, by=world.coordinator, approve=True, note="")
    assert ChangeRequest.objects.get().state == "pending"
    assert Task.objects.get(pk=world.task_a.pk).due_date == datetime.date(2023, 12, 31)
    assert AuditEntry.objects.count() == before


def test_approval_audits_both_request_and_task(world):
    cr = _extend(world)
    change_request_decide(change_request=cr, by=world.coordinator, approve=True, note="同意")
    task_entry = AuditEntry.objects.get(record_type="tasks.task")
    assert task_entry.changes == {"完成时限": ["2023-12-31", "2024-03-31"]}
    assert task_entry.actor == world.coordinator and task_entry.task_id == world.task_a.pk
    cr_entry = AuditEntry.objects.get(record_type="tasks.changerequest", action="approve")
    assert cr_entry.changes["审批状态"] == ["pending", "approved"]
    assert cr_entry.changes["审批意见"] == ["", "同意"]
