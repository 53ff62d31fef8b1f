"""tasks.changes.last_change reads the names its campaign's pages show (the lead units and
organiser, the leaders) by a loose scan of the (campaign, lead unit / leader) indexes, and the
hand-downs from their side (issue 18: 5.5 → 2.3 ms of CPU at 10,000 tasks). Both must give what
the definition gives — the latest update of every unit and person the campaign's tasks name, the
count and newest audit entry of the tasks handed down from them — whatever the tasks name, and
move with every rename of one of them and no other."""

import datetime

import pytest
from django.db.models import Max, Q

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.tasks.changes import last_change
from shigan.tasks.models import Task
from shigan.testing import make_task, make_user

from .test_last_change_window import other_task

MOMENT = datetime.datetime(2024, 3, 1, 8, 0, tzinfo=datetime.UTC)


def defined(campaign):
    """The names' and hand-downs' parts as the module's docstring defines them (plain ORM)."""
    tasks = Task.objects.filter(campaign=campaign)
    units = Unit.objects.filter(
        Q(pk__in=tasks.values("lead_unit_id")) | Q(pk=campaign.organiser_id)
    )
    leaders = Person.objects.filter(pk__in=tasks.values("leader_id"))
    children = Task.objects.filter(upper_task__campaign=campaign)
    newest = AuditEntry.objects.filter(task_id__in=children.values("pk")).aggregate(m=Max("pk"))
    return (
        (
            units.aggregate(m=Max("updated_at"))["m"],
            leaders.aggregate(m=Max("updated_at"))["m"],
        ),
        (children.count(), newest["m"]),
    )


def parts(campaign):
    change = last_change(campaign)
    return change.named, change.children


def stamp(record, minutes: int) -> None:
    """A rename at MOMENT + minutes (the update's own time, so that each one moves)."""
    type(record).objects.filter(pk=record.pk).update(
        updated_at=MOMENT + datetime.timedelta(minutes=minutes)
    )


@pytest.fixture
def named(world):
    """The campaign's tasks naming five units (one twice) and three leaders (one task none);
    a sixth unit and a fourth person named only by another campaign's task."""
    units = [world.unit_a, world.unit_b] + [
        Unit.objects.create(name=f"区第{n}局", kind=UnitKind.BUREAU, parent=world.district)
        for n in range(3)
    ]
    leaders = [world.leader_person] + [
        make_user(f"leader{n}", unit=world.district, role=Role.LEADER, name=f"副区长{n}")[1]
        for n in range(2)
    ]
    named_leaders = [leaders[1], None, leaders[2], leaders[0]]
    for n, (unit, leader) in enumerate(zip(units[2:] + [units[3]], named_leaders, strict=True)):
        make_task(
            campaign=world.campaign,
            category=world.category,
            unit=unit,
            title=f"任务{n}",
            leader=leader,
            number=10 + n,
        )
    outside_unit = Unit.objects.create(name="区外局", kind=UnitKind.BUREAU, parent=world.district)
    outside_leader = make_user("outsider", unit=world.district, role=Role.LEADER, name="外领导")[1]
    elsewhere = other_task(world, "他活动任务")
    Task.objects.filter(pk=elsewhere.pk).update(lead_unit=outside_unit, leader=outside_leader)
    minute = 0
    for record in [world.district, *units, outside_unit, *leaders, outside_leader]:
        stamp(record, minute)
        minute += 1
    return units, leaders, outside_unit, outside_leader


def test_every_named_unit_and_leader_renamed_moves_the_names(world, named):
    units, leaders, _, _ = named
    assert parts(world.campaign) == defined(world.campaign)
    minute = 100
    # the largest ids first: a scan reading only the smallest would miss them
    for record in [*reversed(units), world.district, *reversed(leaders)]:
        before = parts(world.campaign)
        stamp(record, minute)
        minute += 1
        after = parts(world.campaign)
        assert after == defined(world.campaign)
        assert after[0] != before[0], f"renaming {record} did not move the names"


def test_a_unit_or_leader_named_elsewhere_only_leaves_the_names(world, named):
    _, _, outside_unit, outside_leader = named
    before = parts(world.campaign)
    stamp(outside_unit, 500)
    stamp(outside_leader, 501)
    assert parts(world.campaign) == defined(world.campaign) == before


def test_a_task_moved_to_another_lead_unit_and_leader_is_read_by_its_new_names(world, named):
    units, leaders, outside_unit, outside_leader = named
    Task.objects.filter(pk=world.task_b.pk).update(lead_unit=outside_unit, leader=outside_leader)
    stamp(outside_unit, 600)
    stamp(outside_leader, 601)
    assert parts(world.campaign) == defined(world.campaign)
    assert last_change(world.campaign).named == (
        MOMENT + datetime.timedelta(minutes=600),
        MOMENT + datetime.timedelta(minutes=601),
    )


def test_a_campaign_whose_tasks_name_no_leader_reads_none(world):
    Task.objects.filter(campaign=world.campaign).update(leader=None)
    assert parts(world.campaign) == defined(world.campaign)
    assert last_change(world.campaign).named[1] is None


def test_hand_downs_are_counted_and_their_newest_entry_read(world):
    assert parts(world.campaign)[1] == (0, None) == defined(world.campaign)[1]
    ours = [other_task(world, f"下级任务{n}", upper=world.task_a) for n in range(2)]
    ours.append(other_task(world, "下级任务b", upper=world.task_b))
    unrelated = other_task(world, "他活动的交办", upper=other_task(world, "他活动上级任务"))
    entry = audit_record(
        actor=world.coordinator, obj=ours[1], action=AuditAction.UPDATE, task_id=ours[1].pk
    ).pk
    audit_record(
        actor=world.coordinator, obj=unrelated, action=AuditAction.UPDATE, task_id=unrelated.pk
    )
    assert parts(world.campaign)[1] == (3, entry) == defined(world.campaign)[1]
    ours[0].delete()  # deleted outside the services: no entry, the count moves
    assert parts(world.campaign)[1] == (2, entry) == defined(world.campaign)[1]
