"""Many tasks at once, with milestones and progress reports, for query-budget tests."""

import datetime

from shigan.tasks.models import Milestone, ProgressReport, Task


def bulk_tasks(world, count: int, *, offset: int = 0) -> list[Task]:
    """`count` tasks split between unit A (led by the world's leader) and unit B, each with two
    milestones (one done) and one progress report."""
    tasks = Task.objects.bulk_create(
        Task(
            campaign=world.campaign,
            category=world.category,
            number=100 + offset + i,
            title=f"批量任务{offset + i}",
            lead_unit=world.unit_a if i % 2 else world.unit_b,
            leader=world.leader_person if i % 2 else None,
            start_date=datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 90),
            due_date=datetime.date(2023, 9, 30) + datetime.timedelta(days=i % 60),
        )
        for i in range(count)
    )
    Milestone.objects.bulk_create(
        Milestone(task=t, title=title, due_date=due, done_on=done)
        for t in tasks
        for title, due, done in (
            ("方案编制", datetime.date(2023, 5, 1), datetime.date(2023, 4, 28)),
            ("完工验收", datetime.date(2023, 9, 15), None),
        )
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=t,
            unit=t.lead_unit,
            period=datetime.date(2023, 6, 1),
            text=f"{t.title}六月进展",
            submitted_by=world.coordinator,
        )
        for t in tasks
    )
    return tasks
