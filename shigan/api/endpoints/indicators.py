"""Indicators (target, the month's figure, completion against 序时进度 and the status, as the
indicator table computes them: indicators.queries.indicator_table) and key projects
(indicators.queries.key_projects_annotated), read through indicators.access."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status
from pydantic import field_validator

from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import EditConflict, record_version
from shigan.core.params import YEAR_RANGE, parse_number
from shigan.indicators import calc
from shigan.indicators.access import (
    can_manage_indicators,
    can_report_indicator,
    get_indicator_for_user,
    get_key_project_for_user,
    indicators_visible_to,
    key_projects_visible_to,
)
from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.forms.records import IndicatorForm, IndicatorYearForm, KeyProjectForm
from shigan.indicators.models import (
    Accumulation,
    Actual,
    Aggregation,
    Direction,
    Indicator,
    IndicatorCategory,
    IndicatorYear,
    KeyProject,
    MeasureUnit,
    SamePeriodValue,
)
from shigan.indicators.queries import (
    IndicatorRow,
    actual_history,
    actuals_latest,
    indicator_month,
    indicator_table,
    key_projects_annotated,
)
from shigan.indicators.rolled import judged, with_rolled
from shigan.indicators.rollup import LOWERS, OWN, RolledFigure, upper_figures
from shigan.indicators.services import indicator_save, indicator_year_set, key_project_save
from shigan.indicators.services.actuals import ActualEntry, ActualsRejected, actuals_submit
from shigan.indicators.services.records import figures_judged
from shigan.indicators.views.pages import READ_ONLY
from shigan.indicators.year_guard import YearGuard, year_version
from shigan.tasks.access import get_unit_for_report

from ..body import body_documented, body_parsed, number_text
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..problems import entry_refused
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId, Version
from .tasks import _period

router = Router(tags=["指标与重点项目"])

Year = NinjaField(None, ge=YEAR_RANGE[0], le=YEAR_RANGE[1], description="年度（默认今年）")
Month = NinjaField(None, ge=1, le=12, description="月份（默认该年已有填报的最近一月，如指标表）")


class IndicatorFilters(PageFilters):
    year: int | None = Year
    month: int | None = Month
    responsible_unit: RecordId | None = NinjaField(None, description="责任单位编号")


class IndicatorOut(Schema):
    id: int
    name: str
    measure_unit: str
    category: str
    is_cumulative: bool
    lower_is_better: bool
    responsible_unit_id: int
    responsible_unit: str
    year: int
    month: int = NinjaField(description="数值所属月份")
    target: Decimal | None = NinjaField(description="年度目标")
    value: Decimal | None = NinjaField(description="该月完成值（累计指标为1至该月累计）")
    is_estimate: bool
    completion_pct: Decimal | None = NinjaField(description="完成率（%）")
    time_progress_pct: Decimal | None = NinjaField(description="序时进度（%）；时点指标为 null")
    gap_points: Decimal | None = NinjaField(description="完成率与序时进度之差（百分点）")
    same_period: Decimal | None
    change_pct: Decimal | None
    status: IndicatorStatus
    status_label: str
    value_source: str | None = NinjaField(
        description="完成值来源：own 本级填报；lowers 下级汇总（本级未填报，为下级的数汇总而得，"
        "完成率与状态按汇总数和目标计算）"
    )
    missing_label: str = NinjaField(description="下级汇总不全时：n个区未报；否则为空")


class IndicatorPage(Schema):
    items: list[IndicatorOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class ActualOut(Schema):
    id: int
    month: int
    value: Decimal
    is_estimate: bool
    note: str
    unit_id: int | None
    submitted_at: datetime.datetime
    corrects_id: int | None
    correction_reason: str


class RolledPartOut(Schema):
    indicator_id: int | None = NinjaField(description="下级指标编号（调用者可查看时）")
    level: str = NinjaField(description="所属区县")
    value: Decimal | None
    value_source: str | None = NinjaField(description="own 本级填报；lowers 再由其下级汇总")
    is_estimate: bool
    missing_label: str


class RolledOut(Schema):
    """The 下级汇总 section of the indicator page: what the lowers add up to."""

    month: int
    value: Decimal | None = NinjaField(description="下级汇总数（比率指标为按分子分母重算的比率）")
    value_source: str | None
    value_source_label: str
    own_value: Decimal | None = NinjaField(description="本级填报数（如有）")
    target: Decimal | None
    target_source_label: str = NinjaField(description="本级目标或下级目标之和")
    is_estimate: bool = NinjaField(description="汇总中含预计数")
    completion_pct: Decimal | None
    time_progress_pct: Decimal | None
    gap_points: Decimal | None
    status: IndicatorStatus
    status_label: str
    complete: bool = NinjaField(description="各下级均已填报")
    missing_label: str = NinjaField(description="n个区未报；汇总完整时为空")
    parts: list[RolledPartOut] = NinjaField(description="各下级的数")
    missing: list[RolledPartOut] = NinjaField(description="未填报的下级")


class IndicatorDetailOut(IndicatorOut):
    source: str
    accumulation: Accumulation = NinjaField(description="统计方式")
    direction: Direction = NinjaField(description="考核方向")
    sort_order: int
    upper_id: int | None = NinjaField(description="汇入的上级指标编号")
    aggregation: Aggregation = NinjaField(description="下级汇入本指标时的汇总方式")
    rate_numerator_id: int | None = NinjaField(description="比率的分子指标编号")
    rate_denominator_id: int | None = NinjaField(description="比率的分母指标编号")
    version: int = NinjaField(description=VERSION_DESCRIPTION)
    rolled: RolledOut | None = NinjaField(
        description="下级汇总（上级指标：如县的固定资产投资为各区之和）；无下级时为 null"
    )
    actuals: list[ActualOut] = NinjaField(description="该年的每次填报（含更正），按填报先后")


class YearQuery(Schema):
    year: int | None = Year
    month: int | None = Month


def _actual_out(a: Actual) -> dict:
    return {
        "id": a.pk,
        "month": a.month,
        "value": a.value,
        "is_estimate": a.is_estimate,
        "note": a.note,
        "unit_id": a.unit_id,
        "submitted_at": a.submitted_at,
        "corrects_id": a.corrects_id,
        "correction_reason": a.correction_reason,
    }


def _year_month(user, year: int | None, month: int | None) -> tuple[int, int]:
    """The indicator table's month: the one asked for, or the latest with a figure
    (indicators.queries.indicator_month; January before the year begins)."""
    today = clock.today()
    year = year or today.year
    if month is None:
        month = indicator_month(indicators_visible_to(user, Indicator.objects.all()), year, today)
    return year, max(month, 1)


def _indicator_out(row: IndicatorRow, year: int, month: int) -> dict:
    ind = row.indicator
    return {
        "id": ind.pk,
        "name": ind.name,
        "measure_unit": ind.measure_unit,
        "category": ind.category,
        "is_cumulative": ind.is_cumulative,
        "lower_is_better": ind.lower_is_better,
        "responsible_unit_id": ind.responsible_unit_id,
        "responsible_unit": ind.responsible_unit.name,
        "year": year,
        "month": month,
        "target": row.target,
        "value": row.value,
        "is_estimate": row.is_estimate,
        "completion_pct": row.completion_pct,
        "time_progress_pct": row.time_progress_pct,
        "gap_points": row.gap_points,
        "same_period": row.same_period,
        "change_pct": row.change_pct,
        "status": row.status,
        "status_label": IndicatorStatus(row.status).label,
        "value_source": LOWERS
        if row.rolled is not None
        else OWN
        if row.value is not None
        else None,
        "missing_label": row.rolled.missing_label if row.rolled is not None else "",
    }


def _rows(indicators, year: int, month: int) -> list[IndicatorRow]:
    """The indicator table's rows, each rolled from its lowers where the level has no figure of
    its own (indicators.rolled.with_rolled, as the indicator table page shows them)."""
    rows = with_rolled(indicator_table(indicators, year, month), year, month,
                       calc.time_progress_for(year, month))  # fmt: skip
    for row in rows:
        if row.rolled is not None:
            row.value, row.is_estimate = row.rolled.value, row.rolled.estimate
    return rows


@router.get("/indicators", response={200: IndicatorPage, **READ_ERRORS}, summary="指标列表")
def indicator_list(request, filters: Query[IndicatorFilters]):
    """The indicators the caller reads (every person of a district reads all of its indicators),
    by id, each with its target, the month's figure, completion against 序时进度 and status, as
    the indicator table shows them."""
    known_only(request, IndicatorFilters)
    year, month = _year_month(request.user, filters.year, filters.month)
    indicators = indicators_visible_to(request.user, Indicator.objects.all())
    if filters.responsible_unit is not None:
        indicators = indicators.filter(responsible_unit_id=filters.responsible_unit)
    page, next_cursor = page_of(indicators.only("id"), filters.cursor, filters.limit)
    chosen = Indicator.objects.filter(pk__in=[i.pk for i in page]).order_by("pk")
    rows = _rows(chosen, year, month)
    return {"items": [_indicator_out(row, year, month) for row in rows], "next": next_cursor}


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorDetailOut, **RECORD_ERRORS},
    summary="指标详情",
)
def indicator_detail(request, indicator_id: RecordId, query: Query[YearQuery]):
    """An indicator as the table shows it for the month, with every figure filed in the year
    (corrections included: `corrects_id` names the entry a correction replaces)."""
    indicator = get_indicator_for_user(request.user, indicator_id)  # 404 whatever was asked
    known_only(request, YearQuery)
    return _indicator_detail(request.user, indicator, query.year, query.month)


def _indicator_detail(user, indicator: Indicator, year: int | None, month: int | None) -> dict:
    year, month = _year_month(user, year, month)
    (row,) = _rows(Indicator.objects.filter(pk=indicator.pk), year, month)
    actuals = [_actual_out(a) for a in actual_history(indicator, year)]
    rolled = _rolled_out(user, indicator, year, month)
    return _indicator_out(row, year, month) | {
        "source": indicator.source,
        "accumulation": indicator.accumulation,
        "direction": indicator.direction,
        "sort_order": indicator.sort_order,
        "upper_id": indicator.upper_id,
        "aggregation": indicator.aggregation,
        "rate_numerator_id": indicator.rate_numerator_id,
        "rate_denominator_id": indicator.rate_denominator_id,
        "version": record_version(indicator),
        "actuals": actuals,
        "rolled": rolled,
    }


def _part_out(fig: RolledFigure, readable: set[int]) -> dict:
    district = fig.indicator.district
    return {
        "indicator_id": fig.indicator.pk if fig.indicator.pk in readable else None,
        "level": district.label if district is not None else "",
        "value": fig.value,
        "value_source": fig.source,
        "is_estimate": fig.estimate,
        "missing_label": fig.missing_label,
    }


def _rolled_out(user, indicator: Indicator, year: int, month: int) -> dict | None:
    """What the 下级汇总 section of the indicator page shows for the month (the rolled figure
    judged by indicators.rolled.judged, its parts and the levels not filed), or None where
    nothing rolls into the indicator. A part's id only where the caller reads it."""
    fig = upper_figures([indicator], year=year, month=month).get(indicator.pk)
    if fig is None or not (fig.parts or fig.numerator):
        return None
    shown = [*fig.parts, *fig.missing]
    readable = set(
        indicators_visible_to(
            user, Indicator.objects.filter(pk__in=[p.indicator.pk for p in shown])
        ).values_list("pk", flat=True)
    )
    completion, time_pct, gap, status = judged(fig, calc.time_progress_for(year, month))
    return {
        "month": month,
        "value": fig.value,
        "value_source": fig.source,
        "value_source_label": {LOWERS: "下级汇总", OWN: "本级填报"}.get(fig.source, ""),
        "own_value": fig.own,
        "target": fig.target,
        "target_source_label": {LOWERS: "下级目标之和", OWN: "本级目标"}.get(fig.target_source, ""),
        "is_estimate": fig.estimate,
        "completion_pct": completion,
        "time_progress_pct": time_pct,
        "gap_points": gap,
        "status": status,
        "status_label": IndicatorStatus(status).label,
        "complete": fig.complete,
        "missing_label": fig.missing_label,
        "parts": [_part_out(p, readable) for p in fig.parts],
        "missing": [_part_out(p, readable) for p in fig.missing],
    }


class ProjectFilters(PageFilters):
    year: int | None = Year
    responsible_unit: RecordId | None = NinjaField(None, description="责任单位编号")
    enterprise: RecordId | None = NinjaField(None, description="重点企业编号")


class KeyProjectOut(Schema):
    id: int
    year: int
    name: str
    enterprise_id: int | None
    enterprise: str | None
    responsible_unit_id: int
    responsible_unit: str
    contracted_investment: Decimal = NinjaField(description="合同投资（万元）")
    planned_investment_this_year: Decimal = NinjaField(description="本年计划投资（万元）")
    completed_investment_this_year: Decimal = NinjaField(description="本年完成投资（万元）")
    funds_in_place: Decimal = NinjaField(description="到位资金（万元）")
    planned_start: datetime.date | None
    actual_start: datetime.date | None
    planned_completion: datetime.date | None
    actual_completion: datetime.date | None
    task_id: int | None = NinjaField(description="项目节点所在的任务（节点即其里程碑）")
    nodes_total: int
    nodes_done: int


class KeyProjectPage(Schema):
    items: list[KeyProjectOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


def _project_out(project) -> dict:
    return {
        "id": project.pk,
        "year": project.year,
        "name": project.name,
        "enterprise_id": project.enterprise_id,
        "enterprise": project.enterprise.name if project.enterprise_id else None,
        "responsible_unit_id": project.responsible_unit_id,
        "responsible_unit": project.responsible_unit.name,
        "contracted_investment": project.contracted_investment,
        "planned_investment_this_year": project.planned_investment_this_year,
        "completed_investment_this_year": project.completed_investment_this_year,
        "funds_in_place": project.funds_in_place,
        "planned_start": project.planned_start,
        "actual_start": project.actual_start,
        "planned_completion": project.planned_completion,
        "actual_completion": project.actual_completion,
        "task_id": project.task_id,
        "nodes_total": project.nodes_total,
        "nodes_done": project.nodes_done,
    }


@router.get("/key-projects", response={200: KeyProjectPage, **READ_ERRORS}, summary="重点项目列表")
def key_project_list(request, filters: Query[ProjectFilters]):
    """The key projects the caller reads (by their responsible unit), by id, with their nodes
    counted (the milestones of the project's task)."""
    known_only(request, ProjectFilters)
    projects = key_projects_visible_to(request.user, KeyProject.objects.all())
    if filters.year is not None:
        projects = projects.filter(year=filters.year)
    for name in ("responsible_unit", "enterprise"):
        if (value := getattr(filters, name)) is not None:
            projects = projects.filter(**{f"{name}_id": value})
    page, next_cursor = page_of(projects.only("id"), filters.cursor, filters.limit)
    chosen = KeyProject.objects.filter(pk__in=[p.pk for p in page]).order_by("pk")
    return {"items": [_project_out(p) for p in key_projects_annotated(chosen)], "next": next_cursor}


class KeyProjectDetailOut(KeyProjectOut):
    sort_order: int
    version: int = NinjaField(description=VERSION_DESCRIPTION)


@router.get(
    "/key-projects/{project_id}",
    response={200: KeyProjectDetailOut, **RECORD_ERRORS},
    summary="重点项目详情",
)
def key_project_detail(request, project_id: RecordId):
    project = get_key_project_for_user(request.user, project_id)
    return _project_detail(project)


def _project_detail(project: KeyProject) -> dict:
    (row,) = key_projects_annotated(KeyProject.objects.filter(pk=project.pk))
    return _project_out(row) | {"sort_order": row.sort_order, "version": record_version(row)}


class ActualIn(Schema):
    period: str = NinjaField(description="所属月份，YYYY-MM", examples=["2023-07"])
    value: Decimal = NinjaField(description="完成值（累计指标为1至该月累计）")
    is_estimate: bool = NinjaField(False, description="是否预计数")
    note: str = NinjaField("", max_length=2000, description="说明：与上月或上年同期相差较大时必填")
    reason: str = NinjaField("", max_length=1000, description="更正原因：该月已填报过时必填")
    seen: RecordId | None = NinjaField(
        None,
        description="提交者看到的该月当前填报编号；填写后，其间若有他人提交则拒绝（防止覆盖）",
    )

    @field_validator("value", mode="before")
    @classmethod
    def _a_number_as_the_forms_read_it(cls, raw):
        """The project's number rule (core.params.parse_number), as the monthly form and the
        imports apply it: half-width digits (full-width folded), thousands separators in threes;
        Arabic-Indic or superscript digits, exponents and booleans refused."""
        if isinstance(raw, bool) or raw is None:
            raise ValueError("应为数字")
        value = parse_number(number_text(raw))
        if value is None:
            raise ValueError("必填")
        return value


# The service's fields (indicators.services.actuals.Problem) as the API names them.
_ACTUAL_FIELDS = {"month": "period", "corrects": "seen", "indicator": "indicator_id"}


@router.post(
    "/indicators/{indicator_id}/actuals",
    response={200: ActualOut, 201: ActualOut, **WRITE_ERRORS},
    summary="填报指标完成值",
    openapi_extra=body_documented(ActualIn),
)
def actual_file(request, indicator_id: RecordId):
    """File the indicator's figure for a month as the unit's monthly report does (the same
    service, indicators.services.actuals_submit: the same rules and audit): the caller must
    report the indicator (a reporter: his unit's; a coordinator: his own level's —
    can_report_indicator), no future month, a second figure for the month is a correction that
    needs `reason`, a large change needs `note`. Refused (422) with the service's messages. The
    month's current figure sent again (same value, estimate flag and note) files nothing: 200
    with the current entry, as key-project figures answer (a retry is safe); a new entry is
    201."""
    indicator = get_indicator_for_user(request.user, indicator_id)
    if not can_report_indicator(request.user, indicator):
        raise PermissionDenied("只有该指标的责任单位或本级专班可以填报。")
    unit = get_unit_for_report(request.user, indicator.responsible_unit_id)
    payload = body_parsed(request, ActualIn)
    period = _period(payload.period)
    entry = ActualEntry(
        indicator=indicator, year=period.year, month=period.month, value=payload.value,
        is_estimate=payload.is_estimate, note=payload.note, reason=payload.reason, unit=unit,
        corrects=Actual(pk=payload.seen) if payload.seen is not None else None,
    )  # fmt: skip
    try:
        written = actuals_submit(entries=[entry], by=request.user)
    except ActualsRejected as rejected:
        raise entry_refused(rejected.problems[0], _ACTUAL_FIELDS) from None
    if not written:  # the month's current figure, unchanged: nothing filed
        current = actuals_latest([indicator.pk], [period.year], [period.month])
        return Status(200, _actual_out(current[entry.key]))
    (actual,) = written
    return Status(201, _actual_out(actual))


# --- set-up: an indicator's definition, its year's target (the 指标设置 pages) ---------------


CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}  # no record in the path


class IndicatorIn(Schema):
    """An indicator's definition as the 新建指标 / 编辑指标 page takes it
    (indicators.forms.records.IndicatorForm)."""

    name: str = NinjaField(max_length=100, description="指标名称（本区唯一）")
    measure_unit: MeasureUnit = NinjaField(description="计量单位")
    category: IndicatorCategory = NinjaField(description="类别")
    accumulation: Accumulation = NinjaField(description="统计方式")
    direction: Direction = NinjaField(description="考核方向")
    responsible_unit: RecordId = NinjaField(description="责任单位编号（本级的单位）")
    source: str = NinjaField("", max_length=200, description="统计来源")
    sort_order: int | None = NinjaField(None, ge=0, le=99999, description="排序（空为0）")
    upper: RecordId | None = NinjaField(
        None, description="汇入上级指标编号（县、市、省的同计量单位指标）；不汇入为 null"
    )
    aggregation: Aggregation | None = NinjaField(
        None,
        description="下级汇入本指标时的汇总方式：可加指标相加（sum）；比率由分子、分母指标汇总后"
        "重算（rate）；不可加只并列（none）。不填：新建时百分比指标为 none、其余为 sum，修改时不变",
    )
    rate_numerator: RecordId | None = NinjaField(None, description="比率的分子指标编号（本级）")
    rate_denominator: RecordId | None = NinjaField(None, description="比率的分母指标编号（本级）")


class IndicatorUpdateIn(IndicatorIn):
    version: Version


def _require_manager(user) -> None:
    if not can_manage_indicators(user):
        raise PermissionDenied(READ_ONLY)


@router.post(
    "/indicators",
    response={201: IndicatorDetailOut, **CREATE_ERRORS},
    summary="新建指标",
    url_name="indicator_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(IndicatorIn),
)
def indicator_create(request):
    """Create an indicator as the 新建指标 page does (the same form, IndicatorForm: units of the
    caller's level; the same service, indicators.services.indicator_save: a name unique in the
    district, the roll-up links' rules — an upper of a level above with the same measure unit,
    a rate's numerator and denominator of the own level, no sum of percentages; audited): a
    coordinator (403 for anyone else, before the body is read). Refused (422) with the page's
    messages on their fields."""
    _require_manager(request.user)
    payload = body_parsed(request, IndicatorIn)
    form = IndicatorForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        indicator = indicator_save(indicator=None, by=request.user, **form.values())
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _indicator_detail(request.user, indicator, None, None))


@router.put(
    "/indicators/{indicator_id}",
    response={200: IndicatorDetailOut, **WRITE_ERRORS},
    summary="修改指标",
    url_name="indicator_detail",
    openapi_extra=body_documented(IndicatorUpdateIn),
)
def indicator_edit(request, indicator_id: RecordId):
    """Change an indicator's definition as the 编辑指标 page does (the same form and service, the before
    and after audited; an indicator with lowers keeps their measure unit): a coordinator of the
    indicator's own level — 404 for whoever does not read it, 403 for whoever only reads it (a
    district's indicator is read-only to its county). `version` is required (a missing one is a 422
    on it); a save by someone else since is refused (422 on version) and nothing is written."""
    indicator = get_indicator_for_user(request.user, indicator_id, write=True)
    _require_manager(request.user)
    payload = body_parsed(request, IndicatorUpdateIn)
    bare = payload.model_copy(update={"version": None})
    data = form_data(bare, **{VERSION_FIELD: payload.version})
    form = IndicatorForm(data, user=request.user, indicator=indicator)
    corrected(
        form, indicator, what=indicator._meta.verbose_name,
        save=lambda: indicator_save(indicator=indicator, by=request.user, **form.values()),
    )  # fmt: skip
    indicator.refresh_from_db()
    return _indicator_detail(request.user, indicator, None, None)


YearPath = Annotated[int, NinjaField(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])]


class SamePeriodOut(Schema):
    month: int
    value: Decimal = NinjaField(description="上年该月同期数")


class IndicatorYearOut(Schema):
    indicator_id: int
    year: int
    annual_target: Decimal | None = NinjaField(description="年度目标；未设为 null")
    same_period: list[SamePeriodOut] = NinjaField(description="上年各月同期数（已填的月份）")
    figures_judged: int = NinjaField(
        description="该年已按目标计算进度的完成值条数；不为0时修改年度目标须填写原因"
    )
    version: int = NinjaField(description=VERSION_DESCRIPTION)


def _figure(raw):
    """A figure as the year's form reads it (core.params.parse_number, as ActualIn): half-width
    digits (full-width folded), thousands separators in threes; null or empty clears it."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError("应为数字")
    return parse_number(number_text(raw))


class IndicatorYearIn(Schema):
    """The year's target and last year's figure of each month as the 年度目标 page takes them
    (indicators.forms.records.IndicatorYearForm): a month left out (or null) keeps its figure."""

    annual_target: Decimal | None = NinjaField(None, description="年度目标；null 为未设")
    reason: str = NinjaField(
        "", max_length=500, description="修改原因：已有完成值按原目标计算进度时修改年度目标必填"
    )
    same_1: Decimal | None = NinjaField(None, description="上年1月同期数")
    same_2: Decimal | None = NinjaField(None, description="上年2月同期数")
    same_3: Decimal | None = NinjaField(None, description="上年3月同期数")
    same_4: Decimal | None = NinjaField(None, description="上年4月同期数")
    same_5: Decimal | None = NinjaField(None, description="上年5月同期数")
    same_6: Decimal | None = NinjaField(None, description="上年6月同期数")
    same_7: Decimal | None = NinjaField(None, description="上年7月同期数")
    same_8: Decimal | None = NinjaField(None, description="上年8月同期数")
    same_9: Decimal | None = NinjaField(None, description="上年9月同期数")
    same_10: Decimal | None = NinjaField(None, description="上年10月同期数")
    same_11: Decimal | None = NinjaField(None, description="上年11月同期数")
    same_12: Decimal | None = NinjaField(None, description="上年12月同期数")

    @field_validator("*", mode="before")
    @classmethod
    def _a_number_as_the_forms_read_it(cls, raw, info):
        return raw if info.field_name in ("reason", "version") else _figure(raw)


class IndicatorYearUpdateIn(IndicatorYearIn):
    version: Version


def _year_out(indicator: Indicator, year: int) -> dict:
    target = IndicatorYear.objects.filter(indicator=indicator, year=year).first()
    same = SamePeriodValue.objects.filter(indicator=indicator, year=year).order_by("month")
    return {
        "indicator_id": indicator.pk,
        "year": year,
        "annual_target": target.annual_target if target else None,
        "same_period": [{"month": s.month, "value": s.value} for s in same],
        "figures_judged": figures_judged(indicator, year),
        "version": year_version(indicator, year),
    }


def _year_indicator(user, indicator_id) -> Indicator:
    """As the 年度目标 page: 404 unless the caller reads the indicator, 403 unless it is of his
    own level, then 403 unless he is a coordinator."""
    indicator = get_indicator_for_user(user, indicator_id, write=True)
    _require_manager(user)
    return indicator


@router.get(
    "/indicators/{indicator_id}/years/{year}",
    response={200: IndicatorYearOut, **RECORD_ERRORS},
    summary="指标年度目标与上年同期数",
)
def indicator_year(request, indicator_id: RecordId, year: YearPath):
    """The year's annual target and last year's figures by month, as the 年度目标 page shows
    them (the same access: the coordinators of the indicator's own level)."""
    return _year_out(_year_indicator(request.user, indicator_id), year)


@router.put(
    "/indicators/{indicator_id}/years/{year}",
    response={200: IndicatorYearOut, **WRITE_ERRORS},
    summary="设置指标年度目标与上年同期数",
    url_name="indicator_year",
    openapi_extra=body_documented(IndicatorYearUpdateIn),
)
def indicator_year_put(request, indicator_id: RecordId, year: YearPath):
    """Set the year's annual target (null: none) and last year's figures as the 年度目标 page
    does (the same form and service, indicators.services.indicator_year_set, audited): changing
    a target that figures of the year were already judged against needs `reason` (422 on
    reason), kept in the history; a month left out keeps its figure. `version` (as the GET
    answers it) is required (a missing one is a 422 on it); a save by someone else since is
    refused (422 on version, naming who changed what and when) and nothing is written."""
    indicator = _year_indicator(request.user, indicator_id)
    payload = body_parsed(request, IndicatorYearUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = IndicatorYearForm(form_data(bare, **{VERSION_FIELD: payload.version}))
    guard = YearGuard(form, indicator, year)
    if not form.is_valid():
        raise form_refused(form)
    try:
        guard.save(
            lambda: indicator_year_set(
                indicator=indicator, year=year, by=request.user,
                annual_target=form.cleaned_data["annual_target"], same_period=form.same_period(),
                reason=form.cleaned_data["reason"],
            )
        )  # fmt: skip
    except EditConflict as conflict:
        raise service_refused(conflict, {NON_FIELD_ERRORS: "version"}) from None
    except ValidationError as error:
        raise service_refused(error) from None
    return _year_out(indicator, year)


# --- set-up: a key project's plan (the 新建重点项目 / 编辑重点项目 pages) ----------------------


class KeyProjectIn(Schema):
    """A key project's plan as its page takes it (indicators.forms.records.KeyProjectForm); its
    figures come from the monthly report (POST /key-projects/{id}/figures)."""

    year: int = NinjaField(ge=YEAR_RANGE[0], le=YEAR_RANGE[1], description="年度")
    name: str = NinjaField(max_length=200, description="项目名称")
    enterprise: RecordId | None = NinjaField(None, description="建设企业编号（重点企业）")
    responsible_unit: RecordId = NinjaField(description="责任单位编号（本级的单位）")
    contracted_investment: Decimal = NinjaField(description="合同投资（万元）")
    planned_investment_this_year: Decimal = NinjaField(description="本年计划投资（万元）")
    planned_start: str | None = NinjaField(
        None, description="计划开工日期，YYYY-MM-DD", examples=["2023-03-01"]
    )
    planned_completion: str | None = NinjaField(
        None, description="计划竣工投产日期，YYYY-MM-DD（不早于计划开工）", examples=["2024-06-30"]
    )
    task: RecordId | None = NinjaField(None, description="节点任务编号（其里程碑即项目节点）")
    sort_order: int | None = NinjaField(None, ge=0, le=99999, description="排序（空为0）")

    @field_validator("contracted_investment", "planned_investment_this_year", mode="before")
    @classmethod
    def _a_number_as_the_forms_read_it(cls, raw):
        if isinstance(raw, bool) or raw is None:
            raise ValueError("应为数字")
        value = parse_number(number_text(raw))
        if value is None:
            raise ValueError("必填")
        return value


class KeyProjectUpdateIn(KeyProjectIn):
    version: Version


def _project_saved(request, project: KeyProject | None, form) -> KeyProject:
    if project is None:
        if not form.is_valid():
            raise form_refused(form)
        try:
            return key_project_save(project=None, by=request.user, **form.values())
        except ValidationError as error:
            raise service_refused(error) from None
    return corrected(
        form, project, what=project._meta.verbose_name,
        save=lambda: key_project_save(project=project, by=request.user, **form.values()),
    )  # fmt: skip


@router.post(
    "/key-projects",
    response={201: KeyProjectDetailOut, **CREATE_ERRORS},
    summary="新建重点项目",
    url_name="key_project_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(KeyProjectIn),
)
def key_project_create(request):
    """Create a key project as the 新建重点项目 page does (the same form, KeyProjectForm: units of
    the caller's level, enterprises and tasks he reads; the same service, key_project_save: the
    planned completion not before the planned start; audited): a coordinator (403 for anyone
    else, before the body is read). Refused (422) with the page's messages on their fields."""
    _require_manager(request.user)
    payload = body_parsed(request, KeyProjectIn)
    form = KeyProjectForm(form_data(payload), user=request.user)
    project = _project_saved(request, None, form)
    return Status(201, _project_detail(project))


@router.put(
    "/key-projects/{project_id}",
    response={200: KeyProjectDetailOut, **WRITE_ERRORS},
    summary="修改重点项目",
    url_name="key_project_detail",
    openapi_extra=body_documented(KeyProjectUpdateIn),
)
def key_project_edit(request, project_id: RecordId):
    """Change a key project's plan as the 编辑重点项目 page does (the same form and service, the before
    and after audited): a coordinator of the project's own level — 404 for whoever does not read it,
    403 for whoever only reads it. `version` is required (a missing one is a 422 on it); a save by
    someone else since is refused (422 on version) and nothing is written."""
    project = get_key_project_for_user(request.user, project_id, write=True)
    _require_manager(request.user)
    payload = body_parsed(request, KeyProjectUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = KeyProjectForm(form_data(bare, **{VERSION_FIELD: payload.version}), user=request.user)
    _project_saved(request, project, form)
    return _project_detail(project)
