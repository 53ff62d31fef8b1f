"""Every write of the reminders app, one module per sub-domain: inbox and 催报 (inbox.py)."""

from .inbox import chase_send, inbox_mark_all_read, message_mark_read

__all__ = ["chase_send", "inbox_mark_all_read", "message_mark_read"]
