"""我为群众办实事 as its pages: the items the caller reads (grassroots.access.promises_visible_to:
tasks of origin 办实事事项 as tasks.access reads tasks), each with its status today, its
evidence count and its 回访 (grassroots.queries.promises.promise_rows); an item recorded as the
录入办实事事项 page does (PromiseForm, grassroots.services.promises.promise_create — a tracked
item made through tasks.services.items.tracked_item_create, so its milestones, monthly
progress, change requests and 办结销号 are the task's: /tasks/{id} with the same id) and its 回访
recorded as the item's page does (FollowUpForm, promise_follow_up_record), by the task force
of the item's own level. The same messages, audited, all or nothing."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.grassroots.access import (
    can_manage_promises,
    get_promise_for_user,
    promises_visible_to,
    require_own_campaign,
)
from shigan.grassroots.forms.promises import FollowUpForm, PromiseForm
from shigan.grassroots.models import Satisfaction
from shigan.grassroots.queries.promises import PromiseRow, promise_rows
from shigan.grassroots.services.promises import promise_create, promise_follow_up_record
from shigan.tasks.models import Task
from shigan.tasks.queries import tasks_with_status
from shigan.tasks.status import TaskStatus
from shigan.tasks.status_sql import STATUS_FIELD

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, Day, LatestProgress, RecordId

router = Router(tags=["基层治理台账"])


class PromiseFilters(PageFilters):
    campaign: RecordId | None = Field(None, description="活动编号")
    status: TaskStatus | None = Field(None, description="今天的状态")


class FollowUpOut(Schema):
    on: datetime.date = Field(description="回访日期")
    result: str = Field(description="回访情况")
    satisfaction: str = Field(description="群众满意度：satisfied 满意、basic 基本满意、…")
    satisfaction_label: str


class PromiseOut(Schema):
    id: int = Field(description="事项编号，即任务编号（/tasks/{id}）")
    campaign_id: int
    title: str = Field(description="办实事事项")
    target: str = Field(description="内容和目标")
    lead_unit_id: int = Field(description="承诺单位编号")
    lead_unit: str
    leader_id: int | None = Field(description="责任领导（人员编号）")
    leader: str | None
    state: str = Field(description="办理状态：active 推进中、completed 已办结、cancelled 已取消")
    status: str = Field(description="今天的状态：overdue 逾期、behind 滞后、nearing 临期、…")
    status_label: str
    start_date: datetime.date
    due_date: datetime.date = Field(description="承诺完成时限（今天适用的）")
    latest_progress: LatestProgress | None
    evidence_count: int = Field(description="佐证材料份数")
    follow_up: FollowUpOut | None = Field(description="群众回访（未回访为 null）")
    ready_to_close: bool = Field(description="办结销号的条件已具备：有佐证材料且已回访")


class PromisePage(Schema):
    items: list[PromiseOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


def _out(item: PromiseRow) -> dict:
    row, task, follow_up = item.row, item.task, item.follow_up
    latest = None
    if row.last_progress_at is not None:
        latest = {
            "period": row.last_progress_period,
            "text": row.last_progress_text,
            "submitted_at": row.last_progress_at,
        }
    return {
        "id": task.pk,
        "campaign_id": task.campaign_id,
        "title": task.title,
        "target": task.target,
        "lead_unit_id": task.lead_unit_id,
        "lead_unit": task.lead_unit.name,
        "leader_id": task.leader_id,
        "leader": task.leader.name if task.leader_id else None,
        "state": task.state,
        "status": row.status.value,
        "status_label": row.status.label,
        "start_date": task.start_date,
        "due_date": row.due_date,
        "latest_progress": latest,
        "evidence_count": item.evidence_count,
        "follow_up": None
        if follow_up is None
        else {
            "on": follow_up.on,
            "result": follow_up.result,
            "satisfaction": follow_up.satisfaction,
            "satisfaction_label": follow_up.get_satisfaction_display(),
        },
        "ready_to_close": item.ready_to_close,
    }


def _rows(ids) -> list[dict]:
    rows = promise_rows(Task.objects.filter(pk__in=ids), clock.today())
    return [_out(row) for row in sorted(rows, key=lambda r: r.task.pk)]


@router.get("/promises", response={200: PromisePage, **READ_ERRORS}, summary="办实事事项列表")
def promise_list(request, filters: Query[PromiseFilters]):
    """The 办实事 items the caller reads (as the 我为群众办实事 page, every role: the task force
    and inspectors their district's, a leader those of the units he oversees, a reporter his
    unit's), by id, each with its status today, its evidence and its 回访 — of every campaign
    he reads, or of `campaign` alone (the page shows the current one); `status` as GET /tasks.
    A query count that does not grow with the page: the page's ids, then its rows."""
    known_only(request, PromiseFilters)
    tasks = promises_visible_to(request.user, Task.objects.all())
    if filters.campaign is not None:
        tasks = tasks.filter(campaign_id=filters.campaign)
    if filters.status is not None:  # the status rules in SQL, as GET /tasks
        tasks = tasks_with_status(tasks, clock.today()).filter(**{STATUS_FIELD: filters.status})
    page, next_cursor = page_of(tasks.only("id"), filters.cursor, filters.limit)
    return {"items": _rows([t.pk for t in page]), "next": next_cursor}


@router.get(
    "/promises/{promise_id}",
    response={200: PromiseOut, **RECORD_ERRORS},
    summary="办实事事项详情",
)
def promise_detail(request, promise_id: RecordId):
    """An item as its page shows it, with what 办结销号 still needs (`ready_to_close`); its
    milestones, monthly progress and change requests are the task's: GET /tasks/{id}."""
    get_promise_for_user(request.user, promise_id)
    return _rows([promise_id])[0]


class PromiseMilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200, description="节点名称（一行）")
    due_date: Day = Field(description="计划完成日期")

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value or "\r" in value:
            raise ValueError("节点名称不能换行")
        return value


class PromiseIn(Schema):
    """An item as the 录入办实事事项 page takes it (PromiseForm)."""

    campaign: RecordId | None = Field(None, description="活动编号（默认本区当前活动）")
    title: str = Field(max_length=200, description="办实事事项")
    target: str = Field("", max_length=20000, description="内容和目标")
    lead_unit: RecordId = Field(description="承诺单位编号（本级单位）")
    leader: RecordId | None = Field(None, description="责任领导（本级人员编号）")
    start_date: Day = Field(description="开始日期")
    due_date: Day = Field(description="承诺完成时限（不早于开始日期）")
    milestones: list[PromiseMilestoneIn] = Field(
        [], max_length=100, description="节点（按所列顺序；可不填）"
    )


def _milestone_lines(payload: PromiseIn) -> str:
    """The milestones as the page's text area holds them: one “日期 节点名称” a line."""
    return "\n".join(f"{m.due_date.isoformat()} {m.title}" for m in payload.milestones)


@router.post(
    "/promises",
    response={201: PromiseOut, **{k: v for k, v in WRITE_ERRORS.items() if k != 404}},
    summary="录入办实事事项",
    url_name="promise_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(PromiseIn),
)
def promise_create_api(request):
    """Record a 办实事 item as the 录入办实事事项 page does (the same form and service, audited):
    the task force (403 for anyone else, before the body is read), in a campaign of its own level
    (the current one when `campaign` is left out; a district's campaign, read by its county's
    task force, is 403 to it as on the page). The item is a task of origin 办实事事项:
    its progress, change requests and 办结销号 go through /tasks/{id}."""
    if not can_manage_promises(request.user):
        raise PermissionDenied("只有专班可以录入办实事事项。")
    payload = body_parsed(request, PromiseIn)
    campaign = campaign_for_user(request.user, payload.campaign)
    if campaign is None:
        raise PermissionDenied("还没有活动：请先在“初始化”中新建活动。")
    require_own_campaign(request.user, campaign)  # a district's campaign: read-only to its county
    data = form_data(payload.model_copy(update={"campaign": None, "milestones": []}))
    data["milestones"] = _milestone_lines(payload)
    form = PromiseForm(data, user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    try:
        task = promise_create(campaign=campaign, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        # The service's one unkeyed refusal is a milestone outside the item's dates.
        raise service_refused(error, {NON_FIELD_ERRORS: "milestones"}) from None
    return Status(201, _rows([task.pk])[0])


class FollowUpIn(Schema):
    """The 回访 as the item's page takes it (FollowUpForm)."""

    on: Day = Field(description="回访日期（事项开始日期至今天）")
    satisfaction: Satisfaction = Field(description="群众满意度")
    result: str = Field(max_length=2000, description="回访情况")


@router.post(
    "/promises/{promise_id}/follow-up",
    response={200: PromiseOut, **WRITE_ERRORS},
    summary="录入办实事回访",
    openapi_extra=body_documented(FollowUpIn),
)
def promise_follow_up(request, promise_id: RecordId):
    """Record (or record again, replacing it) the item's 回访 as its page does (FollowUpForm,
    promise_follow_up_record: a date from the item's start to today, an item still 推进中;
    audited with before and after): the task force of the item's own level (404 for an item
    the caller does not read, 403 for whoever only reads it). Answers the item."""
    task = get_promise_for_user(request.user, promise_id, write=True)
    payload = body_parsed(request, FollowUpIn)
    form = FollowUpForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    try:
        promise_follow_up_record(task=task, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        raise service_refused(error) from None
    return _rows([task.pk])[0]
