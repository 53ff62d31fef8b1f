"""The status in the database (tasks.status_sql) is the status of the rules (tasks.status), for
every task and every day: a property over random tasks — states and closures, dates, milestones
done or not (and done after the day), due dates extended by an approval before or after the
day — checked on whichever database the suite runs on. Then the pages that count and filter by
status in the database."""

import datetime
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shigan.tasks.models import ChangeKind, Milestone, Task, TaskState
from shigan.tasks.queries import (
    status_counts,
    status_counts_by,
    status_counts_db,
    task_rows,
    tasks_with_status,
)
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.status import NEARING_DAYS, SCHEDULE_TOLERANCE, TaskStatus
from shigan.testing import make_task

D = datetime.date
FIRST, LAST = D(2023, 1, 1), D(2023, 12, 31)


# Short spans and days near the tasks' own dates, so that random examples land on the rules'
# boundaries (the day a task turns 临期, the day its done share falls behind the elapsed one).
@st.composite
def task_shapes(draw):
    start = draw(st.dates(FIRST, LAST - datetime.timedelta(days=40)))
    due = start + datetime.timedelta(days=draw(st.integers(0, 40)))
    milestones = []
    for _ in range(draw(st.integers(0, 4))):
        ms_due = draw(st.dates(start, due))
        done = draw(st.none() | st.dates(start, due + datetime.timedelta(days=10)))
        milestones.append((ms_due, done))
    state = draw(
        st.sampled_from([TaskState.ACTIVE] * 3 + [TaskState.COMPLETED, TaskState.CANCELLED])
    )
    closed = draw(st.none() | st.dates(start, due + datetime.timedelta(days=10)))
    extend = state == TaskState.ACTIVE and draw(st.booleans())
    return start, due, milestones, state, closed, extend


@st.composite
def examples(draw):
    """Tasks and the days to read them on: days at and around each task's dates (its start, due
    date, milestones and closure, and NEARING_DAYS before them) and a few anywhere."""
    shapes = draw(st.lists(task_shapes(), min_size=1, max_size=6))
    dates = [
        d
        for start, due, ms, _state, closed, _extend in shapes
        for d in (start, due, *(m for m, _ in ms), *([closed] if closed else []))
    ]
    around = sorted(
        {d + datetime.timedelta(days=k) for d in dates for k in range(-(NEARING_DAYS + 1), 3)}
    )
    days = draw(st.lists(st.sampled_from(around), min_size=1, max_size=12, unique=True))
    days += draw(st.lists(st.dates(D(2022, 12, 1), D(2024, 2, 29)), max_size=3))
    return shapes, days


def _create(world, shape, n: int) -> Task:
    start, due, milestones, state, closed, extend = shape
    task = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title=f"随机任务{n}",
        start=start,
        due=due,
        milestones=[(f"节点{i}", d, done) for i, (d, done) in enumerate(milestones)],
        number=100 + n,
    )
    if extend:  # approved now: after every day of 2023, so a past day reads the due date before
        request = change_request_create(
            task=task,
            by=world.reporter_a,
            kind=ChangeKind.EXTEND,
            reason="顺延",
            proposed_due_date=due + datetime.timedelta(days=45),
        )
        change_request_decide(change_request=request, by=world.coordinator, approve=True, note="")
    if state != TaskState.ACTIVE:
        Task.objects.filter(pk=task.pk).update(state=state, closed_on=closed)
    return task


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(example=examples(), pinned=st.booleans())
def test_the_databases_status_is_the_rules_status(world, example, pinned):
    shapes, days = example
    tasks = [_create(world, shape, n) for n, shape in enumerate(shapes)]
    ours = Task.objects.filter(pk__in=[t.pk for t in tasks]).order_by("pk")
    before = os.environ.get("SHIGAN_TODAY")
    for day in days:
        if pinned:  # the day is today: everything recorded counts (the extension too)
            os.environ["SHIGAN_TODAY"] = day.isoformat()
        try:
            python = {row.task.pk: row.status for row in task_rows(ours, day)}
            database = dict(tasks_with_status(ours, day).values_list("pk", "status_db"))
        finally:
            if before is None:
                os.environ.pop("SHIGAN_TODAY", None)
            else:
                os.environ["SHIGAN_TODAY"] = before
        assert {pk: TaskStatus(s) for pk, s in database.items()} == python, day


# The rules' boundaries, one task each, on the database (the constants read, not copied) --------


def _status_on(task: Task, day: datetime.date) -> TaskStatus:
    (value,) = tasks_with_status(Task.objects.filter(pk=task.pk), day).values_list(
        "status_db", flat=True
    )
    return TaskStatus(value)


def test_nearing_starts_nearing_days_before_the_due_date(world):
    task = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="临期边界",
        start=D(2023, 1, 1),
        due=D(2023, 6, 30),
    )
    first_nearing = D(2023, 6, 30) - datetime.timedelta(days=NEARING_DAYS - 1)
    assert _status_on(task, first_nearing) == TaskStatus.NEARING
    assert _status_on(task, first_nearing - datetime.timedelta(days=1)) == TaskStatus.ON_TRACK
    assert _status_on(task, D(2023, 6, 30)) == TaskStatus.NEARING  # due today: not yet overdue
    assert _status_on(task, D(2023, 7, 1)) == TaskStatus.OVERDUE


def test_behind_when_done_share_trails_elapsed_share_by_more_than_the_tolerance(world):
    # 100 days (2023-01-01 … 2023-04-10), 4 milestones due at the end, none done: behind once
    # the elapsed share exceeds the tolerance, i.e. from day 100·tolerance + 1.
    due = D(2023, 4, 10)
    task = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_a,
        title="序时边界",
        start=D(2023, 1, 1),
        due=due,
        milestones=[(f"节点{i}", due, None) for i in range(4)],
    )
    threshold = int(100 * SCHEDULE_TOLERANCE)  # elapsed days at which the share equals it
    last_on_track = D(2023, 1, 1) + datetime.timedelta(days=threshold - 1)
    assert _status_on(task, last_on_track) == TaskStatus.ON_TRACK
    assert _status_on(task, last_on_track + datetime.timedelta(days=1)) == TaskStatus.BEHIND
    # One milestone done (a quarter) moves the threshold by a quarter of the span.
    Milestone.objects.filter(task=task, title="节点0").update(done_on=D(2023, 1, 2))
    assert _status_on(task, last_on_track + datetime.timedelta(days=1)) == TaskStatus.ON_TRACK
    later = last_on_track + datetime.timedelta(days=threshold + 1)
    assert _status_on(task, later) == TaskStatus.BEHIND


def test_a_closure_counts_from_the_day_it_was_approved(world):
    Task.objects.filter(pk=world.task_b.pk).update(
        state=TaskState.COMPLETED, closed_on=D(2023, 7, 10)
    )
    assert _status_on(world.task_b, D(2023, 7, 10)) == TaskStatus.DONE
    assert _status_on(world.task_b, D(2023, 7, 9)) == TaskStatus.BEHIND
    Task.objects.filter(pk=world.task_b.pk).update(state=TaskState.CANCELLED)
    assert _status_on(world.task_b, D(2023, 7, 10)) == TaskStatus.CANCELLED


def test_counts_by_status_and_by_group_in_one_query(world, django_assert_num_queries):
    day = D(2023, 7, 31)
    visible = Task.objects.filter(campaign=world.campaign)
    with django_assert_num_queries(1):
        counts = status_counts_db(visible, day)
    assert counts == status_counts(task_rows(visible, day))
    with django_assert_num_queries(1):
        by_unit = status_counts_by(visible, day, "lead_unit_id")
    assert set(by_unit) == {world.unit_a.pk, world.unit_b.pk}
    for unit, unit_counts in by_unit.items():
        rows = task_rows(visible.filter(lead_unit_id=unit), day)
        assert unit_counts == status_counts(rows)


def test_task_rows_filters_by_status_in_the_database(world):
    # 2023-06-15: task_a has 1 of 2 milestones done (0.5 ≥ 166/365 − ¼), its next due 08-31: on
    # track; task_b 0 of 1 done: behind.
    day = D(2023, 6, 15)
    visible = Task.objects.filter(campaign=world.campaign)
    rows = task_rows(visible, day, statuses={TaskStatus.BEHIND})
    assert [r.task.pk for r in rows] == [world.task_b.pk]
    assert rows[0].status == TaskStatus.BEHIND
