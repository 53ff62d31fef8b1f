"""`shigan deliver`: send the queued email and robot deliveries that are due — the retries of
failed ones (1, 5, 30, 120, 720 minutes after each failure) and those held through quiet hours.
`shigan remind` sends the day's deliveries itself; this is what cron runs every few minutes
(README) so that the rest go out. Two runs at once never send one delivery twice (each is
claimed first). `--enqueue` hands the run to `shigan worker` (reminders/tasks.py)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from shigan.reminders.management.queueing import enqueue_and_say
from shigan.reminders.services import deliver_pending
from shigan.reminders.tasks import deliver_task


class Command(BaseCommand):
    help = "发送到期的外发消息（邮件、群机器人）：失败后的重试，以及免打扰时段结束后的补发。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="不在本进程运行，提交给后台任务，由 shigan worker 执行（SHIGAN_TASKS_BACKEND）",
        )

    def handle(self, *args, enqueue: bool, **options):
        if not enqueue:
            tally = deliver_pending(now=timezone.now())
            self.stdout.write(summary(vars(tally)))
            return
        enqueue_and_say(self, deliver_task, what="发送任务", done=summary)


def summary(tally: dict) -> str:
    return (
        f"外发消息：发送成功{tally['sent']}、待重试{tally['retried']}、"
        f"失败{tally['failed']}、免打扰延后{tally['postponed']}。"
    )
