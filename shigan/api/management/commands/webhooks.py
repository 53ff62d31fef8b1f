"""`shigan webhooks send`: create the deliveries of new events (from the audit trail and the
tasks' statuses, webhook_services) and send the due ones, retries included. Cron runs it every
few minutes; two runs at once never send one delivery twice (each attempt is claimed first).
`--enqueue` hands the run to `shigan worker`."""

from django.core.management.base import BaseCommand

from shigan.api.webhook_services import webhooks_run
from shigan.api.webhook_tasks import webhooks_task
from shigan.reminders.management.queueing import enqueue_and_say


def summary(tally: dict) -> str:
    return (
        f"数据推送：新事件{tally['created']}、送达{tally['sent']}、"
        f"待重试{tally['retried']}、失败{tally['failed']}。"
    )


class Command(BaseCommand):
    help = "数据推送（Webhook）：把新事件生成推送记录，并发送到期的推送（含失败后的重试）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="send")
        send = actions.add_parser("send", help="生成并发送到期的推送")
        send.add_argument(
            "--enqueue",
            action="store_true",
            help="不在本进程运行，提交给后台任务，由 shigan worker 执行（SHIGAN_TASKS_BACKEND）",
        )

    def handle(self, *args, action: str, enqueue: bool, **options):
        if not enqueue:
            self.stdout.write(summary(vars(webhooks_run())))
            return
        enqueue_and_say(self, webhooks_task, what="推送任务", done=summary)
