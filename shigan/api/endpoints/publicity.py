"""Publicity: the media reports (宣传报道) on the campaigns of the caller's district
(publicity.access); a report's task is named only where the caller reads it
(publicity.queries.media_reports_listed), as on the page. Recording a report and correcting
it (更正, with its reason) as the pages do: their forms (a campaign of the caller's own level,
duplicates refused with the same messages) and publicity.services (audited)."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from shigan.core.editing import EditConflict, EditGuard, record_version
from shigan.publicity.access import (
    can_record_media_report,
    get_media_report_for_user,
    media_reports_visible_to,
)
from shigan.publicity.forms import MediaReportEditForm, MediaReportForm
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.queries import media_reports_listed
from shigan.publicity.services import media_report_correct, media_report_record

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, RecordId, Version

router = Router(tags=["宣传"])


class MediaReportFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    level: MediaLevel | None = NinjaField(None, description="媒体级别")


class MediaReportOut(Schema):
    id: int
    campaign_id: int
    title: str
    outlet: str
    level: str
    level_label: str
    date: datetime.date
    link: str
    activity: str
    task_id: int | None = NinjaField(description="相关任务（调用者可查看时）")


class MediaReportPage(Schema):
    items: list[MediaReportOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


def _report_out(report) -> dict:
    return {
        "id": report.pk,
        "campaign_id": report.campaign_id,
        "title": report.title,
        "outlet": report.outlet,
        "level": report.level,
        "level_label": report.get_level_display(),
        "date": report.date,
        "link": report.link,
        "activity": report.activity,
        "task_id": report.task_id if report.task_readable else None,
    }


class MediaReportDetailOut(MediaReportOut):
    version: int = NinjaField(description="编辑版本：更正时回传，其间若有他人修改则拒绝")


def _detail(report) -> dict:
    return _report_out(report) | {"version": record_version(report)}


@router.get(
    "/media-reports", response={200: MediaReportPage, **READ_ERRORS}, summary="宣传报道列表"
)
def media_report_list(request, filters: Query[MediaReportFilters]):
    """The media reports the caller reads (his district's campaigns'), by id."""
    known_only(request, MediaReportFilters)
    reports = media_reports_visible_to(request.user, MediaReport.objects.all())
    if filters.campaign is not None:
        reports = reports.filter(campaign_id=filters.campaign)
    if filters.level is not None:
        reports = reports.filter(level=filters.level)
    page, next_cursor = page_of(reports.only("id"), filters.cursor, filters.limit)
    chosen = MediaReport.objects.filter(pk__in=[r.pk for r in page]).order_by("pk")
    rows = media_reports_listed(chosen, request.user)
    return {"items": [_report_out(r) for r in rows], "next": next_cursor}


@router.get(
    "/media-reports/{report_id}",
    response={200: MediaReportDetailOut, **RECORD_ERRORS},
    summary="宣传报道详情",
)
def media_report_detail(request, report_id: RecordId):
    return _detail(_report(request.user, report_id))


def _report(user, pk, *, write: bool = False) -> MediaReport:
    queryset = media_reports_listed(MediaReport.objects.all(), user)
    return get_media_report_for_user(user, pk, write=write, queryset=queryset)


class MediaReportIn(Schema):
    """A media report as the 宣传报道 page's form takes it (publicity.forms.MediaReportForm)."""

    campaign: RecordId = NinjaField(description="活动编号（本级的活动）")
    title: str = NinjaField(max_length=200, description="标题")
    outlet: str = NinjaField(max_length=100, description="媒体，如：人民网、省日报")
    level: MediaLevel = NinjaField(description="媒体级别")
    date: str = NinjaField(description="发表日期，YYYY-MM-DD", examples=["2023-07-31"])
    link: str = NinjaField("", max_length=500, description="链接（同一链接只登记一次）")
    task: RecordId | None = NinjaField(None, description="相关任务编号")
    activity: str = NinjaField("", max_length=200, description="相关活动（不是清单任务时）")


class MediaReportUpdateIn(MediaReportIn):
    reason: str = NinjaField("", max_length=500, description="更正原因（必填，记入历史记录）")
    version: Version


@router.post(
    "/media-reports",
    response={201: MediaReportDetailOut, **WRITE_ERRORS},
    summary="登记宣传报道",
    url_name="media_report_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(MediaReportIn),
)
def media_report_create(request):
    """Record a media report as the 宣传报道 page does (publicity.services.media_report_record,
    audited): the task force (专班), in a campaign of its own level. A duplicate (the same link,
    or the same title in the same outlet) is refused (422) with the page's message."""
    if not can_record_media_report(request.user):
        raise PermissionDenied("只有专班可以登记宣传报道。")
    payload = body_parsed(request, MediaReportIn)
    form = MediaReportForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        report = media_report_record(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _detail(_report(request.user, report.pk)))


@router.put(
    "/media-reports/{report_id}",
    response={200: MediaReportDetailOut, **WRITE_ERRORS},
    summary="更正宣传报道",
    url_name="media_report_detail",
    openapi_extra=body_documented(MediaReportUpdateIn),
)
def media_report_edit(request, report_id: RecordId):
    """Correct a media report as its 更正 page does (publicity.services.media_report_correct: the
    rules of entry, a reason, the before and after audited): the task force of the report's level
    (403 for whoever only reads it). `version` is required (a missing one is a 422 on it); a save by
    someone else since is refused (422 on version); nothing changed is refused too."""
    report = _report(request.user, report_id, write=True)
    payload = body_parsed(request, MediaReportUpdateIn)
    data = form_data(payload.model_copy(update={"version": None}), edit_version=payload.version)
    form = MediaReportEditForm(data, report=report, user=request.user)
    guard = EditGuard(form, report, what="媒体报道")
    if not form.is_valid():
        raise form_refused(form)
    try:
        guard.save(
            lambda: media_report_correct(report=report, by=request.user, **form.cleaned_data)
        )
    except EditConflict as conflict:
        raise service_refused(conflict, {NON_FIELD_ERRORS: "version"}) from None
    except ValidationError as error:
        raise service_refused(error) from None
    return _detail(_report(request.user, report.pk))
