"""Recording directives, handing tasks down and answering hand-downs: each all-or-nothing
(a refused call saves nothing, and leaves no uploaded file behind) and written to the audit
trail. Who may call them is the views' question (directives.access); these check the records'
own rules: the receiving unit is a district directly below the upper task's, a hand-down is
answered once, the answering task is the receiving district's own. The district is told of a
hand-down made or withdrawn by the reminders app (above this one), which reads hand-downs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, snapshot
from shigan.core.files import files_discarded_on_error, upload_errors
from shigan.core.forms import control_error
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit, UnitKind
from shigan.tasks.models import Task, TaskCategory, TaskState
from shigan.tasks.services.tasks import task_save

from .models import (
    DIRECTIVE_TITLE_MAX_CHARS,
    ISSUER_NAME_MAX_CHARS,
    OPEN_STATES,
    Directive,
    DirectiveFile,
    DirectivePoint,
    HandDown,
    HandDownState,
    normalise_number,
    number_error,
    points_errors,
)


def _directive_errors(
    *, issuer: Unit, issuer_name: str, number: str, title: str, points: list[str], files,
    editing: Directive | None = None,
) -> list:  # fmt: skip
    errors = [number_error(number)]
    if len(issuer_name) > ISSUER_NAME_MAX_CHARS:
        errors.append(
            f"“上级发文机关”最多{ISSUER_NAME_MAX_CHARS}字，现有{len(issuer_name)}字，请精简。"
        )
    if issuer_name and issuer.kind != UnitKind.PARTY_GOVERNMENT:
        errors.append("录入上级来文时，本级单位应为本级党委政府。")
    if not title.strip():
        errors.append("请填写文件标题。")
    elif len(title.strip()) > DIRECTIVE_TITLE_MAX_CHARS:
        errors.append(
            f"“文件标题”最多{DIRECTIVE_TITLE_MAX_CHARS}字，现有{len(title.strip())}字，请精简。"
        )
    if not points:
        errors.append("请至少填写一条要求事项（每行一条）。")
    errors += points_errors(points)
    texts = (
        ("上级发文机关", issuer_name), ("文号", number), ("文件标题", title),
    )  # fmt: skip
    errors += [control_error(label, text) for label, text in texts]
    errors.append(control_error("要求事项", "\n".join(points), part="条"))
    if issuer.kind not in (UnitKind.PARTY_GOVERNMENT, UnitKind.OFFICE):
        errors.append(f"发文单位“{issuer.name}”不是党委政府或办公室，不能发文。")
    elif (
        Directive.objects.filter(issuer=issuer, number=normalise_number(number))
        .exclude(pk=editing.pk if editing else None)
        .exists()
    ):
        errors.append(
            f"{issuer_name or issuer.name}的文号“{normalise_number(number)}”已录入，请勿重复录入。"
        )
    return [e for e in errors if e] + upload_errors(files)


@transaction.atomic
def directive_create(
    *, by, issuer: Unit, number: str, title: str, issued_on: datetime.date, points: list[str],
    files=(), issuer_name: str = "",
) -> Directive:  # fmt: skip
    """Record a directive with its points (in the given order) and attachments; raises
    ValidationError naming every problem, saving nothing. `issuer_name`: an upper organ not in
    the database (县委办公室), `issuer` then the recording level's 党委政府 unit."""
    points = [p.strip() for p in points if p.strip()]
    files, issuer_name = list(files), issuer_name.strip()
    if errors := _directive_errors(
        issuer=issuer, issuer_name=issuer_name, number=number, title=title, points=points,
        files=files,
    ):  # fmt: skip
        raise ValidationError(errors)
    directive = Directive.objects.create(
        issuer=issuer, issuer_name=issuer_name, number=normalise_number(number),
        title=title.strip(), issued_on=issued_on, created_by=by,
    )  # fmt: skip
    audit_record(actor=by, obj=directive, action=AuditAction.CREATE)
    for order, text in enumerate(points, start=1):
        point = DirectivePoint.objects.create(directive=directive, text=text, sort_order=order)
        audit_record(actor=by, obj=point, action=AuditAction.CREATE)
    with files_discarded_on_error() as stored:
        for upload in files:
            record = DirectiveFile(directive=directive)
            record.store(upload, by=by)
            stored.append(record)
    return directive


def _points_in_use(directive: Directive, removed: list[DirectivePoint]) -> list[str]:
    """Why points asked to be removed cannot be: a hand-down was made from them."""
    used = set(
        HandDown.objects.filter(point__in=removed).values_list("point_id", flat=True).distinct()
    )
    return [
        f"要求事项第{p.sort_order}条“{p.text[:20]}”已用于交办，不能删除（可修改其文字）。"
        for p in removed
        if p.pk in used
    ]


def _save_points(by, directive: Directive, wanted: list[tuple[int | None, str]], current: dict):
    """The points as `wanted`, in its order (numbered from 1), each change audited."""
    kept = {pk for pk, _ in wanted if pk is not None}
    for point in current.values():
        if point.pk not in kept:
            audit_record(actor=by, obj=point, action=AuditAction.DELETE, note="删除要求事项")
            point.delete()
    for order, (pk, text) in enumerate(wanted, start=1):
        if pk is None:
            point = DirectivePoint.objects.create(directive=directive, text=text, sort_order=order)
            audit_record(actor=by, obj=point, action=AuditAction.CREATE)
            continue
        point = current[pk]
        if (point.text, point.sort_order) != (text, order):
            before = snapshot(point)
            point.text, point.sort_order = text, order
            point.save()
            audit_record(actor=by, obj=point, action=AuditAction.UPDATE, before=before)


def _remove_files(by, directive: Directive, file_ids) -> None:
    """The attachments `file_ids` of the directive deleted (audited); their stored files are
    deleted once the transaction commits (a refused edit keeps them)."""
    for record in DirectiveFile.objects.filter(directive=directive, pk__in=list(file_ids)):
        audit_record(actor=by, obj=record, action=AuditAction.DELETE, note="删除附件")
        name, storage = record.file.name, record.file.storage
        record.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


@transaction.atomic
def directive_update(
    *, by, directive: Directive, issuer: Unit, number: str, title: str,
    issued_on: datetime.date, points: list[tuple[int | None, str]], issuer_name: str = "",
    remove_files=(), files=(),
) -> Directive:  # fmt: skip
    """Edit a directive: its fields, its points (`points`: (id of a kept point or None for a
    new one, text) in the wanted order; a point left out is removed, refused when a hand-down
    was made from it) and its attachments (`remove_files` ids, new `files`); the limits of
    directive_create. Raises ValidationError naming every problem, saving nothing; each change
    audited with what changed."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    points = [(pk, text.strip()) for pk, text in points if text.strip()]
    files, issuer_name = list(files), issuer_name.strip()
    current = {p.pk: p for p in directive.points.all()}
    unknown = [pk for pk, _ in points if pk is not None and pk not in current]
    removed = [p for pk, p in current.items() if pk not in {k for k, _ in points}]
    errors = _directive_errors(
        issuer=issuer, issuer_name=issuer_name, number=number, title=title,
        points=[text for _, text in points], files=files, editing=directive,
    ) + _points_in_use(directive, removed)  # fmt: skip
    if unknown:
        errors.append("要求事项已被他人修改，请刷新页面后重新编辑。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(directive)
    directive.issuer, directive.issuer_name, directive.number = (
        issuer,
        issuer_name,
        normalise_number(number),
    )
    directive.title, directive.issued_on = title.strip(), issued_on
    directive.save()
    audit_record(actor=by, obj=directive, action=AuditAction.UPDATE, before=before)
    _save_points(by, directive, points, current)
    _remove_files(by, directive, remove_files)
    with files_discarded_on_error() as stored:
        for upload in files:
            record = DirectiveFile(directive=directive)
            record.store(upload, by=by)
            stored.append(record)
    return directive


def _other_directive(upper_task: Task, point: DirectivePoint) -> Directive | None:
    """The directive another point of which `upper_task` was already handed down by (open
    hand-downs: a withdrawn or returned one binds nothing), when it is not `point`'s: one task
    answers one directive (one query)."""
    other = (
        HandDown.objects.filter(upper_task=upper_task, point__isnull=False, state__in=OPEN_STATES)
        .exclude(point__directive_id=point.directive_id)
        .select_related("point__directive")
        .first()
    )
    return other.point.directive if other is not None else None


def _handdown_errors(upper_task: Task, units: list[Unit], point: DirectivePoint | None) -> list:
    if not units:
        return ["请至少选择一个承接的区（县）。"]
    district_id = upper_task.lead_unit.district_id
    errors = []
    if upper_task.state != TaskState.ACTIVE:
        errors.append(f"任务“{upper_task.title}”已{upper_task.get_state_display()}，不能交办。")
    if point is not None and point.directive.issuer.district_id != district_id:
        errors.append("要求事项所属文件不是本级发文，不能据此交办。")
    if point is not None and (other := _other_directive(upper_task, point)) is not None:
        errors.append(
            f"任务“{upper_task.title}”已依据{other.number}《{other.title}》交办，所选要求事项出自"
            f"另一文件{point.directive.number}，不能据此交办：请按原文件的要求事项交办，"
            "或据此要求事项新建任务。"
        )
    open_units = set(
        HandDown.objects.filter(
            upper_task=upper_task, unit__in=units, state__in=OPEN_STATES
        ).values_list("unit__name", flat=True)
    )
    for unit in units:
        if unit.kind != UnitKind.PARTY_GOVERNMENT or unit.parent is None:
            errors.append(f"“{unit.name}”不是区（县）党委政府，不能承接交办。")
        elif unit.parent.district_id != district_id or unit.pk == district_id:
            errors.append(f"“{unit.name}”不是本级直属的下级区（县），不能向其交办。")
        elif unit.name in open_units:
            errors.append(f"任务“{upper_task.title}”已交办给“{unit.name}”，请勿重复交办。")
    return errors


@transaction.atomic
def handdown_create(
    *, by, upper_task: Task, units: list[Unit], note: str = "",
    point: DirectivePoint | None = None, today: datetime.date,
) -> list[HandDown]:  # fmt: skip
    """Hand `upper_task` down to each of `units` (one HandDown each, 待接收); raises
    ValidationError naming every refused unit, saving nothing."""
    units = list(Unit.objects.filter(pk__in=[u.pk for u in units]).select_related("parent"))
    if errors := _handdown_errors(upper_task, units, point):
        raise ValidationError(errors)
    made = []
    for unit in sorted(units, key=lambda u: (u.sort_order, u.pk)):
        handdown = HandDown.objects.create(
            upper_task=upper_task, unit=unit, note=note.strip(), point=point, handed_by=by,
            handed_on=today,
        )  # fmt: skip
        audit_record(actor=by, obj=handdown, action=AuditAction.CREATE, task_id=upper_task.pk)
        made.append(handdown)
    return made


@transaction.atomic
def handdown_create_with_task(
    *, by, point: DirectivePoint, units: list[Unit], note: str, campaign: Campaign,
    category: TaskCategory, title: str, lead_unit: Unit, start_date: datetime.date,
    due_date: datetime.date, today: datetime.date,
) -> list[HandDown]:  # fmt: skip
    """Create the upper level's task for a directive point (its target the point's text) and
    hand it down; all or nothing."""
    task = task_save(
        task=None, by=by, campaign=campaign, category=category, number=_next_number(category), title=title,
        target=point.text, lead_unit=lead_unit, supporting_units=[], leader=None,
        start_date=start_date, due_date=due_date, milestones=[],
    )  # fmt: skip
    return handdown_create(by=by, upper_task=task, units=units, note=note, point=point, today=today)


def _next_number(category: TaskCategory) -> int:
    """The number after the category's last task: a task made here joins the list at its end."""
    last = Task.objects.filter(category=category).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def not_pending_message(handdown: HandDown) -> str:
    """Why a hand-down no longer waits to be answered, in the district's words (a withdrawn
    one names the upper level's reason)."""
    if handdown.state == HandDownState.WITHDRAWN:
        return (
            f"该交办任务已被上级撤回（撤回理由：{handdown.withdraw_reason}），"
            "无需接收或退回，本级未作任何改动。"
        )
    return f"该交办任务{handdown.get_state_display()}，不能再次办理。"


def _locked_pending(handdown: HandDown) -> HandDown:
    """The hand-down locked (an accept and a withdrawal at once: the second sees the first's
    state), refused unless it still waits."""
    locked = (
        HandDown.objects.select_for_update()
        .select_related("upper_task", "unit")
        .get(pk=handdown.pk)
    )
    if locked.state != HandDownState.PENDING:
        raise ValidationError(not_pending_message(locked))
    return locked


def _answer(by, handdown: HandDown, state: str, today: datetime.date, reason: str = "") -> None:
    before = snapshot(handdown)
    handdown.state, handdown.answered_by, handdown.answered_on = state, by, today
    handdown.return_reason = reason
    handdown.save()
    audit_record(
        actor=by, obj=handdown, action=AuditAction.UPDATE, before=before,
        task_id=handdown.upper_task_id,
    )  # fmt: skip


def _link(by, handdown: HandDown, task: Task) -> Task:
    task = (
        Task.objects.select_for_update()
        .select_related("lead_unit", "campaign__organiser")
        .get(pk=task.pk)
    )
    district_id = handdown.unit_id
    if task.lead_unit.district_id != district_id or task.campaign.organiser.district_id != (
        district_id
    ):
        raise ValidationError(f"任务“{task.title}”不是{handdown.unit.name}本级的任务，不能关联。")
    if task.upper_task_id is not None:
        raise ValidationError(f"任务“{task.title}”已关联上级任务，不能重复关联。")
    if task.state != TaskState.ACTIVE:
        raise ValidationError(f"任务“{task.title}”已{task.get_state_display()}，不能关联。")
    before = snapshot(task)
    task.upper_task = handdown.upper_task
    task.save(update_fields=["upper_task", "updated_at"])
    audit_record(actor=by, obj=task, action=AuditAction.UPDATE, before=before, task_id=task.pk)
    return task


@transaction.atomic
def handdown_accept_existing(*, by, handdown: HandDown, task: Task, today: datetime.date) -> Task:
    """Accept a hand-down by linking one of the receiving district's own active tasks to the
    upper task; raises ValidationError, saving nothing, when the task is not its to link."""
    handdown = _locked_pending(handdown)
    linked = _link(by, handdown, task)
    _answer(by, handdown, HandDownState.ACCEPTED, today)
    return linked


@transaction.atomic
def handdown_accept_new(
    *, by, handdown: HandDown, campaign: Campaign, category: TaskCategory, title: str,
    lead_unit: Unit, leader: Person | None, start_date: datetime.date,
    due_date: datetime.date, today: datetime.date, target: str | None = None,
) -> Task:  # fmt: skip
    """Accept a hand-down by creating the receiving district's own task (in its campaign, led by
    one of its units) linked to the upper task; all or nothing. The new task's goal (目标任务) is
    `target` when the district words its own, else the upper task's goal — never the hand-down's
    note (交办要求), a message to the receiver that stays on the hand-down."""
    handdown = _locked_pending(handdown)
    if not (target or "").strip():
        target = handdown.upper_task.target
    if campaign.organiser.district_id != handdown.unit_id:
        raise ValidationError(f"活动“{campaign}”不是{handdown.unit.name}本级的活动。")
    if lead_unit.district_id != handdown.unit_id:
        raise ValidationError(f"牵头单位“{lead_unit.name}”不属于{handdown.unit.name}。")
    task = task_save(
        task=None, by=by, campaign=campaign, category=category, number=_next_number(category), title=title,
        target=target, lead_unit=lead_unit, supporting_units=[], leader=leader,
        start_date=start_date, due_date=due_date, milestones=[],
    )  # fmt: skip
    linked = _link(by, handdown, task)
    _answer(by, handdown, HandDownState.ACCEPTED, today)
    return linked


@transaction.atomic
def handdown_return(*, by, handdown: HandDown, reason: str, today: datetime.date) -> HandDown:
    """Return a pending hand-down to the upper level with a reason (required)."""
    if not reason.strip():
        raise ValidationError("请填写退回理由。")
    handdown = _locked_pending(handdown)
    _answer(by, handdown, HandDownState.RETURNED, today, reason.strip())
    return handdown


@transaction.atomic
def handdown_withdraw(*, by, handdown: HandDown, reason: str, today: datetime.date) -> HandDown:
    """The upper level withdraws (撤回) a hand-down still waiting (待接收), with a reason
    (required); audited. An accepted one is not withdrawn: its child task is the district's,
    whose cancellation the upper level asks for by a change request."""
    if not reason.strip():
        raise ValidationError("请填写撤回理由。")
    locked = (
        HandDown.objects.select_for_update()
        .select_related("unit", "upper_task__lead_unit")
        .get(pk=handdown.pk)
    )
    if locked.state == HandDownState.ACCEPTED:
        raise ValidationError(
            f"{locked.unit.name}已接收该交办任务，不能撤回：下级任务由其本级管理，"
            "如需取消，请该区（县）通过变更申请取消其任务。"
        )
    if locked.state != HandDownState.PENDING:
        raise ValidationError(f"该交办任务{locked.get_state_display()}，不能撤回。")
    before = snapshot(locked)
    locked.state, locked.withdrawn_by, locked.withdrawn_on = HandDownState.WITHDRAWN, by, today
    locked.withdraw_reason = reason.strip()
    locked.save()
    audit_record(
        actor=by, obj=locked, action=AuditAction.UPDATE, before=before,
        task_id=locked.upper_task_id, note="撤回交办",
    )  # fmt: skip
    return locked
