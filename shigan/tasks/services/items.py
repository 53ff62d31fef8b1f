"""Creating tracked items of any origin (meeting decisions, inspection findings, 办实事 items).

Such items are ordinary Tasks: they get milestones, progress reports, change requests,
approval and a place on the battle map through the same code as list tasks.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit

from ..models import Task, TaskCategory, TaskOrigin
from .tasks import MilestoneInput, _save_milestones, milestone_range_error

CATEGORY_FOR_ORIGIN = {
    TaskOrigin.DECISION: "会议议定事项",
    TaskOrigin.FINDING: "督查整改事项",
    TaskOrigin.PROMISE: "办实事事项",
}


@transaction.atomic
def tracked_item_create(
    *,
    campaign: Campaign,
    origin: TaskOrigin,
    title: str,
    target: str,
    lead_unit: Unit,
    leader: Person | None,
    start_date: datetime.date,
    due_date: datetime.date,
    by,
    supporting_units: list[Unit] = (),
    milestones: list[MilestoneInput] = (),
) -> Task:
    """Create an active task of `origin` in the campaign's category for that origin (created on
    first use) with its milestones, all audited. Raises ValidationError, saving nothing, when the
    due date is before the start date or a milestone falls outside the task's dates."""
    if due_date < start_date:
        raise ValidationError({"due_date": f"完成时限{due_date}早于开始日期{start_date}。"})
    late = [milestone_range_error(m.title, m.due_date, start_date, due_date) for m in milestones]
    if errors := [e for e in late if e]:
        raise ValidationError(errors)
    category, created = TaskCategory.objects.get_or_create(
        campaign=campaign,
        name=CATEGORY_FOR_ORIGIN[origin],
        defaults={"sort_order": 900 + list(TaskOrigin).index(origin)},
    )
    if created:
        audit_record(actor=by, obj=category, action=AuditAction.CREATE)
    number = Task.objects.filter(campaign=campaign, category=category).count() + 1
    task = Task.objects.create(
        campaign=campaign,
        category=category,
        number=number,
        title=title,
        target=target,
        lead_unit=lead_unit,
        leader=leader,
        start_date=start_date,
        due_date=due_date,
        origin=origin,
    )
    task.supporting_units.set(supporting_units)
    audit_record(actor=by, obj=task, action=AuditAction.CREATE, task_id=task.pk)
    _save_milestones(task, list(milestones), by)
    return task
