"""The indicator table with its charts, and one indicator's year with its append-only history."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shigan.core import clock
from shigan.core.params import id_or_none, period_or_this_month, year_or_this_year
from shigan.orgs.level_words import level_wide
from shigan.orgs.models import Unit

from .. import calc, charts, history, legend
from ..access import (
    can_manage_indicator_record,
    can_manage_indicators,
    can_report_indicator,
    get_indicator_for_user,
    indicator_mine_label,
    indicator_units_overseen,
    indicators_visible_to,
    key_projects_visible_to,
    reports_any_indicator,
)
from ..calc import IndicatorStatus, TimeProgressMode
from ..models import Indicator, IndicatorCategory, IndicatorYear, KeyProject
from ..queries import (
    IndicatorRow,
    actual_history,
    actuals_current,
    indicator_table,
    project_rates,
    same_period_series,
)
from ..rolled import (
    lowers_target,
    rolled_months,
    unjudged_partial,
    with_level_names,
    with_rolled,
)
from .lower_figures import lower_section

# Worst first, as the task status tiles (docs/style.md).
TILE_ORDER = [
    IndicatorStatus.RED,
    IndicatorStatus.YELLOW,
    IndicatorStatus.GREEN,
    IndicatorStatus.MISSING,
    IndicatorStatus.GREY,
]


@dataclass
class TableFilters:
    """The dashboard's query string: ?period=YYYY-MM&mode=days&category=&unit=&indicator=&mine=1
    (mine: only the indicators of the units a leader oversees)."""

    year: int
    month: int
    mode: str
    category: str
    unit: int | None
    indicator: int | None
    mine: bool = False

    @classmethod
    def from_request(cls, request) -> "TableFilters":
        params = request.GET
        month_shown = period_or_this_month(params.get("period"))
        year, month = month_shown.year, month_shown.month
        mode = params.get("mode", "")
        category = params.get("category", "")
        return cls(
            year=year,
            month=month,
            mode=mode if mode in TimeProgressMode.values else TimeProgressMode.MONTHS,
            category=category if category in IndicatorCategory.values else "",
            unit=id_or_none(params.get("unit")),
            indicator=id_or_none(params.get("indicator")),
            mine=params.get("mine") == "1",
        )

    @property
    def period_value(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def narrowed(self) -> bool:
        """Whether a filter leaves indicators out (the month and the mode do not)."""
        return bool(self.category or self.unit or self.mine)

    def apply(self, indicators, overseen: set[int] = frozenset()):
        if self.mine and overseen:
            indicators = indicators.filter(responsible_unit_id__in=overseen)
        if self.category:
            indicators = indicators.filter(category=self.category)
        if self.unit:
            indicators = indicators.filter(responsible_unit_id=self.unit)
        return indicators


def statistics_day(year: int, month: int) -> datetime.date:
    """The day figures of month `month` are counted to: today within that month, else its end."""
    today = clock.today()
    if (today.year, today.month) == (year, month):
        return today
    return calc.month_end(year, month)


def _tiles(rows: list[IndicatorRow]) -> list[tuple[IndicatorStatus, int]]:
    counts = {status: 0 for status in TILE_ORDER}
    for row in rows:
        counts[row.status] += 1
    return list(counts.items())


def _chosen(rows: list[IndicatorRow], wanted: int | None) -> IndicatorRow | None:
    return next((r for r in rows if r.indicator.pk == wanted), rows[0] if rows else None)


def _trend(row: IndicatorRow | None, year: int, month: int) -> dict | None:
    """The trend chart of the chosen row (two queries, none without a row)."""
    if row is None:
        return None
    pk = row.indicator.pk
    current = actuals_current([pk], year, range(1, month + 1))
    return charts.trend_chart(
        row.indicator,
        month=month,
        target=row.target,
        current={m: actual for (_, m), actual in current.items()},
        same_period=same_period_series([pk], year)[pk],
    )


def rates_scope(overseen: set[int], mine_label: str, wide: str = "全区") -> str:
    """What the key-project rates are computed over, as their heading states it: the projects
    the viewer reads (access.key_projects_visible_to) — a leader's overseen units' (分管项目), a
    reporter's own unit's (本单位项目), the whole level's for those who read it all (`wide`:
    全区, 全县…, orgs.level_words.level_wide)."""
    if not overseen:
        return f"{wide}重点项目"
    return "分管项目" if mine_label == "分管" else "本单位项目"


@login_required
@require_GET
def dashboard(request):
    """The indicator table of a month for the indicators the user reads, with its charts."""
    user, filters = request.user, TableFilters.from_request(request)
    day = statistics_day(filters.year, filters.month)
    visible = indicators_visible_to(user, Indicator.objects.all())
    overseen = indicator_units_overseen(user)
    wide = level_wide(user)
    rows = indicator_table(
        filters.apply(visible, overseen), filters.year, filters.month, day, mode=filters.mode
    )
    time_pct = calc.time_progress_for(filters.year, filters.month, mode=filters.mode, as_of=day)
    rows = with_level_names(with_rolled(rows, filters.year, filters.month, time_pct), user)
    chosen = _chosen(rows, filters.indicator)
    projects = key_projects_visible_to(user, KeyProject.objects.filter(year=filters.year))
    rates = project_rates(projects, min(day, clock.today()))
    chart_data = {
        "trend": _trend(chosen, filters.year, filters.month),
        "completion": charts.completion_chart(rows, time_pct),
        "rates": charts.rates_chart(rates),
    }
    context = {
        "filters": filters,
        "rows": rows,
        "chosen": chosen,
        "tiles": _tiles(rows),
        "time_progress_pct": calc.round_pct(time_pct),
        "statistics_day": day,
        "units": Unit.objects.filter(id__in=visible.values("responsible_unit_id")),
        "categories": IndicatorCategory.choices,
        "modes": TimeProgressMode.choices,
        "rates": rates,
        "chart_data": chart_data,
        "definitions": legend.column_definitions(filters.mode),
        "status_rules": legend.status_rules(),
        "may_import": reports_any_indicator(user),
        "has_projects": any(rate.denominator for rate in rates),
        "may_manage": can_manage_indicators(user),
        "overseen": overseen,
        "rates_scope": rates_scope(overseen, indicator_mine_label(user), wide),
        "wide": wide,
        "mine_label": indicator_mine_label(user),
        "mine_count": sum(r.indicator.responsible_unit_id in overseen for r in rows),
    }
    return render(request, "indicators/indicator_dashboard.html", context)


def _months_shown(year: int) -> int:
    """Months of `year` that have begun: all of a past year, none of a future one."""
    today = clock.today()
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


@login_required
@require_GET
def indicator_detail(request, pk):
    """One indicator's year (?year=): target, month by month figures, every entry made."""
    indicator = get_indicator_for_user(request.user, pk)
    year = year_or_this_year(request.GET.get("year"))
    target = (
        IndicatorYear.objects.filter(indicator=indicator, year=year)
        .values_list("annual_target", flat=True)
        .first()
    )
    same = same_period_series([indicator.pk], year)[indicator.pk]
    entries = actual_history(indicator, year)
    current = history.current_by_month(entries)
    last_month = max(_months_shown(year), max(current, default=0))
    rolled = rolled_months(indicator, year, last_month, current)
    current, target = {**rolled, **current}, target if target is not None else lowers_target(rolled)
    args = {"current": current, "target": target, "same_period": same}
    context = {
        "indicator": indicator,
        "year": year,
        "target": target,
        "months": unjudged_partial(history.month_rows(indicator, last_month=last_month, **args)),
        "entries": history.history_entries(entries),
        "chart_data": {"trend": charts.trend_chart(indicator, month=last_month, **args)}
        if last_month
        else {},
        "may_report": can_report_indicator(request.user, indicator),
        "may_edit": can_manage_indicator_record(request.user, indicator.responsible_unit_id),
        "definitions": legend.column_definitions(),
        "lower": lower_section(request.user, indicator, year, clock.today()),
    }
    return render(request, "indicators/indicator_detail.html", context)
