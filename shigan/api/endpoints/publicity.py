"""Publicity: the media reports (宣传报道) on the campaigns of the caller's district
(publicity.access); a report's task is named only where the caller reads it
(publicity.queries.media_reports_listed), as on the page."""

import datetime

from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from shigan.publicity.access import get_media_report_for_user, media_reports_visible_to
from shigan.publicity.models import MediaLevel, MediaReport
from shigan.publicity.queries import media_reports_listed

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, RecordId

router = Router(tags=["宣传"])


class MediaReportFilters(Schema):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    level: MediaLevel | None = NinjaField(None, description="媒体级别")
    cursor: str | None = NinjaField(None, max_length=40, description="上一页返回的 next")
    limit: int = NinjaField(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


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
    response={200: MediaReportOut, **RECORD_ERRORS},
    summary="宣传报道详情",
)
def media_report_detail(request, report_id: RecordId):
    queryset = media_reports_listed(MediaReport.objects.all(), request.user)
    return _report_out(get_media_report_for_user(request.user, report_id, queryset=queryset))
