"""Every write of the reminders app, one module per sub-domain: inbox and 催报 (inbox.py), the
rules' daily run and digests (remind.py)."""

from .inbox import chase_send, inbox_mark_all_read, message_mark_read
from .remind import RemindReport, digests_build, firings_record, remind_run

__all__ = [
    "RemindReport",
    "chase_send",
    "digests_build",
    "firings_record",
    "inbox_mark_all_read",
    "message_mark_read",
    "remind_run",
]
