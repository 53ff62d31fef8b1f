"""The roll-up page's rows (下级对比): each level's figures (levels.level_figures) as the cells
the table shows, each linking down to the list page that shows what it counts — a campaign's
battle map narrowed to the level (?level=), the findings of the level, the decisions of the
campaign, the filing board — or, where the row spans several campaigns, the same page drilled
into that level (?level=), whose rows link further down."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.numbers import pct_text
from shigan.indicators.calc import IndicatorStatus, is_small_base
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_id_of
from shigan.reminders.access import can_chase_reports
from shigan.tasks.status import TaskStatus

from .levels import (
    INDICATOR_BEHIND,
    OWN,
    Figures,
    LateUnit,
    late_units,
    level_chain,
    level_figures,
    level_scope,
    level_tree,
    report_deadline,
)


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    tone: str = ""
    hint: str = ""


@dataclass
class LevelRow:
    label: str
    kind: str  # "own", "sub" or "total"
    unit: Unit | None
    drill: str = ""  # where its name leads: the page drilled into it, or its tasks
    cells: dict[str, Cell] = field(default_factory=dict)
    status_cells: list[tuple[TaskStatus, Cell]] = field(default_factory=list)


def link(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse(name)
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Linker:
    """Where a row's cells lead: `level` is the row's level (None for 本级 and the total),
    `drill` the page drilled into it ("" when it has no level below)."""

    viewer: object
    as_of_param: str
    period: datetime.date
    figures: Figures
    level: int | None
    drill: str
    late: str = ""  # the list of its units 逾期未报 (the total's), where no other page lists them

    def _campaign(self, key: str) -> int | None:
        found = self.figures.campaigns.get(key, set())
        return next(iter(found)) if len(found) == 1 else None

    def tasks(self, status: str = "") -> str:
        campaign = self._campaign("tasks")
        if campaign is None:
            return self.drill
        return link(
            "dashboards:battle_map", campaign=campaign, level=self.level, status=status,
            as_of=self.as_of_param,
        )  # fmt: skip

    def decisions(self) -> str:
        campaign = self._campaign("decisions")
        return (
            self.drill if campaign is None else link("meetings:decision_table", campaign=campaign)
        )

    def findings(self) -> str:
        if self.level is not None:
            return link("supervision:finding_list", level=self.level)
        campaign = self._campaign("findings")
        return "" if campaign is None else link("supervision:finding_list", campaign=campaign)

    def handdowns(self) -> str:
        """The upper task's 下级落实情况 (who accepted, who has not) when there is one."""
        upper = self._campaign("upper_tasks")
        return self.drill if upper is None else reverse("directives:upper_task", args=[upper])

    def reports(self) -> str:
        campaign = self._campaign("tasks")
        if campaign is None or not can_chase_reports(self.viewer):
            return self.drill or self.late
        return link("reminders:filing_board", campaign=campaign, period=f"{self.period:%Y-%m}")


def count_cell(n: int, url: str, tone: str = "") -> Cell:
    return Cell(f"{n}", url if n else "", tone if n else "")


def decisions_cell(figures: Figures, url: str) -> Cell:
    """完成率 with its base (完成n/m项); the counts alone under SMALL_BASE decisions."""
    tally = figures.decisions
    if not tally.total:
        return Cell("—")
    base = f"完成{tally.done}/{tally.total}项"
    if is_small_base(tally.total):
        return Cell(base, url)
    return Cell(f"{pct_text(tally.rate)}", url, hint=base)


def indicator_cell(figures: Figures, url: str) -> Cell:
    counts = figures.indicators
    behind = sum(counts[s] for s in INDICATOR_BEHIND)
    ahead, missing = counts[IndicatorStatus.GREEN], counts[IndicatorStatus.MISSING]
    if not sum(counts.values()):
        return Cell("—")
    text = f"达序时{ahead} · 落后{behind} · 未填报{missing}"
    return Cell(text, url, IndicatorStatus.RED.value if behind else "")


def fill(row: LevelRow, figures: Figures, linker: Linker) -> LevelRow:
    row.status_cells = [
        (s, count_cell(figures.tasks[s], linker.tasks(s.value), s.value)) for s in TaskStatus
    ]
    row.cells = {
        "tasks": count_cell(figures.task_total, linker.tasks()),
        "indicators": indicator_cell(figures, linker.drill),
        "decisions": decisions_cell(figures, linker.decisions()),
        "findings": count_cell(figures.findings_open, linker.findings(), "overdue"),
        "reports": count_cell(figures.reports_missing, linker.reports(), "overdue"),
        "handdowns": count_cell(figures.handdowns, linker.handdowns(), "nearing"),
    }
    return row


@dataclass
class LevelsPage:
    level: Unit | None
    rows: list[LevelRow]
    period: datetime.date
    deadline: datetime.date
    crumbs: list[tuple[str, str]]


def drill_url(level_id: int, as_of_param: str) -> str:
    return link("dashboards:levels", level=level_id, as_of=as_of_param)


def late_url(level_id: int | None, as_of_param: str) -> str:
    return link("dashboards:levels_late", level=level_id, as_of=as_of_param)


def breadcrumb(viewer_level: int | None, level: Unit | None, as_of_param: str) -> list:
    """The levels from the viewer's own (the top for an operator) down to the one shown, each a
    link (two queries)."""
    if level is None or level.pk == viewer_level:
        return []
    chain = level_chain(level.pk, viewer_level)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=chain)}
    return [(units[pk].name, drill_url(pk, as_of_param)) for pk in reversed(chain) if pk in units]


def levels_page(viewer, level: Unit | None, as_of: datetime.date, as_of_param: str) -> LevelsPage:
    """The page of `level` (None: every top level, for an operator) on `as_of`."""
    root = level.pk if level else None
    tree = level_tree(root)
    figures = level_figures(viewer, root, tree, as_of)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=tree.branches)}
    rows = []
    args = (viewer, as_of_param, figures.period)
    if level is not None:
        own = figures.by_branch.get(OWN, Figures())
        # Its name links to its tasks, else the viewer's own overview (a phone's card is
        # headed by the row's name, its first link).
        linker = Linker(*args, own, None, "")
        name_url = linker.tasks()
        if not name_url and level.pk == district_id_of(viewer):
            name_url = reverse("dashboards:cockpit")
        rows.append(fill(LevelRow("本级", "own", level, name_url), own, linker))
    for unit in sorted(units.values(), key=lambda u: (u.sort_order, u.pk)):
        mine = figures.by_branch.get(unit.pk, Figures())
        drill = drill_url(unit.pk, as_of_param) if unit.pk in tree.below else ""
        linker = Linker(*args, mine, unit.pk, drill)
        rows.append(fill(LevelRow(unit.name, "sub", unit, drill or linker.tasks()), mine, linker))
    total = Linker(*args, figures.total, root, "", late_url(root, as_of_param))
    rows.append(fill(LevelRow("合计", "total", None), figures.total, total))
    crumbs = breadcrumb(district_id_of(viewer), level, as_of_param)
    return LevelsPage(level, rows, figures.period, figures.deadline, crumbs)


@dataclass(frozen=True)
class LateRow:
    unit: Unit
    branch: str  # the row of 下级对比 it counts in: 本级 or the level below
    due: int
    filed: int
    campaigns: list[tuple[str, str]]  # name, its filing board ("" for who may not chase)

    @property
    def missing(self) -> int:
        return self.due - self.filed


@dataclass
class LatePage:
    level: Unit | None
    rows: list[LateRow]
    period: datetime.date
    deadline: datetime.date
    back: str  # 下级对比 of the level


def late_page(viewer, level: Unit | None, as_of: datetime.date, as_of_param: str) -> LatePage:
    """The units 逾期未报 the total of `level`'s 下级对比 counts, each with the row it counts in
    and its campaigns' filing boards (four queries whatever the number of units)."""
    root = level.pk if level else None
    tree = level_tree(root)
    scope = level_scope(viewer, root, tree, as_of)
    period, deadline = report_deadline(viewer, as_of)
    late = late_units(scope, tree, deadline)
    wanted = {u.unit_id for u in late} | {u.branch for u in late if u.branch != OWN}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=wanted)}
    names = dict(
        Campaign.objects.filter(pk__in={c for u in late for c in u.campaigns}).values_list(
            "pk", "name"
        )
    )
    chase = can_chase_reports(viewer)
    month = f"{period:%Y-%m}"

    def board(campaign: int) -> str:
        return link("reminders:filing_board", campaign=campaign, period=month) if chase else ""

    def order(unit: LateUnit):
        branch = units.get(unit.branch)
        mine = units[unit.unit_id]
        return (branch is not None, branch.sort_order if branch else 0, unit.branch,
                mine.sort_order, mine.pk)  # fmt: skip

    rows = [
        LateRow(
            units[u.unit_id],
            "本级" if u.branch == OWN else units[u.branch].name,
            u.due,
            u.filed,
            sorted((names[c], board(c)) for c in u.campaigns),
        )  # fmt: skip
        for u in sorted(late, key=order)
    ]
    back = link("dashboards:levels", level=root if root != district_id_of(viewer) else None,
                as_of=as_of_param)  # fmt: skip
    return LatePage(level, rows, period, deadline, back)
