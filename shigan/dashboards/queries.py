"""Reads behind the battle map (挂图作战): a fixed number of queries whatever the task count.

The map reads the campaign's tasks visible to the user through tasks.access, narrows them by
unit, leader and category in the database, computes and counts each task's status on the chosen
date (tasks.queries.task_tally, as the cockpit does) and then narrows by status in Python, so the
status counts reflect every filter except the status filter itself.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import QueryDict

from shigan.campaigns.models import Campaign
from shigan.core.clock import month_start
from shigan.core.params import id_or_none
from shigan.core.words import days_left_words, milestone_days_words
from shigan.directives.queries import rollups_for
from shigan.orgs.scope import subtree_ids
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import (
    FilterOptions,
    TaskRow,
    campaign_tasks_on,
    task_filter_options,
    task_tally,
)
from shigan.tasks.status import NEARING_DAYS, STATUS_ORDER, TaskStatus

GROUPINGS = {"category": "按类别", "unit": "按牵头单位"}
VIEWS = {"table": "表格", "timeline": "时间轴", "wall": "挂图"}
FINISHED = {TaskStatus.DONE, TaskStatus.CANCELLED}
# The counts the wall chart's headline band shows in large type, with their change.
HEADLINE = (TaskStatus.OVERDUE, TaskStatus.BEHIND, TaskStatus.NEARING)


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


def _heading(row: TaskRow, grouping: str):
    return row.task.lead_unit if grouping == "unit" else row.task.category


def group_rows(rows: list[TaskRow], grouping: str) -> list[RowGroup]:
    """Rows under category headings (in the task list's order) or lead-unit headings (in the
    unit tree's order); rows keep their order inside a group."""
    if grouping == "unit":
        rows = sorted(rows, key=lambda r: (r.task.lead_unit.sort_order, r.task.lead_unit_id))
    groups: dict[int, RowGroup] = {}
    for row in rows:
        heading = _heading(row, grouping)
        groups.setdefault(heading.pk, RowGroup(label=str(heading), rows=[])).rows.append(row)
    return list(groups.values())


def battle_map_build(
    user,
    campaign: Campaign,
    filters: MapFilters,
    as_of: datetime.date,
    *,
    with_milestones: bool = False,
    with_headline: bool = False,
    with_rollups: bool = False,
) -> BattleMap:
    """The battle map of `campaign` as `user` may see it on `as_of`, from what was known that
    day (tasks.queries.task_tally, the cockpit's task figures) (five queries, six with
    milestones, seven with the headline, two more with the roll-ups of the tasks handed down
    to subordinate districts (directives.queries.rollups_for), for any number of tasks).

    The headline compares the counts with the same map on the last day of the previous month,
    computed the same way (what was known that day), so "逾期 +1" means one more task than the
    map showed at the end of last month."""
    readable = tasks_visible_to(user, Task.objects.all())
    scope = filters.apply(readable)
    tally = task_tally(campaign, as_of, scope, with_milestones=with_milestones)
    wanted = set(filters.statuses)
    rows = [r for r in tally.rows if not wanted or r.status in wanted]
    tiles = [StatusTile(s, tally.counts[s], s.value in wanted) for s in TaskStatus]
    headline = None
    if with_headline:
        since = previous_month_end(as_of)
        before = task_tally(campaign, since, scope).counts
        figures = [HeadlineFigure(s, tally.counts[s], before[s]) for s in HEADLINE]
        headline = Headline(since, figures)
    if with_rollups:  # the table: an upper task handed down shows its children's roll-up
        rolled = rollups_for([row.task.pk for row in rows], as_of)
        for row in rows:
            row.rolled = rolled.get(row.task.pk)
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
