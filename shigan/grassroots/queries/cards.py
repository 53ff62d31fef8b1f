"""The grassroots ledger's card on the cockpit (core.cards.Card): 马上就办 — the people's
concerns of the campaign the viewer reads, from the same figures as the efficiency page."""

import datetime

from django.urls import reverse

from shigan.core.cards import Card
from shigan.orgs.workdays import calendar_for

from ..access import concerns_visible_to
from ..models import Concern
from .efficiency import efficiency, rate


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def service_card(user, campaign, today: datetime.date, *, unit_id: int | None = None) -> Card:
    """受理 N 件 with 办结, 按时办结率, 满意率 and the backlog (open, of which overdue) in its note;
    counted on today's figures (efficiency()), narrowed to a handling unit when given. Two
    queries (and the calendar's)."""
    concerns = concerns_visible_to(user, Concern.objects.filter(campaign=campaign))
    if unit_id is not None:
        concerns = concerns.filter(assigned_unit_id=unit_id)
    calendar = calendar_for(campaign.organiser.district_id)
    figures = efficiency(concerns, year=campaign.year, today=today, calendar=calendar)
    backlog = figures.backlog_total
    open_now = sum(backlog.bands)
    on_time = rate(figures.on_time, figures.closed)
    satisfied = rate(figures.satisfied, figures.asked)
    note = f"按时办结率{_percent(on_time)} · 满意率{_percent(satisfied)}"
    return Card(
        key="service",
        title="马上就办",
        value=figures.received,
        unit="件群众诉求",
        url=f"{reverse('grassroots:efficiency')}?campaign={campaign.pk}",
        note=note,
        tone="overdue" if backlog.overdue else "",
        items=[("已办结", figures.closed), ("办理中", open_now), ("其中逾期", backlog.overdue)],
    )
