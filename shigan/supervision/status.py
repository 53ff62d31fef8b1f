"""A finding's status (问题状态) — the one place it is defined.

It is derived from the finding's rectification task and its verifications, never set by hand.
Rules, first match wins, on a given day:

1. 已撤销 cancelled    — the rectification task was cancelled (approved 取消任务).
2. 已销号 closed       — the task was completed (办结销号 approved) and the latest verification passed.
3. 已核查 verified     — the latest verification passed; closure is still to be approved.
4. 待核查 awaiting     — the task was completed without a passing verification, or the unit has
                         asked for 办结销号 and no verification has failed since it asked.
5. 逾期   overdue      — past the task's due date (due today is not yet overdue).
6. 整改中 in progress  — a rectification (progress) report was filed, or a verification failed.
7. 待整改 pending      — none of the above.

A task closed after `today` counts as still active, so the status can be computed as of a
past date (dashboards and reports do).
"""

import datetime
from dataclasses import dataclass

from django.db import models

from shigan.tasks.models import TaskState

from .models import VerificationResult


class FindingStatus(models.TextChoices):
    OVERDUE = "overdue", "逾期"
    PENDING = "pending", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    AWAITING = "awaiting", "待核查"
    VERIFIED = "verified", "已核查"
    CLOSED = "closed", "已销号"
    CANCELLED = "cancelled", "已撤销"


# Open findings: what still needs the unit's or the inspector's work.
OPEN_STATUSES = {
    FindingStatus.OVERDUE,
    FindingStatus.PENDING,
    FindingStatus.IN_PROGRESS,
    FindingStatus.AWAITING,
    FindingStatus.VERIFIED,
}


@dataclass(frozen=True)
class FindingFacts:
    """What the rules read: the task's lifecycle and dates, reports, the pending closure request
    and the latest verification."""

    task_state: str
    due_date: datetime.date
    closed_on: datetime.date | None = None
    reports: int = 0
    completion_requested_on: datetime.date | None = None
    last_result: str | None = None
    last_verified_on: datetime.date | None = None


def finding_status(facts: FindingFacts, today: datetime.date) -> FindingStatus:
    closed = facts.task_state != TaskState.ACTIVE and (
        facts.closed_on is None or facts.closed_on <= today
    )
    passed = facts.last_result == VerificationResult.PASSED
    failed = facts.last_result == VerificationResult.FAILED
    if closed and facts.task_state == TaskState.CANCELLED:
        return FindingStatus.CANCELLED
    if closed and passed:
        return FindingStatus.CLOSED
    if passed:
        return FindingStatus.VERIFIED
    if closed:
        return FindingStatus.AWAITING
    requested = facts.completion_requested_on
    if requested is not None and not (failed and facts.last_verified_on >= requested):
        return FindingStatus.AWAITING
    if today > facts.due_date:
        return FindingStatus.OVERDUE
    if facts.reports or failed:
        return FindingStatus.IN_PROGRESS
    return FindingStatus.PENDING
