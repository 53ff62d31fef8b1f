"""新时代文明实践 practice activities (实践活动) as their pages: the campaign's named activities
(grassroots.access.practice_activities_visible_to: every role of the district), the events held
(开展情况: practice_events_visible_to — the district's for the task force and inspectors, the
units he oversees for a leader, his own unit's for a reporter) and the page's counts by
activity, organising unit and month (grassroots.queries.practice.practice_counts).

Writes as the pages make them, through their forms (grassroots.forms.practice: the same
choices and messages) and grassroots.services.practice (its rules, its audit): naming an
activity and renaming it (添加/修改实践活动, the task force of its own level), and entering an
event (录入开展情况: the task force for any unit of its district, a unit's reporter for his
own unit)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from shigan.campaigns.access import campaign_for_user
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import record_version
from shigan.grassroots.access import (
    can_manage_practice_activities,
    can_record_practice_event,
    get_practice_activity_for_user,
    get_practice_event_for_user,
    practice_activities_for_entry,
    practice_activities_visible_to,
    practice_event_units,
    practice_events_visible_to,
    readable_visit_ids,
    require_own_campaign,
    visits_visible_to,
)
from shigan.grassroots.forms.common import PEOPLE_MAX
from shigan.grassroots.forms.practice import PracticeActivityForm, PracticeEventForm
from shigan.grassroots.models import PracticeActivity, PracticeEvent, Visit
from shigan.grassroots.queries.practice import Tally, practice_counts, practice_events_listed
from shigan.grassroots.services.practice import (
    practice_activity_create,
    practice_activity_update,
    practice_event_record,
)
from shigan.orgs.scope import own_unit_id

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION, corrected
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import (
    READ_ERRORS,
    RECORD_ERRORS,
    WRITE_ERRORS,
    Day,
    ProblemOut,
    RecordId,
    Version,
)

router = Router(tags=["基层治理台账"])
NO_CAMPAIGN = "还没有活动：请先在“初始化”中新建活动。"


# 实践活动 (the activities a campaign names)


class ActivityFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")


class PracticeActivityOut(Schema):
    id: int
    campaign_id: int
    name: str = Field(description="实践活动名称")
    description: str = Field(description="说明")
    sort_order: int = Field(description="排列顺序（页面按此排列）")


class PracticeActivityDetailOut(PracticeActivityOut):
    version: int = Field(description=VERSION_DESCRIPTION)


class PracticeActivityPage(Schema):
    items: list[PracticeActivityOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


def _activity_out(activity: PracticeActivity) -> dict:
    return {
        "id": activity.pk,
        "campaign_id": activity.campaign_id,
        "name": activity.name,
        "description": activity.description,
        "sort_order": activity.sort_order,
    }


@router.get(
    "/practice-activities",
    response={200: PracticeActivityPage, **READ_ERRORS},
    summary="实践活动列表",
)
def practice_activity_list(request, filters: Query[ActivityFilters]):
    """The practice activities of the caller's district's campaigns (as the 实践活动 page
    names them, every role), by id. One query whatever the page's size."""
    known_only(request, ActivityFilters)
    activities = practice_activities_visible_to(request.user, PracticeActivity.objects.all())
    if filters.campaign is not None:
        activities = activities.filter(campaign_id=filters.campaign)
    page, next_cursor = page_of(activities, filters.cursor, filters.limit)
    return {"items": [_activity_out(a) for a in page], "next": next_cursor}


@router.get(
    "/practice-activities/{activity_id}",
    response={200: PracticeActivityDetailOut, **RECORD_ERRORS},
    summary="实践活动详情",
)
def practice_activity_detail(request, activity_id: RecordId):
    """A practice activity of the caller's district (404 otherwise, the same for an id that
    does not exist), with the `version` its PUT sends back."""
    return _activity_detail(get_practice_activity_for_user(request.user, activity_id))


def _activity_detail(activity: PracticeActivity) -> dict:
    return _activity_out(activity) | {"version": record_version(activity)}


class PracticeActivityIn(Schema):
    """An activity as the 添加实践活动 / 修改 page takes it (PracticeActivityForm)."""

    name: str = Field(max_length=100, description="实践活动名称（同一活动中不能重复）")
    description: str = Field("", max_length=2000, description="说明")


class PracticeActivityUpdateIn(PracticeActivityIn):
    version: Version


class PracticeActivityCreateIn(PracticeActivityIn):
    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")


def _activity_form(payload: PracticeActivityIn) -> PracticeActivityForm:
    form = PracticeActivityForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    return form


@router.post(
    "/practice-activities",
    response={201: PracticeActivityOut, **WRITE_ERRORS},
    summary="添加实践活动",
    url_name="practice_activity_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(PracticeActivityCreateIn),
)
def practice_activity_create_api(request):
    """Name a practice activity of a campaign as the 实践活动 page's 添加 form does (the same
    form and service: a name not yet used in the campaign, placed after the last; audited):
    the task force (403 for anyone else, before the body is read), in a campaign of its own
    level (the current one when `campaign` is left out; a district's campaign, which its
    county's task force reads, is 403 to it as on the page)."""
    if not can_manage_practice_activities(request.user):
        raise PermissionDenied("只有专班可以设置实践活动。")
    payload = body_parsed(request, PracticeActivityCreateIn)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied(NO_CAMPAIGN)
    require_own_campaign(request.user, campaign)  # a district's campaign: read-only to its county
    form = _activity_form(payload.model_copy(update={"campaign": None}))
    try:
        activity = practice_activity_create(campaign=campaign, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _activity_out(activity))


@router.put(
    "/practice-activities/{activity_id}",
    response={200: PracticeActivityDetailOut, **WRITE_ERRORS},
    summary="修改实践活动",
    url_name="practice_activity_detail",
    openapi_extra=body_documented(PracticeActivityUpdateIn),
)
def practice_activity_edit_api(request, activity_id: RecordId):
    """Rename an activity or change its description as its 修改 page does (the same form and
    service, audited with before and after): the task force of the activity's own level (404
    for an activity outside the caller's district, 403 for whoever only reads it). `version` is
    required (a missing one is a 422 on it); a save by someone else since is refused (422 on
    version, naming who changed what and when) and nothing is written."""
    activity = get_practice_activity_for_user(request.user, activity_id, write=True)
    payload = body_parsed(request, PracticeActivityUpdateIn)
    bare = payload.model_copy(update={"version": None})
    form = PracticeActivityForm(form_data(bare, **{VERSION_FIELD: payload.version}))
    saved = corrected(
        form, activity, what=PracticeActivity._meta.verbose_name,
        save=lambda: practice_activity_update(
            activity=activity, by=request.user, **form.cleaned_data
        ),
    )  # fmt: skip
    return _activity_detail(saved)


# 开展情况 (the events held)


class EventFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")
    activity: RecordId | None = Field(None, description="实践活动编号")
    organiser: RecordId | None = Field(None, description="组织单位编号")
    date_from: Day | None = Field(None, description="活动日期不早于，YYYY-MM-DD")
    date_to: Day | None = Field(None, description="活动日期不晚于，YYYY-MM-DD")


class PracticeEventOut(Schema):
    id: int
    campaign_id: int
    activity_id: int
    activity: str = Field(description="实践活动名称")
    date: datetime.date = Field(description="活动日期")
    place: str = Field(description="活动地点")
    organiser_id: int
    organiser: str = Field(description="组织单位（简称）")
    participants: int = Field(description="参与人数")
    beneficiaries: int = Field(description="受益群众（人次）")
    summary: str = Field(description="活动内容")
    visit_id: int | None = Field(
        description="关联走访编号（GET /visits/{id}）：仅在调用者可查看该走访时给出，否则为 null"
    )


class PracticeEventPage(Schema):
    items: list[PracticeEventOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


def _event_out(event: PracticeEvent, visit_ids: set[int]) -> dict:
    return {
        "id": event.pk,
        "campaign_id": event.activity.campaign_id,
        "activity_id": event.activity_id,
        "activity": event.activity.name,
        "date": event.date,
        "place": event.place,
        "organiser_id": event.organiser_id,
        "organiser": event.organiser.label,
        "participants": event.participants,
        "beneficiaries": event.beneficiaries,
        "summary": event.summary,
        # the linked visit named only to whoever opens it (never an id that reads 不存在)
        "visit_id": event.visit_id if event.visit_id in visit_ids else None,
    }


def _events(user, ids) -> list[dict]:
    rows = list(practice_events_listed(PracticeEvent.objects.filter(pk__in=ids)).order_by("pk"))
    visit_ids = readable_visit_ids(user, [e.visit_id for e in rows])
    return [_event_out(e, visit_ids) for e in rows]


@router.get(
    "/practice-events",
    response={200: PracticeEventPage, **READ_ERRORS},
    summary="实践活动开展情况列表",
)
def practice_event_list(request, filters: Query[EventFilters]):
    """The events the caller reads (as the 实践活动 page lists them: the district's for the
    task force and inspectors, the units he oversees for a leader, his own unit's for a
    reporter), by id. Two queries whatever the page's size: the page's ids, the rows."""
    known_only(request, EventFilters)
    events = practice_events_visible_to(request.user, PracticeEvent.objects.all())
    for name, lookup in (
        ("campaign", "activity__campaign_id"),
        ("activity", "activity_id"),
        ("organiser", "organiser_id"),
        ("date_from", "date__gte"),
        ("date_to", "date__lte"),
    ):
        if (value := getattr(filters, name)) is not None:
            events = events.filter(**{lookup: value})
    page, next_cursor = page_of(events.only("id"), filters.cursor, filters.limit)
    return {"items": _events(request.user, [e.pk for e in page]), "next": next_cursor}


@router.get(
    "/practice-events/{event_id}",
    response={200: PracticeEventOut, **RECORD_ERRORS},
    summary="实践活动开展情况详情",
)
def practice_event_detail(request, event_id: RecordId):
    """An event the caller reads (404 otherwise, the same for an id that does not exist)."""
    get_practice_event_for_user(request.user, event_id)
    return _events(request.user, [event_id])[0]


class PracticeEventIn(Schema):
    """An event as the 录入开展情况 page takes it (PracticeEventForm)."""

    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    activity: RecordId = Field(description="实践活动编号（该活动的实践活动）")
    date: str = Field(description="活动日期，YYYY-MM-DD（不晚于今天）", examples=["2023-07-31"])
    place: str = Field(max_length=100, description="活动地点")
    organiser: RecordId | None = Field(
        None, description="组织单位编号：专班为本区的单位（必填）；填报员只能是本单位（可不填）"
    )
    participants: int = Field(ge=1, le=PEOPLE_MAX, description="参与人数")
    beneficiaries: int | None = Field(
        None, ge=0, le=PEOPLE_MAX, description="受益群众（人次，不填为0）"
    )
    summary: str = Field(max_length=4000, description="活动内容")
    visit: RecordId | None = Field(
        None, description="关联走访编号（该活动中调用者可查看的走访记录，可不填）"
    )


@router.post(
    "/practice-events",
    response={201: PracticeEventOut, **WRITE_ERRORS},
    summary="录入实践活动开展情况",
    url_name="practice_event_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(PracticeEventIn),
)
def practice_event_create_api(request):
    """Record an event as the 录入开展情况 page does (the same form and service, audited): the
    task force (for any unit of its district) and a unit's reporter (his own unit) — 403 for
    anyone else, before the body is read. The activity and the visit are of the campaign
    (`campaign`, the current one when left out; one of another level is 403, as on the page)
    and ones the caller reads; the date not after today. `visit_id` in the answers names the
    linked visit only to those who open it (GET /visits/{id}); null to anyone else."""
    if not can_record_practice_event(request.user):
        raise PermissionDenied("只有专班和单位填报员可以录入实践活动开展情况。")
    payload = body_parsed(request, PracticeEventIn)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied(NO_CAMPAIGN)
    require_own_campaign(request.user, campaign)  # a district's campaign: read-only to its county
    update: dict = {"campaign": None}
    if payload.organiser is None:  # a reporter's own unit, as the page preselects it
        update["organiser"] = own_unit_id(request.user)
    activities = PracticeActivity.objects.filter(campaign=campaign)
    form = PracticeEventForm(
        form_data(payload.model_copy(update=update)),
        user=request.user,
        activities=practice_activities_for_entry(request.user, activities),
        units=practice_event_units(request.user),
        visits=visits_visible_to(request.user, Visit.objects.filter(campaign=campaign)),
    )
    if not form.is_valid():
        raise form_refused(form)
    try:
        event = practice_event_record(by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _events(request.user, [event.pk])[0])


# 统计 (the page's three tables)


class CountsFilters(Schema):
    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")


class TallyOut(Schema):
    label: str = Field(description="实践活动、组织单位或月份（YYYY年MM月）；合计行为“合计”")
    events: int = Field(description="开展次数")
    participants: int = Field(description="参与人次")
    beneficiaries: int = Field(description="受益群众（人次）")


class PracticeCountsOut(Schema):
    campaign_id: int | None = Field(description="统计的活动（本区没有活动时为 null）")
    by_activity: list[TallyOut]
    by_unit: list[TallyOut]
    by_month: list[TallyOut]
    total: TallyOut


def _tallies(rows: list[Tally]) -> list[dict]:
    return [_tally(t) for t in rows]


def _tally(t: Tally) -> dict:
    return {
        "label": t.label,
        "events": t.events,
        "participants": t.participants,
        "beneficiaries": t.beneficiaries,
    }


@router.get(
    "/practice-counts",
    response={200: PracticeCountsOut, **READ_ERRORS, 404: ProblemOut},
    summary="实践活动开展情况统计",
    url_name="practice_counts",
)
def practice_counts_read(request, filters: Query[CountsFilters]):
    """The 实践活动 page's counts of one campaign's events that the caller reads (the
    current campaign when `campaign` is left out; 404 for one he does not read, as the page):
    by activity, by organising unit and by month (events, participants, beneficiaries — a
    table, never a ranking of people) and their total. Three queries whatever the number of
    events."""
    known_only(request, CountsFilters)
    campaign = campaign_for_user(request.user, filters.campaign)
    events = PracticeEvent.objects.filter(activity__campaign=campaign)
    events = practice_events_visible_to(request.user, events if campaign else events.none())
    counts = practice_counts(events)
    return {
        "campaign_id": campaign.pk if campaign else None,
        "by_activity": _tallies(counts.by_activity),
        "by_unit": _tallies(counts.by_unit),
        "by_month": _tallies(counts.by_month),
        "total": _tally(counts.total),
    }
