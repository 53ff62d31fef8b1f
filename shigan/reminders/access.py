"""Who reads which messages, who may see the 报送情况 board and send 催报 and 催办, who sets a
campaign's reminder rules and who reads the 督办 (escalated items).

Built on orgs.scope: an inbox holds its owner's messages only (another's is 404, whatever his
role); the board, 催报 and 催办 are the district's coordinators' (everyone else 403), and list
only the units and items whose tasks the coordinator reads (tasks.access: his own district); a
campaign's reminder rules are set by the coordinators who manage it (campaigns.access); 督办 is
read by the leaders it is put to and by the district's coordinators. 外发记录 are read down the
levels (a county's coordinator reads its districts'); robots are set at the own level. 催报 and
催办 are writes: a coordinator sends them to his own level's units only; a level below is
chased through its hand-down, to its 专班 (LOWER_LEVEL_CHASE)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shigan.campaigns.access import campaign_for_user, can_manage_campaign
from shigan.core import clock
from shigan.directives.access import get_handdown_of_own_level
from shigan.directives.models import HandDown, HandDownState
from shigan.orgs.access import can_manage_setup
from shigan.orgs.scope import (
    at_own_level,
    district_scope_units,
    district_units,
    get_visible,
    is_coordinator,
    is_leader,
)
from shigan.tasks.queries import child_task_rows
from shigan.tasks.status import TaskStatus

from .models import Delivery, Message, UnitRobot

CHASED_STATUSES = (TaskStatus.BEHIND, TaskStatus.OVERDUE)


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


LOWER_LEVEL_CHASE = (
    "这些是下级区（县）的单位：上级可以查看，不直接向其催报、催办，由其本级专班办理。"
    "请在交办任务的“下级落实情况”中点“催办”，催其专班。"
)


def chase_targets_split(user, units) -> tuple[list, list]:
    """The units among `units` a coordinator may 催报/催办 (his own level's: writes are at the
    own level) and those he may not (a level below his: he chases its 专班 through the
    hand-down instead). No query unless his scope holds levels below (orgs.scope.at_own_level)."""
    own, lower = [], []
    for unit in units:
        (own if at_own_level(user, unit.pk) else lower).append(unit)
    return own, lower


def require_chase_targets(user, units) -> list:
    """The own level's units among `units`; 403 (LOWER_LEVEL_CHASE) when every one is of a
    level below (a county's coordinator on a district's board)."""
    own, lower = chase_targets_split(user, units)
    if lower and not own:
        raise PermissionDenied(LOWER_LEVEL_CHASE)
    return own


def get_handdown_to_chase(user, pk) -> HandDown:
    """A hand-down the user's level made, to 催办 (its district's 专班): the coordinator who may
    withdraw it (directives.access); 403 unless it is owed: still waiting (待接收), or accepted
    with a task of the district 滞后 or 逾期 (what 下级落实情况 offers the button on)."""
    refusal = "只有交办单位所在层级的专班可以催办该交办任务。"
    handdown = get_handdown_of_own_level(user, pk, refusal=refusal)
    if handdown.state not in (HandDownState.PENDING, HandDownState.ACCEPTED):
        raise PermissionDenied(f"该交办任务{handdown.get_state_display()}，无需催办。")
    if handdown.state == HandDownState.ACCEPTED and not _lags(handdown):
        raise PermissionDenied("该交办任务已接收，下级任务没有滞后或逾期，无需催办。")
    return handdown


def _lags(handdown: HandDown) -> bool:
    """Whether a task the district answered the hand-down with is 滞后 or 逾期 today."""
    rows = child_task_rows(handdown.upper_task, clock.today())
    return any(
        row.task.lead_unit.district_id == handdown.unit_id and row.status in CHASED_STATUSES
        for row in rows
    )


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


def reads_district_escalations(user) -> bool:
    """Coordinators read every 督办 of their district's items, not only those put to them."""
    return is_coordinator(user)


def receives_escalations(user) -> bool:
    """Whose cockpit has a 督办事项 card even when it is empty: leaders (督办 is put to the 分管
    leader) and coordinators (they read the district's)."""
    return is_leader(user) or is_coordinator(user)


def can_manage_robots(user) -> bool:
    """群机器人 and 外发记录: coordinators, for the units and people of their own district."""
    return is_coordinator(user)


def robots_visible_to(user, robots: QuerySet) -> QuerySet:
    """The robots of the units of the user's district (orgs.scope.district_units)."""
    if not can_manage_robots(user):
        return robots.none()
    return robots.filter(unit__in=district_units(user))


def get_robot_for_user(user, pk) -> UnitRobot:
    robots = robots_visible_to(user, UnitRobot.objects.select_related("unit"))
    return get_visible(robots, pk, "没有这个群机器人。")


def deliveries_visible_to(user, deliveries: QuerySet) -> QuerySet:
    """外发记录 of the user's scope (orgs.scope.district_scope_units: his level and those below it):
    to its units' robots and to its people's email."""
    if not can_manage_robots(user):
        return deliveries.none()
    unit_ids = district_scope_units(user)
    if unit_ids is None:  # an operator's account without a person: every district
        return deliveries
    return deliveries.filter(
        Q(robot__unit_id__in=unit_ids) | Q(recipient__person__unit_id__in=unit_ids)
    )


def get_delivery_for_user(user, pk) -> Delivery:
    deliveries = deliveries_visible_to(user, Delivery.objects.select_related("robot__unit"))
    return get_visible(deliveries, pk, "没有这条外发记录。")
