"""Reads for the 群机器人 and 外发记录 pages, a fixed number of queries whatever the row count."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from ..access import deliveries_visible_to, robots_visible_to
from ..models import Delivery, DeliveryPreference, DeliveryState, UnitRobot

DELIVERY_PAGE_SIZE = 50


def _latest_tried(field: str) -> Subquery:
    """`field` of the robot's newest delivery that has been tried (sent, failed, or pending
    after a failed attempt)."""
    tried = Delivery.objects.filter(robot=OuterRef("pk")).exclude(
        state=DeliveryState.PENDING, attempts=0
    )
    return Subquery(tried.order_by("-created_at", "-id").values(field)[:1])


def robot_rows(user) -> list[UnitRobot]:
    """The robots of the user's district with their unit, how many deliveries wait or failed,
    when one was last sent, and the state, attempts and error of the newest one tried
    (`latest_state`, `latest_attempts`, `latest_error`); `failing` when that one failed or waits
    for a retry (one query)."""
    robots = robots_visible_to(user, UnitRobot.objects.select_related("unit"))
    rows = list(
        robots.annotate(
            pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
            last_sent=Max("deliveries__sent_at"),
            latest_state=_latest_tried("state"),
            latest_attempts=_latest_tried("attempts"),
            latest_error=_latest_tried("last_error"),
        )
    )
    for robot in rows:
        robot.latest_state_label = STATE_LABELS.get(robot.latest_state, "")
        robot.failing = robot.latest_state in (DeliveryState.FAILED, DeliveryState.PENDING)
    return rows


STATE_LABELS = {
    DeliveryState.SENT: "已发送",
    DeliveryState.FAILED: "发送失败",
    DeliveryState.PENDING: "待重试",
}


def deliveries_of(user, state: str = "") -> QuerySet:
    """The user's district's deliveries, newest first, `state` only when given."""
    deliveries = deliveries_visible_to(user, Delivery.objects.all())
    if state:
        deliveries = deliveries.filter(state=state)
    return deliveries.select_related("robot__unit", "recipient__person").order_by(
        "-created_at", "-id"
    )


def delivery_page(user, number, state: str = "") -> Page:
    """One page of 外发记录 (a count and a page: two queries)."""
    return Paginator(deliveries_of(user, state), DELIVERY_PAGE_SIZE).get_page(number)


def delivery_preference_of(user) -> DeliveryPreference | None:
    """The user's 提醒方式, None while he has kept the defaults."""
    return DeliveryPreference.objects.filter(user=user).first()
