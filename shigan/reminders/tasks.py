"""The reminders' work as django-tasks tasks, for a worker to run outside cron's process.

`shigan remind --enqueue` and `shigan deliver --enqueue` put `remind_task` and `deliver_task` on
the queue of the configured backend (settings.TASKS: the database by default, Redis with
SHIGAN_TASKS_BACKEND=rq, run at once with immediate) and `shigan worker` runs them. django-tasks
has no scheduler: cron still says when. The same services run as under the commands, so a
remind_task run twice on a day sends nothing twice. Arguments and return values are JSON (the
queue stores them): a day as YYYY-MM-DD, a summary of the run as a dict.
"""

import dataclasses
import datetime

from django.utils import timezone
from django_tasks import task

from shigan.core import clock

from .services import deliver_pending, remind_run


@task()
def remind_task(day: str | None = None) -> dict:
    """The reminders of `day` (YYYY-MM-DD; default today, shigan.core.clock) — remind_run."""
    today = datetime.date.fromisoformat(day) if day else clock.today()
    report = remind_run(today=today, now=timezone.now())
    return {
        "day": report.day.isoformat(),
        "fired": report.total,
        "handdown_messages": report.handdown_messages,
        "digests": report.digests,
        "deliveries": report.deliveries,
        "sent": report.sent,
        "retried": report.retried,
        "failed": report.failed,
        "skipped_campaigns": [campaign.pk for campaign in report.skipped_campaigns],
    }


@task()
def deliver_task() -> dict:
    """Send the queued email and robot deliveries that are due (retries included)."""
    return dataclasses.asdict(deliver_pending(now=timezone.now()))
