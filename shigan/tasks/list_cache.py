"""The task list's campaign-wide figures, kept in Django's caches (settings.CACHES: files in the
data folder shared by the workers; local memory in tests) and keyed so that no entry is ever
stale rather than expired on change — and so that a write costs what it changed (issue 18: one
progress report used to make a 10,000-task campaign's every figure new).

What the list reads over the whole campaign costs the database a pass over every task (at
10,000 tasks, most of the page): the status of each filtered task in the list's order (the
status band counts it, a status filter keeps its ids, the page is a slice of it) and the filter
bar's choices (the categories, lead units and leaders of the visible tasks). Both are cached;
only the page's rows are read each time.

**The campaign's statuses** (campaign_statuses) are kept once for every viewer and filter, with
the campaign's last change they are complete at (its newest audit entry about its tasks,
tasks.changes.last_change: the marker) and under a key of the campaign and the day only, in the
figures' cache (core.figures_cache: other pages read them, campaign_status_codes, and the
default cache's churn of rendered rows culls entries at random). On a newer marker only the
tasks written since are computed again: the audit entries after the kept marker up to the new
one (ids increase; each names its task, AuditEntry.task_id) give the tasks, one statement
(tasks.status_sql) their statuses, and the kept ones are patched. Entries above the new marker
are left to the next request: under a settled change (tasks.changes) every entry up to it has
committed, so the range read is whole. Everything is computed afresh instead
when the kept statuses cannot be brought up so: none kept (the first request, another day: a
status moves at midnight without a write), a marker older than the kept one or none, more than
DELTA_SPAN ids or DELTA_TASKS tasks since, or a task count that the patched statuses do not
match (a task deleted or moved away whose entry names no task: tasks added and removed are
otherwise read from their entries). Nothing is kept under an unsettled change.

**What a viewer reads** — the ids of his tasks in the list's order for each filter, and the
filter's choices — changes only with what decides which tasks he reads, their order and their
units, leaders and categories: not with a progress report, a milestone done, a change request
or its approval (an extension, a closure: the task's dates and state). So these are keyed on
the campaign's last change with its audit marker replaced by the layout: the newest entry that
may change them (any other than those quiet kinds, QUIET), moved only when such a one is read
— and the viewer (tasks.changes.reader_scope), the day, and for the ids the filters other
than the status (a status filter reads the same ids). Each request gives the ids their
statuses from the campaign's (a dict look-up each).

**The page's rows**, rendered (list_rows), show their own task (its fields, its next milestone
and latest progress report, its status as of today), its category's name, its lead unit's
label and leader's name: keyed on the ids of the page's tasks in order with each one's version
(the marker the statuses were last computed afresh at, and the newest entry read about the task
since), the categories and the names (tasks.changes.last_change's parts) and the day — no
viewer: whoever is shown these tasks is shown the same rows, and a report filed on one task
leaves the rows of the others' pages as they were kept.

**In each process too** (local, local_statuses: core.figures_cache.ProcessMemo): every value
above is also kept in the worker's memory under the same key (the statuses under theirs, used
while complete at the request's change), with what is made from them — the lookup of each
task's status, each viewer's ids with their statuses (a ListPass per ids key), the band's
counts and a status filter's ids. A warm list then reads no cache file and unpickles nothing.
Nothing kept so can be stale for the same reason the shared entries cannot: the keys name what
the values depend on; clear_caches() empties it with the caches.
"""

import dataclasses
import datetime
import hashlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet

from shigan.campaigns.models import Campaign
from shigan.core.code_version import code_digest
from shigan.core.figures_cache import ProcessMemo, figures_cache
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Person, Unit

from .changes import Change, may_keep, reader_scope, unsettled
from .models import Task, TaskCategory
from .queries import FilterOptions, tasks_with_status
from .status import TaskStatus
from .status_sql import STATUS_FIELD

LIST_CACHE_SECONDS = 600
KEY_VERSION = 3  # moves when what is kept changes shape (2: the rendered rows; 3: patched)
# Bounds of bringing kept statuses up to date rather than computing them afresh: audit ids since
# the kept marker (the range read), and tasks written in it (each one's status computed again).
DELTA_SPAN = 20_000
DELTA_TASKS = 300
# The entries that change a task's status and row but never which tasks a viewer reads, their
# order, or the filter's choices: (record type, action), None for any action.
QUIET = {
    ("tasks.progressreport", None),
    ("tasks.milestone", None),
    ("tasks.changerequest", None),
    ("tasks.task", AuditAction.APPROVE),  # an extension, a closure: dates and state
}
# Kept in each process too (core.figures_cache.ProcessMemo), under the same keys: a warm list
# then reads no cache file and unpickles nothing (issue 18: ~2 ms of a 10 ms request at 10,000
# tasks). Entries: a viewer's ids (an int64 array of up to the campaign's tasks), filter
# choices, a page's rows (~40 KB of HTML).
LOCAL_ENTRIES = 128
local = ProcessMemo(LOCAL_ENTRIES)
# The campaigns' statuses as last read or computed in this process, by statuses_key.
local_statuses = ProcessMemo(32)
PASSES_KEPT = 64  # ListPasses kept with one CampaignStatuses (one per viewer and filter)
_STATUSES = list(TaskStatus)
_CODE = {status.value: chr(ord("a") + i) for i, status in enumerate(_STATUSES)}


@dataclass(frozen=True)
class ListPass:
    """The filtered list's task ids in its order, and each one's status as one letter (compact
    to keep and to read back: 10,000 tasks are two small objects, not 10,000 tuples)."""

    ids: array  # of int64 ("q"): kept and read back as bytes
    codes: str
    # What was picked from it, by status set (ids_with) and None (counts): not kept in the cache.
    _picked: dict = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self):
        return {**self.__dict__, "_picked": {}}

    @classmethod
    def from_rows(cls, rows) -> "ListPass":
        ids, codes = array("q"), []
        for pk, status in rows:
            ids.append(pk)
            codes.append(_CODE[status])
        return cls(ids, "".join(codes))

    def counts(self) -> dict[TaskStatus, int]:
        """Tasks per status, every status present (zeros included). Shared: do not change it."""
        found = self._picked.get(None)
        if found is None:
            found = {status: self.codes.count(_CODE[status.value]) for status in _STATUSES}
            self._picked[None] = found
        return found

    def ids_with(self, statuses: set[str] | None) -> Sequence[int]:
        """The ids in the list's order, of the tasks with one of `statuses` (None: all), picked
        once per ListPass and status set. Shared: do not change them."""
        if not statuses:
            return self.ids
        wanted = frozenset(_CODE[s] for s in statuses if s in _CODE)
        found = self._picked.get(wanted)
        if found is None:
            codes = self.codes
            found = array(
                "q", [pk for pk, code in zip(self.ids, codes, strict=True) if code in wanted]
            )
            self._picked[wanted] = found
        return found


def _key(kind: str, campaign: Campaign, change, today, *extra) -> str:
    parts = (KEY_VERSION, code_digest(), kind, campaign.pk, change, today.isoformat(), *extra)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"shigan:tasklist:{kind}:{digest}"
    return unsettled(key, change) if isinstance(change, Change) else key


def list_key(kind: str, user, campaign: Campaign, change: Change, today, *extra) -> str:
    """The cache key of one cached figure of `campaign`'s task list as `user` sees it."""
    return _key(kind, campaign, change, today, reader_scope(user), *extra)


def _cached(key: str, compute: Callable):
    """The value under `key`: this process's (local), else the shared cache's, else computed;
    kept in both unless the key is unsettled."""
    value = local.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        if may_keep(key):  # not while another transaction writes (tasks.changes)
            cache.set(key, value, LIST_CACHE_SECONDS)
    if may_keep(key):
        local.set(key, value)
    return value


@dataclass(frozen=True)
class CampaignStatuses:
    """Each task of a campaign with its status on a day (`statuses`, by id), complete at the
    campaign's audit marker `marker` (see above), and what the other figures are keyed on."""

    marker: int | None  # Change.task_audit these statuses are complete at
    tasks: int  # Change.tasks then
    base: int | None  # the marker they were last computed afresh at
    layout: int | None  # the newest entry read that may change what a viewer reads (not QUIET)
    statuses: ListPass  # ids in increasing order
    touched: dict = field(default_factory=dict)  # task id → newest entry read about it since base
    _codes: dict | None = field(default=None, compare=False, repr=False)
    # The viewers' ListPasses with these statuses, by their ids' key (list_pass): not kept.
    _passes: dict = field(default_factory=dict, compare=False, repr=False)

    def codes(self) -> dict:
        """{task id: ListPass's letter of its status}: made once per object."""
        if self._codes is None:
            codes = dict(zip(self.statuses.ids, self.statuses.codes, strict=True))
            object.__setattr__(self, "_codes", codes)
        return self._codes

    def __getstate__(self):  # kept without what was made from it
        return {**self.__dict__, "_codes": None, "_passes": {}}

    def list_pass(self, key: str, ids: array) -> ListPass:
        """ListPass of `ids` (the viewer's, kept under `key`) with these statuses: made once per
        object and key. KeyError: a task of `ids` has none here."""
        found = self._passes.get(key)
        if found is None:
            codes = self.codes()
            found = ListPass(ids, "".join([codes[pk] for pk in ids]))
            if may_keep(key):
                if len(self._passes) >= PASSES_KEPT:
                    self._passes.clear()
                self._passes[key] = found
        return found

    def layout_change(self, change: Change) -> Change:
        """`change` with its audit marker replaced by the layout: what a viewer's ids and the
        filter's choices are keyed on."""
        return dataclasses.replace(change, task_audit=("layout", self.layout))

    def versions(self, ids: Sequence[int]) -> tuple:
        """What each task's row is keyed on (see above)."""
        return (self.base, tuple(self.touched.get(pk) for pk in ids))


def statuses_key(campaign: Campaign, today: datetime.date) -> str:
    """Where the campaign's statuses on `today` are kept (no change in it: they carry it)."""
    return _key("statuses", campaign, None, today)


def campaign_statuses(campaign: Campaign, change: Change, today: datetime.date) -> CampaignStatuses:
    """The statuses of the campaign's tasks on `today` as of `change` (read before): those kept,
    brought up to `change` by computing again only the tasks written since, or computed afresh
    (see above). Kept when `change` is settled."""
    key = statuses_key(campaign, today)
    # This process's, when complete at `change` (the statuses at a marker are the same whoever
    # computed them): the figures' cache is then not read.
    mine = local_statuses.get(key)
    if mine is not None and (mine.marker, mine.tasks) == (change.task_audit, change.tasks):
        return mine
    kept = figures_cache.get(key)
    current = _brought_up(kept, campaign, change, today) if kept is not None else None
    if current is None:
        current = _afresh(campaign, change, today)
    if change.settled:
        if current is not kept:
            figures_cache.set(key, current, LIST_CACHE_SECONDS)
        local_statuses.set(key, current)
    return current


def _afresh(campaign: Campaign, change: Change, today: datetime.date) -> CampaignStatuses:
    """Every task's status: one statement over the whole campaign (tasks.status_sql)."""
    tasks = Task.objects.filter(campaign_id=campaign.pk).order_by("pk")
    rows = tasks_with_status(tasks, today).values_list("pk", STATUS_FIELD)
    marker = change.task_audit
    return CampaignStatuses(marker, change.tasks, marker, marker, ListPass.from_rows(rows))


def _quiet(record_type: str, action: str) -> bool:
    return (record_type, None) in QUIET or (record_type, action) in QUIET


def _brought_up(
    kept: CampaignStatuses, campaign: Campaign, change: Change, today: datetime.date
) -> CampaignStatuses | None:
    """`kept` brought up to `change`: the tasks named by the audit entries after its marker up
    to `change`'s computed again and patched in (two queries; none when nothing was written).
    None when it cannot be (see above)."""
    if (kept.marker, kept.tasks) == (change.task_audit, change.tasks):
        return kept
    since, until = kept.marker, change.task_audit
    if since is None or until is None or until < since or until - since > DELTA_SPAN:
        return None
    # The entries about the campaign's tasks, and any about a task (a task entry may be about
    # one moved to another campaign or deleted: the kept statuses may hold it).
    ours = Exists(Task.objects.filter(pk=OuterRef("task_id"), campaign_id=campaign.pk))
    entries = list(
        AuditEntry.objects.filter(pk__gt=since, pk__lte=until, task_id__isnull=False)
        .filter(ours | Q(record_type=Task._meta.label_lower))
        .order_by("pk")
        .values_list("pk", "task_id", "record_type", "action")
    )
    written = {task_id for _, task_id, _, _ in entries}
    if len(written) > DELTA_TASKS:
        return None
    before = kept.codes()
    codes = dict(before)
    now = {}
    if written:
        tasks = Task.objects.filter(pk__in=written, campaign_id=campaign.pk).order_by()
        now = dict(tasks_with_status(tasks, today).values_list("pk", STATUS_FIELD))
    moved = False
    for pk in written:
        if (pk in before) != (pk in now):
            moved = True  # added to the campaign, or gone from it
        codes.pop(pk, None)
    codes.update((pk, _CODE[status]) for pk, status in now.items())
    if len(codes) != change.tasks:
        return None  # a task added or gone without an entry naming it: read afresh
    touched, layout = dict(kept.touched), kept.layout
    for entry, task_id, record_type, action in entries:
        if task_id not in now and task_id not in before:
            continue  # another campaign's task
        touched[task_id] = entry
        if moved or not _quiet(record_type, action):
            layout = max(layout or 0, entry)
    ids = sorted(codes)
    statuses = ListPass(array("q", ids), "".join(codes[pk] for pk in ids))
    return CampaignStatuses(until, change.tasks, kept.base, layout, statuses, touched)


def campaign_status_codes(campaign: Campaign, change: Change, today: datetime.date) -> dict:
    """Each task of the campaign with its status on `today` as ListPass's letter ({id: letter},
    every task of the campaign as of `change`): campaign_statuses, kept for every viewer and
    filter (what a viewer reads is picked from it by id). The dict is shared: do not change it."""
    return campaign_statuses(campaign, change, today).codes()


def list_filter_options(
    user,
    campaign: Campaign,
    change: Change,
    today: datetime.date,
    visible: QuerySet,
    statuses: CampaignStatuses,
) -> FilterOptions:
    """task_filter_options(visible) of the campaign's tasks `user` reads, cached under the
    layout (see above)."""
    key = list_key("options", user, campaign, statuses.layout_change(change), today)
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
    statuses: CampaignStatuses,
) -> ListPass:
    """Each of `tasks` (the visible ones filtered by `lookups`, in the list's order) with its
    status on `today`: the ids cached under the layout (see above), each one's status from the
    campaign's."""
    layout = statuses.layout_change(change)
    key = list_key("ids", user, campaign, layout, today, sorted(lookups.items()))
    ids = _cached(key, lambda: array("q", tasks.values_list("pk", flat=True)))
    try:
        return statuses.list_pass(key, ids)
    except KeyError:
        # A task added since the campaign's statuses were read: the statuses of these tasks.
        return ListPass.from_rows(tasks_with_status(tasks, today).values_list("pk", STATUS_FIELD))


def list_rows(
    campaign: Campaign,
    change: Change,
    today: datetime.date,
    ids: Sequence[int],
    render,
    statuses: CampaignStatuses,
) -> str:
    """The page's rows as HTML: `render(ids)` (the tasks of `ids` read and rendered in that
    order), cached under each task's version, the categories, the names and the day (see
    above)."""
    shown = (change.campaign_updated, change.categories, change.named)
    key = _key("rows", campaign, shown, today, ",".join(map(str, ids)), statuses.versions(ids))
    return _cached(unsettled(key, change), lambda: render(ids))
