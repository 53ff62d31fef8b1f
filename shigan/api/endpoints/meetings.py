"""Meetings (meetings.access: every role reads his district's) and their decisions: each a task
of origin decision, its status the task's (meetings.queries.decision_rows: the decisions whose
tasks the caller reads). Recording a meeting, correcting it and adding its decisions as the
meeting pages do: the pages' forms (their choices of the caller's own level, their messages)
and meetings.services (its rules, its audit); a decision's progress and its closure (办结销号)
are its task's (POST /tasks/{id}/progress, /tasks/{id}/change-requests)."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from shigan.core import clock
from shigan.core.editing import EditGuard, record_version
from shigan.meetings.access import (
    can_record_meetings,
    get_meeting_for_user,
    meetings_visible_to,
)
from shigan.meetings.forms import DecisionForm, MeetingForm
from shigan.meetings.models import Decision, Meeting, MeetingKind
from shigan.meetings.queries import decision_rows, meeting_for_page
from shigan.meetings.services import decision_record, meeting_record, meeting_update
from shigan.tasks.models import Task
from shigan.tasks.queries import task_rows

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, Day, RecordId, Version

router = Router(tags=["会议与议定事项"])


class MeetingFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    series: RecordId | None = NinjaField(None, description="会议系列编号")
    kind: MeetingKind | None = NinjaField(None, description="会议类型")


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
    chair_id: int
    attendee_ids: list[int] = NinjaField(description="参会人员编号")
    agenda: str
    minutes: str
    version: int = NinjaField(description="编辑版本：修改时回传，其间若有他人修改则拒绝")
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
    """A meeting with its attendees and the decisions whose tasks the caller reads, in their
    order, each with its task's status today; `version` is what a correction sends back."""
    return _meeting_detail(request.user, meeting_for_page(request.user, meeting_id))


def _decision_out(decision: Decision, task: Task, row) -> dict:
    return {
        "id": decision.pk,
        "number": decision.number,
        "task_id": task.pk,
        "title": task.title,
        "lead_unit_id": task.lead_unit_id,
        "lead_unit": task.lead_unit.name,
        "due_date": row.due_date,
        "status": row.status.value,
        "status_label": row.status.label,
    }


def _meeting_detail(user, meeting: Meeting) -> dict:
    """`meeting` (meeting_for_page: its attendees prefetched) as MeetingDetailOut."""
    decisions = [
        _decision_out(row.decision, row.task, row.row)
        for row in decision_rows(user, clock.today(), meeting=meeting)
    ]
    return _meeting_out(meeting) | {
        "chair_id": meeting.chair_id,
        "attendee_ids": sorted(person.pk for person in meeting.attendees.all()),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "version": record_version(meeting),
        "decisions": decisions,
    }


class MeetingIn(Schema):
    campaign: RecordId = NinjaField(description="活动编号")
    series: RecordId | None = NinjaField(
        None, description="会议系列编号（不属于系列的会议为 null）"
    )
    kind: MeetingKind = NinjaField(description="会议类型")
    title: str = NinjaField(max_length=200, description="会议名称")
    date: Day = NinjaField(description="会议日期")
    chair: RecordId = NinjaField(description="主持人（人员编号）")
    attendees: list[RecordId] = NinjaField([], max_length=1000, description="参会人员编号")
    agenda: str = NinjaField("", description="会议议程")
    minutes: str = NinjaField("", description="会议纪要")


class MeetingUpdateIn(MeetingIn):
    version: Version


def _recorder(user) -> None:
    if not can_record_meetings(user):  # as the page: before anything is read
        raise PermissionDenied("只有专班可以录入会议、议定事项和学习。")


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, **WRITE_ERRORS},
    summary="录入会议",
    url_name="meeting_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(MeetingIn),
)
def meeting_create(request):
    """Record a meeting as the 录入会议 page does (meetings.services.meeting_record, audited):
    a coordinator, in a campaign of his own level, with its units' people. Refused (422) with
    the page's messages: a date outside the campaign or the series, a second meeting of the
    series on the same day, a chair or attendee who is not of the caller's level."""
    _recorder(request.user)
    payload = body_parsed(request, MeetingIn)
    form = MeetingForm(form_data(payload), {}, user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        meeting = meeting_record(by=request.user, **form.service_fields())
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _meeting_detail(request.user, meeting_for_page(request.user, meeting.pk)))


@router.put(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **WRITE_ERRORS},
    summary="修改会议",
    url_name="meeting_detail",
    openapi_extra=body_documented(MeetingUpdateIn),
)
def meeting_edit(request, meeting_id: RecordId):
    """Correct a meeting's record, every field as on its edit page (meetings.services.
    meeting_update, the before and after audited): the same rules as recording it, and its date
    stays while it has decisions. `version` is required (a missing one is a 422 on it); a save by
    someone else since is refused (422 on version) and nothing is written; the same body twice
    leaves the meeting as the first left it."""
    meeting = meeting_for_page(request.user, meeting_id, write=True)
    payload = body_parsed(request, MeetingUpdateIn)
    data = form_data(payload.model_copy(update={"version": None}), edit_version=payload.version)
    form = MeetingForm(data, {}, user=request.user)
    guard = EditGuard(form, meeting, what="会议")
    if not form.is_valid():
        raise form_refused(form)
    fields = form.service_fields()
    try:
        guard.save(lambda: meeting_update(meeting=meeting, by=request.user, **fields))
    except ValidationError as error:
        raise service_refused(error, {NON_FIELD_ERRORS: "version"}) from None
    return _meeting_detail(request.user, meeting_for_page(request.user, meeting.pk))


class DecisionIn(Schema):
    title: str = NinjaField(max_length=200, description="议定事项")
    target: str = NinjaField("", description="工作要求")
    lead_unit: RecordId = NinjaField(description="牵头单位编号")
    supporting_units: list[RecordId] = NinjaField([], max_length=1000, description="配合单位编号")
    leader: RecordId | None = NinjaField(None, description="责任领导（人员编号）")
    due_date: Day = NinjaField(description="完成时限")


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, **WRITE_ERRORS},
    summary="录入议定事项",
    openapi_extra=body_documented(DecisionIn),
)
def decision_create(request, meeting_id: RecordId):
    """Add a decision to a meeting as its page does (meetings.services.decision_record): a
    tracked item starting on the meeting's date, numbered next in the meeting, audited. Its
    progress is then filed and its closure requested as any task's."""
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    payload = body_parsed(request, DecisionIn)
    form = DecisionForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        decision = decision_record(meeting=meeting, by=request.user, **form.service_fields())
    except ValidationError as error:
        raise service_refused(error) from None
    task = Task.objects.select_related("lead_unit").get(pk=decision.task_id)
    (row,) = task_rows(Task.objects.filter(pk=task.pk), clock.today())
    return Status(201, _decision_out(decision, task, row))
