"""Indicator figures as of a report's date, each with the records it is computed from.

For each indicator the report takes the current entry filed by the report's date (the latest
correction) of the latest month of the report's year, up to the report's month, that has one
(indicators.queries.latest_actuals, on the one as-of rule the cockpit's indicator card and the
indicator pages read too); the target of the year; and last year's figure for that same month.
Its time progress is the indicator table's for that month (indicators.queries.time_progress_on);
completion, gap (calc.printed_gap) and change are calc's, as in the table. An indicator with no
entry in those months has no figure and is left out of every sentence. Five queries whatever the
number of indicators.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from shigan.campaigns.models import Campaign
from shigan.indicators import calc
from shigan.indicators.models import Actual, Indicator, IndicatorYear, SamePeriodValue
from shigan.indicators.queries import latest_actuals, time_progress_on
from shigan.reports.models import IndicatorPhrasing

from .data import own_level_ids


@dataclass
class IndicatorFigure:
    """One indicator's figures for the report, raw (wording rounds once when printing)."""

    indicator: Indicator
    phrasing: IndicatorPhrasing
    actual: Actual
    target: IndicatorYear | None
    same: SamePeriodValue | None
    time_progress: Decimal

    @property
    def label(self) -> str:
        return self.phrasing.label or self.indicator.name

    @property
    def month(self) -> int:
        return self.actual.month

    @property
    def completion(self) -> Decimal | None:
        target = self.target.annual_target if self.target else None
        return calc.completion_share(self.actual.value, target)

    @property
    def difference(self) -> Decimal | None:
        return self.actual.value - self.same.value if self.same else None

    @property
    def change_pct(self) -> Decimal | None:
        return calc.change_vs_same_period(
            self.actual.value, self.same.value if self.same else None
        )[1]

    @property
    def gap(self) -> Decimal | None:
        """The gap to 序时进度 as printed: printed completion − printed time progress."""
        if not self.indicator.is_cumulative:
            return None
        return calc.printed_gap(self.completion, self.time_progress)


@dataclass
class IndicatorFacts:
    """Every indicator with a figure, by id; `summary` is the order of the 经济指标 sentences."""

    figures: dict[int, IndicatorFigure]
    by_name: dict[str, int]
    summary: list[int]
    configured: bool


def default_phrasing(campaign: Campaign, indicator: Indicator, *, has_target: bool, has_same: bool):
    """How an indicator is worded when the campaign has no phrasing rows: its share of the
    target when it has one (stating the target), else its change on last year."""
    return IndicatorPhrasing(
        campaign=campaign,
        indicator=indicator,
        sort_order=indicator.sort_order,
        show_share=has_target,
        show_change=has_same and not has_target,
    )


def _indicators(
    campaign: Campaign, year: int
) -> tuple[list[Indicator], dict[int, IndicatorPhrasing]]:
    phrasings = {
        p.indicator_id: p
        for p in IndicatorPhrasing.objects.filter(campaign=campaign).select_related("indicator")
    }
    active = Q(years__year=year) | Q(actuals__year=year) | Q(pk__in=list(phrasings))
    # The campaign organiser's own level's indicators: a city or province database holds every
    # district's, and a county's report states its districts' only as theirs (levels.py).
    district = own_level_ids(campaign)
    indicators = list(
        Indicator.objects.filter(active, responsible_unit_id__in=district)
        .distinct()
        .order_by("sort_order", "id")
    )
    return indicators, phrasings


@dataclass
class _Loaded:
    """The records of the year, by indicator (targets with a value only)."""

    actuals: dict[int, Actual]
    targets: dict[int, IndicatorYear]
    same: dict[tuple[int, int], SamePeriodValue]


def _load(ids: list[int], as_of: datetime.date) -> _Loaded:
    year = as_of.year
    targets = IndicatorYear.objects.filter(
        indicator_id__in=ids, year=year, annual_target__isnull=False
    )
    same = SamePeriodValue.objects.filter(indicator_id__in=ids, year=year, month__lte=as_of.month)
    return _Loaded(
        actuals=latest_actuals(ids, as_of.year, as_of),
        targets={t.indicator_id: t for t in targets},
        same={(s.indicator_id, s.month): s for s in same},
    )


def _figure(campaign, indicator, phrasing, loaded: _Loaded, as_of, mode) -> IndicatorFigure | None:
    actual = loaded.actuals.get(indicator.pk)
    if actual is None:
        return None
    target = loaded.targets.get(indicator.pk)
    previous = loaded.same.get((indicator.pk, actual.month))
    phrasing = phrasing or default_phrasing(
        campaign, indicator, has_target=target is not None, has_same=previous is not None
    )
    progress = time_progress_on(as_of.year, actual.month, as_of, mode=mode)
    return IndicatorFigure(indicator, phrasing, actual, target, previous, progress)


def _summary(indicators: list[Indicator], phrasings: dict[int, IndicatorPhrasing]) -> list[int]:
    """The 经济指标 order: the phrasing rows' (those in the summary), else every indicator's."""
    if not phrasings:
        return [i.pk for i in indicators]
    ordered = sorted(phrasings.values(), key=lambda p: (p.sort_order, p.pk))
    return [p.indicator_id for p in ordered if p.in_summary]


def indicator_facts(
    campaign: Campaign, as_of: datetime.date, *, mode: str = calc.TimeProgressMode.MONTHS
) -> IndicatorFacts:
    """The figures of every indicator the report may state (see the module docstring)."""
    indicators, phrasings = _indicators(campaign, as_of.year)
    loaded = _load([i.pk for i in indicators], as_of)
    figures = {}
    for indicator in indicators:
        found = _figure(campaign, indicator, phrasings.get(indicator.pk), loaded, as_of, mode)
        if found is not None:
            figures[indicator.pk] = found
    by_name = {i.name: i.pk for i in indicators}
    by_name.update({p.label: p.indicator_id for p in phrasings.values() if p.label})
    return IndicatorFacts(figures, by_name, _summary(indicators, phrasings), bool(phrasings))
