"""Creating and editing tasks and their milestones, each change written to the audit trail."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record, diff, snapshot
from shigan.core.models import AuditAction, AuditEntry, AuditSource
from shigan.orgs.models import Person, Unit

from ..models import Milestone, Task, TaskCategory

SUPPORTING_LABEL = "配合单位"


@dataclass(frozen=True)
class MilestoneInput:
    """One milestone as a form gives it; `milestone` is the existing row it edits, if any."""

    title: str
    due_date: datetime.date
    milestone: Milestone | None = None


def dates_error(start: datetime.date, due: datetime.date) -> str | None:
    if due < start:
        return f"完成时限{due}早于开始日期{start}。"
    return None


def category_error(campaign: Campaign, category: TaskCategory) -> str | None:
    if category.campaign_id != campaign.pk:
        return f"类别“{category.name}”不属于活动“{campaign}”，请选择该活动下的类别。"
    return None


def supporting_error(lead_unit: Unit, supporting_units: Iterable[Unit]) -> str | None:
    if lead_unit in supporting_units:
        return f"牵头单位“{lead_unit}”不能同时作为配合单位。"
    return None


def milestone_range_error(
    title: str, due: datetime.date, start: datetime.date, task_due: datetime.date
) -> str | None:
    if start <= due <= task_due:
        return None
    return f"节点“{title}”的计划完成日期{due}不在任务起止日期（{start}至{task_due}）之内。"


def milestone_delete_error(milestone: Milestone) -> str | None:
    # A reached milestone is part of what a unit reported; removing it would rewrite the record.
    if milestone.done_on:
        return f"节点“{milestone.title}”已于{milestone.done_on}完成，不能删除。"
    return None


def _plan_errors(task: Task, supporting: list[Unit], milestones: list[MilestoneInput]) -> list[str]:
    errors = [
        dates_error(task.start_date, task.due_date),
        category_error(task.campaign, task.category),
        supporting_error(task.lead_unit, supporting),
    ]
    for item in milestones:
        if item.milestone is not None and item.milestone.task_id != task.pk:
            errors.append(f"节点“{item.title}”不属于本任务。")
        errors.append(
            milestone_range_error(item.title, item.due_date, task.start_date, task.due_date)
        )
    return [e for e in errors if e]


def _unit_names(units: Iterable[Unit]) -> str:
    return "、".join(u.name for u in sorted(units, key=lambda u: (u.sort_order, u.pk)))


def _audit_task(
    by, task: Task, before: dict | None, units: tuple[str, str], source: str = AuditSource.SYSTEM
) -> None:
    units_before, units_after = units
    extra = {}
    if units_before != units_after:
        extra[SUPPORTING_LABEL] = [units_before or None, units_after or None]
    if before is not None and not extra and not diff(before, snapshot(task)):
        return
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    entry = audit_record(
        actor=by, obj=task, action=action, before=before, task_id=task.pk, source=source
    )
    if extra:
        entry.changes.update(extra)
        entry.save(update_fields=["changes"])


def audit_delete(*, by, obj, task_id: int) -> AuditEntry:
    """Record the deletion of `obj` (call before deleting), every field going from its value to none."""
    return audit_record(actor=by, obj=obj, action=AuditAction.DELETE, task_id=task_id)


def _save_milestones(
    task: Task, inputs: list[MilestoneInput], by, source: str = AuditSource.SYSTEM
) -> None:
    existing = {m.pk: m for m in task.milestones.all()}
    kept: set[int] = set()
    next_order = max((m.sort_order for m in existing.values()), default=-1) + 1
    for item in inputs:
        if item.milestone is None:
            m = Milestone.objects.create(
                task=task, title=item.title, due_date=item.due_date, sort_order=next_order
            )
            next_order += 1
            audit_record(actor=by, obj=m, action=AuditAction.CREATE, task_id=task.pk, source=source)
            continue
        m = existing[item.milestone.pk]
        kept.add(m.pk)
        before = snapshot(m)
        m.title, m.due_date = item.title, item.due_date
        if diff(before, snapshot(m)):
            m.save()
            audit_record(
                actor=by,
                obj=m,
                action=AuditAction.UPDATE,
                before=before,
                task_id=task.pk,
                source=source,
            )
    for m in existing.values():
        if m.pk not in kept:
            if problem := milestone_delete_error(m):
                raise ValidationError(problem)
            audit_delete(by=by, obj=m, task_id=task.pk)
            m.delete()


@transaction.atomic
def task_save(
    *,
    task: Task | None,
    by,
    campaign: Campaign,
    category: TaskCategory,
    number: int,
    title: str,
    target: str,
    lead_unit: Unit,
    supporting_units: Iterable[Unit],
    leader: Person | None,
    start_date: datetime.date,
    due_date: datetime.date,
    milestones: list[MilestoneInput],
    source: str = AuditSource.SYSTEM,
) -> Task:
    """Create a task (task=None) or update one, with its supporting units and milestones.

    `milestones` is the full list the task should have: items without a `milestone` are created,
    existing ones are updated, and existing milestones left out are deleted (a reached one cannot
    be). Every created, changed or deleted row gets an audit entry with its before/after values;
    `source` names its author when `by` is None (数据导入 for an import at the command line).
    Raises ValidationError, saving nothing, when a rule is broken.
    """
    creating = task is None
    task = Task() if creating else Task.objects.select_for_update().get(pk=task.pk)
    before = None if creating else snapshot(task)
    units_before = "" if creating else _unit_names(task.supporting_units.all())
    supporting = list(supporting_units)
    task.campaign, task.category, task.number = campaign, category, number
    task.title, task.target, task.leader = title, target, leader
    task.lead_unit, task.start_date, task.due_date = lead_unit, start_date, due_date
    if errors := _plan_errors(task, supporting, milestones):
        raise ValidationError(errors)
    task.save()
    task.supporting_units.set(supporting)
    _audit_task(by, task, before, (units_before, _unit_names(supporting)), source)
    _save_milestones(task, milestones, by, source)
    return task
