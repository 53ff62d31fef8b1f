"""The roll-up rules of tasks.rollup at each boundary, and a property test over random sets of
children's statuses that the roll-up is the documented rule."""

from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.tasks.rollup import ACCEPT_DAYS, rollup
from shigan.tasks.status import TaskStatus as S


def status_of(children, waiting=()):
    return rollup(children, waiting).status


def test_nothing_handed_down_has_no_rollup():
    assert rollup([], []) is None


def test_accept_days_is_five():
    assert ACCEPT_DAYS == 5


def test_one_overdue_child_makes_the_upper_task_overdue():
    assert status_of([S.DONE, S.ON_TRACK, S.OVERDUE]) == S.OVERDUE
    assert status_of([S.BEHIND, S.OVERDUE]) == S.OVERDUE


def test_overdue_outranks_a_late_hand_down():
    assert status_of([S.OVERDUE], [ACCEPT_DAYS + 3]) == S.OVERDUE


def test_one_behind_child_and_none_overdue_is_behind():
    assert status_of([S.DONE, S.BEHIND, S.NEARING]) == S.BEHIND


def test_hand_down_waiting_accept_days_is_still_in_time():
    assert status_of([S.ON_TRACK], [ACCEPT_DAYS]) == S.ON_TRACK
    assert status_of([], [ACCEPT_DAYS]) == S.NOT_STARTED


def test_hand_down_waiting_one_day_more_makes_it_behind():
    assert status_of([S.ON_TRACK], [ACCEPT_DAYS + 1]) == S.BEHIND
    assert status_of([], [ACCEPT_DAYS + 1]) == S.BEHIND
    assert rollup([], [ACCEPT_DAYS + 1, ACCEPT_DAYS]).waiting_late == 1


def test_nearing_child_without_late_ones_is_nearing():
    assert status_of([S.DONE, S.NEARING, S.NOT_STARTED]) == S.NEARING


def test_all_children_done_is_done():
    assert status_of([S.DONE, S.DONE]) == S.DONE


def test_cancelled_children_are_ignored_for_done():
    assert status_of([S.DONE, S.CANCELLED]) == S.DONE


def test_done_children_beside_a_waiting_hand_down_are_not_done():
    assert status_of([S.DONE, S.DONE], [0]) == S.ON_TRACK


def test_one_child_not_done_is_not_done():
    assert status_of([S.DONE, S.ON_TRACK]) == S.ON_TRACK
    assert status_of([S.DONE, S.NOT_STARTED]) == S.ON_TRACK


def test_all_children_cancelled_is_cancelled():
    assert status_of([S.CANCELLED, S.CANCELLED]) == S.CANCELLED


def test_all_cancelled_with_a_hand_down_waiting_is_not_started():
    assert status_of([S.CANCELLED], [1]) == S.NOT_STARTED


def test_no_child_started_is_not_started():
    assert status_of([S.NOT_STARTED, S.NOT_STARTED, S.CANCELLED]) == S.NOT_STARTED


def test_progress_counts_done_over_children_owed():
    result = rollup([S.DONE, S.ON_TRACK, S.CANCELLED], [2])
    assert (result.done, result.owed, result.waiting) == (1, 3, 1)
    assert result.progress_label == "1/3"


# The rule as the docstring states it, written independently of rollup()'s code.
def documented_rule(children: list[S], waits: list[int]) -> S | None:
    if not children and not waits:
        return None
    live = {s for s in children if s is not S.CANCELLED}
    waiting_late = any(d > ACCEPT_DAYS for d in waits)
    for status, holds in (
        (S.OVERDUE, S.OVERDUE in live),
        (S.BEHIND, S.BEHIND in live or waiting_late),
        (S.NEARING, S.NEARING in live),
        (S.DONE, not waits and live == {S.DONE}),
        (S.CANCELLED, not waits and not live),
        (S.NOT_STARTED, live <= {S.NOT_STARTED}),
    ):
        if holds:
            return status
    return S.ON_TRACK


@settings(deadline=None, max_examples=300)
@given(
    st.lists(st.sampled_from(list(S)), max_size=12),
    st.lists(st.integers(min_value=0, max_value=3 * ACCEPT_DAYS), max_size=4),
)
def test_rollup_equals_the_documented_rule(children, waits):
    result = rollup(children, waits)
    expected = documented_rule(children, waits)
    assert (result.status if result else None) == expected
    if result:
        live = [s for s in children if s is not S.CANCELLED]
        assert result.done == live.count(S.DONE)
        assert result.owed == len(live) + len(waits)
