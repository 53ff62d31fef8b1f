"""Recording inspections (督查), their findings (问题) and the verification (核查) of rectification.

A finding's rectification is a task of origin 督查整改事项 created with tracked_item_create, so the
unit reports on it, asks for 办结销号 and gets it approved exactly as for any other task.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.orgs.models import Oversight, Person, Unit
from shigan.tasks.models import TaskOrigin, TaskState
from shigan.tasks.services.items import tracked_item_create

from ..models import Finding, Inspection, InspectionKind, Severity, Verification, VerificationResult
from ..queries import finding_row
from ..status import FindingStatus

TITLE_LENGTH = 80


def _names(objects) -> str:
    return "、".join(getattr(o, "name", str(o)) for o in objects)


@transaction.atomic
def inspection_record(
    *,
    campaign: Campaign,
    topic: str,
    kind: str,
    date: datetime.date,
    inspectors: Sequence[Person],
    units: Sequence[Unit],
    by,
    summary: str = "",
) -> Inspection:
    """Record an inspection with its inspectors and inspected units, audited.

    Raises ValidationError (keyed by field) and saves nothing when the topic, kind, date,
    inspectors or units are missing.
    """
    topic, inspectors, units = topic.strip(), list(inspectors), list(units)
    errors = inspection_errors(topic, kind, date, inspectors, units)
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        campaign=campaign, topic=topic, kind=kind, date=date, summary=summary.strip()
    )
    inspection.inspectors.set(inspectors)
    inspection.units.set(units)
    note = f"督查人员：{_names(inspectors)}；被督查单位：{_names(units)}"
    audit_record(actor=by, obj=inspection, action=AuditAction.CREATE, note=note)
    return inspection


def inspection_errors(topic: str, kind: str, date, inspectors: list, units: list) -> dict:
    """What an inspection lacks, keyed by field (entry and correction)."""
    errors: dict[str, str] = {}
    if not topic:
        errors["topic"] = "请填写督查主题。"
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择督查方式。"
    if date is None:
        errors["date"] = "请填写督查日期。"
    if not inspectors:
        errors["inspectors"] = "请选择督查人员。"
    if not units:
        errors["units"] = "请选择被督查单位。"
    return errors


def overseeing_leader(unit: Unit) -> Person | None:
    """The leader who oversees (分管) the unit or, failing that, its nearest overseen ancestor."""
    current: Unit | None = unit
    while current is not None:
        oversight = Oversight.objects.filter(unit=current).select_related("leader").first()
        if oversight is not None:
            return oversight.leader
        current = current.parent
    return None


def finding_errors(inspection, unit, problem, severity, requirement, deadline) -> dict:
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit"] = "请选择问题所在单位。"
    elif not inspection.units.filter(pk=unit.pk).exists():
        errors["unit"] = f"单位“{unit.name}”不在本次督查的被督查单位中。"
    if not problem:
        errors["problem"] = "请填写问题描述。"
    if severity not in Severity.values:
        errors["severity"] = "请选择严重程度。"
    if not requirement:
        errors["requirement"] = "请填写整改要求。"
    if deadline is None:
        errors["deadline"] = "请填写整改时限。"
    elif deadline < inspection.date:
        errors["deadline"] = f"整改时限{deadline}早于督查日期{inspection.date}。"
    return errors


def task_target(problem: str, requirement: str) -> str:
    """The rectification task's target (目标任务) as a finding words it."""
    return f"问题：{problem}\n整改要求：{requirement}"


def task_title(problem: str) -> str:
    first_line = problem.splitlines()[0].strip()
    if len(first_line) > TITLE_LENGTH:
        first_line = first_line[: TITLE_LENGTH - 1] + "…"
    return f"整改：{first_line}"


@transaction.atomic
def finding_record(
    *,
    inspection: Inspection,
    unit: Unit,
    problem: str,
    severity: str,
    requirement: str,
    deadline: datetime.date,
    by,
) -> Finding:
    """Record a finding and create its rectification task (origin 督查整改事项, lead unit = the
    unit, responsible leader = the unit's overseeing leader, from the inspection date to the
    deadline). Both are audited.

    Raises ValidationError (keyed by field) and saves nothing when the unit was not inspected, a
    text is empty, or the deadline is before the inspection date.
    """
    problem, requirement = problem.strip(), requirement.strip()
    errors = finding_errors(inspection, unit, problem, severity, requirement, deadline)
    if errors:
        raise ValidationError(errors)
    task = tracked_item_create(
        campaign=inspection.campaign,
        origin=TaskOrigin.FINDING,
        title=task_title(problem),
        target=task_target(problem, requirement),
        lead_unit=unit,
        leader=overseeing_leader(unit),
        start_date=inspection.date,
        due_date=deadline,
        by=by,
    )
    finding = Finding.objects.create(
        inspection=inspection,
        unit=unit,
        problem=problem,
        severity=severity,
        requirement=requirement,
        deadline=deadline,
        task=task,
    )
    audit_record(actor=by, obj=finding, action=AuditAction.CREATE, task_id=task.pk)
    return finding


def _verification_errors(finding, verified_by, date, result, note) -> dict:
    errors: dict[str, str] = {}
    if verified_by is None:
        errors["verified_by"] = "请选择核查人。"
    if result not in VerificationResult.values:
        errors["result"] = "请选择核查结果。"
    if date is None:
        errors["date"] = "请填写核查日期。"
    elif date < finding.inspection.date:
        errors["date"] = f"核查日期{date}早于督查日期{finding.inspection.date}。"
    elif date > clock.today():
        errors["date"] = f"核查日期{date}晚于今天，不能预先录入核查结果。"
    if result == VerificationResult.FAILED and not note:
        errors["note"] = "核查未通过时，请写明整改不到位的问题。"
    return errors


@transaction.atomic
def verification_record(
    *,
    finding: Finding,
    verified_by: Person,
    date: datetime.date,
    result: str,
    by,
    note: str = "",
) -> Verification:
    """Record an inspector's verification of a finding's rectification, audited against its task.

    Raises ValidationError and saves nothing when the finding is closed (已销号) or cancelled, the
    date is before the inspection or after today, or a failed verification has no note.
    """
    finding = Finding.objects.select_related("inspection", "task").get(pk=finding.pk)
    if finding.task.state == TaskState.CANCELLED:
        raise ValidationError("该问题的整改事项已取消，无需核查。")
    if finding_row(finding.pk, clock.today()).status == FindingStatus.CLOSED:
        raise ValidationError("该问题已核查通过并销号，不能再核查。")
    note = note.strip()
    errors = _verification_errors(finding, verified_by, date, result, note)
    if errors:
        raise ValidationError(errors)
    verification = Verification.objects.create(
        finding=finding,
        verified_by=verified_by,
        date=date,
        result=result,
        note=note,
        recorded_by=by,
    )
    audit_record(
        actor=by, obj=verification, action=AuditAction.CREATE, task_id=finding.task_id, note=note
    )
    return verification
