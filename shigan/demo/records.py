"""What the demo's loaders build records with: a record created and audited as demo data (no
actor, note "演示数据"), and a list task with its milestones and the monthly progress reports
filed on or before the demo's day (data.tasks.TaskData). The district and the county above it
(shigan.demo.district, shigan.demo.county) both use them."""

import datetime

from django.contrib.auth import get_user_model
from django.db import models

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction, AuditSource
from shigan.orgs.models import Person, Role, Unit
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskCategory

from .base import AUDIT_NOTE, report_time
from .data import campaign as campaign_data
from .data import org
from .data.tasks import TaskData


def audit_demo(obj: models.Model, *, task_id: int | None = None) -> None:
    audit_record(
        actor=None,
        obj=obj,
        action=AuditAction.CREATE,
        note=AUDIT_NOTE,
        task_id=task_id,
        source=AuditSource.DEMO,
    )


def create_audited(
    model: type[models.Model], *, task_id: int | None = None, **fields
) -> models.Model:
    obj = model.objects.create(**fields)
    audit_demo(obj, task_id=task_id)
    return obj


def create_accounts(people: dict[str, Person], accounts: dict[str, str] = org.ACCOUNTS) -> dict:
    """One account per demo person in `accounts` (username -> person key), with the demo's
    password; coordinators get the admin (is_staff)."""
    users = {}
    for username, person_key in accounts.items():
        person = people[person_key]
        users[username] = get_user_model().objects.create_user(
            username=username,
            password=org.DEMO_PASSWORD,
            first_name=person.name,
            is_staff=person.role == Role.COORDINATOR,
        )
        person.user = users[username]
        person.save(update_fields=["user", "updated_at"])
    return users


def create_task(
    data: TaskData,
    *,
    number: int,
    category: TaskCategory,
    units: dict[str, Unit],
    people: dict[str, Person],
) -> Task:
    task = create_audited(
        Task,
        campaign=category.campaign,
        category=category,
        number=number,
        title=data.title,
        target=data.target,
        lead_unit=units[data.lead_unit],
        leader=people[data.leader],
        start_date=data.start,
        due_date=data.due,
    )
    task.supporting_units.set(units[key] for key in data.supporting_units)
    return task


def create_milestones(task: Task, data: TaskData, today: datetime.date) -> list[Milestone]:
    return [
        create_audited(
            Milestone,
            task_id=task.pk,
            task=task,
            title=m.title,
            due_date=m.due,
            done_on=m.done if m.done and m.done <= today else None,
            sort_order=order,
        )
        for order, m in enumerate(data.milestones)
    ]


def create_reports(
    task: Task, data: TaskData, milestones: list[Milestone], submitter, today: datetime.date
) -> int:
    """The task's monthly progress reports filed on or before `today`; each lists the milestones
    reached in its month."""
    filed = 0
    for month, text in sorted(data.reports.items()):
        when = report_time(month)
        if when.date() > today:
            continue
        reached = [m for m in milestones if m.done_on and m.done_on.month == month]
        report = ProgressReport.objects.create(
            task=task,
            unit=task.lead_unit,
            period=datetime.date(campaign_data.YEAR, month, 1),
            text=text,
            milestones_reached=[
                {"id": m.pk, "title": m.title, "done_on": m.done_on.isoformat()} for m in reached
            ],
            submitted_by=submitter,
        )
        # submitted_at is auto_now_add; the demo backdates it to the month it was filed.
        ProgressReport.objects.filter(pk=report.pk).update(submitted_at=when)
        report.submitted_at = when
        audit_record(
            actor=None,
            obj=report,
            action=AuditAction.SUBMIT,
            note=AUDIT_NOTE,
            task_id=task.pk,
            source=AuditSource.DEMO,
        )
        filed += 1
    return filed
