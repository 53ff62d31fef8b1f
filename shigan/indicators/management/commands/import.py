"""`shigan import FILE.xlsx [--user USERNAME] [--year YEAR] [--campaign ID]`: the upload pages'
imports, for operators. Which workbook it is comes from its header: an indicator targets or actuals
template (指标名称), a task list (牵头单位 / 责任单位 without 指标名称), imported into the campaign
`--campaign` names, else the one campaigns.operator.operator_campaign takes (with `--user` his own
level's current campaign; the only level's; the demo district's on the demo's folder; otherwise
exit 2 listing them — every line naming the campaign), or an organisation workbook (a sheet headed 单位编码),
imported into the district of `--user` (without it, the database's only district). There is no
interactive preview here: what the organisation workbook leaves out is listed and kept, and
deleted only with `--apply-removals` (those that can be). Exit status: 0 everything was saved;
1 the file was read but refused (every error printed, nothing saved); 2 nothing could be checked
(unreadable file, unknown user or campaign, no district to import the organisation into)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

from shigan.campaigns.operator import CampaignNotChosen, operator_campaign
from shigan.campaigns.queries import CampaignNotFound
from shigan.core.xlsx.reading import Unreadable
from shigan.indicators.xlsx import import_workbook
from shigan.indicators.xlsx.importer import NO_HEADER
from shigan.orgs.xlsx import OrgImportResult, is_org_workbook, org_import_apply, org_import_preview
from shigan.orgs.xlsx.importer import NO_DISTRICT
from shigan.tasks.xlsx import TaskImportResult, import_task_list, is_task_list, open_upload

VALIDATION_FAILED = 1
CANNOT_RUN = 2


class Command(BaseCommand):
    help = "导入指标年度目标、完成情况或任务清单Excel文件（全部通过才写入）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx 文件路径")
        parser.add_argument(
            "--user", help="以该账号的身份和权限导入；不指定时以运维人员身份导入（不受角色限制）"
        )
        parser.add_argument("--year", type=int, help="文件未写明年度的行所用的年度（指标）")
        parser.add_argument(
            "--campaign",
            help="任务清单导入到的活动编号。不指定时：有 --user 取该账号所在区（县）的当前活动；"
            "数据库中只有一个区（县）有活动时取其当前活动；演示数据取示范区的活动；"
            "否则列出各活动，请指定",
        )
        parser.add_argument(
            "--apply-removals",
            action="store_true",
            help="组织架构：删除文件中没有、且可以删除的单位、人员、分管关系和小组成员"
            "（有登录账号的人员停用账号）；不指定时只列出，不删除",
        )

    def _fail(self, message: str, code: int = CANNOT_RUN):
        self.stderr.write(message)
        raise SystemExit(code)

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            self._fail(f"账号“{username}”不存在或已停用。")
        return user

    def handle(self, *args, **options):
        by = self._user(options["user"])
        try:
            book = open_upload(options["file"])
        except Unreadable as exc:
            self._fail(str(exc))
        if is_org_workbook(book):
            self._org(book, by, options["apply_removals"])
            return
        if is_task_list(book):
            self._task_list(book, by, options["campaign"])
            return
        result = import_workbook(path_or_file=options["file"], by=by, year=options["year"])
        if result.errors == [NO_HEADER]:
            self._fail(unrecognised(), VALIDATION_FAILED)
        if result.unreadable:
            self._fail(result.summary())
        if not result.ok:
            self.stderr.write("\n".join(result.errors))
            self._fail(result.summary(), VALIDATION_FAILED)
        self.stdout.write(result.summary())

    def _task_list(self, book, by, raw_campaign: str | None) -> None:
        try:
            chosen = operator_campaign(raw_campaign, user=by)
        except CampaignNotFound:
            self._fail(f"活动“{raw_campaign}”不存在。")
        except CampaignNotChosen as exc:
            self._fail(str(exc))
        if chosen is None:
            self._fail("还没有活动：请先建立活动，再导入任务清单。")
        result = import_task_list(path_or_file=book, by=by, campaign=chosen.campaign)
        if not result.ok:
            # The summary is the first file error itself, or the count of the row problems.
            details = [str(p) for p in result.problems] or result.file_errors[1:]
            if details:
                self.stderr.write("\n".join(details))
            self._fail(f"{chosen.label}：{result.summary()}", VALIDATION_FAILED)
        self.stdout.write(f"{chosen.label}：{result.summary()}")
        self.stdout.write("\n".join(task_list_details(result)))

    def _org(self, book, by, apply_removals: bool) -> None:
        remove = set()
        if apply_removals:
            preview = org_import_preview(path_or_file=book, by=by)
            remove = {r.key for r in preview.plan.removable} if preview.ok else set()
        result = org_import_apply(path_or_file=book, by=by, remove=remove)
        if not result.ok:
            details = [str(p) for p in result.problems] or result.file_errors[1:]
            if details:
                self.stderr.write("\n".join(details))
            code = CANNOT_RUN if result.file_errors[:1] == [NO_DISTRICT] else VALIDATION_FAILED
            self._fail(result.summary(), code)
        self.stdout.write(result.summary())
        details = org_details(result, applied=remove)
        if details:
            self.stdout.write("\n".join(details))


def unrecognised() -> str:
    """A workbook none of the command's imports recognises: what it imports, and where the
    workbooks imported on a page go."""
    return (
        "无法识别的工作簿：shigan import 导入指标年度目标或完成情况填报表（表头有“指标名称”列）、"
        "任务清单（“牵头单位”列）和组织架构表（“单位编码”列），请使用系统下载的模板。"
        "12345热线等诉求工作簿请在网页“诉求导入”"
        f"（{reverse('grassroots:concern_import')}）导入。"
    )


def org_details(result: OrgImportResult, *, applied: set[str]) -> list[str]:
    """One line per unit or person created or updated, per removal applied, and per record the
    file leaves out that was kept (with why, when it cannot be deleted)."""
    plan, o = result.plan, result.outcome
    lines = []
    for label, (created, updated, _) in (("单位", plan.unit_counts), ("人员", plan.person_counts)):
        lines += [f"新增{label}：{c.name}" for c in created]
        lines += [f"更新{label}：{c.name}（{'；'.join(c.changes)}）" for c in updated]
    lines += [f"已删除：{line}" for line in o.removed]
    lines += [f"已停用账号：{line}" for line in o.disabled]
    for r in plan.removals:
        if r.key not in applied:
            why = f"，{r.blocked}" if r.blocked else "（用 --apply-removals 删除）"
            lines.append(f"文件中没有，已保留：{r.kind}“{r.label}”{why}")
    return lines


def task_list_details(result: TaskImportResult) -> list[str]:
    """One line per task created or updated, and per task or milestone the file leaves out."""
    o = result.outcome
    lines = [f"新增：{t.title}" for t in o.created]
    lines += [f"更新：{t.title}（{'；'.join(changes)}）" for t, changes in o.updated]
    lines += [f"文件中没有，已保留：任务“{t.title}”" for t in o.missing_tasks]
    lines += [f"文件中没有，已保留：“{t.title}”的节点“{m.title}”" for t, m in o.missing_milestones]
    return lines
