"""Builders for supervision tests, on top of the shared `world` personas."""

import datetime

from shigan.supervision.models import Finding, Inspection, InspectionKind, Severity
from shigan.supervision.services import finding_record, inspection_record
from shigan.tasks.models import Task, TaskCategory, TaskState

INSPECTION_DATE = datetime.date(2023, 5, 16)


def make_inspection(world, *, units=None, date=INSPECTION_DATE, topic="作风建设专项督查"):
    return inspection_record(
        campaign=world.campaign,
        topic=topic,
        kind=InspectionKind.SPECIAL,
        date=date,
        inspectors=[world.inspector.person],
        units=units or [world.unit_a, world.unit_b],
        by=world.inspector,
    )


def make_finding(
    world,
    inspection: Inspection,
    *,
    unit=None,
    problem="项目台账不完整，资料未及时归档。",
    deadline=datetime.date(2023, 8, 31),
) -> Finding:
    return finding_record(
        inspection=inspection,
        unit=unit or world.unit_a,
        problem=problem,
        severity=Severity.GENERAL,
        requirement="补齐台账，建立归档制度。",
        deadline=deadline,
        by=world.inspector,
    )


def bulk_findings(world, inspection: Inspection, n: int, *, unit=None) -> list[Finding]:
    """n findings with their tasks, created in bulk (for query budgets)."""
    unit = unit or world.unit_a
    category, _ = TaskCategory.objects.get_or_create(campaign=world.campaign, name="督查整改事项")
    tasks = Task.objects.bulk_create(
        Task(
            campaign=world.campaign,
            category=category,
            number=i,
            title=f"整改：问题{i}",
            lead_unit=unit,
            start_date=inspection.date,
            due_date=datetime.date(2023, 6 + i % 6, 28),
            origin="finding",
            state=TaskState.COMPLETED if i % 5 == 0 else TaskState.ACTIVE,
            closed_on=datetime.date(2023, 7, 1) if i % 5 == 0 else None,
        )
        for i in range(n)
    )
    return Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            unit=unit,
            problem=f"问题{i}",
            requirement="整改",
            deadline=task.due_date,
            task=task,
        )
        for i, task in enumerate(tasks)
    )


def complete(task: Task, on=datetime.date(2023, 7, 1)) -> Task:
    Task.objects.filter(pk=task.pk).update(state=TaskState.COMPLETED, closed_on=on)
    task.refresh_from_db()
    return task
