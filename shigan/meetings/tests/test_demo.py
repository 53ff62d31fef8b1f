"""load_meetings_demo creates what it says, with the demo loader's names or without them."""

import datetime

import pytest

from shigan.core import clock
from shigan.core.models import AuditEntry
from shigan.demo.meetings import load_meetings_demo
from shigan.meetings.cadence import PeriodState
from shigan.meetings.completion import Completion
from shigan.meetings.models import Decision, Meeting, MeetingKind, StudyKind, StudySession
from shigan.meetings.queries import decision_completion, series_cadence
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.tasks.models import ChangeRequest, ChangeState, TaskState

D = datetime.date


@pytest.fixture(autouse=True)
def demo_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def demo_like(world) -> tuple[dict[str, Person], dict[str, Unit]]:
    """People and units under the keys the demo loader uses (shigan/demo/data/org.py)."""
    units = {
        "district": world.district,
        "task_force": Unit.objects.get(kind=UnitKind.TASK_FORCE),
        "transport": world.unit_a,
        "water": world.unit_b,
    }
    for key, name, kind in [
        ("office", "党政办公室", UnitKind.OFFICE),
        ("economy", "经济发展办公室", UnitKind.OFFICE),
        ("agriculture", "农业农村办公室", UnitKind.OFFICE),
    ]:
        units[key] = Unit.objects.create(name=name, kind=kind, parent=world.district)
    secretary = Person.objects.create(
        name="张明远", unit=world.district, post="党委书记", role=Role.LEADER
    )
    people = {
        "secretary": secretary,
        "vice_chief": world.leader_person,
        "task_force_head": world.coordinator.person,
        "inspector": world.inspector.person,
        "transport_liaison": world.reporter_a.person,
        "water_liaison": world.reporter_b.person,
    }
    return people, units


def test_demo_creates_meetings_decisions_and_study_sessions(world):
    people, units = demo_like(world)
    summary = load_meetings_demo(campaign=world.campaign, people=people, units=units)
    assert (summary.series, summary.meetings, summary.decisions) == (2, 9, 9)
    assert (summary.completed, summary.study_sessions) == (4, 5)

    mobilisation = Meeting.objects.get(kind=MeetingKind.MOBILISATION)
    assert mobilisation.date == D(2023, 2, 8) and mobilisation.series is None
    assert mobilisation.title == "区党委召开“实干年”活动动员会议"
    assert mobilisation.chair == people["secretary"]
    for point in ("为什么抓", "抓什么", "怎么抓"):
        assert point in mobilisation.agenda
    assert Meeting.objects.filter(kind=MeetingKind.LEADING_GROUP).count() == 2
    assert Meeting.objects.filter(kind=MeetingKind.TASK_FORCE).count() == 6

    kinds = list(StudySession.objects.values_list("kind", flat=True))
    assert kinds.count(StudyKind.CENTRAL_GROUP) == 3 and kinds.count(StudyKind.COLLECTIVE) == 2
    assert AuditEntry.objects.filter(record_type="meetings.meeting").count() == 9


def test_demo_cadence_as_of_july_is_kept_with_the_third_quarter_pending(world):
    people, units = demo_like(world)
    load_meetings_demo(campaign=world.campaign, people=people, units=units)
    cadences = {
        c.series.name: c for c in series_cadence(world.inspector, world.campaign, clock.today())
    }
    quarterly = cadences["“实干年”活动领导小组季度工作会议"]
    assert [p.state for p in quarterly.periods] == [
        PeriodState.HELD,
        PeriodState.HELD,
        PeriodState.PENDING,
    ]
    monthly = cadences["区作风专班月度碰头会"]
    assert [p.label for p in monthly.periods] == [f"2023年{m}月" for m in range(2, 8)]
    assert all(p.state == PeriodState.HELD for p in monthly.periods)


def test_demo_decisions_are_completed_through_approval_and_one_is_overdue(world):
    people, units = demo_like(world)
    load_meetings_demo(campaign=world.campaign, people=people, units=units, by=world.coordinator)
    table = decision_completion(world.coordinator, world.campaign, clock.today())
    assert table.overall == Completion(total=9, done=4, active=5, overdue=1)
    assert table.overall.rate_label == "44.4%"
    approved = ChangeRequest.objects.filter(state=ChangeState.APPROVED)
    assert approved.count() == 4
    road = Decision.objects.get(task__title="完成兴业大道专项债项目规划设计和实地测量")
    assert road.task.state == TaskState.COMPLETED and road.task.closed_on == D(2023, 6, 20)
    assert approved.get(task=road.task).requested_by == world.reporter_a
    assert road.task.lead_unit == world.unit_a and road.task.start_date == D(2023, 3, 28)


def test_demo_falls_back_to_suitable_people_and_units_under_other_names(world):
    people = {"someone": world.leader_person, "staff": world.coordinator.person}
    units = {"a": world.unit_a, "b": world.unit_b, "top": world.district}
    summary = load_meetings_demo(
        campaign=world.campaign, people=people, units=units, today=D(2023, 4, 30)
    )
    assert (summary.meetings, summary.decisions) == (5, 4)  # those held by 30 April
    chairs = set(Meeting.objects.values_list("chair", flat=True))
    assert chairs == {world.leader_person.pk, world.coordinator.person.pk}
    assert set(Decision.objects.values_list("task__lead_unit", flat=True)) <= {
        world.unit_a.pk,
        world.unit_b.pk,
        world.district.pk,
    }
