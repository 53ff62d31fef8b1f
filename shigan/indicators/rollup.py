"""The roll-up rules (汇总规则) of an upper level's indicator — the one place they are written.

A district's indicator counts into an indicator of a level above it (Indicator.upper, 汇入上级
指标: a county's, a city's); the upper indicator's `lower` are those of the levels below. How the
upper level reads its lowers is its `aggregation` (汇总方式):

- SUM (可加): the figure is the sum of its lowers' figures, recursively (a city's ← its counties'
  ← their districts'), month by month, cumulative (累计) and point (时点) indicators alike. Each
  lower is a part (`parts`): its district, its indicator, its figure and the Actual it came from,
  so every figure is traceable. A lower without a figure for the month is `missing`: the sum is
  then incomplete ("n个区未报"), shown as such and never as if it were the whole.
  A level with its own filed figure AND lowers: the sum of the lowers wins when every lower has
  filed; the level's own figure is shown beside it (`own`) and a difference is flagged
  (`mismatch`). While a lower is missing, the level's own filed figure wins (`source` "own") and
  the partial sum is still shown beside it; with no own figure either, the partial sum is the
  figure, marked incomplete.
  A part's figure is the figure it shows (its own, or its lowers' sum, partial ones included):
  `lowers_sum` is exactly the sum of the parts' figures, and the missing districts of an
  incomplete part make its upper incomplete too (a level whose own figure wins is complete for
  the level above).
- RATE (比率): the figure is sum(numerator) ÷ sum(denominator) × 100, computed from the rolled
  figures of its numerator and denominator indicators (of its own level, each rolled by these
  rules) — NEVER the sum or the mean of its lowers' rates; the lowers' rates are listed beside
  as parts. Incomplete when the numerator or the denominator is.
- NONE (不可加): never a rolled figure: with lowers, no figure at all (its own filed one, if
  any, is `own`), the lowers' figures listed side by side; without lowers, its own figure (a
  district's rate listed as a part of its upper's).

A lower's current figure is its month's latest entry (core.corrections: the latest correction).
A rolled figure including an estimate (预计数) is marked as one (`estimate`).

Annual target: a SUM indicator's own target when set, else the sum of its lowers' targets when
every lower has one (`target_source` says which: "own" / "lowers"); RATE and NONE indicators
only ever have their own.

Queries: `upper_figures` reads a fixed number of queries (three) whatever the number of levels
(province → city → county → district at the deepest), lowers or indicators: one recursive query
loads the whole lower tree.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from shigan.orgs.models import Unit
from shigan.tasks.queries import known_until

from . import calc
from .models import Aggregation, Indicator, IndicatorYear
from .queries import actuals_latest

OWN = "own"
LOWERS = "lowers"
PERCENT = "percent"

SUM_OF_PERCENT = "百分比指标不能相加，请选择'比率'或'不可加'"


@dataclass
class RolledFigure:
    """An indicator's figure for a month as the roll-up rules read it (the module's rules).

    value: the figure shown (None: none, or a NONE indicator); source: OWN (its own filed figure)
    or LOWERS (rolled from its lowers); own/actual_id/filed: its own current filed figure, the
    Actual it is and who filed it for which month; lowers_sum: the sum of the parts' figures (SUM with lowers); parts: each lower's
    RolledFigure; missing: the district indicators without a figure that make it incomplete;
    numerator/denominator: a RATE's rolled parts; estimate: the figure is or includes an
    estimate (预计数)."""

    indicator: Indicator
    value: Decimal | None = None
    source: str | None = None
    own: Decimal | None = None
    actual_id: int | None = None
    lowers_sum: Decimal | None = None
    parts: list["RolledFigure"] = field(default_factory=list)
    missing: list["RolledFigure"] = field(default_factory=list)
    numerator: "RolledFigure | None" = None
    denominator: "RolledFigure | None" = None
    target: Decimal | None = None
    target_source: str | None = None
    estimate: bool = False
    filed: str = ""  # who filed its own figure, for which month: 经发局7月填报

    @property
    def district(self) -> Unit | None:
        return self.indicator.district

    @property
    def aggregation(self) -> str:
        return self.indicator.aggregation

    @property
    def has_lowers(self) -> bool:
        return bool(self.parts)

    @property
    def complete(self) -> bool:
        """Every lower below it has a figure (a figure without lowers: it has one itself)."""
        has_figure = self.has_lowers or self.numerator is not None or self.own is not None
        return not self.missing and has_figure

    @property
    def mismatch(self) -> bool:
        """Its own filed figure differs from the complete sum of its lowers (a rate: from the
        recomputed rate, both as printed, calc.round_pct)."""
        if self.source != LOWERS or self.own is None or self.value is None:
            return False
        if self.aggregation == Aggregation.RATE:
            return calc.round_pct(self.own) != calc.round_pct(self.value)
        return self.own != self.value

    @property
    def missing_label(self) -> str:
        """n个区未报 — how many districts (levels) have not filed; empty when none."""
        count = len({m.indicator.district_id for m in self.missing})
        return f"{count}个区未报" if count else ""

    def _rate_value(self) -> Decimal | None:
        if self.numerator is None or self.denominator is None:
            return None
        num, den = self.numerator.value, self.denominator.value
        return None if num is None or den is None else calc.rate_pct(num, den)


def lower_tree_ids(root_ids: Iterable[int]) -> set[int]:
    """The indicators below the given ones (their lowers, recursively), in one recursive query;
    UNION (not UNION ALL) stops at a cycle."""
    roots = [int(pk) for pk in root_ids]
    if not roots:
        return set()
    return set(Indicator.objects.filter(pk__in=_tree_sql(roots)).values_list("pk", flat=True))


def closure_sql(indicators: QuerySet) -> RawSQL:
    """The ids of `indicators`, of their rate parts and of every indicator below any of them
    (lowers, recursively): what upper_figures loads for them, as a subquery reading `indicators`
    once (no list of ids, nor of the scope's units, repeated)."""
    table = connection.ops.quote_name(Indicator._meta.db_table)
    seed = indicators.order_by().values("pk", "rate_numerator_id", "rate_denominator_id")
    sql, params = seed.query.sql_with_params()
    sql = (
        f"WITH RECURSIVE seed(id, num, den) AS ({sql}), low(id) AS (SELECT id FROM {table} "
        f"WHERE id IN (SELECT id FROM seed) OR id IN (SELECT num FROM seed) "
        f"OR id IN (SELECT den FROM seed) UNION SELECT i.id FROM {table} i "
        f"JOIN low ON i.upper_id = low.id) SELECT id FROM low"
    )
    return RawSQL(sql, params)


def depending_on(ids: Iterable[int]) -> set[int]:
    """The indicators whose rolled figure (or target) reads any of `ids`: the given ones, every
    indicator above them (upper, recursively: a SUM's sum and target, a part's missing districts)
    and every RATE whose numerator or denominator is among them, and so on up — what a figure
    filed or a target set for `ids` can change, in one recursive query. An indicator's figure
    reads nothing else (its lowers and rate parts only, LowerTree)."""
    seeds = sorted({int(pk) for pk in ids})
    if not seeds:
        return set()
    table = connection.ops.quote_name(Indicator._meta.db_table)
    marks = ", ".join(["%s"] * len(seeds))
    sql = (
        f"WITH RECURSIVE up(id, upper_id) AS (SELECT id, upper_id FROM {table} "
        f"WHERE id IN ({marks}) UNION SELECT i.id, i.upper_id FROM {table} i JOIN up "
        f"ON i.id = up.upper_id OR i.rate_numerator_id = up.id OR i.rate_denominator_id = up.id"
        f") SELECT id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, seeds)
        return {row[0] for row in cursor.fetchall()}


def _tree_sql(roots: list[int]) -> RawSQL:
    table = connection.ops.quote_name(Indicator._meta.db_table)
    marks = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE low(id) AS (SELECT id FROM {table} WHERE upper_id IN ({marks}) "
        f"UNION SELECT i.id FROM {table} i JOIN low ON i.upper_id = low.id) SELECT id FROM low"
    )
    return RawSQL(sql, roots)


def _filed_text(actual) -> str:
    return f"{actual.unit.label}{actual.month}月填报"


class LowerTree:
    """The loaded lower tree, actuals and targets; computes each figure once (memo). An
    indicator needs pk, district_id, upper_id, aggregation and the rate parts' ids, an actual
    pk, value and is_estimate (and what `filed` reads: its unit and month)."""

    def __init__(self, indicators: dict, actuals: dict, targets: dict, filed=_filed_text):
        self.indicators = indicators
        self.actuals = actuals
        self.targets = targets
        self.filed = filed
        self.lowers: dict[int, list[Indicator]] = {}
        for ind in sorted(indicators.values(), key=lambda i: (i.district_id or 0, i.pk)):
            if ind.upper_id is not None:
                self.lowers.setdefault(ind.upper_id, []).append(ind)
        self.memo: dict[int, RolledFigure] = {}

    def figure(self, ind: Indicator, seen: frozenset = frozenset()) -> RolledFigure:
        if ind.pk in self.memo:
            return self.memo[ind.pk]
        seen = seen | {ind.pk}
        actual = self.actuals.get(ind.pk)
        fig = RolledFigure(
            ind, own=actual.value if actual else None, actual_id=actual.pk if actual else None,
            estimate=bool(actual and actual.is_estimate),
            filed=self.filed(actual) if actual else "",
        )  # fmt: skip
        lowers = [low for low in self.lowers.get(ind.pk, []) if low.pk not in seen]
        fig.parts = [self.figure(low, seen) for low in lowers]
        if ind.aggregation == Aggregation.SUM:
            self._sum(fig)
        elif ind.aggregation == Aggregation.RATE:
            self._rate(fig, seen)
        else:
            self._own_target(fig)
            if not fig.parts:  # a figure of its own, not rolled: a lower's rate listed as a part
                fig.value, fig.source = fig.own, OWN if fig.own is not None else None
        self.memo[ind.pk] = fig
        return fig

    def _own_target(self, fig: RolledFigure) -> None:
        target = self.targets.get(fig.indicator.pk)
        if target is not None:
            fig.target, fig.target_source = target, OWN

    def _sum(self, fig: RolledFigure) -> None:
        self._own_target(fig)
        if not fig.parts:
            fig.value, fig.source = fig.own, OWN if fig.own is not None else None
            return
        figures = [p.value for p in fig.parts if p.value is not None]
        fig.lowers_sum = sum(figures, Decimal(0)) if figures else None
        fig.missing = _unique([gap for part in fig.parts for gap in _gaps(part)])
        if fig.missing and fig.own is not None:
            fig.value, fig.source = fig.own, OWN
        else:
            fig.value, fig.source = fig.lowers_sum, LOWERS
            fig.estimate = any(p.estimate for p in fig.parts if p.value is not None)
        targets = [p.target for p in fig.parts]
        if fig.target is None and all(t is not None for t in targets):
            fig.target, fig.target_source = sum(targets, Decimal(0)), LOWERS

    def _rate(self, fig: RolledFigure, seen: frozenset) -> None:
        self._own_target(fig)
        ind = fig.indicator
        num = self.indicators.get(ind.rate_numerator_id)
        den = self.indicators.get(ind.rate_denominator_id)
        if num is None or den is None or {num.pk, den.pk} & seen:
            fig.value, fig.source = fig.own, OWN if fig.own is not None else None
            return
        fig.numerator, fig.denominator = self.figure(num, seen), self.figure(den, seen)
        fig.missing = _unique([*_gaps(fig.numerator), *_gaps(fig.denominator)])
        rolled = fig._rate_value()
        if fig.missing and fig.own is not None or rolled is None:
            fig.value, fig.source = fig.own, OWN if fig.own is not None else None
        else:
            fig.value, fig.source = rolled, LOWERS
            fig.estimate = fig.numerator.estimate or fig.denominator.estimate


def _gaps(part: RolledFigure) -> list[RolledFigure]:
    """What a part leaves missing in its upper's figure: the districts under it without a figure
    (none when its own figure stands for them)."""
    if part.value is None:
        return _leaves(part)
    return part.missing if part.source == LOWERS else []


def _leaves(part: RolledFigure) -> list[RolledFigure]:
    """The district indicators under a lower without a figure (itself when it has none)."""
    if not part.parts:
        return [part]
    return [leaf for p in part.parts if p.value is None for leaf in _leaves(p)] or [part]


def _unique(figures: list[RolledFigure]) -> list[RolledFigure]:
    return list({f.indicator.pk: f for f in figures}.values())


def upper_figures(
    indicators: Iterable[Indicator], *, year: int, month: int, as_of: datetime.date | None = None
) -> dict[int, RolledFigure]:
    """The rolled figure (the module's rules) of each of `indicators` for month `month` of
    `year`, by indicator id: three queries whatever the number of indicators, levels or lowers
    (the lower tree with the rate parts, the current actuals, the targets; none for no
    indicators). An indicator without lowers gets its own figure. The parts carry their
    indicator's `district`; the given indicators are used as given. With `as_of`, only the
    figures submitted on or before that day count, each the latest correction filed by then
    (tasks.queries.known_until, as the dashboard's as-of reads them)."""
    by_month = upper_figures_by_month(indicators, year=year, months=[month], as_of=as_of)
    return by_month.get(month, {})


def upper_figures_by_month(
    indicators: Iterable[Indicator],
    *,
    year: int,
    months: Iterable[int],
    as_of: datetime.date | None = None,
) -> dict[int, dict[int, RolledFigure]]:
    """upper_figures for each of `months`: month → indicator id → its rolled figure, in the
    same three queries whatever the number of months (none for no indicators or months)."""
    loaded = {ind.pk: ind for ind in indicators}
    months = sorted(set(months))
    if not loaded or not months:
        return {}
    ids = list(loaded)
    rate_ids = {
        pk for ind in loaded.values() for pk in (ind.rate_numerator_id, ind.rate_denominator_id)
    } - {None}
    below = Q(pk__in=_tree_sql([*loaded, *rate_ids])) | Q(pk__in=rate_ids)
    for ind in Indicator.objects.filter(below).select_related("district"):
        loaded.setdefault(ind.pk, ind)
    until = known_until(as_of) if as_of is not None else None
    current = actuals_latest(loaded, [year], months, filed_before=until)
    target_rows = IndicatorYear.objects.filter(indicator_id__in=list(loaded), year=year)
    targets = dict(target_rows.values_list("indicator_id", "annual_target"))
    figures = {}
    for month in months:
        actuals = {key[0]: actual for key, actual in current.items() if key[2] == month}
        tree = LowerTree(loaded, actuals, targets)
        figures[month] = {pk: tree.figure(loaded[pk]) for pk in ids}
    return figures


# Setting the links (services.records.indicator_save): the rules a link must keep.

UPPER_NOT_ABOVE = "汇入上级指标须是本级上级（县、市、省）的指标"
UPPER_OTHER_UNIT = "汇入上级指标的计量单位（{upper}）与本指标（{own}）不同，不能汇总"
LOWER_OTHER_UNIT = "已有{count}个下级指标按{own}汇入本指标，计量单位不能改为{new}"
RATE_PARTS_REQUIRED = "比率须选择本级的分子指标和分母指标"
RATE_PART_OTHER_LEVEL = "分子、分母须是本级的指标（不能是本指标自己）"
RATE_PARTS_SAME = "分子指标和分母指标不能相同"
LINK_FIELDS = ("upper", "aggregation", "rate_numerator", "rate_denominator")


def levels_above(district_id: int | None) -> set[int]:
    """The levels (district units) directly or indirectly above a level, in one recursive query
    up the unit tree."""
    if district_id is None:
        return set()
    table = connection.ops.quote_name(Unit._meta.db_table)
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id = %s "
        f"UNION SELECT u.id, u.parent_id FROM {table} u JOIN up ON u.id = up.parent_id) "
        "SELECT parent_id FROM up"
    )
    above = Unit.objects.filter(pk__in=RawSQL(sql, [district_id]))
    return set(above.values_list("district_id", flat=True)) - {district_id}


def upper_candidates(district_id: int | None, measure_unit: str | None = None):
    """The indicators a level's indicator may count into: those of the levels above it (of
    `measure_unit` when given), nearest level first."""
    uppers = Indicator.objects.filter(district_id__in=levels_above(district_id))
    if measure_unit:
        uppers = uppers.filter(measure_unit=measure_unit)
    return uppers.select_related("district").order_by("-district_id", "sort_order", "pk")


def link_errors(record: Indicator, district_id: int | None, values: dict) -> dict[str, str]:
    """What is wrong with the links `values` (the indicator's fields after the change) would
    give `record`, a level `district_id`'s indicator, by field; empty when nothing is."""
    errors: dict[str, str] = {}
    unit, aggregation = values["measure_unit"], values["aggregation"]
    if aggregation == Aggregation.SUM and unit == PERCENT:
        errors["aggregation"] = SUM_OF_PERCENT
    upper = values.get("upper")
    if upper is not None:
        if upper.pk == record.pk or upper.district_id not in levels_above(district_id):
            errors["upper"] = UPPER_NOT_ABOVE
        elif upper.measure_unit != unit:
            errors["upper"] = UPPER_OTHER_UNIT.format(
                upper=upper.get_measure_unit_display(), own=_unit_label(unit)
            )
    if record.pk is not None:
        others = record.lower.exclude(measure_unit=unit).count()
        if others:
            errors["measure_unit"] = LOWER_OTHER_UNIT.format(
                count=others, own=record.get_measure_unit_display(), new=_unit_label(unit)
            )
    if aggregation == Aggregation.RATE:
        errors.update(_rate_errors(record, district_id, values))
    return errors


def _rate_errors(record: Indicator, district_id: int | None, values: dict) -> dict[str, str]:
    num, den = values.get("rate_numerator"), values.get("rate_denominator")
    if num is None or den is None:
        field_name = "rate_numerator" if num is None else "rate_denominator"
        return {field_name: RATE_PARTS_REQUIRED}
    for name, part in (("rate_numerator", num), ("rate_denominator", den)):
        if part.district_id != district_id or (record.pk and part.pk == record.pk):
            return {name: RATE_PART_OTHER_LEVEL}
    return {"rate_denominator": RATE_PARTS_SAME} if num.pk == den.pk else {}


def _unit_label(unit: str) -> str:
    return dict(Indicator._meta.get_field("measure_unit").choices).get(unit, unit)
