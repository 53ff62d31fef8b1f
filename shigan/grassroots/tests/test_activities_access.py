"""Who reads and manages 办实事 items, the reception rota, pairings and practice activities
(grassroots.access), persona by persona."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.grassroots.access import (
    can_manage_pairings,
    can_manage_practice_activities,
    can_manage_promises,
    can_manage_reception,
    can_record_practice_event,
    get_pairing_for_user,
    get_practice_activity_for_user,
    get_practice_event_for_user,
    get_promise_for_user,
    get_reception_day_for_user,
    pairings_visible_to,
    practice_activities_visible_to,
    practice_event_units,
    practice_events_visible_to,
    promises_visible_to,
    reception_concerns_visible_to,
    reception_days_visible_to,
)
from shigan.grassroots.models import (
    Concern,
    ConcernCategory,
    ConcernSource,
    Pairing,
    PracticeActivity,
    PracticeEvent,
    ReceptionDay,
)
from shigan.grassroots.services.promises import promise_create
from shigan.tasks.models import Task

D = datetime.date
PERSONAS = ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"]


@pytest.fixture
def ledger(world):
    promise = promise_create(
        campaign=world.campaign, by=world.coordinator, title="甲单位办实事", target="",
        lead_unit=world.unit_a, leader=None, start_date=D(2023, 3, 1), due_date=D(2023, 9, 1),
    )  # fmt: skip
    day = ReceptionDay.objects.create(
        campaign=world.campaign, date=D(2023, 7, 5), leader=world.leader_person, place="信访局"
    )
    category = ConcernCategory.objects.create(
        district=world.district, name="城建", time_limit_workdays=5
    )
    concern = Concern.objects.create(
        campaign=world.campaign, number="X1", source=ConcernSource.RECEPTION, category=category,
        reception_day=day, requester_name="张三", content="路灯不亮", received_on=D(2023, 7, 5),
        due_on=D(2023, 7, 12), assigned_unit=world.unit_b,
    )  # fmt: skip
    pairing = Pairing.objects.create(
        campaign=world.campaign, cadre=world.reporter_a.person, target_kind="household",
        target_name="甲户", started_on=D(2023, 3, 1),
    )  # fmt: skip
    activity = PracticeActivity.objects.create(campaign=world.campaign, name="红色屋场")
    event = PracticeEvent.objects.create(
        activity=activity, date=D(2023, 6, 1), place="村部", organiser=world.unit_a,
        participants=30, summary="宣讲", created_by=world.coordinator,
    )  # fmt: skip
    return {"promise": promise, "day": day, "concern": concern, "pairing": pairing,
            "activity": activity, "event": event}  # fmt: skip


def users(world):
    return {name: getattr(world, name) for name in PERSONAS}


@pytest.mark.parametrize(
    ("check", "allowed"),
    [
        (can_manage_promises, {"coordinator"}),
        (can_manage_reception, {"coordinator"}),
        (can_manage_pairings, {"coordinator"}),
        (can_manage_practice_activities, {"coordinator"}),
        (can_record_practice_event, {"coordinator", "reporter_a", "reporter_b"}),
    ],
)
def test_who_manages(world, check, allowed):
    assert {name for name, user in users(world).items() if check(user)} == allowed


@pytest.mark.parametrize(
    ("name", "reads"),
    [
        ("promise", {"coordinator", "leader", "reporter_a", "inspector"}),
        ("day", set(PERSONAS)),
        ("pairing", {"coordinator", "leader", "reporter_a", "inspector"}),
        ("activity", set(PERSONAS)),
        ("event", {"coordinator", "leader", "reporter_a", "inspector"}),
    ],
)
def test_who_reads(world, ledger, name, reads):
    visible = {
        "promise": lambda u: promises_visible_to(u, Task.objects.all()),
        "day": lambda u: reception_days_visible_to(u, ReceptionDay.objects.all()),
        "pairing": lambda u: pairings_visible_to(u, Pairing.objects.all()),
        "activity": lambda u: practice_activities_visible_to(u, PracticeActivity.objects.all()),
        "event": lambda u: practice_events_visible_to(u, PracticeEvent.objects.all()),
    }[name]
    found = {n for n, user in users(world).items() if ledger[name] in visible(user)}
    assert found == reads


def test_a_list_task_is_no_promise(world, ledger):
    assert list(promises_visible_to(world.coordinator, Task.objects.all())) == [ledger["promise"]]


def test_the_concerns_of_a_day_as_far_as_the_reader_reads_concerns(world, ledger):
    concerns = ledger["day"].concerns.all()
    readers = {
        n for n, u in users(world).items() if reception_concerns_visible_to(u, concerns).exists()
    }
    assert readers == {"coordinator", "inspector", "reporter_b"}


def test_getters_answer_404_outside_and_403_on_writes(world, ledger):
    with pytest.raises(Http404):
        get_promise_for_user(world.reporter_b, ledger["promise"].pk)
    with pytest.raises(Http404):
        get_promise_for_user(world.coordinator, ledger["promise"].pk + 1000)
    with pytest.raises(Http404):
        get_promise_for_user(world.coordinator, "abc")
    with pytest.raises(PermissionDenied):
        get_promise_for_user(world.reporter_a, ledger["promise"].pk, write=True)
    assert get_promise_for_user(world.coordinator, ledger["promise"].pk, write=True)
    with pytest.raises(PermissionDenied):
        get_reception_day_for_user(world.leader, ledger["day"].pk, write=True)
    assert get_reception_day_for_user(world.reporter_b, ledger["day"].pk)
    with pytest.raises(Http404):
        get_pairing_for_user(world.reporter_b, ledger["pairing"].pk)
    assert get_pairing_for_user(world.leader, ledger["pairing"].pk)
    with pytest.raises(PermissionDenied):
        get_pairing_for_user(world.leader, ledger["pairing"].pk, write=True)
    assert get_pairing_for_user(world.coordinator, ledger["pairing"].pk, write=True)
    with pytest.raises(PermissionDenied):
        get_practice_activity_for_user(world.reporter_a, ledger["activity"].pk, write=True)
    assert get_practice_activity_for_user(world.coordinator, ledger["activity"].pk, write=True)
    with pytest.raises(Http404):
        get_practice_event_for_user(world.reporter_b, ledger["event"].pk)
    assert get_practice_event_for_user(world.leader, ledger["event"].pk)


def test_the_units_an_event_may_be_entered_for(world):
    assert list(practice_event_units(world.reporter_a)) == [world.unit_a]
    assert world.unit_b in practice_event_units(world.coordinator)
    assert not practice_event_units(world.leader).exists()
    assert not practice_event_units(world.inspector).exists()


def test_the_index_counts_what_the_user_reads(world, ledger, client_for, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    page = client_for(world.reporter_b).get("/grassroots/").content.decode()
    assert "办实事事项<b>0</b>项" in page and "结对<b>0</b>对" in page
    assert "未开展1天" in page and "开展<b>0</b>次" in page
    page = client_for(world.coordinator).get("/grassroots/").content.decode()
    assert "办实事事项<b>1</b>项" in page and "结对<b>1</b>对" in page
    assert "开展<b>1</b>次" in page
