"""Tasks: the list (filters, cursor pagination), a task with its milestones and reports, its
change requests, filing a monthly progress report through the monthly report's service, and
requesting a change (调整时限/取消/办结销号) and deciding it as the task page and the 审批 queue
do (the pages' forms, tasks.services.changes). Creating a task and editing it with its
milestones as the 新建任务 / 修改任务 page does: its form and milestone formset (the choices of
the caller's own level, their messages) and tasks.services.tasks.task_save (its rules, its
audit); a milestone is marked done by the progress report that reaches it, as on the pages."""

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
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import EditConflict, EditGuard, record_version
from shigan.core.models import user_display_name
from shigan.core.params import BadValue, parse_period
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY
from shigan.tasks.access import (
    can_decide_change_request,
    can_decide_change_requests,
    can_edit_task,
    can_manage_tasks,
    change_requests_visible_to,
    get_task_for_user,
    get_unit_for_report,
    tasks_visible_to,
)
from shigan.tasks.forms.changes import ChangeRequestForm
from shigan.tasks.forms.changes import DecisionForm as ChangeDecisionForm
from shigan.tasks.forms.tasks import task_forms
from shigan.tasks.models import ChangeKind, ChangeRequest, ChangeState, ProgressReport, Task
from shigan.tasks.queries import row_for, task_rows, tasks_annotated, tasks_with_status
from shigan.tasks.services.changes import change_request_create, change_request_decide
from shigan.tasks.services.progress import ReportEntry, monthly_report_submit
from shigan.tasks.services.tasks import task_save
from shigan.tasks.status import TaskStatus
from shigan.tasks.status_sql import STATUS_FIELD

from ..body import body_documented, body_parsed, multipart_parsed
from ..pageforms import WHOLE, form_data, form_refused, refused, service_refused
from ..pagination import PageFilters, page_of
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
    Version,
)
from .files import files_property, uploads_of

router = Router(tags=["任务"])


class TaskFilters(PageFilters):
    campaign: RecordId | None = NinjaField(None, description="活动编号")
    status: TaskStatus | None = NinjaField(None, description="今天的状态")
    lead_unit: RecordId | None = NinjaField(None, description="牵头单位编号")
    category: RecordId | None = NinjaField(None, description="任务类别编号")


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


# A task's version covers its milestones too, as on its edit page (core.editing).
_TASK_PARTS = ["tasks.milestone"]


class TaskVersionedOut(TaskDetailOut):
    supporting_unit_ids: list[int] = NinjaField(description="配合单位编号")
    leader_id: int | None = NinjaField(description="责任领导（人员编号）")
    origin: str = NinjaField(description="来源：list 清单任务、decision 会议议定事项、…")
    version: int = NinjaField(description="编辑版本：修改时回传，其间若有他人修改则拒绝")


@router.get(
    "/tasks/{task_id}", response={200: TaskVersionedOut, **RECORD_ERRORS}, summary="任务详情"
)
def task_detail(request, task_id: RecordId):
    """A task with its milestones (as known today) and every progress report, newest first
    (corrections included: `corrects_id` names the report a correction replaces); `version`
    is what an edit (PUT) sends back."""
    return _task_detail(get_task_for_user(request.user, task_id))


def _task_detail(task: Task) -> dict:
    today = clock.today()
    (row,) = task_rows(Task.objects.filter(pk=task.pk), today, with_milestones=True)
    reports = ProgressReport.objects.filter(task=task).select_related("submitted_by__person")
    reports = reports.order_by("-period", "-submitted_at", "-id")
    supporting = task.supporting_units.order_by("sort_order", "id").values_list("id", flat=True)
    return _task_out(row) | {
        "target": task.target,
        "milestones": [
            {"id": m.pk, "title": m.title, "due_date": m.due_date, "done_on": m.done_on}
            for m in row.milestones
        ],
        "progress_reports": [_report_out(report) for report in reports],
        "supporting_unit_ids": list(supporting),
        "leader_id": task.leader_id,
        "origin": task.origin,
        "version": record_version(task, _TASK_PARTS),
    }


class MilestoneIn(Schema):
    id: RecordId | None = NinjaField(None, description="已有节点的编号（修改它）；新增的节点不填")
    title: str = NinjaField(max_length=200, description="节点")
    due_date: Day = NinjaField(description="计划完成日期")


class TaskIn(Schema):
    campaign: RecordId = NinjaField(description="活动编号")
    category: RecordId = NinjaField(description="任务类别编号（该活动的类别）")
    number: int = NinjaField(ge=0, le=2147483647, description="序号")
    title: str = NinjaField(max_length=200, description="任务名称")
    target: str = NinjaField("", description="目标任务")
    lead_unit: RecordId = NinjaField(description="牵头单位编号")
    supporting_units: list[RecordId] = NinjaField([], max_length=1000, description="配合单位编号")
    leader: RecordId | None = NinjaField(None, description="责任领导（人员编号）")
    start_date: Day = NinjaField(description="开始日期")
    due_date: Day = NinjaField(description="完成时限")
    milestones: list[MilestoneIn] = NinjaField(
        [], max_length=1000, description="节点（按计划完成日期在任务起止日期之内）"
    )


class TaskUpdateIn(TaskIn):
    milestones: list[MilestoneIn] = NinjaField(
        max_length=1000,
        description=(
            "任务的全部节点：带 id 的修改该节点，不带 id 的新增，未列出的已有节点删除"
            "（已完成的节点不能删除）；节点的完成由月度进展填报"
        ),
    )
    version: Version = NinjaField(
        description="任务详情返回的 version（必填）：其间若有他人修改任务或其节点则拒绝（防止覆盖）"
    )


def _task_form_data(payload: TaskIn, task: Task | None = None, **extra):
    """The body as the task page posts its form and milestone formset (prefix "ms"): every
    milestone a bound form of its own, each checked whole (no blank row skipped), and each of
    the task's milestones the body leaves out posted as the page posts a deleted one (its
    DELETE box ticked), so that the formset refuses a reached one as on the page."""
    data = form_data(payload.model_copy(update={"milestones": []}), **extra)
    data.pop("milestones", None)
    rows = [(m.id, m.title, m.due_date, False) for m in payload.milestones]
    if task is not None:
        listed = {m.id for m in payload.milestones}
        rows += [
            (m.pk, m.title, m.due_date, True)
            for m in task.milestones.order_by("sort_order", "id")
            if m.pk not in listed
        ]
    count = str(len(rows))
    data.update({"ms-TOTAL_FORMS": count, "ms-INITIAL_FORMS": count})
    data.update({"ms-MIN_NUM_FORMS": "0", "ms-MAX_NUM_FORMS": "1000"})
    for i, (pk, title, due_date, deleted) in enumerate(rows):
        if pk is not None:
            data[f"ms-{i}-id"] = str(pk)
        data[f"ms-{i}-title"] = title
        data[f"ms-{i}-due_date"] = due_date.isoformat()
        if deleted:
            data[f"ms-{i}-DELETE"] = "on"
    return data


def _task_forms_refused(form, formset):
    """The task form's and the milestone formset's messages as one 422, each on its field
    (`milestones.<n>.<field>` for a milestone's, `milestones` for the formset's own)."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        errors.setdefault(WHOLE if name == NON_FIELD_ERRORS else name, []).extend(messages)
    for i, milestone_errors in enumerate(formset.errors):
        for name, messages in milestone_errors.items():
            key = f"milestones.{i}" if name == NON_FIELD_ERRORS else f"milestones.{i}.{name}"
            errors.setdefault(key, []).extend(messages)
    for message in formset.non_form_errors():
        errors.setdefault("milestones", []).append(message)
    return refused(errors)


def _task_saved(request, task: Task | None, data) -> Task:
    """The page's forms bound to `data`, then task_save — through EditGuard when editing (the
    version checked with the task's row locked); 422 with the page's messages."""
    form, formset = task_forms(data, task, user=request.user)
    guard = EditGuard(form, task, what="任务", parts=_TASK_PARTS) if task else None
    valid = form.is_valid()
    if not (formset.is_valid() and valid):
        raise _task_forms_refused(form, formset)
    fields, milestones = form.task_fields(), formset.milestone_inputs()

    def save():
        return task_save(task=task, by=request.user, milestones=milestones, **fields)

    try:
        return guard.save(save) if guard else save()
    except EditConflict as conflict:
        raise service_refused(conflict, {NON_FIELD_ERRORS: "version"}) from None
    except ValidationError as error:
        raise service_refused(error) from None


_CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}  # no record in the path


@router.post(
    "/tasks",
    response={201: TaskVersionedOut, **_CREATE_ERRORS},
    summary="新建任务",
    url_name="task_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(TaskIn),
)
def task_create(request):
    """Create a task with its milestones as the 新建任务 page does (tasks.services.tasks.
    task_save: the task, its supporting units and each milestone audited): a coordinator, in a
    campaign of his own level, its category, units and leader of his own level (another's reads
    as 不存在, as on the page). Refused (422) with the page's messages: a due date before the
    start, a category of another campaign, the lead unit also supporting, a milestone outside
    the task's dates."""
    if not can_manage_tasks(request.user):  # as the page: before anything is read
        raise PermissionDenied("只有专班可以新建任务。")
    payload = body_parsed(request, TaskIn)
    task = _task_saved(request, None, _task_form_data(payload))
    return Status(201, _task_detail(task))


@router.put(
    "/tasks/{task_id}",
    response={200: TaskVersionedOut, **WRITE_ERRORS},
    summary="修改任务",
    url_name="task_detail",
    openapi_extra=body_documented(TaskUpdateIn),
)
def task_edit(request, task_id: RecordId):
    """Edit a task and its milestones as its 修改任务 page does (the same form and service, the before
    and after of each change audited): a coordinator of the task's own level (404 for a task the
    caller does not read, 403 for one he reads but does not edit). `milestones` is the whole list:
    an existing one left out is deleted, a reached one cannot be (422). `version` is required (a
    missing one is a 422 on it); a save of the task or its milestones by someone else since is
    refused (422 on version) and nothing is written; the same body twice leaves the task as the
    first left it."""
    task = get_task_for_user(request.user, task_id)
    if not can_manage_tasks(request.user):
        raise PermissionDenied("只有专班可以修改任务。")
    if not can_edit_task(request.user, task):
        raise PermissionDenied(LOWER_LEVEL_READ_ONLY)
    payload = body_parsed(request, TaskUpdateIn)
    bare = payload.model_copy(update={"version": None})
    data = _task_form_data(bare, task, **{VERSION_FIELD: payload.version})
    saved = _task_saved(request, task, data)
    return _task_detail(Task.objects.get(pk=saved.pk))


def _period(raw: str) -> datetime.date:
    try:
        period = parse_period(raw)
    except BadValue as error:
        raise Problem(422, str(error), errors=[{"field": "period", "detail": str(error)}]) from None
    if period is None:
        raise Problem(422, "请填写所属月份。", errors=[{"field": "period", "detail": "必填"}])
    return period


EVIDENCE = "evidence"  # the 佐证材料 input of the task's card in the monthly report


def _progress_body() -> dict:
    """ProgressIn as JSON, or the same fields as multipart/form-data with evidence files."""
    documented = body_documented(ProgressIn)
    schema = documented["requestBody"]["content"]["application/json"]["schema"]
    properties = dict(schema["properties"])
    properties["milestones_reached"] = {
        "type": "string",
        "description": 'JSON数组文本，如 [{"id": 12, "done_on": "2023-07-20"}]（可不填）',
    }
    properties[EVIDENCE] = files_property(EVIDENCE, "佐证材料")
    multipart = {"type": "object", "required": schema.get("required", []), "properties": properties}
    documented["requestBody"]["content"]["multipart/form-data"] = {"schema": multipart}
    return documented


def _progress_payload(request) -> tuple[ProgressIn, list]:
    """The report's fields and its evidence: a JSON body (no files), or a multipart one whose
    fields are the JSON body's (milestones_reached as JSON text) and whose `evidence` parts are
    the files (api.endpoints.files.uploads_of: at most MAX_FILES)."""
    if request.content_type != "multipart/form-data":
        return body_parsed(request, ProgressIn), []
    payload = multipart_parsed(request, ProgressIn, objects=("milestones_reached",))
    return payload, uploads_of(request, EVIDENCE, required=False)


@router.post(
    "/tasks/{task_id}/progress",
    response={201: ProgressOut, **WRITE_ERRORS},
    summary="填报月度进展（可附佐证材料）",
    openapi_extra=_progress_body(),
)
def progress_file(request, task_id: RecordId):
    """File the task's progress report for a month, as the unit's monthly report does (the same
    service, monthly_report_submit): the caller must be allowed to report on the task (a
    reporter: his unit's; a coordinator: his level's), the month open, and a second report for
    the month is a correction that needs `reason`. Refused (422) with the page's messages.
    Evidence (佐证材料) goes with it as on the page: the same fields as multipart/form-data,
    each file an `evidence` part, checked as the page checks them (core.files.validate_upload)
    and stored with the report, all or nothing (a refused file stores no report, a refused
    report no file); each file audited."""
    task = get_task_for_user(request.user, task_id, write=True)
    unit = get_unit_for_report(request.user, task.lead_unit_id)
    payload, uploads = _progress_payload(request)
    period = _period(payload.period)
    seen = payload.seen
    if seen is None:
        latest = ProgressReport.objects.filter(task=task).order_by("-submitted_at", "-id")
        seen = latest.values_list("id", flat=True).first()
    entry = ReportEntry(
        task=task,
        text=payload.text,
        milestones_reached={m.id: m.done_on for m in payload.milestones_reached},
        uploads=uploads,
        reason=payload.reason,
        seen=seen,
    )
    try:
        (report,) = monthly_report_submit(
            unit=unit, period=period, by=request.user, entries=[entry]
        )
    except ValidationError as error:
        errors = [
            {"field": _progress_field(key, message), "detail": message}
            for key, messages in error.message_dict.items()
            for message in messages
        ]
        raise Problem(422, "；".join(e["detail"] for e in errors), errors=errors) from None
    report.submitted_by = request.user
    return Status(201, _report_out(report))


def _progress_field(key: str, message: str) -> str:
    if key == NON_FIELD_ERRORS:
        return "period"
    return EVIDENCE if message.startswith("文件“") else "text"


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
    try:
        task = get_task_for_user(request.user, change_request.task_id)
    except Http404:  # the same 404 as a request that does not exist: nothing told
        raise Http404("变更申请不存在。") from None
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
