"""`shigan warm`: compute and keep today's figures that 下级对比 and the upper levels' cockpits
read (dashboards.warm), so that the day's first coordinator does not wait for every campaign to
be counted. Run daily by cron just after midnight (README); idempotent: run again, it finds
them kept and recomputes only what was written since. Fails (exit 1) when something could not
be kept (another transaction was writing: run it again)."""

from django.core.management.base import BaseCommand, CommandError

from shigan.dashboards.warm import Warmed, warm_day

SHOWN = 10  # viewers named at the default verbosity (all with -v 2)


class Command(BaseCommand):
    help = "预先计算并保存当天下级对比和上级驾驶舱读取的数据（各专项任务计数、各级指标状态），使当天第一位查看者无需等待。"

    def handle(self, *args, **options):
        warmed = warm_day()
        self._print(warmed, options.get("verbosity", 1))
        if not warmed.complete:
            missing = ([] if warmed.counts_kept else ["专项任务计数"]) + warmed.viewers_not_kept
            raise CommandError(
                f"未能保存：{'、'.join(missing)}（预热时有其他写入正在进行），请稍后再运行 shigan warm。"
            )

    def _print(self, warmed: Warmed, verbosity: int) -> None:
        if verbosity < 1:
            return
        say = self.stdout.write
        say(f"已预热{warmed.day.isoformat()}的下级对比和上级驾驶舱数据：")
        counts = "沿用已保存的并按其后的写入更新" if warmed.counts_were_kept else "新计算"
        say(
            f"  专项任务计数：{warmed.campaigns}个专项，{counts}，用时{warmed.counts_seconds:.2f}秒"
        )
        if warmed.viewers:
            shown = warmed.viewers if verbosity > 1 else warmed.viewers[:SHOWN]
            more = "等" if len(shown) < len(warmed.viewers) else ""
            fresh = len(warmed.viewers) - warmed.viewers_were_kept
            say(
                f"  指标状态：{len(warmed.viewers)}个查看范围（{'、'.join(shown)}{more}），"
                f"新计算{fresh}个，用时{warmed.viewers_seconds:.2f}秒"
            )
        else:
            say("  指标状态：没有下设下级的专班或督查账号，无需预热")
        if warmed.swept:
            say(f"  清理过期的缓存条目{warmed.swept}个")
        say(f"共用时{warmed.seconds:.2f}秒。")
