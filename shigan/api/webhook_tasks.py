"""The webhooks' sweep and sending as a django-tasks task (`shigan webhooks send --enqueue`
queues it, `shigan worker` runs it); cron says when, as for the reminders."""

import dataclasses

from django_tasks import task

from .webhook_services import webhooks_run


@task()
def webhooks_task() -> dict:
    """webhooks_run: new events into deliveries, then every due delivery sent."""
    return dataclasses.asdict(webhooks_run())
