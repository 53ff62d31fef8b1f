"""The collapsed battle map's cache: its summaries and its groups' rendered rows, kept in
Django's cache (settings.CACHES: files in the data folder shared by the workers; local memory
in tests) and keyed so that no entry is ever stale rather than expired on change.

A key holds everything the cached figures depend on:

- the campaign's **last change** (tasks.changes.last_change, one query): its tasks' count and
  newest audit entry (progress, milestones, change requests, edits), those of the tasks handed
  down from them (roll-ups), its categories', and the latest update of the campaign and of the
  units and leaders it names — nothing of another campaign, so a change there keeps this
  map's entries;
- the campaign, the as-of date and the statuses' day (today: what counts as known, and the
  day statuses are computed for, move with it);
- the filters and the grouping (MapFilters), the view, and for a group its key and page;
- the viewer: what decides the tasks he reads (tasks.changes.reader_scope: account, role,
  unit, the units he reads — a change of oversight moves them —, leading group seats).

Entries live MAP_CACHE_SECONDS at most; a change the map shows makes every key of the map new.
"""

import hashlib

from django.core.cache import cache

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.code_version import code_digest

# The last change lives in tasks (tasks.changes), where the task list's cache keys on it too.
from shigan.tasks.changes import Change, last_change, may_keep, reader_scope, unsettled

__all__ = ["Change", "last_change", "map_key", "cached", "keep", "MAP_CACHE_SECONDS"]

MAP_CACHE_SECONDS = 600
KEY_VERSION = 2


def map_key(kind: str, user, campaign: Campaign, change: Change, as_of, filters, *extra) -> str:
    """The cache key of one cached part of `campaign`'s map as `user` sees it."""
    parts = (
        KEY_VERSION,
        code_digest(),
        kind,
        campaign.pk,
        change,
        as_of.isoformat(),
        clock.today().isoformat(),
        reader_scope(user),
        repr(filters),
        *extra,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return unsettled(f"shigan:map:{kind}:{digest}", change)


def cached(key: str):
    return cache.get(key)


def keep(key: str, value) -> None:
    """Store `value` under `key`, unless the key's change was not settled (tasks.changes)."""
    if may_keep(key):
        cache.set(key, value, MAP_CACHE_SECONDS)
