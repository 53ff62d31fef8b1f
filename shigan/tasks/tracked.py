"""The tasks a level is tracked by on a date: those of the year's campaigns, as known on the date
(tasks.queries.tasks_known) — list tasks, hand-downs' children and every other origin alike,
cancelled ones included (their status says so). The roll-up page (下级对比, dashboards.levels)
counts its task column over these, and an upper level's report states each district's tasks
from the same function, so the two say the same number — and so does the upper level's
cockpit (工作总览), whose task and decision cards count its subtree's."""

import datetime

from django.db.models import QuerySet

from shigan.tasks.queries import tasks_known


def tracked_tasks(tasks: QuerySet, as_of: datetime.date, *, year: int | None = None) -> QuerySet:
    """Among `tasks`, those of the campaigns of `year` (as_of's by default), as known on `as_of`.
    An upper level's cockpit counts its roll-up over these too (its campaign's year)."""
    return tasks_known(tasks.filter(campaign__year=year or as_of.year), as_of)
