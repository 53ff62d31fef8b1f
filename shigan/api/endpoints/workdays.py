"""The working-day calendar (工作日历) as its pages: a year's national holidays and 调休
(shigan.core.workdays) and the district's own overrides, read and written by the task force alone
(orgs.access.can_manage_workdays — 403 for everyone else, with the page's message, before the
body is read); an override outside the caller's district, removed, or unknown is 404 with the
page's message. Writes go through the page's forms (orgs.forms.WorkdayOverrideForm,
WorkdayRemoveForm) and services (orgs.services.workdays: add, change, remove with a reason),
each audited on the override with its reason as the entry's note."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.core.workdays import coverage_note, national_days
from shigan.orgs.access import can_manage_workdays
from shigan.orgs.forms import WorkdayOverrideForm, WorkdayRemoveForm
from shigan.orgs.models import WorkdayOverride
from shigan.orgs.scope import district_id_of, get_visible
from shigan.orgs.services.workdays import (
    workday_override_add,
    workday_override_change,
    workday_override_remove,
)

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import RECORD_ERRORS, WRITE_ERRORS, RecordId, Version

router = Router(tags=["组织与活动"])

REFUSED = "只有专班可以维护工作日历。"
NO_DISTRICT = "您的账号不属于任何区县，无法维护工作日历。"
MISSING = "该工作日调整不存在。"
WEEKDAYS = "一二三四五六日"
YEARS = (1990, 2100)


def _district(request) -> int:
    """The caller's district, as the page finds it (403 with the page's messages)."""
    if not can_manage_workdays(request.user):
        raise PermissionDenied(REFUSED)
    district_id = district_id_of(request.user)
    if district_id is None:
        raise PermissionDenied(NO_DISTRICT)
    return district_id


def _override(request, pk: int) -> WorkdayOverride:
    visible = WorkdayOverride.objects.filter(district_id=_district(request), active=True)
    return get_visible(visible, pk, MISSING)


class WorkdayFilters(PageFilters):
    year: int | None = Field(
        None, ge=YEARS[0], le=YEARS[1], description="年度（默认今年），只列该年的调整"
    )


class WorkdayOut(Schema):
    id: int
    date: datetime.date
    weekday: str = Field(description="星期（一…日）")
    is_workday: bool = Field(
        description="调整为：true 上班（本地工作日），false 休息（本地节假日）"
    )
    reason: str = Field(description="原因")


class WorkdayDetailOut(WorkdayOut):
    version: int = Field(description=VERSION_DESCRIPTION)


class WorkdayPage(Schema):
    items: list[WorkdayOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class NationalDayOut(Schema):
    date: datetime.date
    weekday: str
    is_workday: bool = Field(description="true：调休上班；false：法定节假日休息")
    name: str = Field(description="节日名称")


class NationalOut(Schema):
    year: int
    coverage_note: str = Field(description="该年国家日历的说明（未收录时提示按周末计算）")
    days: list[NationalDayOut]


def _out(row: WorkdayOverride) -> dict:
    return {
        "id": row.pk,
        "date": row.date,
        "weekday": WEEKDAYS[row.date.weekday()],
        "is_workday": row.is_workday,
        "reason": row.reason,
    }


def _year(year: int | None) -> int:
    return year if year is not None else clock.today().year


@router.get("/workdays", response={200: WorkdayPage, **RECORD_ERRORS}, summary="工作日调整列表")
def workday_list(request, filters: Query[WorkdayFilters]):
    """The district's overrides in force for a year (as the 工作日历 page lists them), by id:
    the task force only (403 for anyone else). One query for the page whatever its size."""
    known_only(request, WorkdayFilters)
    rows = WorkdayOverride.objects.filter(
        district_id=_district(request), active=True, date__year=_year(filters.year)
    )
    page, next_cursor = page_of(rows, filters.cursor, filters.limit)
    return {"items": [_out(r) for r in page], "next": next_cursor}


class NationalFilters(Schema):
    year: int | None = Field(None, ge=YEARS[0], le=YEARS[1], description="年度（默认今年）")


@router.get(
    "/workdays/national",
    response={200: NationalOut, **RECORD_ERRORS},
    summary="国家法定节假日与调休",
)
def workday_national(request, filters: Query[NationalFilters]):
    """The national holidays and 调休 of a year the page shows beside the overrides (read,
    never written here): the task force only, as the page."""
    known_only(request, NationalFilters)
    _district(request)
    year = _year(filters.year)
    days = [
        {"date": d, "weekday": WEEKDAYS[d.weekday()], "is_workday": w, "name": name}
        for d, w, name in national_days(year)
    ]
    return {"year": year, "coverage_note": coverage_note(year) or "", "days": days}


@router.get(
    "/workdays/{workday_id}",
    response={200: WorkdayDetailOut, **RECORD_ERRORS},
    summary="工作日调整详情",
)
def workday_detail(request, workday_id: RecordId):
    """An override, with the `version` its PUT (and a removal) sends back."""
    return _detail(_override(request, workday_id))


def _detail(override: WorkdayOverride) -> dict:
    return _out(override) | {"version": record_version(override)}


class WorkdayChangeIn(Schema):
    """An override as the 修改 page takes it (WorkdayOverrideForm without the date)."""

    is_workday: bool = Field(
        description="调整为：true 上班（本地工作日），false 休息（本地节假日）"
    )
    reason: str = Field(max_length=200, description="原因（如“区运动会放假一天”）")


class WorkdayIn(WorkdayChangeIn):
    """An override as the 工作日历 page adds it (WorkdayOverrideForm)."""

    date: str = Field(description="日期，YYYY-MM-DD", examples=["2023-10-09"])


class WorkdayChangeUpdateIn(WorkdayChangeIn):
    version: Version


class WorkdayRemoveIn(Schema):
    reason: str = Field(max_length=200, description="删除原因")
    version: int | None = Field(
        None,
        ge=0,
        le=10**18,
        description="读取时（详情）返回的 version：若提供，其间有他人修改则拒绝删除",
    )


def _form_data(payload: WorkdayChangeIn):
    # The form's choice is "1" (上班) or "0" (休息), not a check box.
    return form_data(payload, is_workday="1" if payload.is_workday else "0")


@router.post(
    "/workdays",
    response={201: WorkdayOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="添加工作日调整",
    url_name="workday_list",
    openapi_extra=body_documented(WorkdayIn),
)
def workday_create(request):
    """Add an override as the 工作日历 page does (the same form and service, audited): refused
    (422) when the date already has one or when it would say what the national calendar says;
    a removed override of the date comes back with the new values (its history kept)."""
    district_id = _district(request)
    payload = body_parsed(request, WorkdayIn)
    form = WorkdayOverrideForm(_form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data
    try:
        override = workday_override_add(
            district_id=district_id, day=data["date"], is_workday=data["is_workday"],
            reason=data["reason"], by=request.user,
        )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _out(override))


@router.put(
    "/workdays/{workday_id}",
    response={200: WorkdayDetailOut, **WRITE_ERRORS},
    summary="修改工作日调整",
    url_name="workday_detail",
    openapi_extra=body_documented(WorkdayChangeUpdateIn),
)
def workday_edit(request, workday_id: RecordId):
    """Change an override's kind and reason as its page does (audited with before and after;
    the same values again change nothing and write no entry). `version` is required (a
    missing one is a 422 on it); a save by someone else since is refused (422 on version,
    naming who changed what and when) and nothing is written."""
    override = _override(request, workday_id)
    payload = body_parsed(request, WorkdayChangeUpdateIn)
    bare = payload.model_copy(update={"version": None})
    data = _form_data(bare)
    data[VERSION_FIELD] = str(payload.version)
    form = WorkdayOverrideForm(data, with_date=False)
    corrected(
        form, override, what=WorkdayOverride._meta.verbose_name,
        save=lambda: workday_override_change(
            override=override, is_workday=form.cleaned_data["is_workday"],
            reason=form.cleaned_data["reason"], by=request.user,
        ),
    )  # fmt: skip
    return _detail(override)


@router.post(
    "/workdays/{workday_id}/remove",
    response={204: None, **WRITE_ERRORS},
    summary="删除工作日调整",
    url_name="workday_remove",
    openapi_extra=body_documented(WorkdayRemoveIn),
)
def workday_remove(request, workday_id: RecordId):
    """Remove an override with a reason, as its page does: the date follows the national
    calendar again; the row is kept inactive with its history (audited, the reason its note).
    Afterwards the override is 404, as on the page. A `version` sent (as the detail answers
    it) is checked as the page's: a change by someone else since is refused (422 on version)
    and nothing is removed."""
    override = _override(request, workday_id)
    payload = body_parsed(request, WorkdayRemoveIn)
    bare = payload.model_copy(update={"version": None})
    seen = {} if payload.version is None else {VERSION_FIELD: payload.version}
    form = WorkdayRemoveForm(form_data(bare, **seen))
    corrected(
        form, override, what=WorkdayOverride._meta.verbose_name,
        save=lambda: workday_override_remove(
            override=override, reason=form.cleaned_data["reason"], by=request.user
        ),
    )  # fmt: skip
    return Status(204, None)
