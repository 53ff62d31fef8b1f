"""The finding status rules (status.py), one case per rule and the order between them."""

import datetime

import pytest

from shigan.supervision.status import FindingFacts, FindingStatus, finding_status

TODAY = datetime.date(2023, 7, 20)
DUE = datetime.date(2023, 8, 31)
PAST_DUE = datetime.date(2023, 6, 30)
D = datetime.date


def facts(**kw) -> FindingFacts:
    return FindingFacts(**{"task_state": "active", "due_date": DUE, **kw})


@pytest.mark.parametrize(
    "given, expected",
    [
        (facts(), FindingStatus.PENDING),
        (facts(reports=1), FindingStatus.IN_PROGRESS),
        (facts(last_result="failed", last_verified_on=D(2023, 7, 1)), FindingStatus.IN_PROGRESS),
        (facts(due_date=PAST_DUE), FindingStatus.OVERDUE),
        (facts(due_date=PAST_DUE, reports=2), FindingStatus.OVERDUE),
        (facts(due_date=TODAY), FindingStatus.PENDING),
        (facts(reports=1, completion_requested_on=D(2023, 7, 10)), FindingStatus.AWAITING),
        # asked in time for closure, not yet verified: the unit is not late
        (facts(due_date=PAST_DUE, completion_requested_on=D(2023, 6, 29)), FindingStatus.AWAITING),
        # verification failed after the closure request: back to rectification
        (
            facts(
                completion_requested_on=D(2023, 7, 1),
                last_result="failed",
                last_verified_on=D(2023, 7, 5),
            ),
            FindingStatus.IN_PROGRESS,
        ),
        # a new closure request after a failed verification awaits verification again
        (
            facts(
                completion_requested_on=D(2023, 7, 8),
                last_result="failed",
                last_verified_on=D(2023, 7, 5),
            ),
            FindingStatus.AWAITING,
        ),
        (facts(last_result="passed", last_verified_on=D(2023, 7, 1)), FindingStatus.VERIFIED),
        (
            facts(due_date=PAST_DUE, last_result="passed", last_verified_on=D(2023, 7, 1)),
            FindingStatus.VERIFIED,
        ),
        (
            facts(task_state="completed", closed_on=D(2023, 7, 2), last_result="passed"),
            FindingStatus.CLOSED,
        ),
        # closed without a passing verification still needs one
        (facts(task_state="completed", closed_on=D(2023, 7, 2)), FindingStatus.AWAITING),
        (
            facts(task_state="completed", closed_on=D(2023, 7, 2), last_result="failed"),
            FindingStatus.AWAITING,
        ),
        (facts(task_state="cancelled", closed_on=D(2023, 7, 2)), FindingStatus.CANCELLED),
        # closed after the day asked about: as of that day it was still open
        (
            facts(task_state="completed", closed_on=D(2023, 7, 25), last_result="passed"),
            FindingStatus.VERIFIED,
        ),
        (
            facts(task_state="cancelled", closed_on=D(2023, 7, 25), reports=1),
            FindingStatus.IN_PROGRESS,
        ),
    ],
)
def test_finding_status_rules(given, expected):
    assert finding_status(given, TODAY) == expected


def test_every_status_has_a_chinese_label():
    labels = {s.label for s in FindingStatus}
    assert {"待整改", "整改中", "待核查", "已核查", "已销号", "逾期"} <= labels
