"""Meetings (meetings.access: every role reads his district's) and their decisions: each a task
of origin decision, its status the task's (meetings.queries.decision_rows: the decisions whose
tasks the caller reads)."""

import datetime

from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from shigan.core import clock
from shigan.meetings.access import get_meeting_for_user, meetings_visible_to
from shigan.meetings.models import Meeting, MeetingKind
from shigan.meetings.queries import decision_rows

from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, RecordId

router = Router(tags=["会议与议定事项"])


class MeetingFilters(Schema):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    series: RecordId | None = NinjaField(None, description="会议系列编号")
    kind: MeetingKind | None = NinjaField(None, description="会议类型")
    cursor: str | None = NinjaField(None, max_length=40, description="上一页返回的 next")
    limit: int = NinjaField(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


class MeetingOut(Schema):
    id: int
    campaign_id: int
    series_id: int | None
    series: str | None
    kind: str
    kind_label: str
    title: str
    date: datetime.date
    chair: str


class MeetingPage(Schema):
    items: list[MeetingOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


class DecisionOut(Schema):
    id: int
    number: int
    task_id: int
    title: str
    lead_unit_id: int
    lead_unit: str
    due_date: datetime.date
    status: str = NinjaField(description="议定事项任务今天的状态（同任务）")
    status_label: str


class MeetingDetailOut(MeetingOut):
    agenda: str
    minutes: str
    decisions: list[DecisionOut] = NinjaField(description="调用者可查看其任务的议定事项")


def _meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "campaign_id": meeting.campaign_id,
        "series_id": meeting.series_id,
        "series": meeting.series.name if meeting.series_id else None,
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "title": meeting.title,
        "date": meeting.date,
        "chair": meeting.chair.name,
    }


@router.get("/meetings", response={200: MeetingPage, **READ_ERRORS}, summary="会议列表")
def meeting_list(request, filters: Query[MeetingFilters]):
    """The meetings the caller reads (his district's campaigns'), by id."""
    known_only(request, MeetingFilters)
    meetings = meetings_visible_to(request.user, Meeting.objects.all())
    for name in ("campaign", "series"):
        if (value := getattr(filters, name)) is not None:
            meetings = meetings.filter(**{f"{name}_id": value})
    if filters.kind is not None:
        meetings = meetings.filter(kind=filters.kind)
    page, next_cursor = page_of(meetings.only("id"), filters.cursor, filters.limit)
    rows = Meeting.objects.filter(pk__in=[m.pk for m in page]).select_related("series", "chair")
    return {"items": [_meeting_out(m) for m in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingDetailOut, **RECORD_ERRORS}, summary="会议详情"
)
def meeting_detail(request, meeting_id: RecordId):
    """A meeting with the decisions whose tasks the caller reads, in their order, each with its
    task's status today."""
    queryset = Meeting.objects.select_related("series", "chair")
    meeting = get_meeting_for_user(request.user, meeting_id, queryset=queryset)
    decisions = [
        {
            "id": row.decision.pk,
            "number": row.decision.number,
            "task_id": row.task.pk,
            "title": row.task.title,
            "lead_unit_id": row.task.lead_unit_id,
            "lead_unit": row.task.lead_unit.name,
            "due_date": row.row.due_date,
            "status": row.row.status.value,
            "status_label": row.row.status.label,
        }
        for row in decision_rows(request.user, clock.today(), meeting=meeting)
    ]
    return _meeting_out(meeting) | {
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "decisions": decisions,
    }
