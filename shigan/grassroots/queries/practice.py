"""Reads for practice activities: events counted by activity, by organising unit and by month
(events, participants, beneficiaries — a table, never a ranking of people); three queries
whatever the number of events."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth


@dataclass
class Tally:
    label: str
    events: int
    participants: int
    beneficiaries: int


@dataclass
class PracticeCounts:
    by_activity: list[Tally]
    by_unit: list[Tally]
    by_month: list[Tally]
    total: Tally


SUMS = {
    "n": Count("id"),
    "people": Sum("participants"),
    "benefited": Sum("beneficiaries"),
}


def _tallies(events: QuerySet, key: str, order: list[str], label) -> list[Tally]:
    grouped = events.order_by().values(*key.split(",")).annotate(**SUMS).order_by(*order)
    return [Tally(label(g), g["n"], g["people"] or 0, g["benefited"] or 0) for g in grouped]


def _month(g) -> str:
    month = g["month"]
    if isinstance(month, datetime.datetime):
        month = month.date()
    return f"{month:%Y年%m月}"


def practice_counts(events: QuerySet) -> PracticeCounts:
    """The counts of `events` (already narrowed to what the user reads)."""
    by_activity = _tallies(
        events,
        "activity__name,activity__sort_order,activity_id",
        ["activity__sort_order", "activity_id"],
        lambda g: g["activity__name"],
    )
    by_unit = _tallies(
        events,
        "organiser__name,organiser__sort_order,organiser_id",
        ["organiser__sort_order", "organiser_id"],
        lambda g: g["organiser__name"],
    )
    months = events.order_by().annotate(month=TruncMonth("date"))
    by_month = _tallies(months, "month", ["month"], _month)
    total = Tally(
        "合计",
        sum(t.events for t in by_activity),
        sum(t.participants for t in by_activity),
        sum(t.beneficiaries for t in by_activity),
    )
    return PracticeCounts(by_activity, by_unit, by_month, total)


def practice_events_listed(events: QuerySet) -> QuerySet:
    return events.select_related("activity", "organiser").order_by("-date", "-id")
