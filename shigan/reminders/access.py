"""Who reads which messages, who may see the 报送情况 board and send 催报 and 催办, and who sets a
campaign's reminder rules.

Built on orgs.scope: an inbox holds its owner's messages only (another's is 404, whatever his
role); the board, 催报 and 催办 are the district's coordinators' (everyone else 403), and list
only the units and items whose tasks the coordinator reads (tasks.access: his own district); a
campaign's reminder rules are set by the coordinators who manage it (campaigns.access)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shigan.campaigns.access import campaign_for_user, can_manage_campaign
from shigan.orgs.access import can_manage_setup
from shigan.orgs.scope import district_id_of, district_units, get_visible, is_coordinator, is_leader

from .models import Delivery, Message, UnitRobot


def messages_visible_to(user, messages: QuerySet) -> QuerySet:
    """The user's own messages among `messages`."""
    if not getattr(user, "is_authenticated", False):
        return messages.none()
    return messages.filter(recipient=user)


def get_message_for_user(user, pk) -> Message:
    return get_visible(messages_visible_to(user, Message.objects.all()), pk, "没有这条消息。")


def can_chase_reports(user) -> bool:
    """The 报送情况 board and 一键催报: coordinators (of their own district's units)."""
    return is_coordinator(user)


def can_chase_items(user) -> bool:
    """一键催办 of overdue items: coordinators (the items of their own district's tasks)."""
    return is_coordinator(user)


def can_edit_reminder_rules(user, campaign) -> bool:
    """A campaign's 提醒规则 and 日程: the active coordinators of the district organising it."""
    return can_manage_campaign(user, campaign)


def get_rules_campaign_for_user(user, raw):
    """The campaign whose 提醒规则 the user sets: the one `raw` names among his district's (404
    for any other), else his district's current one (None when it has none); 403 unless he is a
    coordinator who may edit its rules (can_edit_reminder_rules)."""
    if not can_manage_setup(user):
        raise PermissionDenied("提醒规则和日程仅限专班设置。")
    campaign = campaign_for_user(user, raw)
    if campaign is not None and not can_edit_reminder_rules(user, campaign):
        raise PermissionDenied("只有本区（县）专班可以设置该活动的提醒规则。")
    return campaign
