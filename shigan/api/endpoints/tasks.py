"""Tasks: the list (filters, cursor pagination), a task with its milestones and reports, its
change requests, filing a monthly progress report through the monthly report's service, and
requesting a change (调整时限/取消/办结销号) and deciding it as the task page and the 审批 queue
do (the pages' forms, tasks.services.changes)."""

import datetime
import json
from types import SimpleNamespace
from typing import Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from shigan.core import clock
from shigan.core.models import user_display_name
from shigan.core.params import BadValue, parse_period
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY
from shigan.tasks.access import (
    can_decide_change_request,
    can_decide_change_requests,
    change_requests_visible_to,
    get_task_for_user,
    get_unit_for_report,
    tasks_visible_to,
)
from shigan.tasks.forms.changes import ChangeRequestForm
from shigan.tasks.forms.changes import DecisionForm as ChangeDecisionForm
from shigan.tasks.models import ChangeKind, ChangeRequest, ChangeState, ProgressReport, Task
from shigan.tasks.queries import row_for, task_rows, tasks_annotated, tasks_with_status
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import ReportEntry, monthly_report_submit
from shigan.tasks.status import TaskStatus
from shigan.tasks.status_sql import STATUS_FIELD

from ..body import body_documented, body_parsed
from ..pageforms import form_data, form_refused, service_refused
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page_of
from ..params import known_only
from ..problems import Problem
from ..schemas import (
    READ_ERRORS,
    RECORD_ERRORS,
    WRITE_ERRORS,
    ChangeRequestOut,
    Day,
    ProgressIn,
    ProgressOut,
    RecordId,
    TaskDetailOut,
    TaskPage,
)

router = Router(tags=["任务"])


class TaskFilters(Schema):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    status: TaskStatus | None = NinjaField(None, description="今天的状态")
    lead_unit: RecordId | None = NinjaField(None, description="牵头单位编号")
    category: RecordId | None = NinjaField(None, description="任务类别编号")
    cursor: str | None = NinjaField(None, max_length=40, description="上一页返回的 next")
    limit: int = NinjaField(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数")


def _task_out(row) -> dict:
    task = row.task
    latest = None
    if row.last_progress_at is not None:
        latest = {
            "period": row.last_progress_period,
            "text": row.last_progress_text,
            "submitted_at": row.last_progress_at,
        }
    return {
        "id": task.pk,
        "number": task.number,
        "title": task.title,
        "campaign_id": task.campaign_id,
        "category_id": task.category_id,
        "category": task.category.name if task.category_id else None,
        "lead_unit_id": task.lead_unit_id,
        "lead_unit": task.lead_unit.name,
        "state": task.state,
        "status": row.status.value,
        "status_label": row.status.label,
        "start_date": task.start_date,
        "due_date": row.due_date,
        "milestones_total": row.milestones_total,
        "milestones_done": row.milestones_done,
        "latest_progress": latest,
    }


def _filtered(user, filters: TaskFilters):
    tasks = tasks_visible_to(user, Task.objects.all())
    for name in ("campaign", "lead_unit", "category"):
        value = getattr(filters, name)
        if value is not None:
            tasks = tasks.filter(**{f"{name}_id": value})
    return tasks


# The columns a list row reads (row_for's status facts and _task_out's fields): the rows'
# query selects these and its annotations, nothing else.
_LIST_COLUMNS = (
    "id",
    "number",
    "title",
    "campaign_id",
    "category_id",
    "category__name",
    "lead_unit_id",
    "lead_unit__name",
    "state",
    "start_date",
    "due_date",
    "closed_on",
)


# What row_for reads of tasks_annotated's annotations (the status facts, the latest progress).
_LIST_ANNOTATIONS = (
    "ms_total",
    "ms_done",
    "next_ms_due",
    "due_date_then",
    "next_ms_title",
    "last_progress_text",
    "last_progress_period",
    "last_progress_at",
)


def _listed(values: dict) -> SimpleNamespace:
    """A task of the list's query (a dict of its columns) as row_for and _task_out read it:
    attributes, its category's and lead unit's names — no model instances to build."""
    return SimpleNamespace(
        pk=values["id"],
        category=SimpleNamespace(name=values["category__name"]),
        lead_unit=SimpleNamespace(name=values["lead_unit__name"]),
        **values,
    )


def _json_response(data) -> HttpResponse:
    """`data` as django-ninja renders a response (api.Renderer: its encoder, Chinese as is),
    without the response schema's validation (test_task_list checks the bytes are the same)."""
    content = json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False)
    return HttpResponse(content, content_type="application/json; charset=utf-8")


@router.get("/tasks", response={200: TaskPage, **READ_ERRORS}, summary="任务列表")
def task_list(request, filters: Query[TaskFilters]):
    """The tasks the caller reads, by id; `next` is the cursor of the following page. Each task
    with its status today and its latest progress report."""
    known_only(request, TaskFilters)
    today = clock.today()
    tasks = _filtered(request.user, filters)
    if filters.status is not None:  # the status rules in SQL (tasks.status_sql)
        tasks = tasks_with_status(tasks, today).filter(**{STATUS_FIELD: filters.status})
    # The page's ids first (an index walk, no annotation), then one query for those rows with
    # only the columns shown: the correlated subqueries run for the page's rows alone.
    page, next_cursor = page_of(tasks.only("id"), filters.cursor, filters.limit)
    page_tasks = tasks_annotated(Task.objects.filter(pk__in=[t.pk for t in page]), today)
    page_tasks = page_tasks.select_related(None).values(*_LIST_COLUMNS, *_LIST_ANNOTATIONS)
    rows = [row_for(_listed(values), today) for values in page_tasks.order_by("pk")]
    # The rows are built here to TaskPage's shape from typed columns: rendered as they are
    # (the renderer django-ninja would use), without validating each row again through
    # Pydantic, which cost more than the query (benchmarks/README.md, "API list").
    body = {"items": [_task_out(row) for row in rows], "next": next_cursor}
    return _json_response(body)


def _report_out(report: ProgressReport) -> dict:
    return {
        "id": report.pk,
        "period": report.period,
        "text": report.text,
        "unit_id": report.unit_id,
        "submitted_by": user_display_name(report.submitted_by),
        "submitted_at": report.submitted_at,
        "corrects_id": report.corrects_id,
        "correction_reason": report.correction_reason,
    }


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **RECORD_ERRORS}, summary="任务详情")
def task_detail(request, task_id: RecordId):
    """A task with its milestones (as known today) and every progress report, newest first
    (corrections included: `corrects_id` names the report a correction replaces)."""
    task = get_task_for_user(request.user, task_id)
    today = clock.today()
    (row,) = task_rows(Task.objects.filter(pk=task.pk), today, with_milestones=True)
    reports = ProgressReport.objects.filter(task=task).select_related("submitted_by__person")
    reports = reports.order_by("-period", "-submitted_at", "-id")
    return _task_out(row) | {
        "target": task.target,
        "milestones": [
            {"id": m.pk, "title": m.title, "due_date": m.due_date, "done_on": m.done_on}
            for m in row.milestones
        ],
        "progress_reports": [_report_out(report) for report in reports],
    }


def _period(raw: str) -> datetime.date:
    try:
        period = parse_period(raw)
    except BadValue as error:
        raise Problem(422, str(error), errors=[{"field": "period", "detail": str(error)}]) from None
    if period is None:
        raise Problem(422, "请填写所属月份。", errors=[{"field": "period", "detail": "必填"}])
    return period


@router.post(
    "/tasks/{task_id}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    summary="填报月度进展",
    openapi_extra=body_documented(ProgressIn),
)
def progress_file(request, task_id: RecordId):
    """File the task's progress report for a month, as the unit's monthly report does (the same
    service, monthly_report_submit): the caller must be allowed to report on the task (a
    reporter: his unit's; a coordinator: his level's), the month open, and a second report for
    the month is a correction that needs `reason`. Refused (422) with the page's messages."""
    task = get_task_for_user(request.user, task_id, write=True)
    unit = get_unit_for_report(request.user, task.lead_unit_id)
    payload = body_parsed(request, ProgressIn)
    period = _period(payload.period)
    seen = payload.seen
    if seen is None:
        latest = ProgressReport.objects.filter(task=task).order_by("-submitted_at", "-id")
        seen = latest.values_list("id", flat=True).first()
    entry = ReportEntry(
        task=task,
        text=payload.text,
        milestones_reached={m.id: m.done_on for m in payload.milestones_reached},
        reason=payload.reason,
        seen=seen,
    )
    try:
        (report,) = monthly_report_submit(
            unit=unit, period=period, by=request.user, entries=[entry]
        )
    except ValidationError as error:
        errors = [
            {"field": "period" if key == NON_FIELD_ERRORS else "text", "detail": message}
            for key, messages in error.message_dict.items()
            for message in messages
        ]
        raise Problem(422, "；".join(e["detail"] for e in errors), errors=errors) from None
    report.submitted_by = request.user
    return Status(201, _report_out(report))


@router.get(
    "/tasks/{task_id}/change-requests",
    response={200: list[ChangeRequestOut], **RECORD_ERRORS},
    summary="任务的变更申请",
)
def change_request_list(request, task_id: RecordId):
    task = get_task_for_user(request.user, task_id)
    requests = change_requests_visible_to(request.user, ChangeRequest.objects.filter(task=task))
    return [_change_out(cr) for cr in requests.order_by("-requested_at", "-id")]


def _change_out(cr: ChangeRequest) -> dict:
    return {
        "id": cr.pk,
        "kind": cr.kind,
        "kind_label": cr.get_kind_display(),
        "reason": cr.reason,
        "proposed_due_date": cr.proposed_due_date,
        "state": cr.state,
        "state_label": cr.get_state_display(),
        "requested_at": cr.requested_at,
        "decided_at": cr.decided_at,
        "decision_note": cr.decision_note,
    }


class ChangeRequestIn(Schema):
    kind: ChangeKind = NinjaField(
        description="申请事项：extend 调整时限、cancel 取消任务、complete 办结销号"
    )
    reason: str = NinjaField(max_length=5000, description="理由")
    proposed_due_date: Day | None = NinjaField(None, description="调整后的时限（仅调整时限时填写）")


@router.post(
    "/tasks/{task_id}/change-requests",
    response={201: ChangeRequestOut, **WRITE_ERRORS},
    summary="申请变更",
    url_name="change_request_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(ChangeRequestIn),
)
def change_request_file(request, task_id: RecordId):
    """Request a change of the task as its page does (tasks.services.changes.
    change_request_create, audited): whoever may write the task (a reporter: his unit's; a
    coordinator: his level's), an active task with no request pending; a new due date after
    the start, unlike the current one and not before a milestone. Evidence files are added on
    the page. Refused (422) with the page's messages."""
    task = get_task_for_user(request.user, task_id, write=True)
    payload = body_parsed(request, ChangeRequestIn)
    form = ChangeRequestForm(form_data(payload), {}, task=task)
    if not form.is_valid():
        raise form_refused(form)
    data = form.cleaned_data
    try:
        change_request = change_request_create(
            task=task, by=request.user, kind=data["kind"], reason=data["reason"],
            proposed_due_date=data["proposed_due_date"],
        )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _change_out(change_request))


class ChangeDecisionIn(Schema):
    decision: Literal["approve", "return"] = NinjaField(description="approve 批准、return 退回")
    note: str = NinjaField("", max_length=5000, description="审批意见：退回时必填")


_VERDICTS = {"approve": ChangeState.APPROVED, "return": ChangeState.RETURNED}


@router.post(
    "/change-requests/{request_id}/decision",
    response={200: ChangeRequestOut, **WRITE_ERRORS},
    summary="审批变更申请",
    openapi_extra=body_documented(ChangeDecisionIn),
)
def change_request_decision(request, request_id: RecordId):
    """Approve (the change applied to the task) or return a pending request as the 审批 queue
    does (tasks.services.changes.change_request_decide, audited): a coordinator of the task's
    own level (404 for a request on a task the caller does not read; 403 for one he reads but
    does not decide). Asking again for the verdict already given answers the request as it is
    (nothing written); the other verdict is refused (422), as is 办结销号 not yet allowed."""
    change_request = ChangeRequest.objects.filter(pk=request_id).first()
    if change_request is None:
        raise Http404("变更申请不存在。")
    task = get_task_for_user(request.user, change_request.task_id)
    if not can_decide_change_requests(request.user):
        raise PermissionDenied("只有专班可以审批变更申请。")
    if not can_decide_change_request(request.user, task):
        raise PermissionDenied(LOWER_LEVEL_READ_ONLY)
    payload = body_parsed(request, ChangeDecisionIn)
    form = ChangeDecisionForm(form_data(payload))
    if not form.is_valid():
        raise form_refused(form)
    if change_request.state == _VERDICTS[payload.decision]:  # a retry of the same decision
        return _change_out(change_request)
    try:
        decided = change_request_decide(
            change_request=change_request, by=request.user, approve=form.approve,
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error, {NON_FIELD_ERRORS: "decision"}) from None
    return _change_out(decided)
