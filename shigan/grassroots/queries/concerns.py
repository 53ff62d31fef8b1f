"""Reads of concerns for lists, the index and the export: rows with their status
(grassroots.steps), the requester's numbers masked, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from shigan.core.masking import mask_id_number, mask_phone
from shigan.core.workdays import WorkCalendar

from .. import steps
from ..models import Concern


@dataclass
class ConcernRow:
    concern: Concern
    status: steps.ConcernStatus
    phone: str
    id_number: str


def concern_rows(concerns: QuerySet, *, today: datetime.date, calendar: WorkCalendar):
    """Each concern with its status today and its numbers masked (one query; the calendar
    reads its overrides once per year)."""
    rows = concerns.select_related("category", "assigned_unit", "visit", "campaign")
    return [
        ConcernRow(
            concern=c,
            status=steps.concern_status(
                due_on=c.due_on, closed_on=c.closed_on, today=today, calendar=calendar
            ),
            phone=mask_phone(c.requester_phone),
            id_number=mask_id_number(c.requester_id_number),
        )
        for c in rows
    ]


# Worst first, as the task status tiles (docs/style.md).
CONCERN_ORDER = [
    steps.ConcernStatus.OVERDUE,
    steps.ConcernStatus.NEARING,
    steps.ConcernStatus.OPEN,
    steps.ConcernStatus.CLOSED_LATE,
    steps.ConcernStatus.CLOSED_ON_TIME,
]


def concern_status_counts(concerns: QuerySet, *, today, calendar) -> dict:
    """How many concerns of each status (one query)."""
    aggregates = {
        status.value: Count(
            "id", filter=steps.status_filter(status, today=today, calendar=calendar)
        )
        for status in steps.ConcernStatus
    }
    counts = concerns.aggregate(**aggregates)
    return {status: counts[status.value] for status in CONCERN_ORDER}


def concern_page_facts(concern: Concern):
    """A concern's actions (with who and where to) and its visit's photos: two queries."""
    actions = list(concern.actions.select_related("by__person", "to_unit"))
    photos = list(concern.visit.photos.all()) if concern.visit_id else []
    return actions, photos


def concerns_filtered(concerns: QuerySet, values: dict, *, today, calendar) -> QuerySet:
    """`concerns` narrowed by a list's filters (step, category, unit, status, month, kind)."""
    lookups = Q()
    if values.get("step"):
        lookups &= Q(step=values["step"])
    if values.get("category"):
        lookups &= Q(category=values["category"])
    if values.get("unit"):
        lookups &= Q(assigned_unit=values["unit"])
    if values.get("kind"):
        lookups &= Q(kind=values["kind"])
    if values.get("month"):
        month = values["month"]
        lookups &= Q(received_on__year=month.year, received_on__month=month.month)
    if values.get("status"):
        lookups &= steps.status_filter(values["status"], today=today, calendar=calendar)
    return concerns.filter(lookups)
