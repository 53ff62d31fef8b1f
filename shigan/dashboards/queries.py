"""Reads behind the battle map (挂图作战): a fixed number of queries whatever the task count.

The map reads the campaign's tasks visible to the user through tasks.access, narrows them by
unit, leader and category in the database, computes and counts each task's status on the chosen
date (tasks.queries.task_tally, as the cockpit does) and then narrows by status in Python, so the
status counts reflect every filter except the status filter itself.

Above MAP_EXPAND_LIMIT tasks shown (after every filter) the table and the timeline show their
groups collapsed, each with its count per status (group_summaries), and the rows of one group
are read on demand, GROUP_PAGE at a time (group_page): the first screen of a 10,000-task
campaign renders a few dozen headings, not 10,000 rows (issue 18).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet, prefetch_related_objects
from django.http import QueryDict

from shigan.campaigns.models import Campaign
from shigan.core.clock import month_start
from shigan.core.params import id_or_none
from shigan.core.words import days_left_words, milestone_days_words
from shigan.directives.queries import rollups_for
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import subtree_ids
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskCategory
from shigan.tasks.queries import (
    FilterOptions,
    TaskRow,
    campaign_tasks_on,
    milestones_known,
    status_counts_by,
    status_counts_db,
    task_filter_options,
    task_rows,
    task_tally,
    tasks_with_status,
)
from shigan.tasks.status import NEARING_DAYS, STATUS_ORDER, TaskStatus
from shigan.tasks.status_sql import STATUS_FIELD, due_date_then

GROUPINGS = {"category": "按类别", "unit": "按牵头单位"}
VIEWS = {"table": "表格", "timeline": "时间轴", "wall": "挂图"}
FINISHED = {TaskStatus.DONE, TaskStatus.CANCELLED}
# The counts the wall chart's headline band shows in large type, with their change.
HEADLINE = (TaskStatus.OVERDUE, TaskStatus.BEHIND, TaskStatus.NEARING)
# Above this many tasks shown (after every filter, the status filter included) the table and
# the timeline show their groups collapsed with their counts, each opened on demand; at or
# below it every row is on the page, as printed. A district's real campaign (300 tasks, 306
# tracked items) stays whole on one page; 500 rows render in about 0.15 s.
MAP_EXPAND_LIMIT = 500
# Rows of an opened group read at a time (a category may hold thousands): 显示更多 reads on.
GROUP_PAGE = 200
MAX_GROUP_ROWS = 2**31  # no group holds more rows: a page starting past it is empty


@dataclass(frozen=True)
class MapFilters:
    """What the user narrowed the map to; unknown or malformed values are ignored."""

    unit: int | None = None
    leader: int | None = None
    level: int | None = None  # a level (党委政府 unit): tasks led in its subtree (下级对比)
    category: int | None = None
    statuses: tuple[str, ...] = ()
    group: str = "category"

    @classmethod
    def from_params(cls, params: QueryDict) -> "MapFilters":
        wanted = set(params.getlist("status"))
        group = params.get("group", "category")
        return cls(
            unit=id_or_none(params.get("unit")),
            leader=id_or_none(params.get("leader")),
            level=id_or_none(params.get("level")),
            category=id_or_none(params.get("category")),
            statuses=tuple(s for s in STATUS_ORDER if s in wanted),
            group=group if group in GROUPINGS else "category",
        )

    def apply(self, tasks: QuerySet) -> QuerySet:
        """Narrow a Task queryset by lead unit, leader, category and level (not by status);
        narrowing only: the level's subtree within what the queryset already reads (one query
        for the subtree when a level is given)."""
        if self.level is not None:
            tasks = tasks.filter(lead_unit_id__in=subtree_ids([self.level]))
        if self.unit is not None:
            tasks = tasks.filter(lead_unit_id=self.unit)
        if self.leader is not None:
            tasks = tasks.filter(leader_id=self.leader)
        if self.category is not None:
            tasks = tasks.filter(category_id=self.category)
        return tasks


@dataclass
class StatusTile:
    status: TaskStatus
    count: int
    active: bool


@dataclass(frozen=True)
class HeadlineFigure:
    """A status count on the map's date and on the last day of the month before."""

    status: TaskStatus
    count: int
    before: int

    @property
    def change(self) -> int:
        return self.count - self.before

    @property
    def change_text(self) -> str:
        if self.change == 0:
            return "持平"
        return f"{self.change:+d}".replace("-", "−")


@dataclass(frozen=True)
class Headline:
    since: datetime.date
    figures: list[HeadlineFigure]


def previous_month_end(day: datetime.date) -> datetime.date:
    return month_start(day) - datetime.timedelta(days=1)


@dataclass
class RowGroup:
    label: str
    rows: list[TaskRow]


@dataclass
class GroupSummary:
    """A collapsed group of the map: its heading (a category or a lead unit: `key` is its id)
    and how many of its tasks the map shows, per status (only the statuses shown)."""

    key: int
    label: str
    counts: dict[TaskStatus, int]

    @property
    def shown(self) -> int:
        return sum(self.counts.values())

    @property
    def status_counts(self) -> list[tuple[TaskStatus, int]]:
        """The non-zero counts in the status order (worst first)."""
        return [(s, self.counts[s]) for s in TaskStatus if self.counts.get(s)]


@dataclass
class BattleMap:
    """Everything the battle map, its timeline and its export show."""

    campaign: Campaign
    as_of: datetime.date
    filters: MapFilters
    options: FilterOptions
    tiles: list[StatusTile]
    total: int
    rows: list[TaskRow]
    groups: list[RowGroup] = field(default_factory=list)
    headline: Headline | None = None
    # Above MAP_EXPAND_LIMIT rows shown: no rows, the groups' headings and counts instead.
    summaries: list[GroupSummary] | None = None
    # A collapsed wall chart (with_headline): per group key, its worst tasks (worst_rows).
    worst: dict[int, list[TaskRow]] = field(default_factory=dict)

    @property
    def collapsed(self) -> bool:
        return self.summaries is not None

    @property
    def shown(self) -> int:
        """Tasks the map shows (every filter applied, the status filter included)."""
        if self.summaries is not None:
            return sum(s.shown for s in self.summaries)
        return len(self.rows)


def _heading(row: TaskRow, grouping: str):
    return row.task.lead_unit if grouping == "unit" else row.task.category


def group_field(grouping: str) -> str:
    """The Task column a grouping groups by."""
    return "lead_unit_id" if grouping == "unit" else "category_id"


def _ordered_for(rows: list[TaskRow], grouping: str) -> list[TaskRow]:
    if grouping == "unit":
        return sorted(rows, key=lambda r: (r.task.lead_unit.sort_order, r.task.lead_unit_id))
    return rows


def group_summaries(
    counts_by_group: dict[int, dict[TaskStatus, int]], grouping: str, wanted: set[str]
) -> list[GroupSummary]:
    """The groups of a collapsed map from tasks.queries.status_counts_by (per category or lead
    unit id, the count per status), in the categories' or the units' order (sort order, id),
    each with its counts among the `wanted` statuses (every status when none is wanted);
    groups with none of them left out (one query, for the headings)."""
    headings = TaskCategory.objects if grouping != "unit" else Unit.objects
    ordered = headings.filter(pk__in=list(counts_by_group)).order_by("sort_order", "id")
    summaries = []
    for heading in ordered:
        counts = {
            s: n
            for s, n in counts_by_group[heading.pk].items()
            if n and (not wanted or s in wanted)
        }
        if counts:
            summaries.append(GroupSummary(heading.pk, str(heading), counts))
    return summaries


def group_rows(rows: list[TaskRow], grouping: str) -> list[RowGroup]:
    """Rows under category headings (in the task list's order) or lead-unit headings (in the
    unit tree's order); rows keep their order inside a group."""
    groups: dict[int, RowGroup] = {}
    for row in _ordered_for(rows, grouping):
        heading = _heading(row, grouping)
        groups.setdefault(heading.pk, RowGroup(label=str(heading), rows=[])).rows.append(row)
    return list(groups.values())


def _by_id(campaign: Campaign, as_of: datetime.date, scope: QuerySet) -> QuerySet:
    """The campaign's tasks among `scope` on `as_of`, as `id IN (…)`: the database reads them
    in id order through the campaign's index, not in the order of a unit list's index (the
    visible set is often `lead_unit_id IN (…)`), which at 10,000 tasks halves the status count
    (its milestone probes then follow the milestone index in order)."""
    return Task.objects.filter(pk__in=campaign_tasks_on(campaign, as_of, scope).values("pk"))


def filter_options(campaign: Campaign, as_of: datetime.date, readable: QuerySet) -> FilterOptions:
    """tasks.queries.task_filter_options of the campaign's tasks `readable` on `as_of`, read in
    one pass (the distinct category, lead unit and leader of the tasks, in id order: _by_id)
    instead of one pass each, then the three by id (four queries, of which one over the
    tasks)."""
    keys = ("category_id", "lead_unit_id", "leader_id")
    rows = set(_by_id(campaign, as_of, readable).order_by().values_list(*keys).distinct())
    categories, units, leaders = ({row[i] for row in rows} - {None} for i in range(3))
    return FilterOptions(
        units=list(Unit.objects.filter(id__in=units)),
        leaders=list(Person.objects.filter(id__in=leaders)),
        categories=list(TaskCategory.objects.filter(id__in=categories)),
    )


def _headline(campaign: Campaign, as_of: datetime.date, scope, counts) -> Headline:
    """A collapsed wall's headline: `counts` (on as_of) beside the counts of the last day of
    the month before, as known then, counted by the database (one query)."""
    since = previous_month_end(as_of)
    before = status_counts_db(_by_id(campaign, since, scope), since)
    return Headline(since, [HeadlineFigure(s, counts[s], before[s]) for s in HEADLINE])


# The worst tasks a collapsed wall chart shows per lane (逾期, 滞后, 临期: the headline's), at
# most one row of the meeting-room screen's tiles (wall.SCREEN_COLUMNS).
WORST_PER_GROUP = 7


def wall_order(rows) -> list[tuple]:
    """(pk, group, status, due) rows sorted as the wall orders its tiles (wall.worst_first):
    worst status first, then the most overdue / least time left (the earliest due date on the
    day), otherwise in the map's order (the rows' own: the sort is stable)."""
    rank = {value: i for i, value in enumerate(STATUS_ORDER)}
    return sorted(rows, key=lambda r: (rank[r[2]], r[3]))


def wall_statuses(
    campaign: Campaign, as_of: datetime.date, scope: QuerySet, field: str
) -> list[tuple]:
    """(pk, `field`'s value, status, due date on the day) of each of the campaign's tasks among
    `scope` on `as_of`, in the map's order: one pass of the status rules (tasks.status_sql) for
    both what a collapsed wall counts per group and its worst tasks (one query)."""
    tasks = tasks_with_status(_by_id(campaign, as_of, scope), as_of)
    tasks = tasks.annotate(due_then=due_date_then())
    return list(tasks.values_list("pk", field, STATUS_FIELD, "due_then"))


def counted_by_group(statuses: list[tuple]) -> dict[object, dict[TaskStatus, int]]:
    """status_counts_by(…, field) of wall_statuses(…, field)'s rows: per group, how many tasks
    have each status (every status present, zeros included)."""
    grouped: dict[object, dict[TaskStatus, int]] = {}
    for _, key, status, _ in statuses:
        counts = grouped.setdefault(key, {s: 0 for s in TaskStatus})
        counts[TaskStatus(status)] += 1
    return grouped


def worst_rows(
    campaign: Campaign,
    as_of: datetime.date,
    scope: QuerySet,
    field: str,
    wanted: set[str],
    statuses_read: list[tuple] | None = None,
) -> dict[int, list[TaskRow]]:
    """Per group (`field`'s value), its WORST_PER_GROUP worst tasks among those 逾期, 滞后 or
    临期 (and `wanted`, when a status filter is set), in the wall's order: the statuses and due
    dates of those tasks in one query (none when `statuses_read`, wall_statuses' rows, are
    given), then only their rows (two queries)."""
    statuses = [s.value for s in HEADLINE if not wanted or s.value in wanted]
    if not statuses:
        return {}
    if statuses_read is None:
        tasks = tasks_with_status(_by_id(campaign, as_of, scope), as_of)
        tasks = tasks.filter(**{f"{STATUS_FIELD}__in": statuses})
        tasks = tasks.annotate(due_then=due_date_then())
        statuses_read = list(tasks.values_list("pk", field, STATUS_FIELD, "due_then"))
    else:
        statuses_read = [row for row in statuses_read if row[2] in statuses]
    chosen: dict[int, list[int]] = {}
    for pk, key, _, _ in wall_order(statuses_read):
        if len(group := chosen.setdefault(key, [])) < WORST_PER_GROUP:
            group.append(pk)
    ids = [pk for group in chosen.values() for pk in group]
    rows = {row.task.pk: row for row in task_rows(Task.objects.filter(pk__in=ids), as_of)}
    return {key: [rows[pk] for pk in group] for key, group in chosen.items()}


def battle_map_build(
    user,
    campaign: Campaign,
    filters: MapFilters,
    as_of: datetime.date,
    *,
    with_milestones: bool = False,
    with_headline: bool = False,
    with_rollups: bool = False,
    collapse_above: int | None = None,
) -> BattleMap:
    """The battle map of `campaign` as `user` may see it on `as_of`, from what was known that
    day (tasks.queries.task_tally, the cockpit's task figures) (five queries, six with
    milestones, seven with the headline, two more with the roll-ups of the tasks handed down
    to subordinate districts (directives.queries.rollups_for), for any number of tasks).

    With `collapse_above`, the statuses are first counted by the database per group
    (tasks.queries.status_counts_by, one query); a map showing more rows than that has no rows
    but its groups' summaries (BattleMap.collapsed: four queries with the headings and the
    filter options, no task read; the rows of a group are read by group_page), otherwise the
    map is built as without it.

    The headline compares the counts with the same map on the last day of the previous month,
    computed the same way (what was known that day), so "逾期 +1" means one more task than the
    map showed at the end of last month."""
    readable = tasks_visible_to(user, Task.objects.all())
    scope = filters.apply(readable)
    wanted = set(filters.statuses)
    if collapse_above is not None:
        grouped_by = group_field(filters.group)
        read = None
        if with_headline:  # the wall: one pass for its counts and its worst tasks
            read = wall_statuses(campaign, as_of, scope, grouped_by)
            by_group = counted_by_group(read)
        else:
            by_group = status_counts_by(_by_id(campaign, as_of, scope), as_of, grouped_by)
        counts = {s: sum(group[s] for group in by_group.values()) for s in TaskStatus}
        if sum(n for s, n in counts.items() if not wanted or s in wanted) > collapse_above:
            collapsed = BattleMap(
                campaign=campaign,
                as_of=as_of,
                filters=filters,
                options=filter_options(campaign, as_of, readable),
                tiles=[StatusTile(s, counts[s], s.value in wanted) for s in TaskStatus],
                total=sum(counts.values()),
                rows=[],
                summaries=group_summaries(by_group, filters.group, wanted),
            )
            if with_headline:
                collapsed.headline = _headline(campaign, as_of, scope, counts)
                collapsed.worst = worst_rows(campaign, as_of, scope, grouped_by, wanted, read)
            return collapsed
    tally = task_tally(campaign, as_of, scope)
    rows = [r for r in tally.rows if not wanted or r.status in wanted]
    tiles = [StatusTile(s, tally.counts[s], s.value in wanted) for s in TaskStatus]
    headline = None
    if with_headline:
        since = previous_month_end(as_of)
        before = task_tally(campaign, since, scope).counts
        figures = [HeadlineFigure(s, tally.counts[s], before[s]) for s in HEADLINE]
        headline = Headline(since, figures)
    rows_detailed(rows, as_of, with_milestones=with_milestones, with_rollups=with_rollups)
    return BattleMap(
        campaign=campaign,
        as_of=as_of,
        filters=filters,
        options=task_filter_options(campaign_tasks_on(campaign, as_of, readable)),
        tiles=tiles,
        total=tally.total,
        rows=rows,
        groups=group_rows(rows, filters.group),
        headline=headline,
    )


def rows_detailed(
    rows: list[TaskRow], as_of: datetime.date, *, with_milestones: bool, with_rollups: bool
) -> None:
    """Add to `rows` their milestones as known on `as_of` (one query) and, for the table, the
    roll-up of an upper task handed down to subordinate districts (two queries)."""
    if with_milestones:
        prefetch_related_objects([row.task for row in rows], "milestones")
        for row in rows:
            row.milestones = milestones_known(row.task.milestones.all(), as_of)
    if with_rollups:
        rolled = rollups_for([row.task.pk for row in rows], as_of)
        for row in rows:
            row.rolled = rolled.get(row.task.pk)


@dataclass
class GroupPage:
    """Rows of one group of a collapsed map: page `page` (1-based) of GROUP_PAGE rows."""

    rows: list[TaskRow]
    page: int
    total: int  # the group's rows the map shows, on every page

    @property
    def more(self) -> int:
        """Rows of the group after this page."""
        return max(0, self.total - self.page * GROUP_PAGE)


def group_page(
    user,
    campaign: Campaign,
    filters: MapFilters,
    as_of: datetime.date,
    key: int,
    page: int = 1,
    *,
    with_milestones: bool = False,
    with_rollups: bool = False,
) -> GroupPage:
    """The rows of the group `key` (a category's or a lead unit's id, after filters.group) of
    the map battle_map_build gives `user` with the same filters: the same access
    (tasks_visible_to), the same filters and statuses, the same order. A key outside what the
    user reads, or of no group, gives no rows. The page's ids are chosen by the database (the
    status filter in SQL: tasks.queries.tasks_with_status), then their rows built: four
    queries, five with milestones, seven with the roll-ups, for any group size."""
    readable = tasks_visible_to(user, Task.objects.all())
    scope = filters.apply(readable).filter(**{group_field(filters.group): key})
    tasks = campaign_tasks_on(campaign, as_of, scope)
    if filters.statuses:
        tasks = tasks_with_status(tasks, as_of).filter(
            **{f"{STATUS_FIELD}__in": list(filters.statuses)}
        )
    start = (page - 1) * GROUP_PAGE
    # A page past any group (an id-sized ?page=) would overflow the database's 64-bit OFFSET.
    beyond = start >= MAX_GROUP_ROWS
    ids = [] if beyond else list(tasks.values_list("pk", flat=True)[start : start + GROUP_PAGE])
    total = tasks.count() if ids or page > 1 else 0
    shown = task_rows(Task.objects.filter(pk__in=ids), as_of) if ids else []
    rows_detailed(shown, as_of, with_milestones=with_milestones, with_rollups=with_rollups)
    return GroupPage(shown, page, total)


def milestone_days_left(row: TaskRow) -> int | None:
    """Days from the map's date to the next undone milestone (negative: past it)."""
    if row.next_milestone_due is None or row.due_date is None:
        return None
    return (row.next_milestone_due - row.due_date).days + row.days_left


def days_left_text(row: TaskRow) -> str:
    """The days that explain the status: “逾期N天” for an overdue task; for a task 临期 or 滞后
    because of its next milestone, the days to or past that milestone (“节点剩4天”, “节点逾期3天”),
    not the task's far deadline; otherwise “剩N天” / “今天到期”; a dash once done or cancelled."""
    if row.status in FINISHED:
        return "—"
    ms_days = milestone_days_left(row)
    if ms_days is not None and row.days_left >= 0:
        nearing_by_ms = row.status == TaskStatus.NEARING and row.days_left >= NEARING_DAYS
        if nearing_by_ms or (row.status == TaskStatus.BEHIND and ms_days < 0):
            return milestone_days_words(ms_days)
    return days_left_words(row.days_left)
