"""Change requests (调整时限 / 取消 / 办结销号): filed with a reason and evidence, decided by a
coordinator. Approving applies the change to the task; both steps are audited.

A rectification task (督查整改事项) is completed only after the inspector has verified its
finding: the unit may ask for 办结销号 at any time (the finding then awaits verification), but
the approval is refused until the latest verification passed. A 办实事 item (办实事事项) is
completed only with evidence filed and the people's 回访 recorded (grassroots.PromiseFollowUp)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction

from ..evidence import evidence_store, validate_evidence
from ..models import (
    ChangeKind,
    ChangeRequest,
    ChangeState,
    Evidence,
    Milestone,
    Task,
    TaskOrigin,
    TaskState,
)

# supervision.models.VerificationResult.PASSED. The finding points at its task; its verifications
# are read through that relation so that tasks does not import the app built on it.
VERIFICATION_PASSED = "passed"
# grassroots.PromiseFollowUp's related name on Task: read the same way, without importing it.
PROMISE_FOLLOW_UP = "promise_follow_up"


def pending_error(pending: ChangeRequest) -> str:
    return (
        f"该任务已有一项待审批的“{pending.get_kind_display()}”申请"
        f"（{timezone.localtime(pending.requested_at):%Y-%m-%d}提交），请等专班审批后再提交。"
    )


def request_block_error(task: Task) -> str | None:
    """Why no change may be requested for `task` now (it is closed, or a request is pending)."""
    if task.state != TaskState.ACTIVE:
        return f"该任务{task.get_state_display()}，不能再申请变更。"
    pending = task.change_requests.filter(state=ChangeState.PENDING).first()
    if pending is not None:
        return pending_error(pending)
    return None


def extension_error(
    task: Task, proposed: datetime.date | None, milestones: Iterable[Milestone]
) -> str | None:
    """Why `proposed` cannot be the task's new due date, or None if it can."""
    if proposed is None:
        return "申请调整时限时，请填写调整后的时限。"
    if proposed <= task.start_date:
        return f"调整后的时限{proposed}须晚于任务开始日期{task.start_date}。"
    if proposed == task.due_date:
        return f"调整后的时限与现有完成时限{task.due_date}相同。"
    late = [m for m in milestones if m.due_date > proposed]
    if late:
        m = max(late, key=lambda m: m.due_date)
        return (
            f"节点“{m.title}”的计划完成日期{m.due_date}晚于调整后的时限{proposed}，"
            "请先调整该节点或另选日期。"
        )
    return None


@transaction.atomic
def change_request_create(
    *,
    task: Task,
    by,
    kind: str,
    reason: str,
    proposed_due_date: datetime.date | None = None,
    files: Iterable = (),
) -> ChangeRequest:
    """File a change request for an active task with no pending request, with its evidence files.

    All files are validated before anything is stored; on any problem a ValidationError is raised
    and nothing is saved. The request and each file are audited against the task.
    """
    task = Task.objects.select_for_update().get(pk=task.pk)
    if kind not in ChangeKind.values:
        raise ValidationError("请选择申请事项。")
    files = list(files)
    for upload in files:
        validate_evidence(upload)
    if not reason.strip():
        raise ValidationError("请填写申请理由。")
    if problem := request_block_error(task):
        raise ValidationError(problem)
    if kind == ChangeKind.EXTEND:
        if problem := extension_error(task, proposed_due_date, task.milestones.all()):
            raise ValidationError(problem)
    else:
        proposed_due_date = None
    change_request = _insert(task, by, kind, reason.strip(), proposed_due_date)
    audit_record(actor=by, obj=change_request, action=AuditAction.SUBMIT, task_id=task.pk)
    for upload in files:
        evidence_store(task=task, upload=upload, by=by, change_request=change_request)
    return change_request


def _insert(task: Task, by, kind: str, reason: str, proposed) -> ChangeRequest:
    # The partial unique index one_pending_change_per_task settles a race between two requesters.
    try:
        with transaction.atomic():
            return ChangeRequest.objects.create(
                task=task, kind=kind, reason=reason, proposed_due_date=proposed, requested_by=by
            )
    except IntegrityError:
        raise ValidationError("该任务已有一项待审批的申请，请等专班审批后再提交。") from None


def promise_completion_error(task: Task) -> str | None:
    """Why a 办实事 item cannot be closed yet: no evidence filed, or no 回访 recorded."""
    facts = (
        Task.objects.filter(pk=task.pk)
        .annotate(
            has_evidence=Exists(Evidence.objects.filter(task_id=OuterRef("pk"))),
            has_follow_up=Exists(
                Task.objects.filter(pk=OuterRef("pk"), **{f"{PROMISE_FOLLOW_UP}__isnull": False})
            ),
        )
        .values("has_evidence", "has_follow_up")
        .get()
    )
    missing = []
    if not facts["has_evidence"]:
        missing.append("佐证材料")
    if not facts["has_follow_up"]:
        missing.append("群众回访结果")
    if not missing:
        return None
    return (
        f"该任务为办实事事项，尚无{'和'.join(missing)}，"
        "须上传办理佐证材料并录入回访结果后方可批准办结销号。"
    )


def completion_error(task: Task) -> str | None:
    """Why 办结销号 of `task` cannot be approved now, or None: a rectification task needs the
    latest verification of its finding to have passed; a 办实事 item needs evidence and its
    回访 (promise_completion_error)."""
    if task.origin == TaskOrigin.PROMISE:
        return promise_completion_error(task)
    if task.origin != TaskOrigin.FINDING:
        return None
    latest = (
        Task.objects.filter(pk=task.pk, finding__verifications__isnull=False)
        .order_by("-finding__verifications__date", "-finding__verifications__id")
        .values_list("finding__verifications__result", "finding__verifications__date")
        .first()
    )
    if latest is None:
        return "该任务为督查整改事项，督查人员尚未核查整改情况，核查通过后方可批准办结销号。"
    result, day = latest
    if result != VERIFICATION_PASSED:
        return (
            f"该任务为督查整改事项，最近一次核查（{day:%Y-%m-%d}）未通过，"
            "须督查人员重新核查通过后方可批准办结销号。"
        )
    return None


def _apply(change_request: ChangeRequest, by) -> None:
    task = Task.objects.select_for_update().get(pk=change_request.task_id)
    if task.state != TaskState.ACTIVE:
        raise ValidationError(f"该任务{task.get_state_display()}，不能再批准变更。")
    if change_request.kind == ChangeKind.COMPLETE and (problem := completion_error(task)):
        raise ValidationError(problem)
    before = snapshot(task)
    if change_request.kind == ChangeKind.EXTEND:
        proposed = change_request.proposed_due_date
        if problem := extension_error(task, proposed, task.milestones.all()):
            raise ValidationError(problem)
        task.due_date = proposed
    else:
        closed = change_request.kind == ChangeKind.CANCEL
        task.state = TaskState.CANCELLED if closed else TaskState.COMPLETED
        task.closed_on = clock.today()
    task.save()
    note = f"批准{change_request.get_kind_display()}申请：{change_request.reason}"
    audit_record(
        actor=by, obj=task, action=AuditAction.APPROVE, before=before, note=note, task_id=task.pk
    )


@transaction.atomic
def change_request_decide(
    *, change_request: ChangeRequest, by, approve: bool, note: str
) -> ChangeRequest:
    """Approve (and apply to the task) or return a pending change request.

    A note is required when returning. A decided request cannot be decided again. 办结销号 of a
    rectification task is approved only after its finding's latest verification passed
    (completion_error). The request's and, on approval, the task's before/after values are
    audited.
    """
    change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change_request.state != ChangeState.PENDING:
        decided = timezone.localtime(change_request.decided_at)
        raise ValidationError(
            f"该申请{change_request.get_state_display()}（{decided:%Y-%m-%d %H:%M}），"
            "不能重复审批。"
        )
    note = note.strip()
    if not approve and not note:
        raise ValidationError("退回申请时请填写审批意见，说明退回原因。")
    if approve:
        _apply(change_request, by)
    before = snapshot(change_request)
    change_request.state = ChangeState.APPROVED if approve else ChangeState.RETURNED
    change_request.decided_by, change_request.decided_at = by, timezone.now()
    change_request.decision_note = note
    change_request.save()
    action = AuditAction.APPROVE if approve else AuditAction.RETURN
    audit_record(
        actor=by,
        obj=change_request,
        action=action,
        before=before,
        note=note,
        task_id=change_request.task_id,
    )
    return change_request
