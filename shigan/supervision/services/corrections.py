"""Correcting inspections and findings after entry (更正), and what every correction shares.

A correction names its reason; it is saved in one transaction and audited with the fields before
and after and the reason as the entry's note. The rules that held at entry hold after it, and the
records that hang on the corrected one follow it: an inspection's findings keep its units, date
and campaign consistent; a finding's rectification task keeps its link (lead unit, title, target
and due date follow the finding while nothing has been done on the task that the change would
misattribute). Nothing is deleted.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_entry, audit_record, diff, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Person, Unit
from shigan.tasks.models import ChangeRequest, ProgressReport, Task, TaskState
from shigan.tasks.services.periods import month_label

from ..models import Finding, Inspection, Verification
from .inspections import (
    finding_errors,
    inspection_errors,
    overseeing_leader,
    task_target,
    task_title,
)

CORRECTION_NOTE = "更正原因："
REASON_REQUIRED = "请填写更正原因。"
NOTHING_CHANGED = "没有修改任何内容，无需更正。"


def reason_error(reason: str) -> str | None:
    return None if reason.strip() else REASON_REQUIRED


def names(objects: Iterable) -> str:
    """Units or people as a history entry lists them: in the organisation's order."""
    return "、".join(getattr(o, "name", str(o)) for o in sorted(objects, key=lambda o: o.pk))


def correction_audit(*, by, obj, before: dict, reason: str, extra: dict | None = None,
                     task_id: int | None = None) -> bool:  # fmt: skip
    """Audit the correction of `obj` (fields before/after, plus `extra` {label: [before, after]}
    for what the row does not hold, such as many-to-many lists), the reason as the note. Writes
    nothing and returns False when nothing differs."""
    entry = audit_entry(
        actor=by,
        obj=obj,
        action=AuditAction.UPDATE,
        before=before,
        note=f"{CORRECTION_NOTE}{reason}",
        task_id=task_id,
    )
    entry.changes.update({k: v for k, v in (extra or {}).items() if v[0] != v[1]})
    if not entry.changes:
        return False
    entry.save()
    return True


def _findings_kept_errors(inspection: Inspection, campaign, date, units) -> dict:
    """What the inspection's findings forbid changing: the campaign their tasks are in, a unit
    with a finding, a date after a finding's deadline, verification or filed rectification."""
    findings = list(inspection.findings.select_related("unit"))
    errors: dict[str, str] = {}
    if findings and campaign.pk != inspection.campaign_id:
        errors["campaign"] = (
            f"本次督查已有{len(findings)}个问题，其整改事项属于{inspection.campaign}，"
            "不能改到其他活动。"
        )
    kept = {u.pk for u in units}
    lost = sorted({f.unit.name for f in findings if f.unit_id not in kept})
    if lost:
        errors["units"] = (
            f"单位“{'、'.join(lost)}”有本次督查发现的问题，不能从被督查单位中移除；"
            "如问题单位录错，请先更正该问题的责任单位。"
        )
    if date is not None and (problem := _date_error(inspection, findings, date)):
        errors["date"] = problem
    return errors


def _date_error(inspection: Inspection, findings: list[Finding], date) -> str | None:
    late = next((f for f in findings if f.deadline < date), None)
    if late is not None:
        return f"督查日期{date}晚于问题“{late.short_problem}”的整改时限{late.deadline}。"
    verified = Verification.objects.filter(finding__inspection=inspection, date__lt=date)
    if first := verified.order_by("date").first():
        return f"督查日期{date}晚于{first.date}已录入的整改核查。"
    reports = ProgressReport.objects.filter(
        task__finding__inspection=inspection, period__lt=clock.month_start(date)
    )
    if first := reports.order_by("period").first():
        return f"督查日期{date}晚于已报送的{month_label(first.period)}整改进展。"
    return None


def _task_starts_follow(inspection: Inspection, old_date, by, reason: str) -> None:
    """Rectification tasks that started on the inspection day start on the corrected day."""
    if inspection.date == old_date:
        return
    for task in Task.objects.filter(finding__inspection=inspection, start_date=old_date):
        before = snapshot(task)
        task.start_date = inspection.date
        task.save()
        note = f"督查日期更正，整改事项开始日期随之调整。{CORRECTION_NOTE}{reason}"
        audit_record(
            actor=by, obj=task, action=AuditAction.UPDATE, before=before, task_id=task.pk,
            note=note,
        )  # fmt: skip


@transaction.atomic
def inspection_correct(
    *,
    inspection: Inspection,
    by,
    reason: str,
    campaign: Campaign,
    topic: str,
    kind: str,
    date: datetime.date,
    inspectors: Sequence[Person],
    units: Sequence[Unit],
    summary: str = "",
) -> Inspection:
    """Correct an inspection after entry, with a reason, audited (inspectors and units included).

    Its findings hold it in place: a unit with a finding stays inspected, the date stays on or
    before every finding's deadline, verification and filed rectification month, the campaign
    stays while it has findings; rectification tasks that started on the inspection day move
    with a corrected date (audited on the task). Raises ValidationError (keyed by field) and
    saves nothing when a rule is broken, the reason is missing or nothing changes.
    """
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    topic, summary, reason = topic.strip(), summary.strip(), reason.strip()
    inspectors, units = list(inspectors), list(units)
    errors = inspection_errors(topic, kind, date, inspectors, units)
    if problem := reason_error(reason):
        errors["reason"] = problem
    errors = _findings_kept_errors(inspection, campaign, date, units) | errors
    if errors:
        raise ValidationError(errors)
    before, old_date = snapshot(inspection), inspection.date
    people_before, units_before = names(inspection.inspectors.all()), names(inspection.units.all())
    inspection.campaign, inspection.topic, inspection.kind = campaign, topic, kind
    inspection.date, inspection.summary = date, summary
    inspection.save()
    inspection.inspectors.set(inspectors)
    inspection.units.set(units)
    extra = {
        "督查人员": [people_before, names(inspectors)],
        "被督查单位": [units_before, names(units)],
    }
    if not correction_audit(by=by, obj=inspection, before=before, reason=reason, extra=extra):
        raise ValidationError(NOTHING_CHANGED)
    _task_starts_follow(inspection, old_date, by, reason)
    return inspection


def unit_change_error(finding: Finding) -> str | None:
    """Why the finding's unit can no longer change: its rectification task is closed, or the
    unit has already worked on it (reports, change requests, verifications would be credited to
    the other unit). None while the task is untouched: then the task moves with it."""
    task = finding.task
    named = f"“{finding.unit.name}”"
    advice = "如问题确属其他单位，请为该单位另录一条问题，并对本条整改事项申请取消。"
    if task.state != TaskState.ACTIVE:
        return f"整改事项{task.get_state_display()}，不能更改责任单位。"
    if n := ProgressReport.objects.filter(task=task).count():
        return f"{named}已就该问题报送{n}条整改进展，不能更改责任单位。{advice}"
    if n := ChangeRequest.objects.filter(task=task).count():
        return f"{named}已就该问题提出{n}项变更申请，不能更改责任单位。{advice}"
    if n := Verification.objects.filter(finding=finding).count():
        return f"该问题已有{n}次整改核查，不能更改责任单位。{advice}"
    return None


def _task_follows(task: Task, was: Finding, finding: Finding, by, reason: str) -> None:
    """The rectification task follows the corrected finding: its lead unit (and the unit's
    overseeing leader), its title and target unless edited since, its due date unless an
    extension was approved."""
    before = snapshot(task)
    if finding.unit_id != was.unit_id:
        task.lead_unit, task.leader = finding.unit, overseeing_leader(finding.unit)
    if task.title == task_title(was.problem):
        task.title = task_title(finding.problem)
    if task.target == task_target(was.problem, was.requirement):
        task.target = task_target(finding.problem, finding.requirement)
    if task.due_date == was.deadline:
        task.due_date = finding.deadline
    if not diff(before, snapshot(task)):
        return
    task.save()
    note = f"督查问题更正，整改事项随之调整。{CORRECTION_NOTE}{reason}"
    audit_record(
        actor=by, obj=task, action=AuditAction.UPDATE, before=before, task_id=task.pk, note=note
    )


@transaction.atomic
def finding_correct(
    *,
    finding: Finding,
    by,
    reason: str,
    unit: Unit,
    problem: str,
    severity: str,
    requirement: str,
    deadline: datetime.date,
) -> Finding:
    """Correct a finding after entry, with a reason, audited against its rectification task.

    The rules of entry hold (an inspected unit, texts, a deadline on or after the inspection
    day). The task keeps its link and follows (see _task_follows); a change of unit is refused,
    naming why, once the task is closed or the unit has worked on it (unit_change_error), and a
    change of deadline once the task is closed.
    Raises ValidationError (keyed by field) and saves nothing when a rule is broken, the reason
    is missing or nothing changes.
    """
    queryset = Finding.objects.select_for_update().select_related("inspection", "unit", "task")
    finding = queryset.get(pk=finding.pk)
    problem, requirement, reason = problem.strip(), requirement.strip(), reason.strip()
    errors = finding_errors(finding.inspection, unit, problem, severity, requirement, deadline)
    if problem_text := reason_error(reason):
        errors["reason"] = problem_text
    if "unit" not in errors and unit.pk != finding.unit_id:
        if why := unit_change_error(finding):
            errors["unit"] = why
    closed = finding.task.state != TaskState.ACTIVE
    if "deadline" not in errors and deadline != finding.deadline and closed:
        # A closed task's due date is what its completion was judged against.
        errors["deadline"] = f"整改事项{finding.task.get_state_display()}，不能更改整改时限。"
    if errors:
        raise ValidationError(errors)
    was = Finding(unit=finding.unit, problem=finding.problem, requirement=finding.requirement,
                  deadline=finding.deadline)  # fmt: skip
    before = snapshot(finding)
    finding.unit, finding.problem, finding.severity = unit, problem, severity
    finding.requirement, finding.deadline = requirement, deadline
    finding.save()
    task_id = finding.task_id
    if not correction_audit(by=by, obj=finding, before=before, reason=reason, task_id=task_id):
        raise ValidationError(NOTHING_CHANGED)
    _task_follows(Task.objects.select_for_update().get(pk=task_id), was, finding, by, reason)
    return finding
