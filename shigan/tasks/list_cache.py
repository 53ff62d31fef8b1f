"""The task list's campaign-wide figures, kept in Django's cache (settings.CACHES: files in the
data folder shared by the workers; local memory in tests) and keyed so that no entry is ever
stale rather than expired on change.

What the list reads over the whole campaign costs the database a pass over every task (at
10,000 tasks, most of the page): the status of each filtered task in the list's order (the
status band counts it, a status filter keeps its ids, the page is a slice of it) and the filter
bar's choices (the categories, lead units and leaders of the visible tasks). Both are cached;
only the page's rows are read each time. The statuses themselves are computed once for the
whole campaign and kept for every viewer and filter (campaign_status_codes): a viewer's or a
filter's first request then reads only his tasks' ids in the list's order.

A key holds everything those figures depend on:

- the campaign's last change (tasks.changes.last_change: the newest audit entry, progress
  report and change request, the campaign's latest task update and task count), read before
  the figures;
- the day the statuses are computed for (today: a status moves at midnight without a write);
- the viewer: what decides the tasks he reads (tasks.changes.reader_scope: his account, role
  and unit, the units he reads, his leading group seats);
- for the pass, the filters other than the status (a status filter reads the same pass).

The page's rows, rendered, are kept too (list_rows): a row shows its task, category, lead unit,
leader, next milestone and latest progress report as of today, what the campaign's last change
and the day already key, so their key is those and the ids of the page's tasks in order — no
viewer: whoever is shown these tasks is shown the same rows.
"""

import datetime
import hashlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from shigan.campaigns.models import Campaign
from shigan.core.code_version import code_digest
from shigan.orgs.models import Person, Unit

from .changes import Change, may_keep, reader_scope, unsettled
from .models import Task, TaskCategory
from .queries import FilterOptions, tasks_with_status
from .status import TaskStatus
from .status_sql import STATUS_FIELD

LIST_CACHE_SECONDS = 600
KEY_VERSION = 2  # moves when what is kept changes shape (2: the rendered rows)
_STATUSES = list(TaskStatus)
_CODE = {status.value: chr(ord("a") + i) for i, status in enumerate(_STATUSES)}


@dataclass(frozen=True)
class ListPass:
    """The filtered list's task ids in its order, and each one's status as one letter (compact
    to keep and to read back: 10,000 tasks are two small objects, not 10,000 tuples)."""

    ids: array  # of int64 ("q"): kept and read back as bytes
    codes: str

    @classmethod
    def from_rows(cls, rows) -> "ListPass":
        ids, codes = array("q"), []
        for pk, status in rows:
            ids.append(pk)
            codes.append(_CODE[status])
        return cls(ids, "".join(codes))

    def counts(self) -> dict[TaskStatus, int]:
        """Tasks per status, every status present (zeros included)."""
        return {status: self.codes.count(_CODE[status.value]) for status in _STATUSES}

    def ids_with(self, statuses: set[str] | None) -> Sequence[int]:
        """The ids in the list's order, of the tasks with one of `statuses` (None: all)."""
        if not statuses:
            return self.ids
        wanted = {_CODE[s] for s in statuses if s in _CODE}
        return [pk for pk, code in zip(self.ids, self.codes, strict=True) if code in wanted]


def _key(kind: str, campaign: Campaign, change: Change, today, *extra) -> str:
    parts = (KEY_VERSION, code_digest(), kind, campaign.pk, change, today.isoformat(), *extra)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return unsettled(f"shigan:tasklist:{kind}:{digest}", change)


def list_key(kind: str, user, campaign: Campaign, change: Change, today, *extra) -> str:
    """The cache key of one cached figure of `campaign`'s task list as `user` sees it."""
    return _key(kind, campaign, change, today, reader_scope(user), *extra)


def _cached(key: str, compute: Callable):
    value = cache.get(key)
    if value is None:
        value = compute()
        if may_keep(key):  # not while another transaction writes (tasks.changes)
            cache.set(key, value, LIST_CACHE_SECONDS)
    return value


def list_filter_options(
    user, campaign: Campaign, change: Change, today: datetime.date, visible: QuerySet
) -> FilterOptions:
    """task_filter_options(visible) of the campaign's tasks `user` reads, cached."""
    key = list_key("options", user, campaign, change, today)
    return _cached(key, lambda: _filter_options(visible))


def _filter_options(visible: QuerySet) -> FilterOptions:
    """task_filter_options(visible), the visible tasks read once (their distinct lead unit,
    leader and category) instead of once per choice list: four queries, one of them a pass
    over the campaign's tasks."""
    rows = list(
        visible.order_by().values_list("lead_unit_id", "leader_id", "category_id").distinct()
    )
    units, leaders, categories = ({row[i] for row in rows} - {None} for i in range(3))
    return FilterOptions(
        units=list(Unit.objects.filter(id__in=units)),
        leaders=list(Person.objects.filter(id__in=leaders)),
        categories=list(TaskCategory.objects.filter(id__in=categories)),
    )


def list_pass(
    user,
    campaign: Campaign,
    change: Change,
    today: datetime.date,
    tasks: QuerySet,
    lookups: dict,
) -> ListPass:
    """Each of `tasks` (the visible ones filtered by `lookups`, in the list's order) with its
    status on `today`, in one statement of the database (tasks.status_sql), cached."""
    key = list_key("pass", user, campaign, change, today, sorted(lookups.items()))

    def compute() -> ListPass:
        codes = campaign_status_codes(campaign, change, today)
        ids = list(tasks.values_list("pk", flat=True))
        if all(pk in codes for pk in ids):
            return ListPass(array("q", ids), "".join(codes[pk] for pk in ids))
        # A task added since the campaign's statuses were read: the statuses of these tasks.
        return ListPass.from_rows(tasks_with_status(tasks, today).values_list("pk", STATUS_FIELD))

    return _cached(key, compute)


def list_rows(
    campaign: Campaign, change: Change, today: datetime.date, ids: Sequence[int], render
) -> str:
    """The page's rows as HTML: `render(ids)` (the tasks of `ids` read and rendered in that
    order), cached under the campaign's last change, the day and the ids."""
    key = _key("rows", campaign, change, today, ",".join(map(str, ids)))
    return _cached(key, lambda: render(ids))


def campaign_status_codes(campaign: Campaign, change: Change, today: datetime.date) -> dict:
    """Each task of the campaign with its status on `today` as ListPass's letter: one
    statement over the whole campaign (tasks.status_sql), cached for every viewer and filter
    (the key holds no viewer: what a viewer reads is picked from it by id)."""
    key = _key("statuses", campaign, change, today)

    def compute() -> tuple:
        tasks = Task.objects.filter(campaign_id=campaign.pk).order_by("pk")
        rows = tasks_with_status(tasks, today).values_list("pk", STATUS_FIELD)
        return ListPass.from_rows(rows)

    stored = _cached(key, compute)
    return dict(zip(stored.ids, stored.codes, strict=True))
