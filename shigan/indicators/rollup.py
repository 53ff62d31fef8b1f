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
- NONE (不可加): no figure at all; the lowers' figures are listed side by side.

A lower's current figure is its month's latest entry (core.corrections: the latest correction).

Annual target: a SUM indicator's own target when set, else the sum of its lowers' targets when
every lower has one (`target_source` says which: "own" / "lowers"); RATE and NONE indicators
only ever have their own.

Queries: `upper_figures` reads a fixed number of queries (four) whatever the number of levels
(province → city → county → district at the deepest), lowers or indicators: one recursive query
loads the whole lower tree.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from shigan.orgs.models import Unit

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
    or LOWERS (rolled from its lowers); own/actual_id: its own current filed figure and the Actual
    it is; lowers_sum: the sum of the parts' figures (SUM with lowers); parts: each lower's
    RolledFigure; missing: the district indicators without a figure that make it incomplete;
    numerator/denominator: a RATE's rolled parts."""

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
        return not self.missing and (self.has_lowers or self.numerator or self.own is not None)

    @property
    def filed(self) -> bool:
        """Counts as filed for the level above: complete, or its own figure shown."""
        return self.value is not None and (self.complete or self.source == OWN)

    @property
    def mismatch(self) -> bool:
        """Its own filed figure differs from the complete sum of its lowers."""
        rolled = self.lowers_sum if self.aggregation == Aggregation.SUM else self._rate_value()
        return (
            self.source == LOWERS and self.own is not None and rolled is not None
            and self.own != rolled
        )  # fmt: skip

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


def _tree_sql(roots: list[int]) -> RawSQL:
    table = connection.ops.quote_name(Indicator._meta.db_table)
    marks = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE low(id) AS (SELECT id FROM {table} WHERE upper_id IN ({marks}) "
        f"UNION SELECT i.id FROM {table} i JOIN low ON i.upper_id = low.id) SELECT id FROM low"
    )
    return RawSQL(sql, roots)


class _Tree:
    """The loaded lower tree, actuals and targets; computes each figure once (memo)."""

    def __init__(self, indicators: dict[int, Indicator], actuals: dict, targets: dict):
        self.indicators = indicators
        self.actuals = actuals
        self.targets = targets
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
            ind, own=actual.value if actual else None, actual_id=actual.pk if actual else None
        )
        lowers = [low for low in self.lowers.get(ind.pk, []) if low.pk not in seen]
        fig.parts = [self.figure(low, seen) for low in lowers]
        if ind.aggregation == Aggregation.SUM:
            self._sum(fig)
        elif ind.aggregation == Aggregation.RATE:
            self._rate(fig, seen)
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
    indicators: Iterable[Indicator], *, year: int, month: int
) -> dict[int, RolledFigure]:
    """The rolled figure (the module's rules) of each of `indicators` for month `month` of
    `year`, by indicator id: four queries whatever the number of indicators, levels or lowers
    (the indicators themselves with their rate parts, the lower tree, the current actuals, the
    targets). An indicator without lowers gets its own figure."""
    ids = [ind.pk for ind in indicators]
    if not ids:
        return {}
    roots = Indicator.objects.filter(pk__in=ids).select_related("district")
    loaded = {ind.pk: ind for ind in roots}
    rate_ids = {
        pk for ind in loaded.values() for pk in (ind.rate_numerator_id, ind.rate_denominator_id)
    } - {None}
    below = Q(pk__in=_tree_sql([*loaded, *rate_ids])) | Q(pk__in=rate_ids)
    for ind in Indicator.objects.filter(below).select_related("district"):
        loaded.setdefault(ind.pk, ind)
    current = actuals_latest(loaded, [year], [month])
    actuals = {ind_id: actual for (ind_id, _, _), actual in current.items()}
    target_rows = IndicatorYear.objects.filter(indicator_id__in=list(loaded), year=year)
    targets = dict(target_rows.values_list("indicator_id", "annual_target"))
    tree = _Tree(loaded, actuals, targets)
    return {pk: tree.figure(loaded[pk]) for pk in ids if pk in loaded}
