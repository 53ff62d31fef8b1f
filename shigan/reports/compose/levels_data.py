"""The records an upper level's report (a county's, a city's) states about its districts, read
through the apps' query modules: the roll-up of each task it handed down
(directives.queries.rollups_for, on tasks.rollup's rules), the children with their own status
(tasks.queries.task_rows), the hand-downs still waiting, each district's tracked tasks counted
by status (tasks.tracked.tracked_tasks, as the 下级对比 page counts them; tasks.queries.status_counts) and its indicators' table (indicators.queries
.indicator_summary: which are behind 序时进度), and the level's indicators that its districts'
count into, rolled up (indicators.rollup.upper_figures: sums, rates recomputed, incomplete sums
with the districts missing).

A district's report has no level below it: one query finds that and nothing else is read, so its
report is what it was. An upper level's costs the same number of queries for 2 districts or 20.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from shigan.campaigns.models import Campaign
from shigan.directives.models import HandDown, HandDownState
from shigan.directives.queries import rollups_for
from shigan.indicators.models import Aggregation, Indicator
from shigan.indicators.queries import IndicatorRow, IndicatorSummary, indicator_summary
from shigan.indicators.rollup import RolledFigure, upper_figures
from shigan.orgs.models import Unit, UnitKind
from shigan.tasks.models import Task
from shigan.tasks.queries import TaskRow, status_counts, task_rows
from shigan.tasks.rollup import RollUp, rollup
from shigan.tasks.status import TaskStatus
from shigan.tasks.tracked import tracked_tasks


@dataclass
class UpperLine:
    """A task of the upper level handed down: its roll-up, its children (the districts' tasks,
    each with its own status), the hand-downs not yet accepted."""

    task: Task
    rolled: RollUp
    children: list[TaskRow]
    waiting: list[HandDown]

    @property
    def live(self) -> list[TaskRow]:
        return [r for r in self.children if r.status != TaskStatus.CANCELLED]


@dataclass
class DistrictLine:
    """One district's own figures: its tracked tasks by status, its indicators' rows."""

    unit: Unit
    tasks: list[TaskRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[TaskStatus, int]:
        return status_counts(self.tasks)


@dataclass
class LevelFacts:
    districts: list[Unit]
    uppers: list[UpperLine] = field(default_factory=list)
    lines: list[DistrictLine] = field(default_factory=list)
    month: int = 0  # the indicator table's month (indicators.queries.indicator_month)
    # The organiser's indicators with lower indicators, rolled up (indicators.rollup) for `month`
    rolled: list[RolledFigure] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.districts)


def districts_below(unit: Unit) -> list[Unit]:
    """The 党委政府 units directly below `unit`'s level, in the organisation's order (one query;
    the same rule as directives.access.subordinate_districts, from a unit instead of a user)."""
    units = Unit.objects.filter(
        kind=UnitKind.PARTY_GOVERNMENT, parent__district_id=unit.district_id
    )
    return list(units.exclude(pk=unit.district_id).order_by("sort_order", "id"))


def district_name(unit: Unit) -> str:
    """第1区 — a district's short name, else its name without 党委政府."""
    return unit.short_name or unit.name.removesuffix("党委政府")


def waiting_late(handdown: HandDown, as_of: datetime.date) -> bool:
    """Whether a hand-down waiting since its date makes the roll-up 滞后 (tasks.rollup's rule,
    asked of the rule itself)."""
    rolled = rollup([], [(as_of - handdown.handed_on).days])
    return rolled is not None and rolled.status == TaskStatus.BEHIND


def _uppers(rows: list[TaskRow], as_of: datetime.date) -> list[UpperLine]:
    """The campaign's list tasks handed down, with their roll-ups (seven queries)."""
    rolled = rollups_for([r.task.pk for r in rows], as_of)
    handed = [r.task for r in rows if rolled.get(r.task.pk) is not None]
    ids = [t.pk for t in handed]
    children = Task.objects.filter(upper_task_id__in=ids).select_related("lead_unit__district")
    order = ("lead_unit__district__sort_order", "lead_unit__district_id", "id")
    child_rows = task_rows(children.order_by(*order), as_of)
    pending = HandDown.objects.filter(upper_task_id__in=ids, state=HandDownState.PENDING)
    waiting = list(pending.select_related("unit").order_by("unit__sort_order", "unit_id", "id"))
    return [
        UpperLine(
            task,
            rolled[task.pk],
            [r for r in child_rows if r.task.upper_task_id == task.pk],
            [h for h in waiting if h.upper_task_id == task.pk],
        )
        for task in handed
    ]


def _district_tasks(districts: list[Unit], as_of: datetime.date) -> list[TaskRow]:
    """The districts' tracked tasks (tasks.tracked: the year's campaigns', every origin, as the
    下级对比 page's task column counts them), by lead unit's district (two queries)."""
    tasks = Task.objects.filter(lead_unit__district__in=districts)
    tasks = tracked_tasks(tasks, as_of).select_related("campaign", "lead_unit__district")
    order = ("campaign__organiser__sort_order", "category__sort_order", "number", "id")
    return task_rows(tasks.order_by(*order), as_of)


def _district_indicators(districts: list[Unit], year: int, as_of) -> IndicatorSummary:
    """The districts' indicators' table for the month a summary reads (two queries)."""
    indicators = Indicator.objects.filter(district__in=districts).order_by("sort_order", "id")
    return indicator_summary(indicators, year, as_of)


def level_facts(campaign: Campaign, as_of: datetime.date, rows: list[TaskRow]) -> LevelFacts:
    """What the report of `campaign` states about the levels below its organiser (`rows`: its
    list tasks as the report reads them); empty for a district (one query)."""
    districts = districts_below(campaign.organiser)
    if not districts:
        return LevelFacts([])
    facts = LevelFacts(districts, uppers=_uppers(rows, as_of))
    lines = {d.pk: DistrictLine(d) for d in districts}
    for row in _district_tasks(districts, as_of):
        lines[row.task.lead_unit.district_id].tasks.append(row)
    table = _district_indicators(districts, as_of.year, as_of)
    for indicator_row in table.rows:
        lines[indicator_row.indicator.district_id].indicators.append(indicator_row)
    facts.lines, facts.month = list(lines.values()), table.month
    facts.rolled = _rolled(campaign.organiser, table.month, as_of)
    return facts


def _rolled(organiser: Unit, month: int, as_of: datetime.date) -> list[RolledFigure]:
    """The level's own indicators that lower ones count into, each rolled up for `month` of
    as_of's year from the figures filed by `as_of` (indicators.rollup.upper_figures: five
    queries with this one)."""
    if not month:
        return []
    rate = Q(aggregation=Aggregation.RATE, rate_numerator__lower__isnull=False)
    rolled_up = Q(lower__isnull=False) | rate
    uppers = Indicator.objects.filter(rolled_up, district_id=organiser.district_id)
    uppers = list(uppers.distinct().order_by("sort_order", "id"))
    rolled = upper_figures(uppers, year=as_of.year, month=month, as_of=as_of)
    return [rolled[i.pk] for i in uppers if i.pk in rolled]
