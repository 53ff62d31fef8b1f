"""A campaign's newest audit entry (tasks.changes.last_change) is looked for among the newest
entries of all first (AUDIT_WINDOW), else over the campaign's own: either way it is the newest
entry about the campaign's tasks (and about their hand-downs), whatever other campaigns wrote
since."""

import datetime

import pytest
from django.db.models import Max

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks import changes
from shigan.tasks.changes import last_change
from shigan.tasks.models import Task, TaskCategory


@pytest.fixture
def window(monkeypatch):
    """AUDIT_WINDOW set to `size` for the statements built from now on."""

    def set_window(size: int):
        monkeypatch.setattr(changes, "AUDIT_WINDOW", size)
        changes._statement.cache_clear()

    yield set_window
    changes._statement.cache_clear()


def other_task(world, title="外活动任务", upper=None) -> Task:
    campaign = Campaign.objects.create(
        year=2024,
        name=f"{title}所在活动",
        organiser=world.campaign.organiser,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    category = TaskCategory.objects.create(campaign=campaign, name="外类别")
    return Task.objects.create(
        campaign=campaign,
        category=category,
        number=1,
        title=title,
        lead_unit=world.unit_a,
        start_date=datetime.date(2024, 1, 1),
        due_date=datetime.date(2024, 12, 31),
        upper_task=upper,
    )


def touch(world, task: Task) -> int:
    return audit_record(
        actor=world.coordinator, obj=task, action=AuditAction.UPDATE, task_id=task.pk
    ).pk


def newest_about(task_ids) -> int | None:
    return AuditEntry.objects.filter(task_id__in=task_ids).aggregate(m=Max("pk"))["m"]


@pytest.mark.parametrize("size", [1, 3, 2000])
def test_the_newest_entry_is_found_behind_other_campaigns_entries(world, window, size):
    window(size)
    ours = touch(world, world.task_a)
    elsewhere = other_task(world)
    for _ in range(3):  # newer entries, none about the campaign: the window of 1 or 3 misses
        touch(world, elsewhere)
    change = last_change(world.campaign)
    assert change.task_audit == ours == newest_about([world.task_a.pk, world.task_b.pk])
    newer = touch(world, world.task_b)
    assert last_change(world.campaign).task_audit == newer


@pytest.mark.parametrize("size", [1, 2000])
def test_a_hand_downs_newest_entry_is_found_behind_others(world, window, size):
    window(size)
    child = other_task(world, "下级落实任务", upper=world.task_a)
    answered = touch(world, child)
    touch(world, world.task_b)  # newer, about the campaign's own task
    touch(world, other_task(world, "无关任务"))
    change = last_change(world.campaign)
    assert change.children == (1, answered)
    assert last_change(world.campaign).task_audit == newest_about([world.task_b.pk])
