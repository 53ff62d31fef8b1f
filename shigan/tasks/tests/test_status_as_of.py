"""The status rules on a past day: a closure approved after the day does not count on it."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from shigan.tasks.models import TaskState
from shigan.tasks.status import StatusFacts, TaskStatus, task_status

D = datetime.date
START, DUE = D(2023, 1, 1), D(2023, 12, 31)


def status(today, **kw):
    facts = dict(state=TaskState.ACTIVE, start_date=START, due_date=DUE)
    facts.update(kw)
    return task_status(StatusFacts(**facts), today)


def test_completion_counts_from_the_day_it_was_approved():
    closed = D(2023, 7, 10)
    assert status(closed, state=TaskState.COMPLETED, closed_on=closed) == TaskStatus.DONE
    before = status(D(2023, 7, 9), state=TaskState.COMPLETED, closed_on=closed)
    assert before == status(D(2023, 7, 9))


def test_cancellation_counts_from_the_day_it_was_approved():
    closed = D(2023, 3, 1)
    assert status(D(2023, 3, 2), state=TaskState.CANCELLED, closed_on=closed) == (
        TaskStatus.CANCELLED
    )
    assert status(D(2022, 12, 1), state=TaskState.CANCELLED, closed_on=closed) == (
        TaskStatus.NOT_STARTED
    )


def test_a_closure_without_a_date_counts_always():
    assert status(D(2022, 1, 1), state=TaskState.COMPLETED) == TaskStatus.DONE


@given(
    state=st.sampled_from([TaskState.COMPLETED, TaskState.CANCELLED]),
    closed=st.dates(START, DUE),
    today=st.dates(D(2022, 6, 1), D(2024, 6, 1)),
)
def test_before_its_approval_a_closed_task_has_the_status_of_an_open_one(state, closed, today):
    got = status(today, state=state, closed_on=closed)
    if today < closed:
        assert got == status(today)
    else:
        assert got in (TaskStatus.DONE, TaskStatus.CANCELLED)
