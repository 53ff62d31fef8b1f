"""`shigan remind`: the day's reminders — fire the rules of every running campaign, build each
person's digest, queue and send them. Run daily by cron (README); idempotent: a second run on
the same day sends nothing twice. `--dry-run` prints what would be fired and writes nothing.
`--enqueue` hands the run to `shigan worker` (reminders/tasks.py) instead of running it here."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shigan.core import clock
from shigan.core.params import BadValue, parse_date
from shigan.reminders.management.queueing import enqueue_and_say
from shigan.reminders.models import RuleKind
from shigan.reminders.services import RemindReport, remind_run
from shigan.reminders.tasks import remind_task


class Command(BaseCommand):
    help = "按提醒规则生成当天的提醒（临期、逾期催办、滞后、逾期未报、会议频次、审批待办、督办），汇总为每人每天一条并发送。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要发送的提醒，不写入、不发送"
        )
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="不在本进程运行，提交给后台任务，由 shigan worker 执行（SHIGAN_TASKS_BACKEND）",
        )

    def handle(self, *args, dry_run: bool, date: str | None, enqueue: bool, **options):
        try:
            day = parse_date(date) if date else None
        except BadValue as exc:
            raise CommandError(f"--date {exc}") from None
        if day is not None and day > clock.today() and not dry_run:
            raise CommandError(
                f"--date {day}是未来日期（今天是{clock.today()}），不能提前发送提醒；"
                "要预览请加 --dry-run。"
            )
        if enqueue:
            return self._enqueue(day, dry_run)
        report = remind_run(today=day or clock.today(), now=timezone.now(), dry_run=dry_run)
        self._print(report, options.get("verbosity", 1))

    def _enqueue(self, day, dry_run: bool) -> None:
        if dry_run:
            raise CommandError("--enqueue 与 --dry-run 不能同时使用：预演请直接运行 --dry-run。")
        # Without --date the worker runs "today" when it gets to it: a backlog is not sent late.
        enqueue_and_say(
            self, remind_task, day.isoformat() if day else None,
            what=f"{day}的提醒任务" if day else "当天的提醒任务",
            done=lambda run: f"{run['day']}已运行：新提醒{run['fired']}条，"
            f"每日汇总{run['digests']}份。",
        )  # fmt: skip

    def _print(self, report: RemindReport, verbosity: int) -> None:
        head = "预演（不写入、不发送）" if report.dry_run else "已运行"
        if report.dry_run or verbosity > 1:
            for campaign, firing in report.firings:
                people = len({u.pk for u in firing.recipients})
                self.stdout.write(f"[{campaign}] {firing.text} → {people}人")
        counts = "、".join(
            f"{RuleKind(kind).label} {n}" for kind, n in sorted(report.fired.items())
        )
        self.stdout.write(
            f"{report.day} {head}：新提醒{report.total}条" + (f"（{counts}）" if counts else "")
        )
        if not report.dry_run:
            self.stdout.write(
                f"交办消息{report.handdown_messages}条；每日汇总{report.digests}份；外发{report.deliveries}条待发，"
                f"本次发送成功{report.sent}、待重试{report.retried}、失败{report.failed}。"
            )
        for campaign in report.resting_campaigns:
            self.stdout.write(f"[{campaign}] {report.day}是本区县的休息日，不发提醒。")
        for campaign in report.skipped_campaigns:
            self.stderr.write(f"[{campaign}] 另一个 shigan remind 正在写入，本次跳过。")
