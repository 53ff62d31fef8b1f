"""Who reads which messages and who may see the 报送情况 board and send 催报.

Built on orgs.scope: an inbox holds its owner's messages only (another's is 404, whatever his
role); the board and 催报 are the district's coordinators' (everyone else 403), and list only the
units whose tasks the coordinator reads (tasks.access: his own district)."""

from django.db.models import Q, QuerySet

from shigan.orgs.scope import district_id_of, district_units, get_visible, is_coordinator

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
    """外发记录 of the user's district: to its units' robots and to its people's email."""
    if not can_manage_robots(user):
        return deliveries.none()
    district_id = district_id_of(user)
    if district_id is None:  # an operator's account without a person: every district
        return deliveries
    return deliveries.filter(
        Q(robot__unit__district_id=district_id)
        | Q(recipient__person__unit__district_id=district_id)
    )


def get_delivery_for_user(user, pk) -> Delivery:
    deliveries = deliveries_visible_to(user, Delivery.objects.select_related("robot__unit"))
    return get_visible(deliveries, pk, "没有这条外发记录。")
