"""办实事 items: tracked as tasks of origin 办实事事项, closed only with evidence and a 回访."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import PromiseFollowUp, Satisfaction
from shigan.grassroots.services.promises import promise_create, promise_follow_up_record
from shigan.reminders.models import Message, Reminder, RuleKind
from shigan.reminders.services import remind_run
from shigan.tasks.models import ChangeKind, Evidence, Milestone, Task, TaskOrigin, TaskState
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.tasks import MilestoneInput

D = datetime.date


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def make_promise(world, title="为兴业社区加装电梯", **kwargs):
    values = dict(
        campaign=world.campaign,
        by=world.coordinator,
        title=title,
        target="年底前完成 3 台电梯加装",
        lead_unit=world.unit_a,
        leader=world.leader_person,
        start_date=D(2023, 3, 1),
        due_date=D(2023, 11, 30),
    )
    return promise_create(**(values | kwargs))


def pdf(name="电梯验收.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def ask_completion(world, task, files=()):
    return change_request_create(
        task=task, by=world.reporter_a, kind=ChangeKind.COMPLETE, reason="已完成", files=files
    )


def follow_up(world, task):
    return promise_follow_up_record(
        task=task,
        by=world.coordinator,
        on=D(2023, 7, 18),
        result="居民反映电梯运行良好",
        satisfaction=Satisfaction.SATISFIED,
    )


def test_a_promise_is_a_task_of_origin_promise_with_its_milestones(world):
    task = make_promise(world, milestones=[MilestoneInput("完成 1 台", D(2023, 6, 30))])
    assert task.origin == TaskOrigin.PROMISE
    assert task.category.name == "办实事事项"
    assert list(Milestone.objects.filter(task=task).values_list("title", flat=True)) == [
        "完成 1 台"
    ]


def test_a_milestone_outside_the_dates_saves_nothing(world):
    with pytest.raises(ValidationError) as e:
        make_promise(world, milestones=[MilestoneInput("完成 1 台", D(2023, 12, 30))])
    assert "不在任务起止日期" in str(e.value)
    assert not Task.objects.filter(origin=TaskOrigin.PROMISE).exists()


def test_closing_is_refused_without_evidence(world):
    task = make_promise(world)
    follow_up(world, task)
    request = ask_completion(world, task)
    with pytest.raises(ValidationError) as e:
        change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    assert "尚无佐证材料" in str(e.value)
    assert Task.objects.get(pk=task.pk).state == TaskState.ACTIVE


def test_closing_is_refused_without_a_follow_up(world):
    task = make_promise(world)
    request = ask_completion(world, task, files=[pdf()])
    with pytest.raises(ValidationError) as e:
        change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    assert "尚无群众回访结果" in str(e.value)
    assert "佐证材料和" not in str(e.value)
    assert Task.objects.get(pk=task.pk).state == TaskState.ACTIVE


def test_closing_names_both_when_both_are_missing(world):
    task = make_promise(world)
    request = ask_completion(world, task)
    with pytest.raises(ValidationError) as e:
        change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    assert "尚无佐证材料和群众回访结果" in str(e.value)


def test_closing_is_approved_with_evidence_and_a_follow_up(world):
    task = make_promise(world)
    request = ask_completion(world, task, files=[pdf()])
    follow_up(world, task)
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    assert Evidence.objects.filter(task=task).count() == 1


def test_a_list_task_closes_without_a_follow_up(world):
    request = ask_completion(world, world.task_a)
    change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    assert Task.objects.get(pk=world.task_a.pk).state == TaskState.COMPLETED


def test_a_follow_up_is_recorded_again_not_twice(world):
    task = make_promise(world)
    follow_up(world, task)
    promise_follow_up_record(
        task=task, by=world.coordinator, on=D(2023, 7, 19), result="再次回访", satisfaction="basic"
    )
    assert PromiseFollowUp.objects.get(task=task).result == "再次回访"
    assert PromiseFollowUp.objects.count() == 1


@pytest.mark.parametrize(
    ("on", "result", "satisfaction", "message"),
    [
        (None, "好", "satisfied", "请填写回访日期"),
        (D(2023, 2, 1), "好", "satisfied", "早于事项开始日期2023-03-01"),
        (D(2023, 7, 21), "好", "satisfied", "晚于今天"),
        (D(2023, 7, 1), "  ", "satisfied", "请填写回访情况"),
        (D(2023, 7, 1), "好", "great", "请选择群众满意度"),
    ],
)
def test_a_bad_follow_up_is_refused(world, on, result, satisfaction, message):
    task = make_promise(world)
    with pytest.raises(ValidationError) as e:
        promise_follow_up_record(
            task=task, by=world.coordinator, on=on, result=result, satisfaction=satisfaction
        )
    assert message in str(e.value)
    assert not PromiseFollowUp.objects.exists()


def test_a_follow_up_of_a_list_task_is_refused(world):
    with pytest.raises(ValidationError) as e:
        follow_up(world, world.task_a)
    assert "不是办实事事项" in str(e.value)


def test_a_promise_shows_on_the_battle_map_and_the_task_list(world, client_for):
    task = make_promise(world, title="为兴业社区加装电梯")
    client = client_for(world.coordinator)
    for url in (reverse("dashboards:battle_map"), reverse("tasks:task_list")):
        page = client.get(url).content.decode()
        assert "为兴业社区加装电梯" in page, url
        assert "办实事事项" in page, url
    detail = client.get(task.get_absolute_url()).content.decode()
    assert reverse("grassroots:promise_detail", args=[task.pk]) in detail


def test_the_list_shows_status_evidence_and_follow_up(world, client_for):
    task = make_promise(world)
    follow_up(world, task)
    page = client_for(world.reporter_a).get(reverse("grassroots:promise_list")).content.decode()
    assert "为兴业社区加装电梯" in page and "满意" in page and "未回访" not in page


def test_a_reporter_reads_only_his_units_promises(world, client_for):
    make_promise(world, title="甲单位办实事")
    make_promise(world, title="乙单位办实事", lead_unit=world.unit_b, leader=None)
    page = client_for(world.reporter_b).get(reverse("grassroots:promise_list")).content.decode()
    assert "乙单位办实事" in page and "甲单位办实事" not in page
    page = client_for(world.leader).get(reverse("grassroots:promise_list")).content.decode()
    assert "甲单位办实事" in page and "乙单位办实事" not in page


def test_the_list_reads_in_fixed_queries(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("grassroots:promise_list")
    make_promise(world)

    def grow():
        for n in range(4):
            task = make_promise(world, title=f"事项{n}")
            follow_up(world, task)

    assert_same_queries(lambda: client.get(url), grow, warm_up=True)


def test_the_create_page_records_a_promise_with_milestones(world, client_for):
    data = {
        "title": "老旧小区路灯改造",
        "target": "改造 200 盏",
        "lead_unit": world.unit_b.pk,
        "start_date": "2023-04-01",
        "due_date": "2023-09-30",
        "milestones": "2023-06-30 完成 100 盏\n2023-09-30 全部完成",
    }
    response = client_for(world.coordinator).post(reverse("grassroots:promise_create"), data)
    assert response.status_code == 302
    task = Task.objects.get(title="老旧小区路灯改造")
    assert task.origin == TaskOrigin.PROMISE and task.milestones.count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"due_date": "2023-03-01"}, "早于开始日期2023-04-01"),
        ({"milestones": "2023-13-01 坏日期"}, "节点第1行的日期"),
        ({"milestones": "2023-06-01"}, "节点第1行缺少节点名称"),
        ({"milestones": "2023-12-01 太晚"}, "不在任务起止日期"),
        ({"lead_unit": "999999"}, "单位不存在"),
    ],
)
def test_bad_input_on_the_create_page_is_named(world, client_for, change, message):
    data = {
        "title": "老旧小区路灯改造",
        "lead_unit": world.unit_b.pk,
        "start_date": "2023-04-01",
        "due_date": "2023-09-30",
    } | change
    response = client_for(world.coordinator).post(reverse("grassroots:promise_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Task.objects.filter(origin=TaskOrigin.PROMISE).exists()


def test_the_follow_up_page_records_it(world, client_for):
    task = make_promise(world)
    url = reverse("grassroots:promise_follow_up", args=[task.pk])
    data = {"on": "2023-07-10", "satisfaction": "basic", "result": "基本满意，希望加快进度"}
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 302
    assert PromiseFollowUp.objects.get(task=task).satisfaction == "basic"
    bad = client_for(world.coordinator).post(url, data | {"on": "2023-08-01"})
    assert "晚于今天" in bad.content.decode()


def test_hostile_text_is_escaped(world, client_for):
    task = make_promise(world, title="<script>alert(1)</script>")
    page = client_for(world.coordinator).get(reverse("grassroots:promise_detail", args=[task.pk]))
    assert b"<script>alert(1)" not in page.content


def test_the_approval_page_says_why_closing_is_refused(world, client_for):
    task = make_promise(world)
    request = ask_completion(world, task)
    url = reverse("tasks:change_request_decide", args=[request.pk])
    client = client_for(world.coordinator)
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "须上传办理佐证材料并录入回访结果后方可批准办结销号" in response.content.decode()
    assert Task.objects.get(pk=task.pk).state == TaskState.ACTIVE


def test_the_reminders_chase_a_promise_like_any_task(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-08-25")
    task = make_promise(world, title="水务局办实事：清淤", lead_unit=world.unit_b, leader=None,
                        due_date=D(2023, 8, 29))  # fmt: skip
    remind_run(today=D(2023, 8, 25), now=timezone.now())
    assert Reminder.objects.filter(task=task, kind=RuleKind.NEARING).exists()
    [digest] = Message.objects.filter(recipient=world.reporter_b)
    assert "水务局办实事：清淤" in digest.body
    assert not Message.objects.filter(recipient=world.reporter_a, body__contains="清淤").exists()
