"""An upper level's indicator as its lowers add it up (下级汇总, indicators.rollup): the section
of the indicator page and the dashboard's value where the level has no figure of its own."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ..access import indicators_visible_to
from ..calc import IndicatorStatus
from ..models import Aggregation, Indicator
from ..queries import indicator_month, time_progress_on
from ..rolled import judged, rolled_figure
from ..rollup import LOWERS, OWN, RolledFigure

SOURCE_LABELS = {LOWERS: "下级汇总", OWN: "本级填报"}
TARGET_LABELS = {LOWERS: "下级目标之和", OWN: "本级目标"}


@dataclass
class LowerSection:
    """What the 下级汇总 section shows for month `month`: the rolled figure, its completion
    against the target and 序时进度 (calc), and the parts the viewer may open (`linked`)."""

    figure: RolledFigure
    month: int
    completion_pct: Decimal | None
    time_progress_pct: Decimal | None
    gap_points: Decimal | None
    status: IndicatorStatus
    linked: set[int]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.figure.source, "")

    @property
    def target_label(self) -> str:
        return TARGET_LABELS.get(self.figure.target_source, "")

    @property
    def is_rate(self) -> bool:
        return self.figure.aggregation == Aggregation.RATE

    @property
    def not_summed(self) -> bool:
        return self.figure.aggregation == Aggregation.NONE


def lower_section(
    user, indicator: Indicator, year: int, as_of: datetime.date
) -> LowerSection | None:
    """The 下级汇总 section of `indicator` read on `as_of`: for the latest month of `year` in
    which it or a lower has a figure (queries.indicator_month); None when nothing
    rolls into it (no lowers, no rate parts) or before the year has begun.
    Six queries whatever the lowers; one for an indicator without lowers. The roll-up is read
    as values (rolled.rolled_figure: a province's indicator rolls 316 indicators' figures);
    only the figures the section names — the parts listed, a rate's numerator and denominator —
    get their indicator's record with its level (one query), and the viewer's links."""
    if indicator.aggregation != Aggregation.RATE and not indicator.lower.exists():
        return None  # a district's own indicator: one query
    family = Indicator.objects.filter(Q(pk=indicator.pk) | Q(upper=indicator))
    month = indicator_month(family, year, as_of)
    if not month:
        return None
    fig = rolled_figure(indicator, year, month, as_of)
    if fig is None or not (fig.parts or fig.numerator):
        return None
    shown = _named(fig, indicator)
    visible = indicators_visible_to(user, Indicator.objects.filter(pk__in=list(shown)))
    completion, time_pct, gap, status = judged(fig, time_progress_on(year, month, as_of))
    return LowerSection(
        fig, month, completion, time_pct, gap, status, set(visible.values_list("pk", flat=True))
    )


def _named(fig: RolledFigure, indicator: Indicator) -> dict[int, Indicator]:
    """The figures the section names (the indicator's own, its parts, a rate's numerator and
    denominator) given their indicator's record with its level in place of the values the
    roll-up read (one query); the figures below them keep those. By id."""
    shown = [*fig.parts, *(f for f in (fig.numerator, fig.denominator) if f is not None)]
    records = Indicator.objects.filter(pk__in=[f.indicator.pk for f in shown])
    named = {ind.pk: ind for ind in records.select_related("district")}
    for part in shown:
        part.indicator = named.get(part.indicator.pk, part.indicator)
    fig.indicator = indicator
    return named
