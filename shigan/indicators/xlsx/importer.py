"""import_workbook: the one road for filled-in templates, from the upload page and the command
line alike. Which template it is comes from its header; every row is checked and either all of
them are saved or none."""

from django.db import transaction

from shigan.core.files import max_upload_bytes
from shigan.core.xlsx.layout import Column
from shigan.core.xlsx.reading import Sheet, Unreadable, find_sheet, open_book

from ..access import can_manage_indicators, can_report_actuals
from .export import TABLE_VALUE
from .import_actuals import import_actuals
from .import_targets import import_targets
from .layout import ACTUAL_COLUMNS, ANNUAL_TARGET, INDICATOR, TARGET_COLUMNS, VALUE
from .result import ACTUALS, TARGETS, ImportResult

NO_HEADER = "未找到表头：表中应有“指标名称”列。请使用系统下载的模板（年度目标或完成情况填报表）。"
UNKNOWN_KIND = (
    "无法识别表格类型：表头中既没有“年度目标”列，也没有“本月完成”下的“数值”列。"
    "请使用系统下载的模板。"
)

EXPORTED_TABLE = (
    "这是系统导出的“主要指标完成情况表”，只供查看和报送，不能导入：填报完成值请下载“完成情况填报表”，"
    "维护年度目标请下载“年度目标及上年同期数模板”。"
)


def _missing(sheet: Sheet, columns: list[Column]) -> list[str]:
    return [
        f"表头缺少“{column.key}”列，请使用系统下载的模板。"
        for column in columns
        if not column.reference and not sheet.has(column.key)
    ]


def _recognise(sheet: Sheet | None) -> tuple[str, list[str]]:
    """(kind, header errors)."""
    if sheet is None:
        return "", [NO_HEADER]
    if sheet.has(TABLE_VALUE.key):
        return "", [EXPORTED_TABLE]
    if sheet.has(ANNUAL_TARGET.key):
        return TARGETS, _missing(sheet, TARGET_COLUMNS)
    if sheet.has(VALUE.key):
        return ACTUALS, _missing(sheet, ACTUAL_COLUMNS)
    return "", [UNKNOWN_KIND]


def refusal(kind: str, by) -> str | None:
    """Why `by` may not import this kind of file at all (None: he may; row rules still apply).
    `by` None is an operator at the command line, who may import anything."""
    if by is None:
        return None
    if kind == TARGETS and not can_manage_indicators(by):
        return "只有专班可以导入年度目标和上年同期数。"
    if kind == ACTUALS and not can_report_actuals(by):
        return "只有专班和单位填报员可以导入完成值。"
    return None


def import_workbook(*, path_or_file, by, year: int | None = None) -> ImportResult:
    """Import a filled-in targets or actuals template (a path or an uploaded file).

    `by` is the importing user (None: an operator at the command line, with every right);
    `year` is used for rows that do not state one (a blank 年度, a 填报月份 of “7月”). Returns an
    ImportResult with every error found — then nothing was written — or the counts saved.
    """
    try:
        book = open_book(path_or_file, max_bytes=max_upload_bytes())
    except Unreadable as exc:
        return ImportResult(errors=[str(exc)], unreadable=True)
    sheet = find_sheet(book, INDICATOR.key)
    kind, errors = _recognise(sheet)
    if not errors and (refused := refusal(kind, by)):
        errors = [refused]
    if errors:
        return ImportResult(kind=kind, errors=errors)
    handler = import_targets if kind == TARGETS else import_actuals
    with transaction.atomic():
        result = handler(sheet, by=by, year=year)
        if result.errors:
            transaction.set_rollback(True)
    return result
