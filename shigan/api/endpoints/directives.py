"""Directives (上级文件与下发文件): read as their pages read them (directives.access) — the
task force and inspectors read the directives issued within their level's scope and those
handed down to it; anyone else is refused the list (403) and finds no directive (404). A
directive answers its points, the hand-downs made from each that the caller reads (a district:
its own), and its attachments (downloaded at /directive-files/{id}; added at POST
/directives/{id}/files)."""

import datetime
from typing import Literal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.utils.datastructures import MultiValueDict
from ninja import Field, Query, Router, Schema, Status

from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.editing import FIELD as VERSION_FIELD
from shigan.core.editing import EditConflict
from shigan.core.models import user_display_name
from shigan.directives.access import (
    NO_SUBORDINATES,
    can_hand_down,
    can_manage_directives,
    can_read_directives,
    directives_visible_to,
    get_directive_for_user,
    get_directive_to_edit,
    get_handdown_to_answer,
    get_handdown_to_withdraw,
    handdown_scope_q,
    handdowns_received,
    handdowns_seen_by,
    has_subordinates,
    own_campaigns,
)
from shigan.directives.editing import DirectiveGuard, directive_version
from shigan.directives.forms import (
    NOTE_MAX_CHARS,
    AcceptForm,
    DirectiveEditForm,
    DirectiveForm,
    HandDownForm,
    ReturnForm,
    WithdrawForm,
)
from shigan.directives.models import (
    DIRECTIVE_TITLE_MAX_CHARS,
    ISSUER_NAME_MAX_CHARS,
    POINT_MAX_CHARS,
    POINTS_MAX_COUNT,
    Directive,
    DirectivePoint,
    HandDown,
    HandDownState,
)
from shigan.directives.queries import (
    directive_points,
    directive_rows,
    inbox_handdowns,
    used_point_ids,
)
from shigan.directives.services import (
    directive_create,
    directive_update,
    handdown_accept_existing,
    handdown_accept_new,
    handdown_create,
    handdown_create_with_task,
    handdown_return,
    handdown_withdraw,
    not_pending_message,
)
from shigan.orgs.scope import get_visible
from shigan.tasks.rollup import ACCEPT_DAYS

from ..body import body_documented, body_parsed
from ..corrections import VERSION_DESCRIPTION
from ..pageforms import form_data, form_refused, refused, service_refused
from ..pagination import PageFilters, page_of
from ..params import known_only
from ..schemas import READ_ERRORS, RECORD_ERRORS, WRITE_ERRORS, ProblemOut, RecordId, Version
from .files import FileOut, _file_out

router = Router(tags=["上级文件"])
CREATE_ERRORS = {k: v for k, v in WRITE_ERRORS.items() if k != 404}  # no record in the path


class DirectiveFilters(PageFilters):
    """Only the page: cursor and limit."""


class DirectiveOut(Schema):
    id: int
    issuer_id: int = Field(description="发文单位编号（上级机关不在本系统时为本级党委政府）")
    issuer: str = Field(description="发文机关：上级机关按文件所写，否则为发文单位")
    number: str = Field(description="文号")
    title: str
    issued_on: datetime.date
    point_count: int = Field(description="要求事项数")
    handdown_count: int = Field(description="由要求事项交办、调用者可查看的交办数")


class DirectivePage(Schema):
    items: list[DirectiveOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


class HandDownOut(Schema):
    id: int
    upper_task_id: int
    unit_id: int = Field(description="承接区县（党委政府单位）编号")
    unit: str
    state: HandDownState
    state_label: str
    handed_on: datetime.date


class PointOut(Schema):
    id: int
    text: str
    sort_order: int
    handdowns: list[HandDownOut] = Field(description="由该事项交办、调用者可查看的交办")


class DirectiveDetailOut(DirectiveOut):
    points: list[PointOut]
    files: list[FileOut]
    version: int = Field(description=VERSION_DESCRIPTION)


def _directive_out(directive: Directive) -> dict:
    return {
        "id": directive.pk,
        "issuer_id": directive.issuer_id,
        "issuer": directive.issuer_label,
        "number": directive.number,
        "title": directive.title,
        "issued_on": directive.issued_on,
        "point_count": directive.point_count,
        "handdown_count": directive.seen_handdowns,
    }


def _rows(user, directives):
    """directive_rows with the hand-downs counted as the list page counts them: those the user
    reads (one query)."""
    return directive_rows(directives).annotate(
        seen_handdowns=Count(
            "points__handdowns",
            filter=handdown_scope_q(user, "points__handdowns__"),
            distinct=True,
        )
    )


@router.get(
    "/directives",
    response={200: DirectivePage, **READ_ERRORS, 403: ProblemOut},
    summary="上级文件列表",
)
def directive_list(request, filters: Query[DirectiveFilters]):
    """The directives the caller reads, by id (two queries whatever their number): the task
    force and inspectors only, as the page (403 for anyone else)."""
    known_only(request, DirectiveFilters)
    if not can_read_directives(request.user):
        raise PermissionDenied("只有专班和督查可以查看上级文件。")
    visible = directives_visible_to(request.user, Directive.objects.all())
    page, next_cursor = page_of(visible.only("id"), filters.cursor, filters.limit)
    rows = _rows(request.user, Directive.objects.filter(pk__in=[d.pk for d in page]))
    return {"items": [_directive_out(d) for d in rows.order_by("pk")], "next": next_cursor}


@router.get(
    "/directives/{directive_id}",
    response={200: DirectiveDetailOut, **RECORD_ERRORS},
    summary="上级文件详情",
)
def directive_detail(request, directive_id: RecordId):
    """A directive the caller reads (404 otherwise), with its points, each with the hand-downs
    made from it that he reads (a district: its own, as its page), and its attachments; a fixed
    number of queries whatever the number of points and hand-downs."""
    directive = get_directive_for_user(request.user, directive_id)
    return _detail(request.user, directive)


def _detail(user, directive: Directive) -> dict:
    (row,) = _rows(user, Directive.objects.filter(pk=directive.pk))
    points = directive_points(directive, clock.today())
    files = directive.files.select_related("uploaded_by__person")
    return _directive_out(row) | {
        "version": directive_version(directive),
        "points": [
            {
                "id": p.pk,
                "text": p.text,
                "sort_order": p.sort_order,
                "handdowns": [
                    {
                        "id": h.pk,
                        "upper_task_id": h.upper_task_id,
                        "unit_id": h.unit_id,
                        "unit": h.unit.name,
                        "state": h.state,
                        "state_label": h.get_state_display(),
                        "handed_on": h.handed_on,
                    }
                    for g in p.groups
                    for h in handdowns_seen_by(user, g.handdowns)
                ],
            }
            for p in points
        ],
        "files": [_file_out(f, "directive-files") for f in files],
    }


# --- recording and editing a directive, as its pages --------------------------------------------


class DirectiveIn(Schema):
    """A directive as the 录入文件 page takes it (directives.forms.DirectiveForm): an own level's
    document (`issuer`) or an upper level's (`issuer_name` as written on it), one of the two.
    Attachments are added afterwards at POST /directives/{id}/files."""

    issuer: RecordId | None = Field(
        None, description="发文单位编号（本级文件：本级党委政府或办公室单位）；上级来文不填"
    )
    issuer_name: str = Field(
        "",
        max_length=ISSUER_NAME_MAX_CHARS,
        description="上级发文机关（上级来文时填写，如：县委办公室）",
    )
    number: str = Field(max_length=60, description="文号，如 区委办发〔2023〕5号")
    title: str = Field(max_length=DIRECTIVE_TITLE_MAX_CHARS, description="文件标题")
    issued_on: str = Field(description="发文日期，YYYY-MM-DD", examples=["2023-07-31"])


class DirectiveCreateIn(DirectiveIn):
    points: list[str] = Field(
        max_length=POINTS_MAX_COUNT,
        description=f"要求事项，按文件中的顺序，每项一条（至少一条，最多{POINTS_MAX_COUNT}条，"
        f"每条最多{POINT_MAX_CHARS}字）",
    )


class PointEditIn(Schema):
    id: RecordId = Field(description="已有要求事项编号")
    text: str = Field("", max_length=POINT_MAX_CHARS, description="该条的内容")
    remove: bool = Field(False, description="删除该条（已用于交办的不能删除）")


class DirectiveUpdateIn(DirectiveIn):
    """A directive's edit as the 修改文件 page takes it (directives.forms.DirectiveEditForm):
    every existing point (its text, or removed), points added after them, attachments removed."""

    points: list[PointEditIn] = Field(
        max_length=POINTS_MAX_COUNT, description="每条已有要求事项（全部列出，顺序不变）"
    )
    version: Version
    new_points: list[str] = Field(
        [], max_length=POINTS_MAX_COUNT, description="新增要求事项，排在已有事项之后"
    )
    remove_files: list[RecordId] = Field([], max_length=100, description="删除的附件编号")


def _directive_data(payload: DirectiveIn, **extra):
    fields = DirectiveIn.model_fields
    return form_data(DirectiveIn(**{k: getattr(payload, k) for k in fields}), **extra)


@router.post(
    "/directives",
    response={201: DirectiveDetailOut, **CREATE_ERRORS},
    summary="录入文件",
    url_name="directive_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(DirectiveCreateIn),
)
def directive_new(request):
    """Record a directive with its points as the 录入文件 page does (directives.services
    .directive_create: the number's form, the limits, all audited, all or nothing): the task
    force of a district (403 for anyone else, before the body is read)."""
    if not can_manage_directives(request.user):
        raise PermissionDenied("只有专班可以录入文件和办理交办。")
    payload = body_parsed(request, DirectiveCreateIn)
    data = _directive_data(payload, points="\n".join(payload.points))
    form = DirectiveForm(data, MultiValueDict(), user=request.user)
    if not form.is_valid():
        raise form_refused(form)
    fields = form.cleaned_data
    try:
        directive = directive_create(
            by=request.user, issuer=fields["issuer"], issuer_name=fields["issuer_name"],
            number=fields["number"], title=fields["title"], issued_on=fields["issued_on"],
            points=form.point_lines(), files=[],
        )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _detail(request.user, directive))


@router.put(
    "/directives/{directive_id}",
    response={200: DirectiveDetailOut, **WRITE_ERRORS},
    summary="修改文件",
    url_name="directive_detail",
    openapi_extra=body_documented(DirectiveUpdateIn),
)
def directive_edit(request, directive_id: RecordId):
    """Edit a directive as the 修改文件 page does (directives.services.directive_update, each
    change audited, all or nothing): its fields, each point's text or its removal (refused for
    a point a hand-down was made from), points added, attachments removed. The coordinator of
    its issuing level; 404 for whoever does not read it, 403 for whoever only reads it. The
    `version` (its detail's: the directive with its points and attachments) is required (a
    missing one is a 422 on it); a save by someone else since is refused (422 on version,
    naming who changed what and when) and nothing is written."""
    directive = get_directive_to_edit(request.user, directive_id)
    payload = body_parsed(request, DirectiveUpdateIn)
    current = {p.pk: p for p in directive.points.all()}
    strangers = [p.id for p in payload.points if p.id not in current]
    listed = [p.id for p in payload.points]
    if strangers or len(set(listed)) != len(listed):
        raise refused({"points": [f"要求事项{strangers or listed}不是该文件的事项或重复列出。"]})
    missing = [current[pk].sort_order for pk in current if pk not in listed]
    if missing:
        numbers = "、".join(f"第{n}条" for n in sorted(missing))
        raise refused(
            {"points": [f"请列出每条已有要求事项（缺{numbers}）；要删除的请标明 remove。"]}
        )
    extra = {"new_points": "\n".join(payload.new_points), "remove_files": payload.remove_files}
    for point in payload.points:
        extra[f"point_{point.id}"] = point.text
        extra[f"remove_{point.id}"] = point.remove
    extra[VERSION_FIELD] = payload.version
    form = DirectiveEditForm(
        _directive_data(payload.model_copy(update={"version": None}), **extra), MultiValueDict(),
        user=request.user, directive=directive, used_point_ids=used_point_ids(directive),
    )  # fmt: skip
    guard = DirectiveGuard(form, directive)
    if not form.is_valid():
        names = {f"point_{pk}": "points" for pk in current} | {
            f"remove_{pk}": "points" for pk in current
        }
        raise form_refused(form, names)
    fields = form.cleaned_data
    try:
        guard.save(lambda: directive_update(
            by=request.user, directive=directive, issuer=fields["issuer"],
            issuer_name=fields["issuer_name"], number=fields["number"], title=fields["title"],
            issued_on=fields["issued_on"], points=form.edited_points(),
            remove_files=[f.pk for f in fields["remove_files"]], files=[],
        ))  # fmt: skip
    except EditConflict as conflict:
        raise service_refused(conflict, {NON_FIELD_ERRORS: "version"}) from None
    except ValidationError as error:
        raise service_refused(error) from None
    directive = get_directive_for_user(request.user, directive.pk)
    return _detail(request.user, directive)


# --- hand-downs (交办): made, accepted, returned, withdrawn as on their pages -------------------


class HandDownAnswerOut(HandDownOut):
    upper_task: str = Field(description="上级任务名称")
    note: str = Field(description="交办要求")
    return_reason: str = Field(description="退回理由（已退回时）")
    withdraw_reason: str = Field(description="撤回理由（已撤回时）")


class HandDownAcceptedOut(HandDownAnswerOut):
    task_id: int = Field(description="承接区县据此新建或关联的本级任务编号")
    task: str = Field(description="该本级任务名称")


def _handdown_out(handdown: HandDown) -> dict:
    return {
        "id": handdown.pk,
        "upper_task_id": handdown.upper_task_id,
        "upper_task": handdown.upper_task.title,
        "unit_id": handdown.unit_id,
        "unit": handdown.unit.name,
        "state": handdown.state,
        "state_label": handdown.get_state_display(),
        "handed_on": handdown.handed_on,
        "note": handdown.note,
        "return_reason": handdown.return_reason,
        "withdraw_reason": handdown.withdraw_reason,
    }


def _fresh(handdown_id: int) -> dict:
    return _handdown_out(HandDown.objects.select_related("upper_task", "unit").get(pk=handdown_id))


class HandDownIn(Schema):
    """A hand-down as the 交办 page takes it (directives.forms.HandDownForm): an existing task of
    the caller's level (`upper_task`), or — from a directive's point (`point`) — a new task of
    his level made of `title`, `category`, `lead_unit` and `due_date`, the point its target."""

    point: RecordId | None = Field(None, description="要求事项编号（据上级文件的要求事项交办）")
    upper_task: RecordId | None = Field(
        None, description="交办的本级任务编号；据要求事项交办时不填则新建本级任务"
    )
    title: str | None = Field(None, max_length=200, description="新建任务名称")
    category: RecordId | None = Field(None, description="任务类别编号（本级当前活动的类别）")
    lead_unit: RecordId | None = Field(None, description="本级牵头单位编号")
    due_date: str | None = Field(
        None, description="完成时限，YYYY-MM-DD（新建任务时必填）", examples=["2023-11-30"]
    )
    units: list[RecordId] = Field(
        max_length=200, description="承接的区（县）：本级直属下级党委政府单位编号，至少一个"
    )
    note: str = Field("", max_length=NOTE_MAX_CHARS, description="交办要求")


def _point(user, point_id: int | None) -> DirectivePoint | None:
    """The page's ?point=: a point of a directive the caller hands down (403 for a directive he
    only reads); one he does not read is refused on `point` (422), as any id of the body."""
    if point_id is None:
        return None
    points = DirectivePoint.objects.select_related("directive__issuer")
    try:
        point = get_visible(points, point_id, "要求事项不存在。")
        get_directive_for_user(user, point.directive_id, write=True)
    except Http404:
        raise refused({"point": ["要求事项不存在或无权查看。"]}) from None
    return point


# --- the receiving district's inbox (待接收的交办任务), as its page ------------------------------


class HandDownInboxFilters(PageFilters):
    state: HandDownState | None = Field(
        None,
        description="状态：pending 待接收（页面的“待接收”）；accepted 已接收、returned 已退回、"
        "withdrawn 已撤回（页面的“已办理”）；不填为全部",
    )


class HandDownReceivedOut(HandDownAnswerOut):
    upper_unit_id: int = Field(description="交办单位（上级任务的牵头单位）编号")
    upper_unit: str = Field(description="交办单位")
    handed_by: str = Field(description="交办人")
    due_date: datetime.date = Field(description="上级任务的完成时限")
    target: str = Field(description="上级任务的目标任务")
    directive_id: int | None = Field(description="依据的上级文件编号（据要求事项交办时）")
    directive: str = Field(description="依据：文号《标题》第N条（据要求事项交办时，否则为空）")
    waiting_days: int | None = Field(
        description="待接收时已等待的工作日数（法定节假日与调休计入日历；已办理为 null）"
    )
    late: bool = Field(
        description=f"待接收超过{ACCEPT_DAYS}个工作日（上级汇总计为滞后）",
    )
    closed_on: datetime.date | None = Field(description="办理日期：接收、退回或上级撤回之日")
    closed_reason: str = Field(description="退回或撤回理由")


class HandDownReceivedPage(Schema):
    items: list[HandDownReceivedOut]
    next: str | None = Field(description="下一页的游标（最后一页为 null）")


def _received_out(handdown: HandDown) -> dict:
    upper, point = handdown.upper_task, handdown.point
    waiting = getattr(handdown, "waiting_days", None)
    return _handdown_out(handdown) | {
        "upper_unit_id": upper.lead_unit_id,
        "upper_unit": upper.lead_unit.name,
        "handed_by": user_display_name(handdown.handed_by),
        "due_date": upper.due_date,
        "target": upper.target,
        "directive_id": point.directive_id if point else None,
        "directive": (
            f"{point.directive.number}《{point.directive.title}》第{point.sort_order}条"
            if point
            else ""
        ),
        "waiting_days": waiting,
        "late": waiting is not None and waiting > ACCEPT_DAYS,
        "closed_on": handdown.closed_on,
        "closed_reason": handdown.closed_reason,
    }


@router.get(
    "/handdowns",
    response={200: HandDownReceivedPage, **READ_ERRORS, 403: ProblemOut},
    summary="收到的交办任务（待接收与已办理）",
)
def handdown_list(request, filters: Query[HandDownInboxFilters]):
    """The hand-downs to the caller's district, as its 待接收的交办任务 page lists them
    (directives.access.handdowns_received): its task force only (403 for anyone else, as the
    page). Each with who handed it down and when, the upper task's time limit and target, the
    directive's point it was made from, and — while 待接收 — the working days it has waited
    (late past the page's limit); answered or withdrawn ones with the day and reason. By id
    (the page shows the newest first); `state` as the page's two sections. Two queries whatever
    the page's size: the page's ids, the rows."""
    known_only(request, HandDownInboxFilters)
    if not can_manage_directives(request.user):
        raise PermissionDenied("只有专班可以录入文件和办理交办。")
    received = handdowns_received(request.user, HandDown.objects.all())
    if filters.state is not None:
        received = received.filter(state=filters.state)
    page, next_cursor = page_of(received.only("id"), filters.cursor, filters.limit)
    rows = inbox_handdowns(HandDown.objects.filter(pk__in=[h.pk for h in page]), clock.today())
    found = sorted(rows["pending"] + rows["answered"], key=lambda h: h.pk)
    return {"items": [_received_out(h) for h in found], "next": next_cursor}


@router.post(
    "/handdowns",
    response={201: list[HandDownAnswerOut], **CREATE_ERRORS},
    summary="交办任务给下级区（县）",
    url_name="handdown_list",  # one URL, one name (the permission matrix's row)
    openapi_extra=body_documented(HandDownIn),
)
def handdown_new(request):
    """Hand a task down as the 交办 page does (directives.services.handdown_create, or
    handdown_create_with_task from a point: the new task of the caller's level and each
    hand-down audited, all or nothing; each district told): the task force of a district
    (403 for anyone else, before the body is read; 403 too, with the page's explanation, for
    a level with no district below it). One hand-down a district, each 待接收."""
    user = request.user
    if not can_manage_directives(user):
        raise PermissionDenied("只有专班可以录入文件和办理交办。")
    payload = body_parsed(request, HandDownIn)
    point = _point(user, payload.point)
    if not has_subordinates(user):
        raise PermissionDenied(NO_SUBORDINATES)
    campaign = campaign_current(None, among=own_campaigns(user))
    form = HandDownForm(
        form_data(payload.model_copy(update={"point": None})),
        user=user, campaign=campaign, point=point,
    )  # fmt: skip
    if not form.is_valid():
        raise form_refused(form)
    data, today = form.cleaned_data, clock.today()
    common = {"by": user, "units": list(data["units"]), "note": data["note"], "today": today}
    upper = data.get("upper_task")
    try:
        if upper is not None:
            if not can_hand_down(user, upper):
                raise PermissionDenied("只能交办本级牵头的任务。")
            made = handdown_create(upper_task=upper, point=point, **common)
        else:
            made = handdown_create_with_task(
                point=point, campaign=campaign, category=data["category"], title=data["title"],
                lead_unit=data["lead_unit"], start_date=today, due_date=data["due_date"],
                **common,
            )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error) from None
    rows = HandDown.objects.select_related("upper_task", "unit").filter(pk__in=[h.pk for h in made])
    return Status(201, [_handdown_out(h) for h in rows.order_by("pk")])  # one query for all


class AcceptIn(Schema):
    """Accepting a hand-down as the 接收 page takes it (directives.forms.AcceptForm): a new task of
    the caller's district (`mode` new: its goal the upper task's goal; the hand-down's note stays
    on the hand-down) or one of its active tasks not yet linked (`mode` existing, `task`)."""

    mode: Literal["new", "existing"] = Field(
        "new", description="接收方式：new 新建本级任务，existing 关联已有任务"
    )
    task: RecordId | None = Field(None, description="关联的已有任务编号（existing 时必填）")
    title: str | None = Field(None, max_length=200, description="任务名称（new 时必填）")
    category: RecordId | None = Field(None, description="任务类别编号（本级当前活动的类别）")
    lead_unit: RecordId | None = Field(None, description="牵头单位编号（本区的单位）")
    leader: RecordId | None = Field(None, description="责任领导（人员编号，可不填）")
    start_date: str | None = Field(
        None, description="开始日期，YYYY-MM-DD", examples=["2023-07-31"]
    )
    due_date: str | None = Field(None, description="完成时限，YYYY-MM-DD", examples=["2023-11-30"])


@router.post(
    "/handdowns/{handdown_id}/accept",
    response={201: HandDownAcceptedOut, **WRITE_ERRORS},
    summary="接收交办任务",
    openapi_extra=body_documented(AcceptIn),
)
def handdown_accept(request, handdown_id: RecordId):
    """Accept a hand-down to the caller's district as the 接收 page does: a new task of his
    district (directives.services.handdown_accept_new, in its current campaign) or one of its
    tasks (handdown_accept_existing), linked to the upper task; the hand-down 已接收; all
    audited, all or nothing. 404 for whoever does not read it, 403 for whoever may not answer
    it (only the receiving district's task force); one withdrawn or answered meanwhile is
    refused (422) with the page's message."""
    user = request.user
    handdown = get_handdown_to_answer(user, handdown_id)
    payload = body_parsed(request, AcceptIn)
    if handdown.state != HandDownState.PENDING:
        raise refused({NON_FIELD_ERRORS: [not_pending_message(handdown)]})
    campaign = campaign_current(None, among=own_campaigns(user))
    form = AcceptForm(form_data(payload), user=user, handdown=handdown, campaign=campaign)
    if not form.is_valid():
        raise form_refused(form)
    data, today = form.cleaned_data, clock.today()
    try:
        if data["mode"] == AcceptForm.EXISTING:
            task = handdown_accept_existing(
                by=user, handdown=handdown, task=data["task"], today=today
            )
        else:
            task = handdown_accept_new(
                by=user, handdown=handdown, campaign=campaign, category=data["category"],
                title=data["title"],
                lead_unit=data["lead_unit"], leader=data["leader"],
                start_date=data["start_date"], due_date=data["due_date"], today=today,
            )  # fmt: skip
    except ValidationError as error:
        raise service_refused(error) from None
    return Status(201, _fresh(handdown.pk) | {"task_id": task.pk, "task": task.title})


class ReasonIn(Schema):
    reason: str = Field(max_length=NOTE_MAX_CHARS, description="理由（必填）")


def _reason(request, form_class, missing: str) -> str:
    """The reason as the page's form reads it; an empty one refused on `reason` with the page's
    message."""
    payload = body_parsed(request, ReasonIn)
    form = form_class(form_data(payload))
    if not form.is_valid():
        if not (payload.reason or "").strip():
            raise refused({"reason": [missing]})
        raise form_refused(form)
    return form.cleaned_data["reason"]


@router.post(
    "/handdowns/{handdown_id}/return",
    response={200: HandDownAnswerOut, **WRITE_ERRORS},
    url_name="handdown_return",
    summary="退回交办任务",
    openapi_extra=body_documented(ReasonIn),
)
def handdown_return_api(request, handdown_id: RecordId):
    """Return a hand-down to the upper level with a reason, as the inbox's 退回 does
    (directives.services.handdown_return, audited): the receiving district's task force (404
    for whoever does not read it, 403 for whoever may not answer it); one withdrawn or
    answered meanwhile refused (422) with the page's message."""
    handdown = get_handdown_to_answer(request.user, handdown_id)
    reason = _reason(request, ReturnForm, "请填写退回理由。")
    try:
        handdown_return(by=request.user, handdown=handdown, reason=reason, today=clock.today())
    except ValidationError as error:
        raise service_refused(error) from None
    return _fresh(handdown.pk)


@router.post(
    "/handdowns/{handdown_id}/withdraw",
    response={200: HandDownAnswerOut, **WRITE_ERRORS},
    url_name="handdown_withdraw",
    summary="撤回交办任务",
    openapi_extra=body_documented(ReasonIn),
)
def handdown_withdraw_api(request, handdown_id: RecordId):
    """Withdraw (撤回) a hand-down still waiting, with a reason, as the upper task's page does
    (directives.services.handdown_withdraw, audited; the district told): the task force of the
    level that leads the upper task (404 for whoever does not read it, 403 for whoever may not
    withdraw it); an accepted, returned or withdrawn one refused (422) with the page's
    message."""
    handdown = get_handdown_to_withdraw(request.user, handdown_id)
    reason = _reason(request, WithdrawForm, "请填写撤回理由。")
    try:
        handdown_withdraw(by=request.user, handdown=handdown, reason=reason, today=clock.today())
    except ValidationError as error:
        raise service_refused(error) from None
    return _fresh(handdown.pk)
