"""shigan report [--campaign ID | --user NAME] --as-of 2023-07-31 --format docx|pdf|html|md|txt
-o FILE [--percent ％|%] [--appendix]

Writes the campaign's summary and next-step plan as of a date. Without --campaign, the campaign
campaigns.operator.operator_campaign takes (the user's own level's current one with --user; the
only level's current one; the demo district's on the demo's folder; otherwise it refuses with
exit status 2, listing them); the format may be left out when the file name ends in one.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shigan.campaigns.operator import CampaignNotChosen, Chosen, operator_campaign
from shigan.campaigns.queries import CampaignNotFound, campaigns_current_first
from shigan.core import clock
from shigan.core.params import BadValue, parse_date, shown
from shigan.reports import wording
from shigan.reports.compose import ReportOptions, build_summary
from shigan.reports.document import chinese_date
from shigan.reports.narrative_check import narrative_check, warning_line
from shigan.reports.writers import FORMATS, RendererMissing, write_report

CANNOT_CHOOSE = 2  # exit status when the campaign is not named and cannot be told


def choose_campaign(raw: str | None, username: str | None = None) -> Chosen:
    """The campaign `raw` names, or the one campaigns.operator.operator_campaign takes; a clear
    error otherwise (listing the campaigns)."""
    user = None
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在或已停用。", returncode=CANNOT_CHOOSE)
    try:
        chosen = operator_campaign(raw, user=user)
    except CampaignNotFound:
        raise CommandError(
            f"没有编号为 {shown(raw)} 的活动。{_listing(campaigns_current_first())}"
        ) from None
    except CampaignNotChosen as exc:
        raise CommandError(str(exc), returncode=CANNOT_CHOOSE) from None
    if chosen is None:
        raise CommandError("数据库中还没有活动。")
    return chosen


def _listing(campaigns) -> str:
    lines = [f"  {c.pk}  {c}" for c in campaigns]
    return "\n现有活动：\n" + "\n".join(lines) if lines else ""


def _date(value: str) -> datetime.date:
    try:
        return parse_date(value) or clock.today()
    except BadValue as exc:
        raise CommandError(f"截至日期{exc}") from None


def _format(fmt: str | None, output: Path) -> str:
    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise CommandError(f"请用 --format 指定格式（{'、'.join(FORMATS)}）。")
    return fmt


class Command(BaseCommand):
    help = "生成活动总结及下一步工作计划（docx、pdf、html、md、txt），文中数字均来自系统记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign",
            help="活动编号。不指定时：有 --user 取该账号所在区（县）的当前活动；数据库中只有一个"
            "区（县）有活动时取其当前活动；演示数据取示范区的活动；否则列出各活动，请指定",
        )
        parser.add_argument("--user", help="取该账号所在区（县）的当前活动（未指定 --campaign 时）")
        parser.add_argument("--as-of", help="截至日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--format", choices=FORMATS, help="输出格式（默认取文件扩展名）")
        parser.add_argument("-o", "--output", required=True, help="输出文件")
        parser.add_argument(
            "--percent",
            choices=wording.PERCENT_SIGNS,
            default=wording.FULL_WIDTH_PERCENT,
            help="百分号：全角 ％（默认）或半角 %%",
        )
        parser.add_argument("--appendix", action="store_true", help="附数据来源表（html、md、txt）")

    def handle(self, *args, **opts):
        output = Path(opts["output"])
        fmt = _format(opts["format"], output)
        chosen = choose_campaign(opts["campaign"], opts["user"])
        campaign = chosen.campaign
        as_of = _date(opts["as_of"]) if opts["as_of"] else clock.today()
        options = ReportOptions(percent_sign=opts["percent"], appendix=opts["appendix"])
        document = build_summary(campaign=campaign, as_of=as_of, options=options)
        if not output.parent.exists():
            raise CommandError(f"目录不存在：{output.parent}")
        try:
            rendered = write_report(document, output, fmt=fmt, appendix=options.appendix)
        except RendererMissing as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已生成 {output}（{chosen.label}，截至{chinese_date(as_of)}，"
            f"{len(document.figures)}个数字均有来源记录）"
        )
        self._narrative_warnings(document, campaign, as_of)
        if fmt == "pdf" and rendered is not None:
            self.stdout.write(f"字体（角色 → 文档字体 → 实际字体）：\n{rendered}")
            for problem in rendered.problems():
                self.stderr.write(f"字体替代：{problem}")

    def _narrative_warnings(self, document, campaign, as_of) -> None:
        """Figures typed in the narratives that the records contradict, one line each (the file
        is written all the same, as the report page's download)."""
        checked = narrative_check(document=document, campaign=campaign, as_of=as_of)
        if not checked.disagreements:
            return
        self.stderr.write(
            f"叙述中的数字与记录不一致：{len(checked.disagreements)}处（文件照原文印出，请核实）"
        )
        for finding in checked.disagreements:
            self.stderr.write(f"  {warning_line(finding)}")
            self.stderr.write(f"    原文：{finding.narrative.url}  记录：{finding.known.url}")
