"""`--enqueue` of `shigan remind` and `shigan deliver`: hand a task to the configured backend
(SHIGAN_TASKS_BACKEND) and say what became of it, in one line."""

from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus
from django_tasks.base import Task


def enqueue_and_say(
    command: BaseCommand, task: Task, *args, what: str, done: Callable[[dict], str]
) -> None:
    """Enqueue `task(*args)`. The immediate backend has run it already: print `done(its
    return value)` or its error; any other backend queued it: print its id for the worker."""
    try:
        result = task.enqueue(*args)
    except Exception as exc:
        if settings.TASKS_BACKEND != "rq":
            raise
        raise CommandError(f"无法连接 Redis（SHIGAN_REDIS_URL）：{exc}") from None
    if result.status == TaskResultStatus.FAILED:
        raise CommandError(f"{what}执行失败：{result.errors[-1].traceback.splitlines()[-1]}")
    if result.status == TaskResultStatus.SUCCESSFUL:
        command.stdout.write(done(result.return_value))
    else:
        command.stdout.write(f"已提交{what}（编号 {result.id}），由 shigan worker 执行。")
