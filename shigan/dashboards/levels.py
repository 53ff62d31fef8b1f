"""The roll-up page (下级对比): a level's own figures (本级) beside those of each level directly
below it (a county's districts, a city's counties, a province's cities), each subordinate row
counting its whole subtree (a city's county row includes the county's districts), and a total.

Every figure is the one its app computes, only grouped by level here: tasks by status
(tasks.queries.status_counts_by, the status rules of tasks.status counted by the database), indicators against 序时进度
(indicators.rolled.rolled_statuses, a level's own indicator without a figure
read as its lowers' 下级汇总; kept for the day: dashboards.kept_indicators), meeting decisions' completion (meetings.queries
.decision_rows_in, meetings.completion), findings not yet rectified (supervision.queries
.finding_rows, supervision.status.OPEN_STATUSES), units whose monthly report is 逾期未报 (the
filing board's rule: reminders.queries.filing), hand-downs waiting to be accepted (directives).
Each is read over the campaigns of the year, within what the viewer reads (each app's access
module); which row a record belongs to is its unit's direct-subordinate ancestor, from one
recursive query over the units below the level (LevelTree). A fixed number of queries whatever
the number of levels and records.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet

from shigan.core import clock
from shigan.core.figures_cache import figures_cache
from shigan.directives.access import handdowns_visible_to
from shigan.directives.models import HandDown, HandDownState
from shigan.indicators.access import indicators_visible_to
from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.models import Indicator
from shigan.indicators.rolled import rolled_statuses
from shigan.meetings.completion import Completion
from shigan.meetings.queries import decision_rows_in
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_id_of, reads_everything, role_of
from shigan.orgs.workdays import calendar_for
from shigan.reminders.queries.filing import filing_deadline
from shigan.supervision.access import findings_visible_to
from shigan.supervision.models import Finding
from shigan.supervision.queries import finding_rows
from shigan.supervision.status import OPEN_STATUSES
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import status_counts_by
from shigan.tasks.tracked import tracked_tasks

from .campaign_counts import (
    campaign_figures,
    campaigns_of,
    campaigns_of_year,
    filing_lines,
    report_period,
)
from .kept_indicators import kept_indicator_counts, kept_indicator_key

OWN = 0  # the branch of the level's own units (本级)
INDICATOR_BEHIND = (IndicatorStatus.RED, IndicatorStatus.YELLOW)


@dataclass
class LevelTree:
    """The units below a level (or below every top level): unit id → the row it counts in (the
    direct subordinate level above it, OWN for the level's own units), and each level's id."""

    branch_of: dict[int, int]
    levels: set[int]
    below: set[int]  # the direct subordinates that have levels below them

    @property
    def branches(self) -> list[int]:
        return sorted({b for b in self.branch_of.values() if b != OWN})


def _tree_sql(root: int | None) -> tuple[str, list]:
    table = connection.ops.quote_name(Unit._meta.db_table)
    # `id * 0` keeps the column's type (bigint on PostgreSQL) in both terms of the recursion.
    if root is None:  # every top level: each root of the tree that is a level is its own branch
        anchor = (
            f"SELECT id, district_id, CASE WHEN district_id = id THEN id ELSE id * 0 END "
            f"FROM {table} WHERE parent_id IS NULL"
        )
        params = []
    else:
        anchor = f"SELECT id, district_id, id * 0 FROM {table} WHERE id = %s"
        params = [root]
    sql = (
        f"WITH RECURSIVE sub(id, district_id, branch) AS ({anchor} UNION ALL "
        f"SELECT u.id, u.district_id, CASE WHEN sub.branch = 0 AND u.district_id = u.id "
        f"THEN u.id ELSE sub.branch END FROM {table} u JOIN sub ON u.parent_id = sub.id) "
        f"SELECT id, district_id, branch FROM sub"
    )
    return sql, params


def level_tree(root: int | None) -> LevelTree:
    """The units below `root` (None: every top level) and the row each counts in (one query)."""
    sql, params = _tree_sql(root)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    branch_of = {pk: branch for pk, _, branch in found}
    levels = {district for _, district, _ in found}
    below = {branch for _, district, branch in found if branch != OWN and district != branch}
    return LevelTree(branch_of, levels, below)


def level_chain(level_id: int, stop: int | None) -> list[int]:
    """The levels from `level_id` up to `stop` (included; the top when None), nearest first
    (one recursive query, following each level's parent's level)."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    sql = (
        f"WITH RECURSIVE up(id, parent_level, depth) AS (SELECT u.id, p.district_id, 0 "
        f"FROM {table} u LEFT JOIN {table} p ON p.id = u.parent_id WHERE u.id = %s UNION ALL "
        f"SELECT u.id, p.district_id, up.depth + 1 FROM {table} u JOIN up ON u.id = "
        f"up.parent_level LEFT JOIN {table} p ON p.id = u.parent_id) "
        f"SELECT id FROM up ORDER BY depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [level_id])
        found = [row[0] for row in cursor.fetchall()]
    chain = []
    for pk in found:
        chain.append(pk)
        if pk == stop:
            break
    return chain


@dataclass
class Figures:
    """One row's figures; `campaigns` the campaigns of its tasks, decisions and findings and
    the upper tasks of its hand-downs (a link to one campaign's list page, or one upper task's
    page, is right only when there is one)."""

    tasks: Counter = field(default_factory=Counter)
    indicators: Counter = field(default_factory=Counter)
    decisions: Completion = field(default_factory=Completion)
    findings_open: int = 0
    reports_missing: int = 0
    handdowns: int = 0
    campaigns: dict = field(default_factory=lambda: defaultdict(set))

    @property
    def task_total(self) -> int:
        return sum(self.tasks.values())

    def add(self, other: "Figures") -> None:
        self.tasks.update(other.tasks)
        self.indicators.update(other.indicators)
        for name in ("total", "done", "active", "overdue", "behind", "cancelled"):
            setattr(
                self.decisions, name, getattr(self.decisions, name) + getattr(other.decisions, name)
            )
        self.findings_open += other.findings_open
        self.reports_missing += other.reports_missing
        self.handdowns += other.handdowns
        for key, ids in other.campaigns.items():
            self.campaigns[key] |= ids


@dataclass(frozen=True)
class Scope:
    """What the figures are read over: the viewer, the date, the levels below the page's level
    (None: every level, an operator's page of every top level)."""

    user: object
    as_of: datetime.date
    levels: set[int] | None

    def narrow(self, records: QuerySet, field_name: str) -> QuerySet:
        if self.levels is None:
            return records
        return records.filter(**{f"{field_name}__district_id__in": self.levels})

    def tasks(self) -> QuerySet:
        """The tasks of the year's campaigns the viewer reads, as known on the date."""
        tasks = self.narrow(tasks_visible_to(self.user, Task.objects.all()), "lead_unit")
        return tracked_tasks(tasks, self.as_of)


def _tally_tasks(scope: Scope, tree: LevelTree, figures: dict[int, Figures]) -> None:
    """Tasks by status per branch, counted by the database (tasks.status_sql): one query,
    grouped by the lead unit's level (a unit counts in the row its level counts in: a
    province's 316 levels, not its 18,048 units, times the campaigns)."""
    fields = ("lead_unit__district_id", "campaign_id")
    by_level = status_counts_by(scope.tasks(), scope.as_of, fields)
    for (level_id, campaign_id), counts in by_level.items():
        branch = tree.branch_of.get(level_id)
        if branch is None:
            continue
        for status, n in counts.items():
            if n:
                figures[branch].tasks[status] += n
        figures[branch].campaigns["tasks"].add(campaign_id)


def counted_from_cache(scope: Scope) -> bool:
    """Whether the tasks and decisions are read from each campaign's counts of the day
    (dashboards.campaign_counts): on today, for a coordinator or inspector, who reads every
    task of the levels below the page's (a leader or reporter reads by unit, a past date what
    was known then: counted as before)."""
    return (
        scope.as_of == clock.today()
        and reads_everything(scope.user)
        and district_id_of(scope.user) is not None
    )


def kept_figures(scope: Scope) -> dict:
    """Each campaign's figures of the day (dashboards.campaign_counts) for what the page counts
    from them: the campaigns of the year, and of the reported month's year (January reports on
    December). Two queries when nothing was written since they were kept."""
    return kept_figures_on(scope.as_of)


def kept_figures_on(as_of: datetime.date) -> dict:
    """kept_figures on `as_of`: the same for every viewer."""
    years = {as_of.year, report_period(as_of).year}
    campaigns = {pk: at for year in years for pk, at in campaigns_of(year).items()}
    return campaign_figures(campaigns, as_of)


def _tally_counted(scope: Scope, tree: LevelTree, figures: dict[int, Figures], kept: dict) -> None:
    """_tally_tasks and _tally_decisions from each campaign's counts of the day (`kept`,
    kept_figures): the campaigns of the year, each campaign's tasks per lead unit's level,
    decision or not, those of the page's subtree counted in their level's row."""
    year = set(campaigns_of_year(kept, scope.as_of.year))
    for campaign_id, found in kept.items():
        if campaign_id not in year:
            continue
        for (level_id, decided), counts in found.statuses.items():
            branch = tree.branch_of.get(level_id)
            if branch is None:
                continue
            row = figures[branch]
            for status, n in counts.items():
                if n:
                    row.tasks[status] += n
                    if decided:
                        row.decisions.add(status, n)
            row.campaigns["tasks"].add(campaign_id)
            if decided:
                row.campaigns["decisions"].add(campaign_id)


def _tally_decisions(scope: Scope, tree: LevelTree, figures: dict[int, Figures]) -> None:
    for decision in decision_rows_in(scope.tasks(), scope.as_of):
        branch = tree.branch_of.get(decision.row.task.lead_unit_id)
        if branch is not None:
            figures[branch].decisions.add(decision.row.status)
            figures[branch].campaigns["decisions"].add(decision.row.task.campaign_id)


def _indicator_viewer(scope: Scope, tree: LevelTree) -> tuple:
    """What the kept indicators' statuses are kept for besides the day: the viewer's level and
    role (the indicators he reads) and the page's levels."""
    return (district_id_of(scope.user), role_of(scope.user), sorted(tree.levels))


def _tally_indicators(scope: Scope, tree: LevelTree, figures: dict[int, Figures]) -> None:
    """Indicators by status per branch, each read as the indicator table reads it (rolled from
    its lowers where its level has none of its own: indicators.rolled.rolled_statuses, values
    only, four queries). Where counted_from_cache, kept for the day and judged again only where
    a figure or target was written since (dashboards.kept_indicators: one query when nothing
    was) — for a level and the viewers of its scope (a coordinator's or inspector's level: the
    indicators he reads)."""
    indicators = indicators_visible_to(scope.user, Indicator.objects.all())
    indicators = scope.narrow(indicators, "responsible_unit")
    if counted_from_cache(scope):
        parts = _indicator_viewer(scope, tree)
        counted = kept_indicator_counts(parts, scope.as_of, indicators, tree.branch_of)
    else:
        counted = defaultdict(Counter)
        for unit_id, status in rolled_statuses(indicators, scope.as_of.year, scope.as_of):
            branch = tree.branch_of.get(unit_id)
            if branch is not None:
                counted[branch][status] += 1
    for branch, counts in counted.items():
        figures[branch].indicators.update(counts)


def _tally_findings(scope: Scope, tree: LevelTree, figures: dict[int, Figures]) -> None:
    findings = Finding.objects.filter(
        inspection__campaign__year=scope.as_of.year, inspection__date__lte=scope.as_of
    )
    findings = scope.narrow(findings_visible_to(scope.user, findings), "unit")
    for row in finding_rows(findings, scope.as_of, statuses=OPEN_STATUSES):
        branch = tree.branch_of.get(row.finding.unit_id)
        if branch is not None:
            figures[branch].findings_open += 1
            figures[branch].campaigns["findings"].add(row.finding.inspection.campaign_id)


def _report_lines(scope: Scope, deadline, kept: dict | None = None) -> Iterable[tuple]:
    """Per lead unit and campaign, its tasks due a report for the period and how many have one
    (campaign_counts.filing_lines: the filing board's rule over unit_filing's tasks) as (unit,
    campaign, due, filed), in SQL (one query; none before the deadline) — or from each
    campaign's figures of the day (`kept`, kept_figures; read here when not given) where
    counted_from_cache."""
    if scope.as_of <= deadline:
        return []
    if counted_from_cache(scope):
        kept = kept_figures(scope) if kept is None else kept
        year = report_period(scope.as_of).year
        return (
            (unit_id, pk, due, filed)
            for pk in campaigns_of_year(kept, year)
            for unit_id, due, filed in zip(*kept[pk].filing, strict=True)
        )
    tasks = scope.narrow(tasks_visible_to(scope.user, Task.objects.all()), "lead_unit")
    lines = filing_lines(tasks, scope.as_of, ("lead_unit_id", "campaign_id"))
    return list(lines.values_list("lead_unit_id", "campaign_id", "due", "filed"))


@dataclass
class LateUnit:
    """A unit 逾期未报: `due` tasks owed the period's report, `filed` of them have one;
    `campaigns` those of its tasks still without one."""

    unit_id: int
    branch: int
    due: int = 0
    filed: int = 0
    campaigns: set = field(default_factory=set)


def late_units(scope: Scope, tree: LevelTree, deadline, kept: dict | None = None) -> list[LateUnit]:
    """The units below the level (tree) whose tasks lack the period's report after its
    deadline (逾期未报), each with the row it counts in (one query)."""
    # Summed in dicts of numbers (a province's 18,000 units: no object per unit to collect).
    dues: dict[int, int] = {}
    filings: dict[int, int] = {}
    short: dict[int, set] = {}  # unit → its campaigns short of reports
    for unit_id, campaign_id, due, filed in _report_lines(scope, deadline, kept):
        dues[unit_id] = dues.get(unit_id, 0) + due
        filings[unit_id] = filings.get(unit_id, 0) + filed
        if filed < due:
            short.setdefault(unit_id, set()).add(campaign_id)
    late = []
    for unit_id in short:
        branch = tree.branch_of.get(unit_id)
        if filings[unit_id] < dues[unit_id] and branch is not None:
            late.append(LateUnit(unit_id, branch, dues[unit_id], filings[unit_id], short[unit_id]))
    return late


def _tally_reports(
    scope: Scope, tree: LevelTree, figures: dict[int, Figures], deadline, kept=None
) -> None:
    """Units whose tasks lack the period's report after its deadline (逾期未报, the filing
    board's rule over unit_filing's tasks), counted per level (late_units: one query)."""
    for unit in late_units(scope, tree, deadline, kept):
        figures[unit.branch].reports_missing += 1


def _tally_handdowns(scope: Scope, tree: LevelTree, figures: dict[int, Figures]) -> None:
    """Hand-downs to a level of the row waiting on the date to be accepted (GROUP BY unit)."""
    waiting = (
        Q(state=HandDownState.PENDING)
        | Q(answered_on__gt=scope.as_of)
        | Q(withdrawn_on__gt=scope.as_of)
    )
    handdowns = HandDown.objects.filter(waiting, handed_on__lte=scope.as_of)
    handdowns = scope.narrow(handdowns_visible_to(scope.user, handdowns), "unit")
    per_task = handdowns.values("unit_id", "upper_task_id").annotate(n=Count("id")).order_by()
    for line in per_task:
        branch = tree.branch_of.get(line["unit_id"])
        if branch is not None:
            figures[branch].handdowns += line["n"]
            figures[branch].campaigns["upper_tasks"].add(line["upper_task_id"])


def warm_own_level(user, as_of: datetime.date) -> tuple[str, bool] | None:
    """What 下级对比 of the viewer's own level (the page he lands on) keeps for him for the day
    computed and kept ahead, as the page would (dashboards.warm): its indicators' statuses — the
    campaigns' counts are every viewer's (kept_figures_on). The key they are kept under and
    whether a value was kept there before; None when his page reads nothing kept (not a
    coordinator or inspector of a level)."""
    root = district_id_of(user)
    if root is None:
        return None
    tree = level_tree(root)
    scope = level_scope(user, root, tree, as_of)
    if not counted_from_cache(scope):
        return None
    key = kept_indicator_key(_indicator_viewer(scope, tree), as_of)
    before = figures_cache.get(key) is not None
    _tally_indicators(scope, tree, defaultdict(Figures))
    return key, before


@dataclass(frozen=True)
class LevelFigures:
    """The figures of each row (branch id → Figures, OWN for 本级), their total, and the
    report period with its deadline."""

    by_branch: dict[int, Figures]
    total: Figures
    period: datetime.date
    deadline: datetime.date


def level_scope(user, root: int | None, tree: LevelTree, as_of: datetime.date) -> Scope:
    """What the page of `root` reads: on the viewer's own level what he reads is the subtree
    already (no list of levels to filter by: a province's is long); a level drilled into
    narrows it to that level's."""
    own = root is None or root == district_id_of(user)
    return Scope(user, as_of, None if own else tree.levels)


def report_deadline(user, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period reported on `as_of` and its deadline on the viewer's calendar."""
    period = report_period(as_of)
    return period, filing_deadline(period, calendar_for(district_id_of(user)))


def level_figures(user, root: int | None, tree: LevelTree, as_of: datetime.date) -> LevelFigures:
    """Every row's figures (a fixed number of queries)."""
    scope = level_scope(user, root, tree, as_of)
    figures: dict[int, Figures] = defaultdict(Figures)
    period, deadline = report_deadline(user, as_of)
    kept = kept_figures(scope) if counted_from_cache(scope) else None
    if kept is not None:
        _tally_counted(scope, tree, figures, kept)
    else:
        _tally_tasks(scope, tree, figures)
        _tally_decisions(scope, tree, figures)
    _tally_indicators(scope, tree, figures)
    _tally_findings(scope, tree, figures)
    _tally_reports(scope, tree, figures, deadline, kept)
    _tally_handdowns(scope, tree, figures)
    total = Figures()
    for branch in [OWN, *tree.branches] if root is not None else tree.branches:
        total.add(figures[branch])
    return LevelFigures(dict(figures), total, period, deadline)
