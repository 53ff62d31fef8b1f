"""`shigan remind`: the day's reminders — fire the rules of every running campaign, build each
person's digest, queue and send them. Run daily by cron (README); idempotent: a second run on
the same day sends nothing twice. `--dry-run` prints what would be fired and writes nothing."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shigan.core import clock
from shigan.core.params import BadValue, parse_date
from shigan.reminders.models import RuleKind
from shigan.reminders.services import RemindReport, remind_run


class Command(BaseCommand):
    help = "按提醒规则生成当天的提醒（临期、逾期催办、滞后、逾期未报、会议频次、审批待办、督办），汇总为每人每天一条并发送。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要发送的提醒，不写入、不发送"
        )
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, dry_run: bool, date: str | None, **options):
        try:
            day = parse_date(date) if date else None
        except BadValue as exc:
            raise CommandError(f"--date {exc}") from None
        report = remind_run(today=day or clock.today(), now=timezone.now(), dry_run=dry_run)
        self._print(report, options.get("verbosity", 1))

    def _print(self, report: RemindReport, verbosity: int) -> None:
        head = "预演（不写入、不发送）" if report.dry_run else "已运行"
        if report.dry_run or verbosity > 1:
            for campaign, firing in report.firings:
                people = len({u.pk for u in firing.recipients})
                self.stdout.write(f"[{campaign}] {firing.text} → {people} 人")
        counts = "、".join(
            f"{RuleKind(kind).label} {n}" for kind, n in sorted(report.fired.items())
        )
        self.stdout.write(
            f"{report.day} {head}：新提醒 {report.total} 条" + (f"（{counts}）" if counts else "")
        )
        if not report.dry_run:
            self.stdout.write(
                f"每日汇总 {report.digests} 份；外发 {report.deliveries} 条待发，"
                f"本次发送成功 {report.sent}、待重试 {report.retried}、失败 {report.failed}。"
            )
        for campaign in report.skipped_campaigns:
            self.stderr.write(f"[{campaign}] 另一个 shigan remind 正在写入，本次跳过。")
