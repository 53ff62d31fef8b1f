"""The status rules of shigan/tasks/status.py, at their boundaries and as properties."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from shigan.tasks.models import TaskState
from shigan.tasks.status import (
    NEARING_DAYS,
    StatusFacts,
    TaskStatus,
    task_status,
    time_elapsed_share,
)

D = datetime.date
START = D(2023, 1, 1)
DUE = D(2023, 12, 31)


def status(today, **kw):
    facts = dict(state=TaskState.ACTIVE, start_date=START, due_date=DUE)
    facts.update(kw)
    return task_status(StatusFacts(**facts), today)


def test_due_today_is_nearing_not_overdue():
    assert status(DUE) == TaskStatus.NEARING


def test_day_after_due_is_overdue():
    assert status(DUE + datetime.timedelta(days=1)) == TaskStatus.OVERDUE


def test_milestone_due_yesterday_and_unfinished_is_behind():
    today = D(2023, 6, 10)
    assert (
        status(
            today,
            milestones_total=2,
            milestones_done=1,
            next_milestone_due=today - datetime.timedelta(days=1),
        )
        == TaskStatus.BEHIND
    )


def test_milestone_due_today_is_nearing_not_behind():
    today = D(2023, 6, 10)
    assert (
        status(today, milestones_total=2, milestones_done=1, next_milestone_due=today)
        == TaskStatus.NEARING
    )


def test_start_in_the_future_is_not_started():
    assert status(START - datetime.timedelta(days=1)) == TaskStatus.NOT_STARTED
    assert status(START) == TaskStatus.ON_TRACK


def test_nearing_window_is_exactly_nearing_days():
    last_day_in_window = DUE - datetime.timedelta(days=NEARING_DAYS - 1)
    assert status(last_day_in_window) == TaskStatus.NEARING
    assert status(last_day_in_window - datetime.timedelta(days=1)) == TaskStatus.ON_TRACK


def test_trailing_the_time_elapsed_schedule_is_behind():
    # Late November: ~91% of the year elapsed, 1 of 4 milestones done (25%) -> behind.
    today = D(2023, 11, 25)
    facts = dict(milestones_total=4, milestones_done=1, next_milestone_due=D(2023, 12, 20))
    assert status(today, **facts) == TaskStatus.BEHIND
    # Early in the year the same share is fine.
    assert status(D(2023, 3, 1), **facts) == TaskStatus.ON_TRACK


def test_completed_and_cancelled_win_over_dates():
    late = DUE + datetime.timedelta(days=30)
    assert status(late, state=TaskState.COMPLETED) == TaskStatus.DONE
    assert status(late, state=TaskState.CANCELLED) == TaskStatus.CANCELLED


def test_time_elapsed_share_bounds():
    assert time_elapsed_share(START, DUE, START - datetime.timedelta(days=1)) == 0
    assert time_elapsed_share(START, DUE, DUE) == 1
    assert time_elapsed_share(START, START, START) == 1


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def task_facts(draw):
    start = draw(dates)
    due = draw(st.dates(min_value=start, max_value=start + datetime.timedelta(days=900)))
    total = draw(st.integers(0, 8))
    done = draw(st.integers(0, total))
    next_due = None
    if done < total:
        next_due = draw(st.dates(min_value=start, max_value=due))
    return StatusFacts(
        state=TaskState.ACTIVE,
        start_date=start,
        due_date=due,
        milestones_total=total,
        milestones_done=done,
        next_milestone_due=next_due,
    )


@given(task_facts(), dates)
def test_active_task_status_follows_its_dates(facts, today):
    result = task_status(facts, today)
    assert result not in {TaskStatus.DONE, TaskStatus.CANCELLED}
    assert (result == TaskStatus.OVERDUE) == (today > facts.due_date)
    assert (result == TaskStatus.NOT_STARTED) == (today < facts.start_date)
    if (
        facts.next_milestone_due
        and facts.start_date <= facts.next_milestone_due < today <= facts.due_date
    ):
        assert result == TaskStatus.BEHIND


@given(task_facts(), dates)
def test_finishing_a_milestone_never_worsens_status(facts, today):
    if facts.milestones_done == facts.milestones_total:
        return
    rank = {s: i for i, s in enumerate(TaskStatus)}  # lower = worse
    before = task_status(facts, today)
    after = task_status(
        StatusFacts(
            state=facts.state,
            start_date=facts.start_date,
            due_date=facts.due_date,
            milestones_total=facts.milestones_total,
            milestones_done=facts.milestones_done + 1,
            next_milestone_due=None,
        ),
        today,
    )
    assert rank[after] >= rank[before]


@given(task_facts(), dates)
def test_rule_order_lists_every_status_once(facts, today):
    from shigan.tasks.status import RULE_ORDER

    assert sorted(RULE_ORDER) == sorted(TaskStatus)
    assert task_status(facts, today) in RULE_ORDER
