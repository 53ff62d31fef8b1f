"""grassroots.steps at their boundaries: the order of steps, reopening, due dates on the 2023
calendar, statuses (the Python rule and the database filter agree)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.workdays import NATIONAL
from shigan.grassroots import steps
from shigan.grassroots.models import Concern, ConcernStep, Satisfaction
from shigan.grassroots.services.concerns import concern_step
from shigan.grassroots.steps import ConcernStatus

from .concern_helpers import concern

D = datetime.date
S = ConcernStep
JUNE_2 = D(2023, 6, 2)


def test_received_before_national_day_with_five_working_days_is_due_on_11_october():
    # 2023: 29 Sep – 6 Oct off; Sat 7 and Sun 8 Oct worked (调休): 7, 8, 9, 10, 11 October.
    assert steps.due_date(D(2023, 9, 28), 5, NATIONAL) == D(2023, 10, 11)


def test_received_before_labour_day_counts_the_adjusted_saturday():
    # 2023: 29 Apr – 3 May off, Sun 23 Apr and Sat 6 May worked.
    assert steps.due_date(D(2023, 4, 28), 2, NATIONAL) == D(2023, 5, 5)
    assert steps.due_date(D(2023, 4, 28), 3, NATIONAL) == D(2023, 5, 6)


def test_zero_working_days_is_due_the_day_received_even_on_a_holiday():
    assert steps.due_date(D(2023, 10, 2), 0, NATIONAL) == D(2023, 10, 2)


@pytest.mark.parametrize(
    ("current", "step"),
    [(S.ACCEPTED, S.HANDLING), (S.ASSIGNED, S.ANSWERED), (S.HANDLING, S.FOLLOWED_UP),
     (S.ANSWERED, S.ACCEPTED)],
)  # fmt: skip
def test_a_step_cannot_be_skipped_or_repeated(current, step):
    with pytest.raises(ValidationError, match="下一步应为"):
        steps.check_step(current, step, satisfaction=Satisfaction.SATISFIED)


@pytest.mark.parametrize("current", [S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.ANSWERED])
def test_cannot_close_before_answer_and_follow_up(current):
    with pytest.raises(ValidationError, match="尚未答复和回访，不能办结"):
        steps.check_step(current, S.CLOSED)


def test_closed_concern_takes_no_more_steps():
    with pytest.raises(ValidationError, match="已办结"):
        steps.check_step(S.CLOSED, S.CLOSED)


def test_assignment_names_a_unit_and_follow_up_asks_satisfaction():
    with pytest.raises(ValidationError, match="承办单位"):
        steps.check_step(S.ACCEPTED, S.ASSIGNED)
    with pytest.raises(ValidationError, match="满意度"):
        steps.check_step(S.ANSWERED, S.FOLLOWED_UP, satisfaction="")


def test_only_an_unsatisfied_follow_up_goes_back_to_handling():
    assert steps.step_after(S.FOLLOWED_UP, Satisfaction.UNSATISFIED) == S.HANDLING
    assert steps.step_after(S.FOLLOWED_UP, Satisfaction.BASIC) == S.FOLLOWED_UP


@pytest.mark.parametrize(
    ("today", "closed", "expected"),
    [
        (D(2023, 6, 5), None, ConcernStatus.OPEN),  # due Thu 8 June; Tue 6 is 2 days before
        (D(2023, 6, 7), None, ConcernStatus.NEARING),  # the next working day is the due day
        (D(2023, 6, 8), None, ConcernStatus.NEARING),  # due today
        (D(2023, 6, 9), None, ConcernStatus.OVERDUE),
        (D(2023, 6, 20), D(2023, 6, 8), ConcernStatus.CLOSED_ON_TIME),
        (D(2023, 6, 20), D(2023, 6, 9), ConcernStatus.CLOSED_LATE),
    ],
)
def test_status_at_its_boundaries(today, closed, expected):
    due = D(2023, 6, 8)
    found = steps.concern_status(due_on=due, closed_on=closed, today=today, calendar=NATIONAL)
    assert found == expected


def test_friday_sees_a_monday_due_date_as_nearing():
    # Fri 9 June 2023: the next working day is Mon 12 June.
    found = steps.concern_status(
        due_on=D(2023, 6, 12), closed_on=None, today=D(2023, 6, 9), calendar=NATIONAL
    )
    assert found == ConcernStatus.NEARING


@pytest.mark.django_db
@pytest.mark.parametrize("today", [D(2023, 6, 1), D(2023, 6, 7), D(2023, 6, 8), D(2023, 6, 9)])
def test_database_filter_agrees_with_the_rule(world, today):
    concerns = [concern(world, received=D(2023, 6, 1), days=d) for d in (0, 1, 4, 5, 6, 10)]
    Concern.objects.filter(pk=concerns[0].pk).update(closed_on=D(2023, 6, 2), step=S.CLOSED)
    Concern.objects.filter(pk=concerns[1].pk).update(closed_on=D(2023, 6, 2), step=S.CLOSED)
    for c in Concern.objects.all():
        status = steps.concern_status(
            due_on=c.due_on, closed_on=c.closed_on, today=today, calendar=NATIONAL
        )
        where = steps.status_filter(status, today=today, calendar=NATIONAL)
        assert Concern.objects.filter(where, pk=c.pk).exists(), (c.due_on, status)
        others = [s for s in ConcernStatus if s != status]
        for other in others:
            where = steps.status_filter(other, today=today, calendar=NATIONAL)
            assert not Concern.objects.filter(where, pk=c.pk).exists()


def _walk(concern_, by, *names, satisfaction=Satisfaction.SATISFIED, on=JUNE_2):
    for name in names:
        concern_step(concern=concern_, by=by, step=name, on=on, note=f"{name}情况",
                     satisfaction=satisfaction if name == S.FOLLOWED_UP else "")  # fmt: skip
    concern_.refresh_from_db()
    return concern_


@pytest.mark.django_db
def test_unsatisfied_follow_up_reopens_and_keeps_the_due_date(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    c = concern(world, received=D(2023, 6, 1), days=5)
    due = c.due_on
    _walk(c, world.reporter_a, S.HANDLING, S.ANSWERED)
    _walk(c, world.coordinator, S.FOLLOWED_UP, satisfaction=Satisfaction.UNSATISFIED)
    assert (c.step, c.reopened, c.satisfaction) == (S.HANDLING, 1, Satisfaction.UNSATISFIED)
    with pytest.raises(ValidationError, match="尚未答复和回访"):
        _walk(c, world.coordinator, S.CLOSED)
    _walk(c, world.reporter_a, S.ANSWERED, on=D(2023, 6, 20))
    _walk(c, world.coordinator, S.FOLLOWED_UP, S.CLOSED, on=D(2023, 6, 20))
    assert (c.step, c.closed_on, c.due_on, c.reopened) == (S.CLOSED, D(2023, 6, 20), due, 1)
    status = steps.concern_status(due_on=c.due_on, closed_on=c.closed_on, today=D(2023, 7, 31),
                                  calendar=NATIONAL)  # fmt: skip
    assert status == ConcernStatus.CLOSED_LATE
    assert [a.step for a in c.actions.all()] == [
        S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.ANSWERED, S.FOLLOWED_UP, S.ANSWERED,
        S.FOLLOWED_UP, S.CLOSED,
    ]  # fmt: skip


@pytest.mark.django_db
def test_step_date_before_received_is_refused_and_nothing_written(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    c = concern(world, received=D(2023, 6, 1))
    with pytest.raises(ValidationError, match="不能早于受理日期"):
        _walk(c, world.reporter_a, S.HANDLING, on=D(2023, 5, 30))
    assert c.actions.count() == 2 and c.step == S.ASSIGNED
