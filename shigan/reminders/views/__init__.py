"""The reminders app's pages, one module per sub-domain: the inbox and 提醒方式 (inbox.py), 报送情况,
一键催报 and 一键催办 (filing.py), 提醒规则与日程 (rules.py), 群机器人 and 外发记录 (delivery.py)."""

from .delivery import (
    delivery_list,
    delivery_retry,
    robot_edit,
    robot_list,
    robot_new,
    robot_remove,
    robot_test,
)
from .filing import filing_board_page, filing_chase, handdown_chase, item_chase
from .inbox import delivery_settings, inbox, inbox_read_all, message_open
from .rules import rule_settings_page

__all__ = [
    "delivery_list",
    "delivery_retry",
    "delivery_settings",
    "filing_board_page",
    "filing_chase",
    "handdown_chase",
    "inbox",
    "inbox_read_all",
    "item_chase",
    "message_open",
    "robot_edit",
    "robot_list",
    "robot_new",
    "robot_remove",
    "robot_test",
    "rule_settings_page",
]
