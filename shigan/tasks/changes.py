"""A campaign's last change: what moves whenever anything a page about its tasks may show has
changed, so that a cache keyed on it is never stale rather than expired on change (the battle
map's fragments, dashboards.map_cache; the task list's band and filter options, tasks.list_cache).

- the newest audit entry of the database: every change goes through a service and is audited
  (CONVENTIONS), including what a row shows beside its task (a unit's or a leader's name, a
  category's) and what decides whom a viewer reads (roles, oversight, units);
- the newest progress report and change request, and the campaign's latest task update and task
  count, which also cover rows written without an entry (bulk loads, a deleted task);

one query, each part read from the end of an index. Read it before the figures it keys: a write
committed in between is then in the figures, never missing from them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Subquery

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry

from .models import ChangeRequest, ProgressReport, Task


@dataclass(frozen=True)
class Change:
    """The campaign's last change (see above), and its task count: a campaign of no more tasks
    than the map's threshold is never collapsed, so its map needs no cache."""

    audit: int | None
    report: int | None
    change_request: int | None
    task_updated: datetime.datetime | None
    tasks: int


def _newest(model) -> Subquery:
    return Subquery(model.objects.order_by("-pk").values("pk")[:1])


def last_change(campaign: Campaign) -> Change:
    """What moves whenever anything about the campaign's tasks may have changed (one query)."""
    of_campaign = Task.objects.filter(campaign_id=campaign.pk).order_by().values("campaign_id")
    row = (
        Campaign.objects.filter(pk=campaign.pk)
        .annotate(
            audit=_newest(AuditEntry),
            report=_newest(ProgressReport),
            change=_newest(ChangeRequest),
            task_at=Subquery(of_campaign.annotate(at=Max("updated_at")).values("at")[:1]),
            task_count=Subquery(of_campaign.annotate(n=Count("pk")).values("n")[:1]),
        )
        .values_list("audit", "report", "change", "task_at", "task_count")
        .first()
    )
    if row is None:
        return Change(None, None, None, None, 0)
    return Change(*row[:4], tasks=row[4] or 0)
