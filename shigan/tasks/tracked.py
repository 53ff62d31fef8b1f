"""The tasks a level is tracked by on a date: those of the year's campaigns, as known on the date
(tasks.queries.tasks_known) — list tasks, hand-downs' children and every other origin alike,
cancelled ones included (their status says so). The roll-up page (下级对比, dashboards.levels)
counts its task column over these, and an upper level's report states each district's tasks
from the same function, so the two say the same number."""

import datetime

from django.db.models import QuerySet

from shigan.tasks.queries import tasks_known


def tracked_tasks(tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """Among `tasks`, those of as_of's year's campaigns, as known on `as_of`."""
    return tasks_known(tasks.filter(campaign__year=as_of.year), as_of)
