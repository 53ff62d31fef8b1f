"""Meeting series (会议系列 — 会议制度/例会) and study sessions (学习): read by every role, his
district's (meetings.access.meetings_visible_to); set up, recorded and corrected by coordinators
of the campaign's own level, as their pages do: the pages' forms (SeriesForm, StudySessionForm,
StudySessionCorrectForm: choices of the caller's own level, their messages) and
meetings.services (series_create/series_update, study_session_record/study_session_correct:
the rules and the audit)."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from shigan.core.editing import EditGuard, record_version
from shigan.meetings.access import (
    can_record_meetings,
    get_series_for_user,
    get_study_session_for_user,
    meetings_visible_to,
)
from shigan.meetings.forms import SeriesForm, StudySessionCorrectForm, StudySessionForm
from shigan.meetings.models import Cadence, MeetingSeries, StudyKind, StudySession
from shigan.meetings.services import (
    series_create,
    series_update,
    study_session_correct,
    study_session_record,
)

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, corrected, correction_data
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, Day, RecordId, Version

router = Router(tags=["会议系列与学习"])


def _recorder(user) -> None:
    if not can_record_meetings(user):  # as the pages: before anything is read
        raise PermissionDenied("只有专班可以录入会议、议定事项和学习。")


# --- meeting series -------------------------------------------------------------------------


class SeriesFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")


class SeriesOut(Schema):
    id: int
    campaign_id: int
    name: str
    cadence: str
    cadence_label: str
    organiser_id: int
    organiser: str
    chair_id: int | None
    chair: str | None
    active_from: datetime.date
    active_to: datetime.date | None = NinjaField(description="截止日期（停用）；null为至活动结束")
    version: int = NinjaField(description="编辑版本：修改时回传，其间若有他人修改则拒绝")


class SeriesPage(Schema):
    items: list[SeriesOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


SERIES_RELATED = ("organiser", "chair")


def _series_out(series: MeetingSeries) -> dict:
    return {
        "id": series.pk,
        "campaign_id": series.campaign_id,
        "name": series.name,
        "cadence": series.cadence,
        "cadence_label": series.get_cadence_display(),
        "organiser_id": series.organiser_id,
        "organiser": series.organiser.name,
        "chair_id": series.chair_id,
        "chair": series.chair.name if series.chair_id else None,
        "active_from": series.active_from,
        "active_to": series.active_to,
        "version": record_version(series),
    }


def _series(user, pk, *, write: bool = False) -> MeetingSeries:
    queryset = MeetingSeries.objects.select_related("campaign", *SERIES_RELATED)
    return get_series_for_user(user, pk, write=write, queryset=queryset)


@router.get("/meeting-series", response={200: SeriesPage, **READ_ERRORS}, summary="会议系列列表")
def series_list(request, filters: Query[SeriesFilters]):
    """The meeting series the caller reads (his district's campaigns'), by id."""
    known_only(request, SeriesFilters)
    series = meetings_visible_to(request.user, MeetingSeries.objects.all())
    if filters.campaign is not None:
        series = series.filter(campaign_id=filters.campaign)
    page, next_cursor = page_of(series.only("id"), filters.cursor, filters.limit)
    rows = MeetingSeries.objects.filter(pk__in=[s.pk for s in page]).select_related(*SERIES_RELATED)
    return {"items": [_series_out(s) for s in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/meeting-series/{series_id}",
    response={200: SeriesOut, **RECORD_ERRORS},
    summary="会议系列详情",
)
def series_detail(request, series_id: RecordId):
    return _series_out(_series(request.user, series_id))


class SeriesIn(Schema):
    campaign: RecordId = NinjaField(description="活动编号")
    name: str = NinjaField(max_length=100, description="名称")
    cadence: Cadence = NinjaField(description="召开频次")
    organiser: RecordId = NinjaField(description="组织单位编号")
    chair: RecordId | None = NinjaField(None, description="主持人（人员编号）")
    active_from: Day = NinjaField(description="起始日期")
    active_to: Day | None = NinjaField(
        None, description="截止日期：留空则至活动结束；填写即停用本系列"
    )


class SeriesUpdateIn(SeriesIn):
    version: Version


@router.post(
    "/meeting-series",
    response={201: SeriesOut, **WRITE_ERRORS},
    summary="设置会议系列",
    url_name="series_list",
    openapi_extra=body_documented(SeriesIn),
)
def series_new(request):
    """Set up a meeting series as its page does (meetings.services.series_create, audited): a
    coordinator, in a campaign of his own level. Refused (422) with the page's messages: a name
    the campaign's series have, a start outside the campaign, an end before the start."""
    _recorder(request.user)
    payload = body_parsed(request, SeriesIn)
    form = SeriesForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        series = series_create(by=request.user, **form.service_fields())
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _series_out(_series(request.user, series.pk)))


@router.put(
    "/meeting-series/{series_id}",
    response={200: SeriesOut, **WRITE_ERRORS},
    summary="修改会议系列",
    url_name="series_detail",
    openapi_extra=body_documented(SeriesUpdateIn),
)
def series_edit(request, series_id: RecordId):
    """Change a series as its edit page does (meetings.services.series_update, the before and after
    audited): its meetings stay within its dates; ending it (停用) is giving it `active_to`. `version`
    is required (a missing one is a 422 on it); a save by someone else since is refused (422 on
    version)."""
    series = _series(request.user, series_id, write=True)
    payload = body_parsed(request, SeriesUpdateIn)
    data = form_data(payload.model_copy(update={"version": None}), edit_version=payload.version)
    form = SeriesForm(data, user=request.user)
    guard = EditGuard(form, series, what="会议系列")
    if not form.is_valid():
        raise form_refused(form)
    fields = form.service_fields()
    try:
        guard.save(lambda: series_update(series=series, by=request.user, **fields))
    except ValidationError as error:
        raise service_refused(error, {NON_FIELD_ERRORS: "version"}) from None
    return _series_out(_series(request.user, series.pk))


# --- study sessions -------------------------------------------------------------------------


class StudyFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    kind: StudyKind | None = NinjaField(None, description="学习形式")


class StudyOut(Schema):
    id: int
    campaign_id: int
    topic: str
    date: datetime.date
    kind: str
    kind_label: str
    attendee_ids: list[int] = NinjaField(description="参加人员编号")
    notes: str


class StudyDetailOut(StudyOut):
    version: int = NinjaField(description=VERSION_DESCRIPTION)


class StudyPage(Schema):
    items: list[StudyOut]
    next: str | None = NinjaField(description="下一页的游标（最后一页为 null）")


def _study_out(session: StudySession) -> dict:
    """`session` with its attendees prefetched."""
    return {
        "id": session.pk,
        "campaign_id": session.campaign_id,
        "topic": session.topic,
        "date": session.date,
        "kind": session.kind,
        "kind_label": session.get_kind_display(),
        "attendee_ids": sorted(person.pk for person in session.attendees.all()),
        "notes": session.notes,
    }


def _session(user, pk, *, write: bool = False) -> StudySession:
    queryset = StudySession.objects.select_related("campaign").prefetch_related("attendees")
    return get_study_session_for_user(user, pk, write=write, queryset=queryset)


@router.get("/study-sessions", response={200: StudyPage, **READ_ERRORS}, summary="学习列表")
def study_list(request, filters: Query[StudyFilters]):
    """The study sessions the caller reads (his district's campaigns'), by id."""
    known_only(request, StudyFilters)
    sessions = meetings_visible_to(request.user, StudySession.objects.all())
    if filters.campaign is not None:
        sessions = sessions.filter(campaign_id=filters.campaign)
    if filters.kind is not None:
        sessions = sessions.filter(kind=filters.kind)
    page, next_cursor = page_of(sessions.only("id"), filters.cursor, filters.limit)
    rows = StudySession.objects.filter(pk__in=[s.pk for s in page]).prefetch_related("attendees")
    return {"items": [_study_out(s) for s in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/study-sessions/{session_id}",
    response={200: StudyDetailOut, **RECORD_ERRORS},
    summary="学习详情",
)
def study_detail(request, session_id: RecordId):
    """A study session, with the `version` its correction (PUT) sends back."""
    return _study_detail(request.user, session_id)


def _study_detail(user, session_id: int) -> dict:
    session = _session(user, session_id)
    return _study_out(session) | {"version": record_version(session)}


class StudyIn(Schema):
    campaign: RecordId = NinjaField(description="活动编号")
    topic: str = NinjaField(max_length=200, description="学习主题")
    date: Day = NinjaField(description="学习日期")
    kind: StudyKind = NinjaField(description="学习形式")
    attendees: list[RecordId] = NinjaField([], max_length=1000, description="参加人员编号")
    notes: str = NinjaField("", description="学习内容及体会")


class StudyCorrectIn(Schema):
    topic: str = NinjaField(max_length=200, description="学习主题")
    date: Day = NinjaField(description="学习日期")
    kind: StudyKind = NinjaField(description="学习形式")
    attendees: list[RecordId] = NinjaField([], max_length=1000, description="参加人员编号")
    notes: str = NinjaField("", description="学习内容及体会")
    reason: str = NinjaField(max_length=500, description="更正原因（必填，记入历史记录）")
    version: Version


@router.post(
    "/study-sessions",
    response={201: StudyOut, **WRITE_ERRORS},
    summary="录入学习",
    url_name="study_list",
    openapi_extra=body_documented(StudyIn),
)
def study_new(request):
    """Record a study session as the 学习 page does (meetings.services.study_session_record,
    audited with its attendees): a coordinator, in a campaign of his own level, its date within
    the campaign."""
    _recorder(request.user)
    payload = body_parsed(request, StudyIn)
    form = StudySessionForm(form_data(payload), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        session = study_session_record(by=request.user, **form.service_fields())
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _study_out(_session(request.user, session.pk)))


@router.put(
    "/study-sessions/{session_id}",
    response={200: StudyDetailOut, **WRITE_ERRORS},
    summary="更正学习",
    url_name="study_detail",
    openapi_extra=body_documented(StudyCorrectIn),
)
def study_correct(request, session_id: RecordId):
    """Correct a recorded study session as its 更正 page does (meetings.services.
    study_session_correct): every field sent, with `reason`, kept in its history with the
    before and after values. A correction that changes nothing is refused (422 on reason).
    `version` is required (a missing one is a 422 on it); a correction by someone else since
    is refused (422 on version, naming who changed what and when) and nothing is written."""
    session = _session(request.user, session_id, write=True)
    payload = body_parsed(request, StudyCorrectIn)
    form = StudySessionCorrectForm(correction_data(payload), user=request.user)

    def save():
        data = form.service_fields()
        data.pop("campaign", None)
        return study_session_correct(session=session, by=request.user, **data)

    corrected(form, session, what=StudySession._meta.verbose_name, save=save)
    return _study_detail(request.user, session.pk)
