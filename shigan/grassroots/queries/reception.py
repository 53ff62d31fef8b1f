"""Reads for the reception rota: each day with the count of concerns received, and whether a
past day was missed (未开展: its date before today and not marked held; today is not missed)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from ..models import ReceptionDay


def is_missed(day: ReceptionDay, today: datetime.date) -> bool:
    """A day on the rota not held once it has passed: the day itself still may be."""
    return not day.held and day.date < today


@dataclass
class ReceptionRow:
    day: ReceptionDay
    missed: bool
    concerns: int


def reception_rows(days: QuerySet, today: datetime.date) -> list[ReceptionRow]:
    """The rota's days in date order, one query whatever their number."""
    days = days.select_related("leader", "leader__unit").annotate(n_concerns=Count("concerns"))
    return [
        ReceptionRow(day=day, missed=is_missed(day, today), concerns=day.n_concerns)
        for day in days.order_by("date", "id")
    ]


def reception_concerns(concerns: QuerySet) -> QuerySet:
    """The concerns of a day for its page, with what the table shows (one query)."""
    return concerns.select_related("category", "assigned_unit").order_by("received_on", "id")
