"""Creating and editing tasks with milestones: access, audit trail, and bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry
from shigan.tasks.models import Milestone, Task, TaskCategory
from shigan.tasks.services.tasks import MilestoneInput, task_save

NEW = "/tasks/new/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def edit_url(task):
    return f"/tasks/{task.pk}/edit/"


def new_data(world, **overrides):
    data = {
        "campaign": world.campaign.pk,
        "category": world.category.pk,
        "number": 3,
        "title": "招商引资",
        "target": "全年外出招商不少于8次",
        "lead_unit": world.unit_a.pk,
        "supporting_units": [world.unit_b.pk],
        "leader": world.leader_person.pk,
        "start_date": "2023-02-08",
        "due_date": "2023-12-31",
        "ms-TOTAL_FORMS": "3",
        "ms-INITIAL_FORMS": "0",
        "ms-MIN_NUM_FORMS": "0",
        "ms-MAX_NUM_FORMS": "1000",
        "ms-0-title": "签订协议4个",
        "ms-0-due_date": "2023-06-30",
        "ms-1-title": "实际落地3个",
        "ms-1-due_date": "2023-09-30",
    }
    data.update(overrides)
    return data


def edit_data(world, **overrides):
    """The edit form of task_a as the page posts it unchanged (two existing milestones)."""
    done, planned = world.task_a.milestones.order_by("due_date")
    data = new_data(
        world,
        title="兴业大道建设",
        number=1,
        target="兴业大道建设的目标",
        supporting_units=[],
        start_date="2023-01-01",
        **{
            "ms-TOTAL_FORMS": "4",
            "ms-INITIAL_FORMS": "2",
            "ms-0-id": done.pk,
            "ms-0-title": done.title,
            "ms-0-due_date": "2023-05-31",
            "ms-1-id": planned.pk,
            "ms-1-title": planned.title,
            "ms-1-due_date": "2023-08-31",
        },
    )
    data.update(overrides)
    return data


def counts():
    return Task.objects.count(), Milestone.objects.count(), AuditEntry.objects.count()


def test_coordinator_creates_task_with_milestones_and_audit_trail(world, client_for):
    response = client_for(world.coordinator).post(NEW, new_data(world))
    task = Task.objects.get(title="招商引资")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert list(task.supporting_units.all()) == [world.unit_b]
    assert [m.title for m in task.milestones.all()] == ["签订协议4个", "实际落地3个"]
    entries = AuditEntry.objects.filter(task_id=task.pk)
    assert sorted(e.record_type for e in entries) == ["tasks.milestone"] * 2 + ["tasks.task"]
    created = entries.get(record_type="tasks.task")
    assert created.changes["配合单位"] == [None, "区水务局"]
    assert created.changes["完成时限"] == [None, "2023-12-31"]


def test_create_form_renders_for_coordinator(world, client_for):
    body = client_for(world.coordinator).get(NEW).content.decode()
    assert 'name="ms-TOTAL_FORMS"' in body and 'name="supporting_units"' in body


def test_edit_records_before_and_after_of_each_change(world, client_for):
    done, planned = world.task_a.milestones.order_by("due_date")
    data = edit_data(
        world,
        due_date="2024-03-31",
        **{
            "ms-1-title": "完成整体方案编制",
            "ms-2-title": "提交申报",
            "ms-2-due_date": "2023-09-30",
        },
    )
    response = client_for(world.coordinator).post(edit_url(world.task_a), data)
    assert response.status_code == 302
    task = Task.objects.get(pk=world.task_a.pk)
    assert task.due_date == datetime.date(2024, 3, 31)
    assert [m.title for m in task.milestones.all()] == [
        "完成规划设计",
        "完成整体方案编制",
        "提交申报",
    ]
    task_entry = AuditEntry.objects.get(record_type="tasks.task", task_id=task.pk)
    assert task_entry.changes == {"完成时限": ["2023-12-31", "2024-03-31"]}
    ms_entry = AuditEntry.objects.get(record_type="tasks.milestone", record_id=planned.pk)
    assert ms_entry.changes == {"节点": ["完成整体方案", "完成整体方案编制"]}
    body = client_for(world.coordinator).get(f"/tasks/{task.pk}/").content.decode()
    assert "<b>完成时限</b>：2023-12-31 → 2024-03-31" in body


def test_unchanged_edit_writes_no_audit_entries(world, client_for):
    before = counts()
    response = client_for(world.coordinator).post(edit_url(world.task_a), edit_data(world))
    assert response.status_code == 302
    assert counts() == before


def test_edit_deletes_an_unreached_milestone_with_an_audit_entry(world, client_for):
    _, planned = world.task_a.milestones.order_by("due_date")
    data = edit_data(world, **{"ms-1-DELETE": "on"})
    assert client_for(world.coordinator).post(edit_url(world.task_a), data).status_code == 302
    assert not Milestone.objects.filter(pk=planned.pk).exists()
    entry = AuditEntry.objects.get(record_type="tasks.milestone", record_id=planned.pk)
    assert entry.action == "delete" and entry.changes["节点"] == ["完成整体方案", None]


@pytest.mark.parametrize("role", ["leader", "reporter_a", "inspector"])
def test_non_coordinators_may_not_create_or_edit(world, client_for, role):
    c = client_for(world.users()[role])
    assert c.get(NEW).status_code == 403
    assert c.post(NEW, new_data(world)).status_code == 403
    assert c.get(edit_url(world.task_a)).status_code == 403
    assert c.post(edit_url(world.task_a), edit_data(world, title="改")).status_code == 403
    assert Task.objects.get(pk=world.task_a.pk).title == "兴业大道建设"


def test_outsider_gets_404_on_edit(world, client_for):
    assert client_for(world.reporter_b).get(edit_url(world.task_a)).status_code == 404


def _other_campaign_category(world):
    other = Campaign.objects.create(
        year=2024,
        name="实干年",
        organiser=world.district,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    return TaskCategory.objects.create(campaign=other, name="路网体系").pk


BAD_INPUT = [
    ({"due_date": "2023-01-31"}, "完成时限2023-01-31早于开始日期2023-02-08"),
    (
        {"ms-1-due_date": "2024-01-15"},
        "节点“实际落地3个”的计划完成日期2024-01-15不在任务起止日期（2023-02-08至2023-12-31）之内",
    ),
    (
        {"ms-0-due_date": "2023-01-15"},
        "节点“签订协议4个”的计划完成日期2023-01-15不在任务起止日期",
    ),
    ({"supporting_units": ["LEAD"]}, "牵头单位“区交通局”不能同时作为配合单位"),
    ({"lead_unit": 99999}, "所选单位不存在"),
    ({"supporting_units": [99999]}, "配合单位中有不存在的单位"),
    ({"category": "OTHER"}, "不属于活动"),
    ({"title": ""}, "这个字段是必填项"),
    ({"ms-2-due_date": "2023-07-01"}, "这个字段是必填项"),
    ({"due_date": "9999-12-31"}, "完成时限“9999-12-31”超出允许的年份范围（1990—2100年）"),
    ({"start_date": "２０２３-02-08"}, "开始日期“２０２３-02-08”不是有效的日期"),
    ({"ms-0-due_date": "0000-01-01"}, "计划完成日期“0000-01-01”超出允许的年份范围"),
]


@pytest.mark.parametrize("overrides, message", BAD_INPUT)
def test_bad_input_on_create_shows_message_and_saves_nothing(world, client_for, overrides, message):
    if overrides.get("supporting_units") == ["LEAD"]:
        overrides = {"supporting_units": [world.unit_a.pk, world.unit_b.pk]}
    if overrides.get("category") == "OTHER":
        overrides = {"category": _other_campaign_category(world)}
    before = counts()
    response = client_for(world.coordinator).post(NEW, new_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_bad_dates_on_edit_save_nothing(world, client_for):
    before = counts()
    data = edit_data(world, due_date="2023-07-31")  # milestone 完成整体方案 is due 08-31
    response = client_for(world.coordinator).post(edit_url(world.task_a), data)
    assert "节点“完成整体方案”的计划完成日期2023-08-31不在任务起止日期" in response.content.decode()
    assert counts() == before
    assert Task.objects.get(pk=world.task_a.pk).due_date == datetime.date(2023, 12, 31)


def test_deleting_the_milestone_that_would_fall_outside_is_accepted(world, client_for):
    data = edit_data(world, due_date="2023-07-31", **{"ms-1-DELETE": "on"})
    assert client_for(world.coordinator).post(edit_url(world.task_a), data).status_code == 302


def test_reached_milestone_cannot_be_deleted(world, client_for):
    before = counts()
    data = edit_data(world, **{"ms-0-DELETE": "on"})
    response = client_for(world.coordinator).post(edit_url(world.task_a), data)
    assert "节点“完成规划设计”已于2023-05-20完成，不能删除" in response.content.decode()
    assert counts() == before


def test_milestone_id_of_another_task_is_refused(world, client_for):
    foreign = world.task_b.milestones.get()
    before = counts()
    data = edit_data(world, **{"ms-1-id": foreign.pk})
    response = client_for(world.coordinator).post(edit_url(world.task_a), data)
    assert "该节点不存在或不属于本任务" in response.content.decode()
    assert counts() == before
    assert Milestone.objects.get(pk=foreign.pk).title == "新建堤防2公里"


def test_service_refuses_milestone_outside_the_task_dates(world):
    before = counts()
    with pytest.raises(ValidationError, match="节点“验收”"):
        task_save(
            task=None,
            by=world.coordinator,
            campaign=world.campaign,
            category=world.category,
            number=9,
            title="新任务",
            target="",
            lead_unit=world.unit_a,
            supporting_units=[],
            leader=None,
            start_date=datetime.date(2023, 3, 1),
            due_date=datetime.date(2023, 6, 30),
            milestones=[MilestoneInput(title="验收", due_date=datetime.date(2023, 7, 1))],
        )
    assert counts() == before


def test_service_records_supporting_unit_changes(world):
    task_save(
        task=world.task_a,
        by=world.coordinator,
        campaign=world.campaign,
        category=world.category,
        number=1,
        title=world.task_a.title,
        target=world.task_a.target,
        lead_unit=world.unit_a,
        supporting_units=[world.unit_b],
        leader=world.leader_person,
        start_date=world.task_a.start_date,
        due_date=world.task_a.due_date,
        milestones=[
            MilestoneInput(title=m.title, due_date=m.due_date, milestone=m)
            for m in world.task_a.milestones.all()
        ],
    )
    entry = AuditEntry.objects.get(record_type="tasks.task")
    assert entry.changes == {"配合单位": [None, "区水务局"]}
