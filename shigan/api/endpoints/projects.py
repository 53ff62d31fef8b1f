"""A key project's monthly figures (重点项目月度数据: investment completed this year, funds in
place, actual start and completion) read and filed as the unit's monthly report files them:
through indicators.access (who files: key_projects_for_report) and the same service
(indicators.services.project_figures_submit: its rules, its audit, append-only corrections).
The project itself is read and set up under /key-projects (endpoints.indicators). Key
enterprises (重点企业) read and set up as their pages: the list and the 新建 / 编辑重点企业 pages'
form (indicators.forms.records.EnterpriseForm) and service (enterprise_save, audited), for the
coordinators of the enterprise's own level."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status
from pydantic import field_validator

from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.core.params import parse_number
from shigan.indicators.access import (
    can_manage_indicators,
    get_key_enterprise_for_user,
    get_key_project_for_user,
    key_enterprises_visible_to,
    key_projects_for_report,
    key_projects_visible_to,
)
from shigan.indicators.forms.records import EnterpriseForm
from shigan.indicators.models import KeyEnterprise, KeyProject, ProjectFigure
from shigan.indicators.services import enterprise_save
from shigan.indicators.services.projects import (
    ProjectFigureEntry,
    ProjectFiguresRejected,
    figures_current,
    project_figures_submit,
)
from shigan.indicators.views.pages import READ_ONLY
from shigan.orgs.scope import district_id_of
from shigan.tasks.access import get_unit_for_report

from ..body import body_documented, body_parsed, number_text
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..problems import Problem, entry_refused
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, Day, RecordId, Version
from .tasks import _period

router = Router(tags=["指标与重点项目"])


def _number(raw):
    """The project's number rule (core.params.parse_number), as the monthly form reads an
    amount: half-width digits (full-width folded), thousands separators in threes;
    Arabic-Indic or superscript digits, exponents and booleans refused."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError("应为数字")
    value = parse_number(number_text(raw))
    if value is None:
        raise ValueError("必填")
    return value


class ProjectFigureOut(Schema):
    id: int
    month: int
    completed_investment: Decimal = NinjaField(description="本年累计完成投资（万元）")
    funds_in_place: Decimal = NinjaField(description="累计到位资金（万元）")
    started_on: datetime.date | None = NinjaField(description="实际开工日期")
    completed_on: datetime.date | None = NinjaField(description="实际竣工投产日期")
    note: str
    unit_id: int
    submitted_at: datetime.datetime
    corrects_id: int | None
    correction_reason: str


def _figure_out(f: ProjectFigure) -> dict:
    return {
        "id": f.pk,
        "month": f.month,
        "completed_investment": f.completed_investment,
        "funds_in_place": f.funds_in_place,
        "started_on": f.started_on,
        "completed_on": f.completed_on,
        "note": f.note,
        "unit_id": f.unit_id,
        "submitted_at": f.submitted_at,
        "corrects_id": f.corrects_id,
        "correction_reason": f.correction_reason,
    }


@router.get(
    "/key-projects/{project_id}/figures",
    response={200: list[ProjectFigureOut], **RECORD_ERRORS},
    summary="重点项目月度数据",
)
def project_figure_list(request, project_id: RecordId):
    """Every monthly figure filed for the project (of its year), in filing order, corrections
    included (`corrects_id` names the entry a correction replaces)."""
    project = get_key_project_for_user(request.user, project_id)
    figures = ProjectFigure.objects.filter(project=project).order_by("month", "id")
    return [_figure_out(f) for f in figures]


class ProjectFigureIn(Schema):
    period: str = NinjaField(description="所属月份，YYYY-MM（项目所属年度）", examples=["2023-07"])
    completed_investment: Decimal = NinjaField(description="本年累计完成投资（万元）")
    funds_in_place: Decimal = NinjaField(description="累计到位资金（万元）")
    started_on: Day | None = NinjaField(
        None, description="实际开工日期；不填则沿用该月当前填报（无则项目已有）的日期，null 为清除"
    )
    completed_on: Day | None = NinjaField(
        None, description="实际竣工投产日期；不填则沿用，同实际开工日期"
    )
    note: str = NinjaField("", max_length=2000, description="说明：金额低于上月时必填")
    reason: str = NinjaField("", max_length=1000, description="更正原因：该月已填报过时必填")
    seen: RecordId | None = NinjaField(
        None,
        description="提交者看到的该月当前填报编号；填写后，其间若有他人提交则拒绝（防止覆盖）",
    )

    @field_validator("completed_investment", "funds_in_place", mode="before")
    @classmethod
    def _a_number_as_the_forms_read_it(cls, raw):
        return _number(raw)


# The service's fields (indicators.services.Problem) as the API names them.
_FIGURE_FIELDS = {"month": "period", "corrects": "seen", "project": "project_id"}


def _project_to_file(user, project_id) -> KeyProject:
    """The key project whose figures the user files: 404 unless he reads it, 403 unless he
    files them (key_projects_for_report: its responsible unit's reporter, a coordinator of its
    own level), as the monthly report offers its card."""
    project = get_key_project_for_user(user, project_id)
    if not key_projects_for_report(user).filter(pk=project.pk).exists():
        raise PermissionDenied("只有该项目的责任单位或本级专班可以填报。")
    return project


def _dates(project: KeyProject, month: int, payload: ProjectFigureIn) -> dict:
    """The dates filed: those sent (null clears one), else the ones the monthly report's card
    is prefilled with — the month's current entry's, or the project's own before any — so a
    client sending only the amounts does not clear the project's start."""
    current = figures_current([project.pk], [month]).get((project.pk, month))
    known = {
        "started_on": current.started_on if current else project.actual_start,
        "completed_on": current.completed_on if current else project.actual_completion,
    }
    sent = payload.model_fields_set
    return {name: getattr(payload, name) if name in sent else day for name, day in known.items()}


@router.post(
    "/key-projects/{project_id}/figures",
    response={200: ProjectFigureOut, 201: ProjectFigureOut, **WRITE_ERRORS},
    summary="填报重点项目月度数据",
    url_name="project_figure_list",  # one URL, one name (the matrix's row); POST files
    openapi_extra=body_documented(ProjectFigureIn),
)
def project_figure_file(request, project_id: RecordId):
    """File the project's figures for a month of its year as the unit's monthly report does
    (the same service, indicators.services.project_figures_submit: the same rules and audit;
    the project's own figures follow its latest month). No future month; amounts not negative,
    two decimals at most; an amount lower than last month's needs `note`; a month filed before
    takes a correction with `reason`. The month's current figures sent again change nothing:
    200 with the current entry (a retry is safe); a new entry is 201."""
    project = _project_to_file(request.user, project_id)
    unit = get_unit_for_report(request.user, project.responsible_unit_id)
    payload = body_parsed(request, ProjectFigureIn)
    period = _period(payload.period)
    if period.year != project.year:
        detail = f"该项目为{project.year}年重点项目，只能填报{project.year}年的月份。"
        raise Problem(422, detail, errors=[{"field": "period", "detail": detail}])
    entry = ProjectFigureEntry(
        project=project, month=period.month, completed_investment=payload.completed_investment,
        funds_in_place=payload.funds_in_place, **_dates(project, period.month, payload),
        note=payload.note, unit=unit,
        corrects=ProjectFigure(pk=payload.seen) if payload.seen is not None else None,
        reason=payload.reason,
    )  # fmt: skip
    try:
        written = project_figures_submit(entries=[entry], by=request.user)
    except ProjectFiguresRejected as rejected:
        raise entry_refused(rejected.problems[0], _FIGURE_FIELDS) from None
    if not written:  # the month's current figures, unchanged: nothing filed
        return Status(200, _figure_out(figures_current([project.pk], [period.month])[entry.key]))
    return Status(201, _figure_out(ProjectFigure.objects.get(pk=written[0].pk)))  # as stored


# --- key enterprises (重点企业), as their pages --------------------------------------------------


def _require_manager(user) -> None:
    if not can_manage_indicators(user):
        raise PermissionDenied(READ_ONLY)


class EnterpriseFilters(PageFilters):
    """Only the page: cursor and limit."""


class EnterpriseOut(Schema):
    id: int
    name: str
    industry: str
    unit_id: int | None = NinjaField(description="联系单位编号")
    unit: str | None
    district_id: int | None = NinjaField(description="所属区县（单位编号）")
    notes: str
    sort_order: int


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class EnterpriseDetailOut(EnterpriseOut):
    version: int = NinjaField(description=VERSION_DESCRIPTION)


def _enterprise_out(e: KeyEnterprise) -> dict:
    return {
        "id": e.pk,
        "name": e.name,
        "industry": e.industry,
        "unit_id": e.unit_id,
        "unit": e.unit.name if e.unit_id else None,
        "district_id": e.district_id,
        "notes": e.notes,
        "sort_order": e.sort_order,
    }


def _enterprise_detail(enterprise_id: int) -> dict:
    enterprise = KeyEnterprise.objects.select_related("unit").get(pk=enterprise_id)
    return _enterprise_out(enterprise) | {"version": record_version(enterprise)}


@router.get(
    "/key-enterprises",
    response={200: EnterprisePage, **READ_ERRORS, 403: RECORD_ERRORS[403]},
    summary="重点企业列表",
)
def key_enterprise_list(request, filters: Query[EnterpriseFilters]):
    """The key enterprises the coordinator reads (as the 重点企业 page: coordinators only, 403
    for anyone else), by id. Two queries whatever the page's size: the page's ids, the rows."""
    _require_manager(request.user)
    known_only(request, EnterpriseFilters)
    projects = key_projects_visible_to(request.user, KeyProject.objects.all())
    enterprises = key_enterprises_visible_to(request.user, projects)
    page, next_cursor = page_of(enterprises.only("id"), filters.cursor, filters.limit)
    rows = KeyEnterprise.objects.filter(pk__in=[e.pk for e in page]).select_related("unit")
    return {"items": [_enterprise_out(e) for e in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/key-enterprises/{enterprise_id}",
    response={200: EnterpriseDetailOut, **RECORD_ERRORS},
    summary="重点企业详情",
)
def key_enterprise_detail(request, enterprise_id: RecordId):
    """A key enterprise the caller reads (404 otherwise), to a coordinator (403 for anyone
    else, as the 重点企业 pages)."""
    get_key_enterprise_for_user(request.user, enterprise_id)
    _require_manager(request.user)
    return _enterprise_detail(enterprise_id)


class EnterpriseIn(Schema):
    """A key enterprise as the 新建重点企业 / 编辑重点企业 page takes it (EnterpriseForm)."""

    name: str = NinjaField(max_length=100, description="企业名称（本区唯一）")
    industry: str = NinjaField("", max_length=50, description="所属行业")
    unit: RecordId | None = NinjaField(
        None, description="联系单位编号（本级的单位）；不填则企业属调用者所在区县"
    )
    notes: str = NinjaField("", max_length=2000, description="备注")
    sort_order: int | None = NinjaField(None, ge=0, le=99999, description="排序（空为0）")


class EnterpriseUpdateIn(EnterpriseIn):
    version: Version


@router.post(
    "/key-enterprises",
    response={201: EnterpriseDetailOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="新建重点企业",
    url_name="key_enterprise_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(EnterpriseIn),
)
def key_enterprise_create(request):
    """Create a key enterprise as the 新建重点企业 page does (the same form and service,
    enterprise_save: a name unique in its district — its contact unit's, else the caller's;
    audited): a coordinator (403 for anyone else, before the body is read)."""
    _require_manager(request.user)
    payload = body_parsed(request, EnterpriseIn)
    form = EnterpriseForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    district = district_id_of(request.user)
    try:
        saved = enterprise_save(
            enterprise=None, district_id=district, by=request.user, **form.values()
        )
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _enterprise_detail(saved.pk))


@router.put(
    "/key-enterprises/{enterprise_id}",
    response={200: EnterpriseDetailOut, **WRITE_ERRORS},
    summary="修改重点企业",
    url_name="key_enterprise_detail",
    openapi_extra=body_documented(EnterpriseUpdateIn),
)
def key_enterprise_edit(request, enterprise_id: RecordId):
    """Change a key enterprise as the 编辑重点企业 page does (the same form and service, the before and
    after audited): a coordinator of its own level — 404 for whoever does not read it, 403 for
    whoever only reads it. `version` is required (a missing one is a 422 on it); a save by someone
    else since is refused (422 on version) and nothing is written."""
    enterprise = get_key_enterprise_for_user(request.user, enterprise_id, write=True)
    _require_manager(request.user)
    payload = body_parsed(request, EnterpriseUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = EnterpriseForm(form_data(bare, **{VERSION_FIELD: payload.version}), user=request.user)
    district = district_id_of(request.user)
    corrected(
        form, enterprise, what=enterprise._meta.verbose_name,
        save=lambda: enterprise_save(
            enterprise=enterprise, district_id=district, by=request.user, **form.values()
        ),
    )  # fmt: skip
    return _enterprise_detail(enterprise.pk)
