"""tasks.access persona by persona: who reads which task, who writes it, who manages tasks,
decides change requests, files the monthly report and opens past months.

The tasks: task_a (unit A, the leader its responsible leader), task_b (unit B), task_c (unit B,
the leader its responsible leader although he does not oversee unit B), task_d (unit B, unit A
supporting) and task_sub (a sub-unit of unit A)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.orgs.models import Unit, UnitKind
from shigan.tasks.access import (
    can_decide_change_requests,
    can_file_monthly_report,
    can_manage_tasks,
    can_open_report_period,
    can_write_task,
    change_requests_visible_to,
    get_task_for_user,
    get_unit_for_report,
    tasks_visible_to,
)
from shigan.tasks.models import ChangeRequest, Task
from shigan.testing import make_task
from shigan.tests.personas import all_personas, answers, only

NOTHING = {"anonymous": set(), "no_role": set(), "roleless_person": set()}


@pytest.fixture
def users(world):
    return all_personas(world)


@pytest.fixture
def tasks(world):
    def task(title, unit, **kw):
        return make_task(
            campaign=world.campaign, category=world.category, unit=unit, title=title, **kw
        )

    task_c = task("task_c", world.unit_b, leader=world.leader_person)
    task_d = task("task_d", world.unit_b)
    task_d.supporting_units.add(world.unit_a)
    street = Unit.objects.create(name="城关街道", kind=UnitKind.OFFICE, parent=world.unit_a)
    task_sub = task("task_sub", street)
    return {"a": world.task_a, "b": world.task_b, "c": task_c, "d": task_d, "sub": task_sub}


def test_tasks_visible_to(users, tasks):
    names = {t.pk: key for key, t in tasks.items()}

    def visible(user):
        return {
            names[pk]
            for pk in tasks_visible_to(user, Task.objects.all()).values_list("pk", flat=True)
        }

    everything = set(tasks)
    assert answers(users, visible) == NOTHING | {
        "coordinator": everything,
        "inspector": everything,
        # the units he oversees, sub-units included, and the tasks he is responsible for
        "leader": {"a", "sub", "c"},
        # the tasks his unit leads or supports
        "reporter_a": {"a", "d"},
        "reporter_b": {"b", "c", "d"},
    }


def test_change_requests_visible_to_follow_their_tasks(world, users, tasks):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    station = Unit.objects.create(name="乙县水务站", kind=UnitKind.BUREAU, parent=other)
    elsewhere = make_task(
        campaign=world.campaign, category=world.category, unit=station, title="乙县任务"
    )
    for task in [tasks["a"], tasks["b"], elsewhere]:
        ChangeRequest.objects.create(
            task=task, kind="cancel", reason=task.title, requested_by=world.reporter_a
        )

    def reasons(user):
        seen = change_requests_visible_to(user, ChangeRequest.objects.all())
        return set(seen.values_list("reason", flat=True))

    assert answers(users, reasons) == NOTHING | {
        "coordinator": {"兴业大道建设", "清凉河治理二期"},
        "inspector": {"兴业大道建设", "清凉河治理二期"},
        "leader": {"兴业大道建设"},
        "reporter_a": {"兴业大道建设"},
        "reporter_b": {"清凉河治理二期"},
    }


def test_tasks_visible_to_narrows_the_given_queryset(world, users, tasks):
    only_b = Task.objects.filter(lead_unit=world.unit_b)
    assert set(tasks_visible_to(users["leader"], only_b)) == {tasks["c"]}
    assert set(tasks_visible_to(users["coordinator"], only_b)) == set(only_b)


def test_can_write_task(users, tasks):
    """Coordinators any task; a reporter those his unit leads (not those it only supports)."""

    def writable(user):
        return {key for key, t in tasks.items() if can_write_task(user, t)}

    assert answers(users, writable) == NOTHING | {
        "coordinator": set(tasks),
        "leader": set(),
        "reporter_a": {"a"},
        "reporter_b": {"b", "c", "d"},
        "inspector": set(),
    }


@pytest.mark.parametrize(
    "predicate",
    [can_manage_tasks, can_decide_change_requests, can_open_report_period],
    ids=lambda f: f.__name__,
)
def test_coordinator_only_rules(users, predicate):
    assert answers(users, predicate) == only("coordinator")


def test_can_file_monthly_report(users):
    assert answers(users, can_file_monthly_report) == only(
        "coordinator", "reporter_a", "reporter_b"
    )


def _outcome(call):
    try:
        call()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200


def test_get_task_for_user(users, tasks):
    def read(task):
        return lambda user: _outcome(lambda: get_task_for_user(user, task.pk))

    assert answers(users, read(tasks["a"])) == {
        **only(no=404),
        "coordinator": 200,
        "leader": 200,
        "reporter_a": 200,
        "inspector": 200,
    }
    assert answers(users, read(tasks["b"])) == {
        **only(no=404),
        "coordinator": 200,
        "reporter_b": 200,
        "inspector": 200,
    }


def test_get_task_for_user_to_write(users, tasks):
    """Outside the scope 404 first; inside it, 403 unless he may change the task."""

    def write(user):
        return _outcome(lambda: get_task_for_user(user, tasks["a"].pk, write=True))

    assert answers(users, write) == {
        **only(no=404),
        "coordinator": 200,
        "leader": 403,
        "reporter_a": 200,
        "inspector": 403,
    }


def test_get_task_for_user_missing_or_malformed_ids_are_404(users, tasks):
    for pk in [987654, "abc", "", None]:
        with pytest.raises(Http404):
            get_task_for_user(users["coordinator"], pk)


def test_get_task_for_user_reads_within_the_given_queryset(users, tasks):
    queryset = Task.objects.exclude(pk=tasks["a"].pk)
    with pytest.raises(Http404):
        get_task_for_user(users["coordinator"], tasks["a"].pk, queryset=queryset)
    assert get_task_for_user(users["leader"], tasks["c"].pk, queryset=queryset) == tasks["c"]


def test_get_unit_for_report(world, users):
    """A reporter files for his own unit, a coordinator for any; a reader of the unit who may
    not file gets 403, anyone else 404."""

    def unit(u):
        return lambda user: _outcome(lambda: get_unit_for_report(user, u.pk))

    assert answers(users, unit(world.unit_a)) == {
        **only(no=404),
        "coordinator": 200,
        "leader": 403,
        "reporter_a": 200,
        "inspector": 403,
    }
    assert answers(users, unit(world.unit_b)) == {
        **only(no=404),
        "coordinator": 200,
        "reporter_b": 200,
        "inspector": 403,
    }


def test_get_unit_for_report_returns_the_unit_and_refuses_bad_ids(world, users):
    assert get_unit_for_report(users["reporter_a"], str(world.unit_a.pk)) == world.unit_a
    for pk in [987654, "abc", "", None, "１"]:
        with pytest.raises(Http404):
            get_unit_for_report(users["coordinator"], pk)
