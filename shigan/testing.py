"""Personas shared by all tests: a coordinator, a leader overseeing unit A, a reporter of unit A,
a reporter of unit B (the outsider), an inspector — and a small campaign with one task per unit.

Test infrastructure above every app (it builds orgs, campaigns and tasks); what needs no app, the
query-budget assertion, is in `shigan.core.testing`."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from shigan.campaigns.models import Campaign
from shigan.orgs.models import Oversight, Person, Role, Unit, UnitKind
from shigan.tasks.models import Milestone, Task, TaskCategory

PASSWORD = "shigan-test-pw"


@dataclass
class World:
    district: Unit
    unit_a: Unit
    unit_b: Unit
    coordinator: object
    leader: object
    reporter_a: object
    reporter_b: object
    inspector: object
    leader_person: Person
    campaign: Campaign
    category: TaskCategory
    task_a: Task
    task_b: Task

    def users(self) -> dict[str, object]:
        return {
            "coordinator": self.coordinator,
            "leader": self.leader,
            "reporter_a": self.reporter_a,
            "reporter_b": self.reporter_b,
            "inspector": self.inspector,
        }


def make_user(username: str, *, unit: Unit, role: str, name: str, post: str = ""):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=role == Role.COORDINATOR
    )
    person = Person.objects.create(name=name, unit=unit, post=post, user=user, role=role)
    return user, person


def make_task(
    *,
    campaign: Campaign,
    category: TaskCategory,
    unit: Unit,
    title: str,
    leader: Person | None = None,
    start: datetime.date = datetime.date(2023, 1, 1),
    due: datetime.date = datetime.date(2023, 12, 31),
    milestones: list[tuple[str, datetime.date, datetime.date | None]] = (),
    number: int = 0,
) -> Task:
    task = Task.objects.create(
        campaign=campaign,
        category=category,
        number=number,
        title=title,
        target=f"{title}的目标",
        lead_unit=unit,
        leader=leader,
        start_date=start,
        due_date=due,
    )
    Milestone.objects.bulk_create(
        Milestone(task=task, title=t, due_date=d, done_on=done, sort_order=i)
        for i, (t, d, done) in enumerate(milestones)
    )
    return task


def build_world() -> World:
    district = Unit.objects.create(name="示范区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    task_force = Unit.objects.create(name="区作风专班", kind=UnitKind.TASK_FORCE, parent=district)
    unit_a = Unit.objects.create(name="区交通局", kind=UnitKind.BUREAU, parent=district)
    unit_b = Unit.objects.create(name="区水务局", kind=UnitKind.BUREAU, parent=district)
    coordinator, _ = make_user("coordinator", unit=task_force, role=Role.COORDINATOR, name="周专班")
    leader, leader_person = make_user(
        "leader", unit=district, role=Role.LEADER, name="李副区长", post="副区长"
    )
    Oversight.objects.create(leader=leader_person, unit=unit_a)
    reporter_a, _ = make_user("reporter_a", unit=unit_a, role=Role.REPORTER, name="王填报")
    reporter_b, _ = make_user("reporter_b", unit=unit_b, role=Role.REPORTER, name="赵填报")
    inspector, _ = make_user("inspector", unit=task_force, role=Role.INSPECTOR, name="钱督查")
    campaign = Campaign.objects.create(
        year=2023,
        name="作风建设“实干年”活动",
        slogan="跑好第一棒、实干开新局",
        organiser=district,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    category = TaskCategory.objects.create(campaign=campaign, name="路网体系")
    task_a = make_task(
        campaign=campaign,
        category=category,
        unit=unit_a,
        title="兴业大道建设",
        leader=leader_person,
        milestones=[
            ("完成规划设计", datetime.date(2023, 5, 31), datetime.date(2023, 5, 20)),
            ("完成整体方案", datetime.date(2023, 8, 31), None),
        ],
        number=1,
    )
    task_b = make_task(
        campaign=campaign,
        category=category,
        unit=unit_b,
        title="清凉河治理二期",
        milestones=[("新建堤防2公里", datetime.date(2023, 10, 31), None)],
        number=2,
    )
    return World(
        district=district,
        unit_a=unit_a,
        unit_b=unit_b,
        coordinator=coordinator,
        leader=leader,
        reporter_a=reporter_a,
        reporter_b=reporter_b,
        inspector=inspector,
        leader_person=leader_person,
        campaign=campaign,
        category=category,
        task_a=task_a,
        task_b=task_b,
    )
