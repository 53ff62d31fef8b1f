"""Reads for indicator tables, charts, forms, key projects and investment attraction: a fixed
number of queries whatever the row count. Percentages are rounded once here (calc.round_pct)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from shigan.campaigns.models import Campaign
from shigan.tasks.models import Milestone
from shigan.tasks.queries import known_until

from . import calc
from .calc import IndicatorStatus, TimeProgressMode, round_pct
from .models import (
    Actual,
    Agreement,
    EnterpriseFigure,
    Indicator,
    IndicatorYear,
    InvestmentTrip,
    SamePeriodValue,
)

ZERO = Decimal(0)


def actuals_latest(
    indicator_ids: Iterable[int],
    years: Iterable[int],
    months: Iterable[int] | None = None,
    *,
    filed_before: datetime.datetime | None = None,
) -> dict[tuple[int, int, int], Actual]:
    """The current entry per (indicator id, year, month), in one query (core.corrections: the
    highest id; submissions for an indicator are serialised by its row lock).
    With `filed_before`, entries filed at or after that instant are left out (a past day's
    view: tasks.queries.known_until)."""
    scope = Actual.objects.filter(indicator_id__in=list(indicator_ids), year__in=list(years))
    if filed_before is not None:
        scope = scope.filter(submitted_at__lt=filed_before)
    if months is not None:
        scope = scope.filter(month__in=list(months))
    return scope.select_related("indicator", "unit").current_by("indicator_id", "year", "month")


def actuals_current(
    indicator_ids: Iterable[int], year: int, months: Iterable[int] | None = None
) -> dict[tuple[int, int], Actual]:
    """The current entry per (indicator id, month) of `year`, optionally only `months`, in one
    query for any number of indicators."""
    latest = actuals_latest(indicator_ids, [year], months)
    return {(ind, month): actual for (ind, _, month), actual in latest.items()}


def _latest_field(field: str, year: int, month: int, filed_before) -> Subquery:
    latest = Actual.objects.filter(indicator=OuterRef("pk"), year=year, month=month)
    if filed_before is not None:
        latest = latest.filter(submitted_at__lt=filed_before)
    return Subquery(latest.order_by("-id").values(field)[:1])


def indicators_annotated(
    indicators: QuerySet, year: int, month: int, *, filed_before: datetime.datetime | None = None
) -> QuerySet:
    """Indicators with the target of `year`, the same-period figure and the current figure of
    `month` (filed before `filed_before`, when given) as annotations (one query)."""
    target = IndicatorYear.objects.filter(indicator=OuterRef("pk"), year=year)
    same = SamePeriodValue.objects.filter(indicator=OuterRef("pk"), year=year, month=month)
    return indicators.select_related("responsible_unit__district").annotate(
        annual_target=Subquery(target.values("annual_target")[:1]),
        same_period=Subquery(same.values("value")[:1]),
        actual_value=_latest_field("value", year, month, filed_before),
        actual_is_estimate=_latest_field("is_estimate", year, month, filed_before),
        actual_id=_latest_field("id", year, month, filed_before),
    )


@dataclass
class IndicatorRow:
    """One indicator as the indicator table shows it; percentages and 百分点 rounded once.

    `time_progress_pct` is None for point-in-time indicators, whose benchmark is the target
    itself (gap = completion − 100)."""

    indicator: Indicator
    value: Decimal | None
    is_estimate: bool
    target: Decimal | None
    completion_pct: Decimal | None
    time_progress_pct: Decimal | None
    gap_points: Decimal | None
    same_period: Decimal | None
    change_abs: Decimal | None
    change_pct: Decimal | None
    status: IndicatorStatus
    actual_id: int | None
    rolled: object | None = None  # its lowers' RolledFigure (indicators.rolled.with_rolled)
    level: str = ""  # its level's name where the reader's scope holds several (with_level_names)

    @property
    def display_name(self) -> str:
        """The indicator's name, its level's beside it where set: 固定资产投资（高新区）."""
        return f"{self.indicator.name}（{self.level}）" if self.level else self.indicator.name


def _status(ind: Indicator, completion: Decimal | None, benchmark: Decimal) -> IndicatorStatus:
    if not ind.annual_target:
        return IndicatorStatus.GREY
    if ind.actual_value is None:
        return IndicatorStatus.MISSING
    return calc.indicator_status(completion, benchmark, lower_is_better=ind.lower_is_better)


def _row(ind: Indicator, time_pct: Decimal) -> IndicatorRow:
    value, target = ind.actual_value, ind.annual_target
    completion = calc.completion_share(value, target)
    benchmark = time_pct if ind.is_cumulative else calc.HUNDRED
    change_abs, change_pct = calc.change_vs_same_period(value, ind.same_period)
    return IndicatorRow(
        indicator=ind,
        value=value,
        is_estimate=bool(ind.actual_is_estimate),
        target=target,
        completion_pct=round_pct(completion),
        time_progress_pct=round_pct(time_pct) if ind.is_cumulative else None,
        gap_points=calc.printed_gap(completion, benchmark),
        same_period=ind.same_period,
        change_abs=change_abs,
        change_pct=round_pct(change_pct),
        status=_status(ind, completion, benchmark),
        actual_id=ind.actual_id,
    )


def indicator_table(
    indicators: QuerySet,
    year: int,
    month: int,
    as_of: datetime.date | None = None,
    *,
    mode: str = TimeProgressMode.MONTHS,
    filed_before: datetime.datetime | None = None,
) -> list[IndicatorRow]:
    """The indicator table for month `month` of `year` (value, target, completion, time progress
    and the gap, same period and change, status), one query whatever the number of indicators.
    Time progress is months ÷ 12 (default) or by days as of `as_of` (mode=days); figures filed
    at or after `filed_before` are left out."""
    time_pct = calc.time_progress_for(year, month, mode=mode, as_of=as_of)
    annotated = indicators_annotated(indicators, year, month, filed_before=filed_before)
    return [_row(ind, time_pct) for ind in annotated]


def indicator_series(indicators: QuerySet, year: int) -> dict[int, list[Decimal | None]]:
    """Each indicator's current figure for months 1-12 of `year` (None where not reported), for
    trend charts; one query."""
    ids = list(indicators.values_list("pk", flat=True))
    current = actuals_current(ids, year)
    return {
        pk: [current[(pk, m)].value if (pk, m) in current else None for m in range(1, 13)]
        for pk in ids
    }


@dataclass
class ReportRow:
    """An indicator as a monthly form shows it: the month's current entry and last month's."""

    indicator: Indicator
    current: Actual | None
    previous: Actual | None


def indicator_report_rows(indicators: QuerySet, year: int, month: int) -> list[ReportRow]:
    """Rows for a monthly form or template (two queries); `indicator` carries the annotations
    of indicators_annotated."""
    annotated = list(indicators_annotated(indicators, year, month))
    current = actuals_current([ind.pk for ind in annotated], year, [month - 1, month])
    return [
        ReportRow(ind, current.get((ind.pk, month)), current.get((ind.pk, month - 1)))
        for ind in annotated
    ]


@dataclass
class ProjectRate:
    """One of the four key-project rates, with its definition for display."""

    definition: calc.RateDefinition
    numerator: Decimal
    denominator: Decimal
    pct: Decimal | None

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def small_base(self) -> bool:
        """A count rate over fewer than calc.SMALL_BASE projects: stated with its counts
        ("1个中已有1个"), not as a percentage."""
        return self.definition.counted and calc.is_small_base(self.denominator)

    @property
    def shown_pct(self) -> Decimal | None:
        """The percentage a page, chart or sheet prints: None for a small-base rate."""
        return None if self.small_base else self.pct

    @property
    def counts(self) -> str:
        """1/1个 — a small-base rate as its counts (done of due)."""
        return f"{calc.plain(self.numerator)}/{calc.plain(self.denominator)}个"

    @property
    def small_base_note(self) -> str:
        return f"应计项目不足{calc.SMALL_BASE}个，不计百分比"


class ProjectRates(list):
    """The four rates (a list of ProjectRate) and `projects`, the number of key projects they
    are computed over — a page states it beside them (分管项目（1个）, 全区重点项目（6个）)."""

    projects: int = 0


def project_rates(projects: QuerySet, as_of: datetime.date) -> ProjectRates:
    """履约率, 资金到位率, 开工率, 竣工投产率 over `projects` as of a date, and how many projects
    they cover (one query)."""
    figures = projects.order_by().aggregate(
        total=Count("pk"),
        planned=Coalesce(Sum("planned_investment_this_year"), ZERO),
        completed=Coalesce(Sum("completed_investment_this_year"), ZERO),
        contracted=Coalesce(Sum("contracted_investment"), ZERO),
        funds=Coalesce(Sum("funds_in_place"), ZERO),
        due_start=Count("pk", filter=Q(planned_start__lte=as_of)),
        started=Count("pk", filter=Q(actual_start__lte=as_of)),
        due_completion=Count("pk", filter=Q(planned_completion__lte=as_of)),
        completed_n=Count("pk", filter=Q(actual_completion__lte=as_of)),
    )
    pairs = [
        (calc.CONTRACT_FULFILMENT, figures["completed"], figures["planned"]),
        (calc.FUNDS_IN_PLACE, figures["funds"], figures["contracted"]),
        (calc.START, figures["started"], figures["due_start"]),
        (calc.COMPLETION, figures["completed_n"], figures["due_completion"]),
    ]
    rates = ProjectRates(
        ProjectRate(rate, Decimal(num), Decimal(den), round_pct(calc.rate_pct(num, den)))
        for rate, num, den in pairs
    )
    rates.projects = figures["total"]
    return rates


def _milestone_count(**filters) -> Coalesce:
    counted = (
        Milestone.objects.filter(task=OuterRef("task_id"), **filters)
        .order_by()
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def key_projects_annotated(projects: QuerySet) -> QuerySet:
    """Key projects with enterprise, unit and task, and their nodes counted (one query); the
    nodes themselves are `task.milestones` (prefetch them when listed)."""
    return projects.select_related("enterprise", "responsible_unit", "task").annotate(
        nodes_total=_milestone_count(),
        nodes_done=_milestone_count(done_on__isnull=False),
    )


def enterprises_annotated(enterprises: QuerySet, year: int, month: int) -> QuerySet:
    """Key enterprises with their output value and tax for January-`month` of `year`."""
    figure = EnterpriseFigure.objects.filter(enterprise=OuterRef("pk"), year=year, month=month)
    return enterprises.select_related("unit").annotate(
        output_value=Subquery(figure.values("output_value")[:1]),
        tax=Subquery(figure.values("tax")[:1]),
    )


@dataclass
class InvestmentTallies:
    """招商引资 as the summary states it: trips, agreements signed, contract funds, projects
    landed (and their contract funds), funds in place."""

    trips: int
    agreements: int
    contract_amount: Decimal
    landed: int
    landed_contract_amount: Decimal
    funds_in_place: Decimal


def investment_tallies(campaign: Campaign, as_of: datetime.date) -> InvestmentTallies:
    """Trips made and agreements signed in `campaign` up to `as_of` (investment_records; two
    queries)."""
    return investment_records(campaign, as_of).tallies


def same_period_series(indicator_ids: Iterable[int], year: int) -> dict[int, list[Decimal | None]]:
    """Each indicator's same-period figures (last year's) for months 1-12 of `year`, None where
    not recorded; one query."""
    ids = list(indicator_ids)
    series: dict[int, list[Decimal | None]] = {pk: [None] * 12 for pk in ids}
    rows = SamePeriodValue.objects.filter(indicator_id__in=ids, year=year)
    for indicator_id, month, value in rows.values_list("indicator_id", "month", "value"):
        series[indicator_id][month - 1] = value
    return series


def actual_history(indicator: Indicator, year: int) -> list[Actual]:
    """Every entry of `indicator` for `year`, superseded ones and corrections included, by month
    and then in the order entered; one query."""
    entries = Actual.objects.filter(indicator=indicator, year=year)
    return list(entries.select_related("unit", "submitted_by__person").order_by("month", "id"))


def enterprises_latest(enterprises: QuerySet, year: int, month: int) -> QuerySet:
    """Key enterprises with their latest figures of `year` up to `month` (figure_month,
    output_value, tax; None without any), one query."""
    figures = EnterpriseFigure.objects.filter(
        enterprise=OuterRef("pk"), year=year, month__lte=month
    ).order_by("-month")
    return enterprises.select_related("unit").annotate(
        figure_month=Subquery(figures.values("month")[:1]),
        output_value=Subquery(figures.values("output_value")[:1]),
        tax=Subquery(figures.values("tax")[:1]),
    )


# Figures the cockpit, the indicator pages and the report state, each computed here once; what
# was known on a date is tasks.queries.known_until (figures filed by the end of the day).


def months_known(year: int, as_of: datetime.date) -> int:
    """The last month of `year` whose figures can be known on `as_of`: as_of's month in its own
    year, 12 for an earlier year, 0 for a later one."""
    if as_of.year < year:
        return 0
    return 12 if as_of.year > year else as_of.month


def indicator_month(indicators: QuerySet, year: int, as_of: datetime.date) -> int:
    """The month a summary of `indicators` reads on `as_of`: the latest month of `year`, up to
    as_of's, with a figure filed by as_of (figures come in after the month ends); as_of's month
    when none; 0 when the year has not begun on as_of (one query)."""
    last = months_known(year, as_of)
    if not last:
        return 0
    reported = Actual.objects.filter(indicator__in=indicators, year=year, month__lte=last)
    if (until := known_until(as_of)) is not None:
        reported = reported.filter(submitted_at__lt=until)
    return reported.aggregate(m=Max("month"))["m"] or last


BEHIND_TIME = (IndicatorStatus.RED, IndicatorStatus.YELLOW)


@dataclass
class IndicatorSummary:
    """The indicator table a summary reads on a date (month 0 and no rows before the year)."""

    year: int
    month: int
    rows: list[IndicatorRow]

    @property
    def behind(self) -> list[IndicatorRow]:
        """Rows behind time progress (落后于序时进度), red ones first."""
        behind = [r for r in self.rows if r.status in BEHIND_TIME]
        return sorted(behind, key=lambda r: r.status != IndicatorStatus.RED)

    @property
    def missing(self) -> int:
        """Rows with a target but no figure for the month (未填报)."""
        return sum(r.status == IndicatorStatus.MISSING for r in self.rows)


def indicator_summary(indicators: QuerySet, year: int, as_of: datetime.date) -> IndicatorSummary:
    """The table of `indicators` for indicator_month, from the figures filed by `as_of` (two
    queries, one before the year begins)."""
    month = indicator_month(indicators, year, as_of)
    if not month:
        return IndicatorSummary(year, 0, [])
    rows = indicator_table(indicators, year, month, filed_before=known_until(as_of))
    return IndicatorSummary(year, month, rows)


def latest_actuals(
    indicator_ids: Iterable[int], year: int, as_of: datetime.date
) -> dict[int, Actual]:
    """Per indicator, the current entry filed by `as_of` (actuals_latest: the latest correction)
    of the latest month of `year`, up to as_of's, that has one (one query)."""
    months = range(1, months_known(year, as_of) + 1)
    current = actuals_latest(indicator_ids, [year], months, filed_before=known_until(as_of))
    latest: dict[int, Actual] = {}
    for key in sorted(current, key=lambda k: k[2]):  # by month: the latest one wins
        latest[key[0]] = current[key]
    return latest


def time_progress_on(
    year: int, month: int, as_of: datetime.date, *, mode: str = TimeProgressMode.MONTHS
) -> Decimal:
    """序时进度 for the figures of month `month` of `year` read on `as_of`: months ÷ 12, or by
    days up to as_of within that month and to the month's end after it."""
    return calc.time_progress_for(
        year, month, mode=mode, as_of=min(as_of, calc.month_end(year, month))
    )


@dataclass
class InvestmentRecords:
    """Trips made and agreements signed in a campaign up to a date, oldest first."""

    trips: list[InvestmentTrip]
    agreements: list[Agreement]

    @property
    def landed(self) -> list[Agreement]:
        return [a for a in self.agreements if a.landed]

    @property
    def tallies(self) -> InvestmentTallies:
        return InvestmentTallies(
            trips=len(self.trips),
            agreements=len(self.agreements),
            contract_amount=sum((a.contract_amount for a in self.agreements), ZERO),
            landed=len(self.landed),
            landed_contract_amount=sum((a.contract_amount for a in self.landed), ZERO),
            funds_in_place=sum((a.funds_in_place for a in self.agreements), ZERO),
        )


def investment_records(campaign: Campaign, as_of: datetime.date) -> InvestmentRecords:
    """The campaign's trips and agreements up to `as_of`, district-wide: they belong to no unit
    (two queries)."""
    trips = InvestmentTrip.objects.filter(campaign=campaign, date__lte=as_of)
    agreements = Agreement.objects.filter(campaign=campaign, signed_on__lte=as_of)
    return InvestmentRecords(
        trips=list(trips.order_by("date", "id")),
        agreements=list(agreements.order_by("signed_on", "id")),
    )
