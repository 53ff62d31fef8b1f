"""The indicator table's rows with the figure their lowers roll up to (下级汇总,
indicators.rollup), where a level has no figure of its own: the one reading of such a row the
indicator table, the cockpit and 下级对比 share, so the three count it alike."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from shigan.orgs.scope import has_levels_below
from shigan.tasks.queries import known_until

from . import calc
from .calc import IndicatorStatus
from .models import Accumulation, Actual, Aggregation, Direction, Indicator, IndicatorYear
from .queries import (
    IndicatorRow,
    IndicatorSummary,
    indicator_month,
    indicator_summary,
    time_progress_on,
)
from .rollup import (
    LOWERS,
    LowerTree,
    RolledFigure,
    closure_sql,
    upper_figures,
)


def with_level_names(rows: list[IndicatorRow], user) -> list[IndicatorRow]:
    """The rows, each naming its level (the responsible unit's district: 云岭县, 高新区…) when the
    user's scope holds levels below his own (orgs.scope.has_levels_below): a county reads its
    own 固定资产投资 beside each district's. Unnamed for everyone else (a district reads one
    level). No query of its own (indicators_annotated joins the districts)."""
    if has_levels_below(user):
        for row in rows:
            district = row.indicator.responsible_unit.district
            row.level = district.label if district is not None else ""
    return rows


def judged(fig: RolledFigure, time_pct: Decimal):
    """Completion, 序时进度 (None for a point indicator: its benchmark is 100), printed gap and
    status of a rolled figure, by the dashboard's rules (calc). A partial sum (a lower missing,
    no own figure) is not judged against the whole target: it is 未填报 until complete."""
    ind = fig.indicator
    benchmark = time_pct if ind.is_cumulative else calc.HUNDRED
    partial = fig.source == LOWERS and not fig.complete
    completion = None if partial else calc.completion_share(fig.value, fig.target)
    if not fig.target:
        status = IndicatorStatus.GREY
    elif fig.value is None or partial:
        status = IndicatorStatus.MISSING
    else:
        status = calc.indicator_status(completion, benchmark, lower_is_better=ind.lower_is_better)
    shown_time = calc.round_pct(time_pct) if ind.is_cumulative else None
    gap = calc.printed_gap(completion, benchmark)
    return calc.round_pct(completion), shown_time, gap, status


def with_rolled(
    rows: list[IndicatorRow],
    year: int,
    month: int,
    time_pct: Decimal,
    as_of: datetime.date | None = None,
) -> list[IndicatorRow]:
    """The table's rows, each with `rolled`: its lowers' figure (下级汇总) where the level has
    no figure of its own for the month and something rolls into it, else None; such a row is
    judged on the rolled figure and its target (own, else the lowers'), against `time_pct`
    (three queries; with `as_of`, the figures filed by that day)."""
    figures = upper_figures([r.indicator for r in rows], year=year, month=month, as_of=as_of)
    for row in rows:
        fig = figures.get(row.indicator.pk)
        has_lowers = fig is not None and (fig.parts or fig.numerator)
        row.rolled = fig if has_lowers and row.value is None and fig.value is not None else None
        if row.rolled is not None:
            row.target = fig.target
            row.completion_pct, _, row.gap_points, row.status = judged(fig, time_pct)
            row.change_abs, change_pct = calc.change_vs_same_period(fig.value, row.same_period)
            row.change_pct = calc.round_pct(change_pct)
    return rows


def rolled_summary(indicators: QuerySet, year: int, as_of: datetime.date) -> IndicatorSummary:
    """indicators.queries.indicator_summary with each row rolled from its lowers where the level
    has no figure of its own (with_rolled, against 序时进度 on `as_of`): five queries, one
    before the year begins."""
    summary = indicator_summary(indicators, year, as_of)
    if summary.month:
        time_pct = time_progress_on(year, summary.month, as_of)
        with_rolled(summary.rows, year, summary.month, time_pct, as_of)
    return summary


class _Facts:
    """What the roll-up rules and the status read of an indicator (rollup.LowerTree, judged), from
    one row of values: no model instance."""

    __slots__ = (
        "pk", "responsible_unit_id", "district_id", "upper_id", "aggregation",
        "rate_numerator_id", "rate_denominator_id", "is_cumulative", "lower_is_better",
    )  # fmt: skip
    FIELDS = (
        "pk", "responsible_unit_id", "district_id", "upper_id", "aggregation",
        "rate_numerator_id", "rate_denominator_id", "accumulation", "direction",
    )  # fmt: skip

    def __init__(self, pk, unit, district, upper, aggregation, num, den, accumulation, direction):
        self.pk, self.responsible_unit_id, self.district_id, self.upper_id = (
            pk, unit, district, upper,
        )  # fmt: skip
        self.aggregation, self.rate_numerator_id, self.rate_denominator_id = aggregation, num, den
        self.is_cumulative = accumulation == Accumulation.CUMULATIVE
        self.lower_is_better = direction == Direction.LOWER_BETTER


class _Entry:
    """A current figure as the roll-up reads it (rollup.LowerTree: pk, value, is_estimate)."""

    __slots__ = ("pk", "value", "is_estimate")

    def __init__(self, pk, value, is_estimate):
        self.pk, self.value, self.is_estimate = pk, value, is_estimate


def rolled_statuses(
    indicators: QuerySet, year: int, as_of: datetime.date
) -> list[tuple[int, IndicatorStatus]]:
    """(responsible unit id, status) of each of `indicators` as rolled_summary's rows read it —
    the same month, figures filed by `as_of`, target, 序时进度 and roll-up rules (a level without
    a figure of its own judged on its lowers' 下级汇总) — read as values, not rows of model
    instances, for a tally over many levels (下级对比): four queries whatever the number of
    indicators and levels (the month, the indicators, with their lower tree and rate parts and
    targets, their current figures), one before the year begins."""
    _, found = indicator_statuses(indicators, year, as_of)
    return [(unit_id, status) for _, unit_id, status in found]


def indicator_statuses(
    indicators: QuerySet, year: int, as_of: datetime.date, month: int | None = None
) -> tuple[int, list[tuple[int, int, IndicatorStatus]]]:
    """rolled_statuses with each indicator's id: the month read and (indicator id, responsible
    unit id, status) of each of `indicators`. With `month` (the month a summary of a larger set
    reads, indicator_month), that month's, one query fewer: a few indicators judged again as the
    whole set reads them (dashboards.kept_indicators)."""
    if month is None:
        month = indicator_month(indicators, year, as_of)
    if not month:
        return 0, []
    closure = closure_sql(indicators)
    rows = [_Facts(*v) for v in indicators.values_list(*_Facts.FIELDS)]
    loaded = {f.pk: f for f in rows}
    target = IndicatorYear.objects.filter(indicator=OuterRef("pk"), year=year)
    below = Indicator.objects.filter(pk__in=closure).annotate(
        target=Subquery(target.values("annual_target")[:1])
    )
    targets = {}
    for *values, target in below.values_list(*_Facts.FIELDS, "target"):
        loaded.setdefault(values[0], _Facts(*values))
        targets[values[0]] = target
    entries = Actual.objects.filter(indicator_id__in=closure, year=year, month=month)
    if (until := known_until(as_of)) is not None:
        entries = entries.filter(submitted_at__lt=until)
    current = entries.current("indicator_id", "year", "month")
    actuals = {
        ind: _Entry(pk, value, estimate)
        for ind, pk, value, estimate in current.values_list(
            "indicator_id", "pk", "value", "is_estimate"
        )
    }
    table_pct = calc.time_progress_for(year, month)  # indicator_table's, by months
    rolled_pct = time_progress_on(year, month, as_of)  # with_rolled's
    tree = LowerTree(loaded, actuals, targets, filed=lambda actual: "")
    found = []
    for ind in rows:
        actual = actuals.get(ind.pk)
        value = actual.value if actual is not None else None
        if value is None and (ind.pk in tree.lowers or ind.aggregation == Aggregation.RATE):
            fig = tree.figure(ind)
            if (fig.parts or fig.numerator) and fig.value is not None:
                found.append((ind.pk, ind.responsible_unit_id, judged(fig, rolled_pct)[3]))
                continue
        status = _own_status(ind, value, targets.get(ind.pk), table_pct)
        found.append((ind.pk, ind.responsible_unit_id, status))
    return month, found


def _own_status(ind: _Facts, value, target, time_pct: Decimal) -> IndicatorStatus:
    """queries._status of a row on its own figure."""
    if not target:
        return IndicatorStatus.GREY
    if value is None:
        return IndicatorStatus.MISSING
    benchmark = time_pct if ind.is_cumulative else calc.HUNDRED
    completion = calc.completion_share(value, target)
    return calc.indicator_status(completion, benchmark, lower_is_better=ind.lower_is_better)


@dataclass
class RolledMonth:
    """A month's figure rolled from the lowers (下级汇总) where the level filed none, read where
    the month's Actual would be (value, is_estimate) by the month table and the trend chart."""

    figure: RolledFigure
    rolled = True

    @property
    def value(self) -> Decimal | None:
        return self.figure.value

    @property
    def is_estimate(self) -> bool:
        return self.figure.estimate

    @property
    def partial(self) -> bool:
        return not self.figure.complete


def rolled_months(
    indicator: Indicator, year: int, last_month: int, filed: Iterable[int]
) -> dict[int, RolledMonth]:
    """Months 1 to `last_month` of `year` that the level has not `filed` and its lowers roll a
    figure into (indicators.rollup, as upper_figures_by_month reads them): three queries
    whatever the lowers and months, one for an indicator nothing rolls into. Read as values
    (the lower tree, targets and current figures of every month, no model instance: a
    province's indicator reads 316 indicators' figures of ten months), so a month's figure
    carries what the month table and the trend chart read — value, estimate, target, the
    districts missing — not the parts' instances (lower_section shows those)."""
    if indicator.aggregation != Aggregation.RATE and not indicator.lower.exists():
        return {}
    months = sorted(set(range(1, last_month + 1)) - set(filed))
    if not months:
        return {}
    by_month = _rolled_by_month(indicator, year, months)
    rolled = {}
    for month, fig in by_month.items():
        if fig.value is not None and fig.source == LOWERS:
            rolled[month] = RolledMonth(fig)
    return rolled


def _rolled_by_month(
    indicator: Indicator,
    year: int,
    months: list[int],
    as_of: datetime.date | None = None,
    *,
    filed: bool = False,
) -> dict[int, RolledFigure]:
    """Month → `indicator`'s RolledFigure (rollup.LowerTree over values: _Facts, _Entry), in
    two queries: the lower tree with the rate parts and targets, the current figures (with
    `as_of`, those filed by that day, as upper_figures reads them). With `filed`, each own
    figure says who filed it for which month (rollup's 经发局7月填报; the figures' units read in
    the same query). The figures' indicators are _Facts: what the rules read, no name."""
    closure = closure_sql(Indicator.objects.filter(pk=indicator.pk))
    target = IndicatorYear.objects.filter(indicator=OuterRef("pk"), year=year)
    below = Indicator.objects.filter(pk__in=closure).annotate(
        target=Subquery(target.values("annual_target")[:1])
    )
    loaded, targets = {}, {}
    for *values, target in below.values_list(*_Facts.FIELDS, "target"):
        loaded[values[0]] = _Facts(*values)
        targets[values[0]] = target
    root = loaded.get(indicator.pk)
    if root is None:
        return {}
    entries = Actual.objects.filter(indicator_id__in=list(loaded), year=year, month__in=months)
    if as_of is not None and (until := known_until(as_of)) is not None:
        entries = entries.filter(submitted_at__lt=until)
    current = entries.current("indicator_id", "year", "month")
    fields = ["indicator_id", "month", "pk", "value", "is_estimate"]
    if filed:
        fields += ["unit__short_name", "unit__name"]
    actuals: dict[int, dict] = {month: {} for month in months}
    texts: dict[int, str] = {}
    for ind, month, pk, value, estimate, *unit in current.values_list(*fields):
        actuals[month][ind] = _Entry(pk, value, estimate)
        if unit:  # Unit.label: its short name, else its name
            texts[pk] = f"{unit[0] or unit[1]}{month}月填报"
    return {
        month: LowerTree(
            loaded, actuals[month], targets, filed=lambda entry: texts.get(entry.pk, "")
        ).figure(root)
        for month in months
    }


def rolled_figure(
    indicator: Indicator, year: int, month: int, as_of: datetime.date | None = None
) -> RolledFigure | None:
    """`indicator`'s figure of `month` as upper_figures reads it (the same rules, parts,
    missing districts, targets and who filed each own figure; with `as_of`, the figures filed
    by that day), read as values: two queries whatever the lowers (a province's indicator
    reads 316 indicators' figures), None when the indicator is gone. The figures' indicators
    are _Facts (what the rules and `judged` read: pk, district_id, aggregation…), not model
    instances: a page naming them loads those it shows (views.lower_figures)."""
    return _rolled_by_month(indicator, year, [month], as_of, filed=True).get(month)


def lowers_target(rolled: dict[int, RolledMonth]) -> Decimal | None:
    """The target the rolled months are judged on where the level set none: the sum of its
    lowers' targets (indicators.rollup, the same every month of the year)."""
    return next((m.figure.target for m in rolled.values() if m.figure.target is not None), None)


def unjudged_partial(rows: list) -> list:
    """history.MonthRow rows: a month whose rolled sum misses a lower is 未填报 and not judged
    against the whole target, as the indicator table reads it (judged)."""
    for row in rows:
        if isinstance(row.actual, RolledMonth) and row.actual.partial:
            row.completion_pct = row.gap_points = None
            row.status = IndicatorStatus.MISSING
    return rows
