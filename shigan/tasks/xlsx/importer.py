"""import_task_list: the one road for a task-list workbook, from the upload page and the command
line alike. Every row is read and checked, then all new and changed tasks are saved, or none."""

from dataclasses import dataclass, field

from django.conf import settings

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditSource
from shigan.core.xlsx.reading import Book, Unreadable, open_book

from ..access import can_manage_tasks
from ..services.task_list import RowProblem, TaskListOutcome, task_list_import
from .names import load_register
from .reader import TaskListReader, find_task_sheet, layout_of

NO_HEADER = (
    "未找到任务清单的表头：前15行中应有“牵头单位”（或“责任单位”）列。请使用系统下载的任务清单模板。"
)
INDICATOR_FILE = "这是指标数据表（有“指标名称”列），不是任务清单：请在“指标”页面导入。"
REFUSED = "只有专班可以导入任务清单。"
BATTLE_MAP_FILE = (
    "这是挂图作战导出的表格，不能直接导入。请在任务清单导入页点“导出本活动现有清单”，"
    "在导出的清单中修改后再导入。"
)
# Columns of the battle map's export (dashboards.export.COLUMNS) that no task list has: its
# header also has 牵头单位 and 完成时限, so without them it was read row by row as a list.
BATTLE_MAP_COLUMNS = ("下一节点", "最新进展")


@dataclass
class TaskImportResult:
    """What an import did: the file's problems (then nothing was saved), or what changed."""

    campaign: Campaign | None = None
    rows: int = 0
    file_errors: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    outcome: TaskListOutcome | None = None
    ongoing: list[str] = field(default_factory=list)
    unreadable: bool = False

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.problems

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [str(p) for p in self.problems]

    @property
    def changed(self) -> bool:
        o = self.outcome
        return bool(o and (o.created or o.updated))

    @property
    def preview(self) -> bool:
        """Nothing was written and nothing is wrong: what a confirmation would save (a dry run,
        or a confirmation refused because the campaign's list changed since its preview)."""
        o = self.outcome
        return self.ok and o is not None and (o.dry_run or o.stale)

    @property
    def saved(self) -> bool:
        return self.ok and self.outcome is not None and self.outcome.saved

    def summary(self) -> str:
        if self.file_errors:
            return self.file_errors[0]
        if self.problems:
            return f"发现{len(self.problems)}处错误，未导入任何任务，请修改后重新导入。"
        o = self.outcome
        if not self.rows:
            return "未作任何更改：表中没有任务行。"
        if not self.changed:
            return f"未作任何更改：清单中的{self.rows}项任务与系统中已有任务相同。"
        will = "将" if self.preview else ""
        parts = [
            f"{will}新增{len(o.created)}项",
            f"{will}更新{len(o.updated)}项",
            f"{o.unchanged}项未变",
        ]
        created = f"，{will}新建类别{len(o.categories_created)}个" if o.categories_created else ""
        head = "预览：确认后导入任务清单" if self.preview else "已导入任务清单"
        return f"{head}：共{self.rows}项任务，{'，'.join(parts)}{created}。"


def open_upload(path_or_file) -> Book:
    """The workbook, within the upload size limit; raises core.xlsx.reading.Unreadable."""
    return open_book(path_or_file, max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024)


def is_task_list(book: Book) -> bool:
    """Whether the workbook's header is a task list's (and not an indicator table's)."""
    sheet = find_task_sheet(book)
    return sheet is not None and not sheet.has("指标名称")


def import_task_list(
    *, path_or_file, by, campaign: Campaign, dry_run: bool = False, expect: str | None = None
) -> TaskImportResult:
    """Import a task-list workbook (a path, an uploaded file or an opened Book) into `campaign`.

    `by` is the importing user (None: an operator at the command line, with every right; the
    audit entries are then signed 数据导入). Returns every problem found — then nothing was
    written — or what was created, updated, left unchanged, and what the file does not name
    (listed, never deleted). `dry_run` and `expect` as services.task_list.task_list_import:
    the preview is the same run, rolled back; a confirmation whose preview is out of date saves
    nothing and is the new preview."""
    result = TaskImportResult(campaign=campaign)
    if by is not None and not can_manage_tasks(by):
        result.file_errors = [REFUSED]
        return result
    try:
        book = path_or_file if isinstance(path_or_file, Book) else open_upload(path_or_file)
    except Unreadable as exc:
        result.file_errors, result.unreadable = [str(exc)], True
        return result
    return _import(book, by=by, campaign=campaign, result=result, dry_run=dry_run, expect=expect)


def _import(book: Book, *, by, campaign: Campaign, result: TaskImportResult, **run):
    sheet = find_task_sheet(book)
    if sheet is None or sheet.has("指标名称"):
        result.file_errors = [NO_HEADER if sheet is None else INDICATOR_FILE]
        return result
    if all(sheet.has(name) for name in BATTLE_MAP_COLUMNS):
        result.file_errors = [BATTLE_MAP_FILE]
        return result
    layout, header_errors = layout_of(sheet)
    if header_errors:
        result.file_errors = header_errors
        return result
    # The campaign's district: the coordinator's own (he imports only into the campaigns he
    # reads), and the one an operator at the command line imports into.
    register = load_register(district_id=campaign.organiser.district_id)
    reading = TaskListReader(layout, campaign, register).read()
    result.rows, result.ongoing = len(reading.rows), reading.ongoing
    if reading.problems:
        result.problems = reading.problems
        return result
    outcome = task_list_import(
        campaign=campaign, rows=reading.rows, by=by, source=AuditSource.IMPORT, **run
    )
    result.outcome, result.problems = outcome, outcome.problems
    return result
