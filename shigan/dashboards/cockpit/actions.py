"""The cards of what waits on the viewer: items escalated to him (督办事项), hand-downs waiting
to be accepted (待接收交办)."""

from django.urls import reverse

from shigan.core import clock
from shigan.directives.access import handdowns_received
from shigan.directives.models import HandDown, HandDownState
from shigan.directives.queries import waiting_workdays
from shigan.reminders.access import reads_district_escalations, receives_escalations
from shigan.reminders.queries.escalations import (
    ConcernEscalation,
    EscalationLine,
    concern_escalations_for,
    escalations_for,
)
from shigan.tasks.rollup import ACCEPT_DAYS

from ..lens import Lens
from .cards import CardItem, CockpitCard


def _escalation_item(line: EscalationLine) -> CardItem:
    chased = f"已催办{line.chases.count}次" if line.chases.count else "未催办"
    hint = f"{line.task.lead_unit.label} · {chased}"
    return CardItem(line.task.title, f"逾期{line.days_overdue}天", "overdue", line.url, hint)


def _concern_item(line: ConcernEscalation) -> CardItem:
    unit = line.concern.assigned_unit
    hint = f"{unit.label if unit else '未转办'} · 群众诉求"
    return CardItem(line.title, f"逾期{line.days_overdue}天", "overdue", line.url, hint)


def escalations_card(lens: Lens) -> list[CockpitCard]:
    """督办事项: the items escalated (逾期督办) to the viewing leader — to a coordinator, every
    escalated item of the district — still open and overdue today (reminders.queries
    .escalations_for), within the cockpit's scope; today's whatever the cockpit's date."""
    if not receives_escalations(lens.user):
        return []
    today = clock.today()
    lines = escalations_for(lens.user, today, campaign=lens.campaign, tasks=lens.tasks())
    # The people's concerns past their time limit, on the whole scope (not a unit's tasks).
    concerns = (
        concern_escalations_for(lens.user, today, campaign=lens.campaign)
        if lens.unit is None
        else []
    )
    count = len(lines) + len(concerns)
    card = CockpitCard("escalations", "督办事项", count or None, "项逾期督办")
    card.empty_text = "暂无督办事项：逾期事项报分管领导督办后列于此。"
    card.items = [_escalation_item(line) for line in lines] + [_concern_item(c) for c in concerns]
    card.note = "逾期已督办（报分管领导，无账号时报专班），仍未办结" + (
        f"（截至今天{today.month}月{today.day}日）" if lens.as_of != today else ""
    )
    card.tone = "overdue" if count else ""
    if reads_district_escalations(lens.user) and lens.unit is None:
        card.scope_tag = lens.campaign_wide
    return [card]


def handdowns_card(lens: Lens) -> list[CockpitCard]:
    """待接收交办: the hand-downs waiting for the coordinator's district to answer, each as
    新交办：<task> with the working days it has waited (滞后 past tasks.rollup.ACCEPT_DAYS, as
    the upper level's roll-up counts it); no card when none waits (one query, none for a role
    that answers no hand-down)."""
    received = handdowns_received(lens.user, HandDown.objects.filter(state=HandDownState.PENDING))
    if lens.unit is not None or received.query.is_empty():
        return []
    rows = list(received.select_related("upper_task").order_by("handed_on", "id"))
    if not rows:
        return []
    today, url = clock.today(), reverse("directives:inbox")
    waits = [waiting_workdays(h.handed_on, today) for h in rows]
    late = any(days > ACCEPT_DAYS for days in waits)  # the upper level's roll-up: 滞后
    card = CockpitCard("handdowns", "待接收交办", len(rows), "项上级交办待接收", url,
                       tone="behind" if late else "")  # fmt: skip
    card.items = [
        CardItem(f"新交办：{h.upper_task.title}", f"已等待{days}个工作日", url=url,
                 tone="behind" if days > ACCEPT_DAYS else "")
        for h, days in zip(rows, waits, strict=True)
    ]  # fmt: skip
    return [card]
