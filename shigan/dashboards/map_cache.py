"""The collapsed battle map's cache: its summaries and its groups' rendered rows, kept in
Django's cache (settings.CACHES: files in the data folder shared by the workers; local memory
in tests) and keyed so that no entry is ever stale rather than expired on change.

A key holds everything the cached figures depend on:

- the **last change** (last_change): the newest audit entry of the database — every change
  goes through a service and is audited (CONVENTIONS), including what a row shows beside its
  task (a unit's or a leader's name, a category's) and what decides whom the viewer reads
  (roles, oversight, units) —, with the newest progress report and change request and the
  campaign's latest task update, which also cover rows written without an entry (bulk loads);
  one query, each part read from the end of an index;
- the campaign, the as-of date and the statuses' day (today: what counts as known, and the
  day statuses are computed for, move with it);
- the filters and the grouping (MapFilters), the view, and for a group its key and page;
- the viewer: his user id (the visible set differs by user, tasks.access).

Entries live MAP_CACHE_SECONDS at most; a change makes every key of the map new.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Subquery

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.models import AuditEntry
from shigan.tasks.models import ChangeRequest, ProgressReport, Task

MAP_CACHE_SECONDS = 600
KEY_VERSION = 1


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
    """What moves whenever anything the map shows may have changed (one query)."""
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


def map_key(kind: str, user, campaign: Campaign, change: Change, as_of, filters, *extra) -> str:
    """The cache key of one cached part of `campaign`'s map as `user` sees it."""
    parts = (
        KEY_VERSION,
        kind,
        campaign.pk,
        change,
        as_of.isoformat(),
        clock.today().isoformat(),
        user.pk,
        repr(filters),
        *extra,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"shigan:map:{kind}:{digest}"


def cached(key: str):
    return cache.get(key)


def keep(key: str, value) -> None:
    cache.set(key, value, MAP_CACHE_SECONDS)
