"""办实事 items (我为群众办实事): created as tracked items of origin 办实事事项 through the tasks
app's service, and their 回访 (PromiseFollowUp)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import Task, TaskOrigin, TaskState
from shigan.tasks.services.items import tracked_item_create
from shigan.tasks.services.tasks import MilestoneInput

from ..models import PromiseFollowUp, Satisfaction


@transaction.atomic
def promise_create(
    *,
    campaign: Campaign,
    by,
    title: str,
    target: str,
    lead_unit: Unit,
    leader: Person | None,
    start_date: datetime.date,
    due_date: datetime.date,
    milestones: list[MilestoneInput] = (),
) -> Task:
    """Create a 办实事 item: a task of origin 办实事事项 promised by `lead_unit` (tasks'
    tracked_item_create: milestones, progress, change requests and the battle map apply).
    Raises ValidationError, saving nothing, on an empty title or bad dates."""
    if not title.strip():
        raise ValidationError({"title": "请填写办实事事项名称。"})
    return tracked_item_create(
        campaign=campaign,
        origin=TaskOrigin.PROMISE,
        title=title.strip(),
        target=target.strip(),
        lead_unit=lead_unit,
        leader=leader,
        start_date=start_date,
        due_date=due_date,
        by=by,
        milestones=list(milestones),
    )


def follow_up_errors(task: Task, on: datetime.date | None, result: str, satisfaction: str) -> dict:
    errors = {}
    if task.origin != TaskOrigin.PROMISE:
        errors["__all__"] = f"“{task.title}”不是办实事事项，不能录入回访。"
    elif task.state != TaskState.ACTIVE:
        errors["__all__"] = f"办实事事项“{task.title}”{task.get_state_display()}，不能再录入回访。"
    if on is None:
        errors["on"] = "请填写回访日期。"
    elif on < task.start_date:
        errors["on"] = f"回访日期{on}早于事项开始日期{task.start_date}。"
    elif on > clock.today():
        errors["on"] = f"回访日期{on}晚于今天，请在回访后录入。"
    if not result.strip():
        errors["result"] = "请填写回访情况。"
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = "请选择群众满意度。"
    return errors


@transaction.atomic
def promise_follow_up_record(
    *, task: Task, by, on: datetime.date | None, result: str, satisfaction: str
) -> PromiseFollowUp:
    """Record (or re-record) the 回访 of an active 办实事 item: the date (from its start to
    today), what the people said and their satisfaction; audited against the task with its
    before/after values. Raises ValidationError (keyed by field), saving nothing, otherwise."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if errors := follow_up_errors(task, on, result, satisfaction):
        raise ValidationError(errors)
    follow_up = PromiseFollowUp.objects.filter(task=task).first()
    before = snapshot(follow_up) if follow_up else None
    if follow_up is None:
        follow_up = PromiseFollowUp(task=task)
    follow_up.on, follow_up.result = on, result.strip()
    follow_up.satisfaction, follow_up.by = satisfaction, by
    follow_up.save()
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_record(actor=by, obj=follow_up, action=action, before=before, task_id=task.pk)
    return follow_up
