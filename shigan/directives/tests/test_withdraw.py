"""撤回: the upper level withdraws a hand-down still waiting (待接收), with a reason, audited; a
withdrawn hand-down counts for nothing in the roll-up, the district's inbox shows it as 已撤回
with the reason, and accepting it (another tab) is a clear message, never a 500."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.directives.access import get_handdown_to_withdraw
from shigan.directives.models import HandDown, HandDownState
from shigan.directives.queries import rollups_for, upper_task_view
from shigan.directives.services import (
    handdown_accept_existing,
    handdown_create,
    handdown_withdraw,
)
from shigan.directives.tests.factories import build_county, child_task
from shigan.tasks.models import TaskState
from shigan.tasks.status import TaskStatus
from shigan.testing import make_task

TODAY = datetime.date(2023, 7, 31)
LONG_AGO = datetime.date(2023, 6, 1)  # far more than ACCEPT_DAYS working days before TODAY


@pytest.fixture
def county(db):
    return build_county()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def hand_down(county, index=0, on=TODAY):
    (made,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task,
        units=[county.districts[index].unit], today=on,
    )  # fmt: skip
    return made


def test_withdraw_needs_a_reason_and_is_audited(county):
    handdown = hand_down(county)
    with pytest.raises(ValidationError, match="请填写撤回理由"):
        handdown_withdraw(by=county.coordinator, handdown=handdown, reason="  ", today=TODAY)
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="交办对象有误", today=TODAY)
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.WITHDRAWN and handdown.get_state_display() == "已撤回"
    assert handdown.withdraw_reason == "交办对象有误" and handdown.withdrawn_on == TODAY
    assert handdown.withdrawn_by == county.coordinator
    entry = AuditEntry.objects.filter(record_type="directives.handdown").order_by("id").last()
    assert entry.note == "撤回交办" and entry.changes["状态"] == ["pending", "withdrawn"]


def test_accepted_hand_down_cannot_be_withdrawn(county):
    district = county.districts[0]
    handdown = hand_down(county)
    own = make_task(
        campaign=district.campaign,
        category=district.category,
        unit=district.bureau,
        title="区营商环境提升",
    )
    handdown_accept_existing(by=district.coordinator, handdown=handdown, task=own, today=TODAY)
    with pytest.raises(ValidationError, match="已接收该交办任务，不能撤回.*变更申请"):
        handdown_withdraw(by=county.coordinator, handdown=handdown, reason="不再需要", today=TODAY)
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.ACCEPTED


def test_accepting_a_withdrawn_hand_down_names_the_reason_and_saves_nothing(county):
    district = county.districts[0]
    handdown = hand_down(county)
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="交办对象有误", today=TODAY)
    own = make_task(
        campaign=district.campaign,
        category=district.category,
        unit=district.bureau,
        title="区营商环境提升",
    )
    with pytest.raises(ValidationError, match="已被上级撤回（撤回理由：交办对象有误）"):
        handdown_accept_existing(by=district.coordinator, handdown=handdown, task=own, today=TODAY)
    own.refresh_from_db()
    assert own.upper_task_id is None


def test_withdrawn_hand_down_may_be_handed_down_again(county):
    handdown = hand_down(county)
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="要求调整", today=TODAY)
    again = hand_down(county)
    assert again.state == HandDownState.PENDING and HandDown.objects.count() == 2


def test_withdrawn_hand_down_counts_for_nothing_in_the_rollup(county):
    # Boundary: the same hand-down, late by far, makes the task 滞后 while waiting; withdrawn,
    # the task is no longer handed down at all (no roll-up), with nothing owed.
    handdown = hand_down(county, on=LONG_AGO)
    rolled = rollups_for([county.upper_task.pk], TODAY)[county.upper_task.pk]
    assert rolled.status == TaskStatus.BEHIND and rolled.owed == 1 and rolled.waiting_late == 1
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="撤回", today=TODAY)
    assert rollups_for([county.upper_task.pk], TODAY)[county.upper_task.pk] is None
    view = upper_task_view(county.upper_task, TODAY)
    assert view.rolled is None and view.lines == [] and view.returned[0].pk == handdown.pk


def test_withdrawn_beside_a_done_child_leaves_the_task_done(county):
    second = county.districts[1]
    done = child_task(second, county.upper_task)
    done.state, done.closed_on = TaskState.COMPLETED, TODAY
    done.save()
    handdown = hand_down(county, 0, on=LONG_AGO)
    assert upper_task_view(county.upper_task, TODAY).rolled.progress_label == "1/2"
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="撤回", today=TODAY)
    rolled = upper_task_view(county.upper_task, TODAY).rolled
    assert rolled.status == TaskStatus.DONE and rolled.progress_label == "1/1"


def test_upper_coordinator_withdraws_from_the_page(county, client_for):
    handdown = hand_down(county)
    c = client_for(county.coordinator)
    page = c.get(reverse("directives:upper_task", args=[county.upper_task.pk])).content.decode()
    assert "撤回交办" in page
    url = reverse("directives:handdown_withdraw", args=[handdown.pk])
    response = c.post(url, {"reason": "交办对象有误"}, follow=True)
    assert "已撤回交办给第1区党委政府" in response.content.decode()
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.WITHDRAWN
    # again (another tab): a message, nothing changed
    response = c.post(url, {"reason": "再撤一次"}, follow=True)
    assert response.status_code == 200 and "已撤回，不能撤回" in response.content.decode()


def test_withdraw_without_reason_is_a_message_not_a_500(county, client_for):
    handdown = hand_down(county)
    url = reverse("directives:handdown_withdraw", args=[handdown.pk])
    response = client_for(county.coordinator).post(url, {"reason": ""}, follow=True)
    assert response.status_code == 200 and "撤回理由" in response.content.decode()
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.PENDING


def test_the_receiving_district_may_not_withdraw(county, client_for):
    handdown = hand_down(county)
    district = county.districts[0]
    url = reverse("directives:handdown_withdraw", args=[handdown.pk])
    assert client_for(district.coordinator).post(url, {"reason": "x"}).status_code == 403
    other = county.districts[1]
    assert client_for(other.coordinator).post(url, {"reason": "x"}).status_code == 404


def test_district_inbox_shows_it_withdrawn_and_accepting_it_is_a_message(county, client_for):
    district = county.districts[0]
    handdown = hand_down(county)
    c = client_for(district.coordinator)
    accept_url = reverse("directives:handdown_accept", args=[handdown.pk])
    assert c.get(accept_url).status_code == 200  # the first tab opens the form
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="交办对象有误", today=TODAY)
    inbox = c.get(reverse("directives:inbox")).content.decode()
    assert "待接收（0）" in inbox and "上级已撤回" in inbox and "交办对象有误" in inbox
    assert accept_url not in inbox
    own = make_task(
        campaign=district.campaign,
        category=district.category,
        unit=district.bureau,
        title="区营商环境提升",
    )
    response = c.post(accept_url, {"mode": "existing", "task": own.pk}, follow=True)
    assert response.status_code == 200
    assert "已被上级撤回（撤回理由：交办对象有误）" in response.content.decode()
    own.refresh_from_db()
    assert own.upper_task_id is None


def test_get_handdown_to_withdraw_is_the_handing_levels(county):
    handdown = hand_down(county)
    assert get_handdown_to_withdraw(county.coordinator, handdown.pk) == handdown
    with pytest.raises(PermissionDenied):
        get_handdown_to_withdraw(county.inspector, handdown.pk)
    with pytest.raises(Http404):
        get_handdown_to_withdraw(county.districts[1].coordinator, handdown.pk)
