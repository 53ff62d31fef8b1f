"""Reads of the reminders app, one module per sub-domain: the inbox and 报送情况 (filing.py)."""

from .filing import (
    FILING_DEADLINE_WORKDAY,
    BoardRow,
    FilingBoard,
    FilingStatus,
    chase_batch_sent,
    chase_default_text,
    filing_board,
    filing_deadline,
    filing_deadline_workday,
    inbox_page,
    inbox_unread_count,
    reported_period_default,
    reporter_accounts,
)

__all__ = [
    "FILING_DEADLINE_WORKDAY",
    "BoardRow",
    "FilingBoard",
    "FilingStatus",
    "chase_batch_sent",
    "chase_default_text",
    "filing_board",
    "filing_deadline",
    "filing_deadline_workday",
    "inbox_page",
    "inbox_unread_count",
    "reported_period_default",
    "reporter_accounts",
]
