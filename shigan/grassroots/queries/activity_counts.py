"""The index page's counts of 办实事 items, reception days, pairings and practice events: four
queries whatever the rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet


@dataclass
class ActivityCounts:
    promises: int
    reception_days: int
    reception_missed: int
    pairings: int
    practice_events: int


def activity_counts(
    *,
    promises: QuerySet,
    days: QuerySet,
    pairings: QuerySet,
    events: QuerySet,
    today: datetime.date,
) -> ActivityCounts:
    """Each queryset already narrowed to what the user reads; missed as queries.reception says
    (not held, before today)."""
    rota = days.order_by().aggregate(
        n=Count("id"), missed=Count("id", filter=Q(held=False, date__lt=today))
    )
    return ActivityCounts(
        promises=promises.count(),
        reception_days=rota["n"],
        reception_missed=rota["missed"],
        pairings=pairings.count(),
        practice_events=events.count(),
    )
