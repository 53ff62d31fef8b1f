"""`shigan demo_load`: load the demo district into an empty database (no serving, no reset)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from shigan.demo.district import DEMO_TODAY, DemoDataExists, load_demo


class Command(BaseCommand):
    help = "载入演示数据（示范区2023年作风建设“实干年”活动）；数据库须为空。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=DEMO_TODAY,
            help=f"演示数据截至的日期（YYYY-MM-DD，默认{DEMO_TODAY}）",
        )

    def handle(self, *args, today: datetime.date, **options):
        try:
            summary = load_demo(today=today)
        except DemoDataExists as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已载入{summary.campaign}：{summary.units}个单位、{summary.people}名人员、"
            f"{summary.tasks}项任务、{summary.milestones}个节点、{summary.reports}条进展。"
        )
        self.stdout.write(summary.accounts_table())
        self.stdout.write(
            f"状态按{summary.today}计算时，请设置环境变量 SHIGAN_TODAY={summary.today}。"
        )
