"""Every write of the reminders app, one module per sub-domain: inbox and 催报 (inbox.py), the
rules' daily run and digests (remind.py), delivery by email and group robots (delivery.py) and
its set-up by users: robots, 重新发送, 提醒方式 (delivery_setup.py)."""

from .delivery import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    DeliveryTally,
    deliver_pending,
    deliveries_for_digest,
    deliveries_for_digests,
    deliveries_for_message,
    deliveries_for_messages,
    deliveries_for_robots,
)
from .delivery_setup import (
    delivery_preference_save,
    delivery_resend,
    robot_create,
    robot_delete,
    robot_update,
)
from .inbox import chase_send, inbox_mark_all_read, message_mark_read
from .remind import RemindReport, digests_build, firings_record, remind_run

__all__ = [
    "BACKOFF_MINUTES",
    "MAX_ATTEMPTS",
    "DeliveryTally",
    "deliver_pending",
    "deliveries_for_digest",
    "deliveries_for_digests",
    "deliveries_for_message",
    "deliveries_for_messages",
    "deliveries_for_robots",
    "delivery_preference_save",
    "delivery_resend",
    "robot_create",
    "robot_delete",
    "robot_update",
    "RemindReport",
    "chase_send",
    "digests_build",
    "firings_record",
    "inbox_mark_all_read",
    "message_mark_read",
    "remind_run",
]
