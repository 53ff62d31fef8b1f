"""督办事项 on the cockpit: the items escalated (逾期督办) to the viewing leader that are still open
and overdue today, one line per item with its lead unit, days overdue and 已催办 N 次, linking
to it; a coordinator sees every escalated item of his district; first on the cockpit when there
is any; bounded queries."""

import datetime
from functools import partial

import pytest
from django.utils import timezone

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import Concern, ConcernCategory, ConcernSource
from shigan.orgs.models import Oversight, Role, Unit, UnitKind
from shigan.reminders.access import reads_district_escalations, receives_escalations
from shigan.reminders.models import Notice, Reminder, RuleKind
from shigan.reminders.queries.escalations import concern_escalations_for, escalations_for
from shigan.reminders.services import remind_run
from shigan.tasks.models import Task, TaskState
from shigan.testing import make_task, make_user

D = datetime.date
TODAY = D(2023, 7, 20)
JUNE_END = D(2023, 6, 30)
JULY_10 = D(2023, 7, 10)
COCKPIT = "/map/cockpit/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def _overdue(world, title, unit=None, due=JUNE_END) -> Task:
    return make_task(campaign=world.campaign, category=world.category, unit=unit or world.unit_a,
                     title=title, due=due)  # fmt: skip


def _escalate(task: Task, *recipients, fired_on=JULY_10) -> Reminder:
    """What the engine's 逾期督办 writes: a reminder put to the leaders (Notice)."""
    reminder = Reminder.objects.create(
        kind=RuleKind.ESCALATION, campaign=task.campaign, task=task, unit=task.lead_unit,
        record_type="tasks.task", record_id=task.pk, anchor=task.due_date.isoformat(),
        fired_on=fired_on, text=f"{task.title}逾期，报分管领导督办", link=task.get_absolute_url(),
    )  # fmt: skip
    Notice.objects.bulk_create(Notice(reminder=reminder, recipient=u) for u in recipients)
    return reminder


def test_a_leader_sees_the_items_escalated_to_him_still_open_and_overdue(world):
    roads = _overdue(world, "兴业大道征地拆迁")
    _escalate(roads, world.leader)
    audit_record(actor=world.coordinator, obj=roads, action=AuditAction.CHASE, task_id=roads.pk)
    done = _overdue(world, "已办结的事项")
    _escalate(done, world.leader)
    Task.objects.filter(pk=done.pk).update(state=TaskState.COMPLETED, closed_on=D(2023, 7, 15))
    extended = _overdue(world, "已延期的事项")
    _escalate(extended, world.leader)
    Task.objects.filter(pk=extended.pk).update(due_date=D(2023, 9, 30))
    lines = escalations_for(world.leader, TODAY)
    assert [line.task.title for line in lines] == ["兴业大道征地拆迁"]
    line = lines[0]
    assert (line.days_overdue, line.escalated_on, line.chases.count) == (20, D(2023, 7, 10), 1)
    assert line.url == f"/tasks/{roads.pk}/"


def test_one_line_per_item_and_others_escalations_are_not_his(world):
    other_leader, other_person = make_user("leader2", unit=world.district, role=Role.LEADER,
                                           name="孙副区长")  # fmt: skip
    Oversight.objects.create(leader=other_person, unit=world.unit_b)
    roads = _overdue(world, "兴业大道征地拆迁", due=D(2023, 6, 1))
    _escalate(roads, world.leader)
    again = Reminder.objects.create(
        kind=RuleKind.ESCALATION, campaign=world.campaign, task=roads, unit=world.unit_a,
        record_type="tasks.task", record_id=roads.pk, anchor="2023-06-01", round=2,
        fired_on=D(2023, 7, 17), text="again",
    )  # fmt: skip
    Notice.objects.create(reminder=again, recipient=world.leader)
    river = _overdue(world, "清凉河清淤", unit=world.unit_b, due=D(2023, 7, 3))
    _escalate(river, other_leader)
    mine = escalations_for(world.leader, TODAY)
    assert [(line.task.title, line.escalated_on) for line in mine] == [
        ("兴业大道征地拆迁", D(2023, 7, 17))
    ]
    assert [line.task.title for line in escalations_for(other_leader, TODAY)] == ["清凉河清淤"]
    # The coordinator reads every escalated item of his district, most overdue first.
    assert reads_district_escalations(world.coordinator)
    assert not reads_district_escalations(world.leader)
    district = [line.task.title for line in escalations_for(world.coordinator, TODAY)]
    assert district == ["兴业大道征地拆迁", "清凉河清淤"]
    for user in (world.reporter_a, world.reporter_b, world.inspector):
        assert escalations_for(user, TODAY) == []
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    outsider, _ = make_user("yi", unit=other, role=Role.COORDINATOR, name="乙专班")
    assert escalations_for(outsider, TODAY) == []


def test_the_cockpit_shows_the_card_first_with_a_line_per_item(world, client_for):
    roads = _overdue(world, "兴业大道征地拆迁")
    _escalate(roads, world.leader)
    for _ in range(2):
        audit_record(actor=None, obj=roads, action=AuditAction.CHASE, task_id=roads.pk)
    response = client_for(world.leader).get(COCKPIT)
    cards = response.context["data"].cards
    assert cards[0].key == "escalations" and cards[0].title == "督办事项"
    assert cards[0].value == 1
    item = cards[0].items[0]
    assert (item.label, item.value, item.url) == (
        "兴业大道征地拆迁",
        "逾期20天",
        f"/tasks/{roads.pk}/",
    )
    assert item.hint == "区交通局 · 已催办2次"
    text = response.content.decode()
    assert 'data-card="escalations"' in text and f'href="/tasks/{roads.pk}/"' in text
    coordinator = client_for(world.coordinator).get(COCKPIT).context["data"].cards
    assert coordinator[0].key == "escalations" and coordinator[0].scope_tag == "全区"


def test_an_empty_card_comes_last_and_only_for_leaders_and_coordinators(world, client_for):
    assert receives_escalations(world.leader) and receives_escalations(world.coordinator)
    assert not receives_escalations(world.reporter_a)
    cards = client_for(world.leader).get(COCKPIT).context["data"].cards
    assert cards[-1].key == "escalations" and cards[-1].empty
    assert "暂无督办事项" in client_for(world.leader).get(COCKPIT).content.decode()
    for user in (world.reporter_a, world.inspector):
        keys = [c.key for c in client_for(user).get(COCKPIT).context["data"].cards]
        assert "escalations" not in keys


def test_the_unit_filter_narrows_the_card(world, client_for):
    _escalate(_overdue(world, "兴业大道征地拆迁"), world.leader)
    _escalate(_overdue(world, "清凉河清淤", unit=world.unit_b), world.leader)
    client = client_for(world.coordinator)
    cards = client.get(f"{COCKPIT}?unit={world.unit_b.pk}").context["data"].cards
    card = next(c for c in cards if c.key == "escalations")
    assert [i.label for i in card.items] == ["清凉河清淤"] and card.scope_tag == ""


def test_escalations_run_a_fixed_number_of_queries(world):
    _escalate(_overdue(world, "事项0"), world.leader)

    def grow():
        for n in range(1, 8):
            task = _overdue(world, f"事项{n}", unit=world.unit_a if n % 2 else world.unit_b)
            _escalate(task, world.leader)
            audit_record(actor=None, obj=task, action=AuditAction.CHASE, task_id=task.pk)

    for user in (world.leader, world.coordinator):
        assert_same_queries(partial(escalations_for, user, TODAY), grow, at_most=4, warm_up=True)
        Reminder.objects.filter(task__title__startswith="事项").exclude(
            task__title="事项0"
        ).delete()
        Task.objects.filter(title__startswith="事项").exclude(title="事项0").delete()


def test_a_concern_past_its_time_limit_is_on_the_overseers_cockpit(world, client_for):
    category = ConcernCategory.objects.create(
        district=world.district, name="一般诉求", time_limit_workdays=5
    )
    concern = Concern.objects.create(
        campaign=world.campaign, number="2023-0001", source=ConcernSource.HOTLINE,
        category=category, requester_name="张三", requester_phone="13800001234",
        content="路口信号灯故障", received_on=D(2023, 7, 3), due_on=D(2023, 7, 10),
        assigned_unit=world.unit_a,
    )  # fmt: skip
    remind_run(today=D(2023, 7, 11), now=timezone.now(), send=False)
    [line] = concern_escalations_for(world.leader, TODAY)
    assert line.concern == concern and line.days_overdue == 10
    assert concern_escalations_for(world.reporter_b, TODAY) == []
    [coordinator_line] = concern_escalations_for(world.coordinator, TODAY)  # the district's
    assert coordinator_line.concern == concern
    page = client_for(world.leader).get(COCKPIT).content.decode()
    assert "诉求2023-0001：路口信号灯故障" in page and f"/grassroots/concerns/{concern.pk}/" in page
    Concern.objects.filter(pk=concern.pk).update(closed_on=D(2023, 7, 19))
    assert concern_escalations_for(world.leader, TODAY) == []
