"""The battle map as an xlsx workbook (挂图作战表), ready to print on A3 landscape."""

from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shigan.core import palette
from shigan.core.xlsx import put
from shigan.tasks.queries import TaskRow
from shigan.tasks.status import TaskStatus

from .queries import BattleMap, days_left_text

# The --st-* variables of shigan/static/shigan/app.css, the one colour definition.
STATUS_FILLS = {status: palette.excel(f"--st-{status.value}") for status in TaskStatus}
DARK_TEXT = {TaskStatus.NEARING, TaskStatus.CANCELLED}

# (header, width in characters)
COLUMNS = [
    ("序号", 6),
    ("类别", 12),
    ("任务名称", 28),
    ("牵头单位", 16),
    ("责任领导", 10),
    ("状态", 8),
    ("开始日期", 12),
    ("完成时限", 12),
    ("下一节点", 24),
    ("节点时限", 12),
    ("节点完成", 9),
    ("最新进展月份", 13),
    ("最新进展", 48),
    ("期限", 11),
]
STATUS_COLUMN = 6
DATE_COLUMNS = {7, 8, 10}
THIN = Side(style="thin", color="A0A4AA")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def sheet_title(data: BattleMap) -> str:
    day = data.as_of
    return f"{data.campaign} 挂图作战表（截至{day.year}年{day.month}月{day.day}日）"


def row_values(row: TaskRow) -> list:
    task = row.task
    period = row.last_progress_period
    return [
        task.number or None,
        task.category.name,
        task.title,
        task.lead_unit.name,
        task.leader.name if task.leader else "",
        row.status.label,
        task.start_date,
        row.due_date,
        row.next_milestone_title or "",
        row.next_milestone_due,
        f"{row.milestones_done}/{row.milestones_total}",
        f"{period.year}年{period.month}月" if period else "",
        row.last_progress_text or "",
        days_left_text(row),
    ]


def _write_title(ws: Worksheet, title: str) -> None:
    put(ws, 1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    cell = ws.cell(row=1, column=1)
    cell.font = Font(size=16, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30


def _write_header(ws: Worksheet) -> None:
    ws.append([name for name, _ in COLUMNS])
    for col, (_, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F1F3")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width


def _write_row(ws: Worksheet, line: int, row: TaskRow) -> None:
    """Row `line` of the sheet (passed in: ws.max_row scans every cell, quadratic over a map)."""
    for col, value in enumerate(row_values(row), start=1):
        cell = put(ws, line, col, value)
        cell.border = BORDER
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if col in DATE_COLUMNS:
            cell.number_format = "yyyy-mm-dd"
    status = ws.cell(row=line, column=STATUS_COLUMN)
    status.fill = PatternFill("solid", fgColor=STATUS_FILLS[row.status])
    status.font = Font(bold=True, color="000000" if row.status in DARK_TEXT else "FFFFFF")
    status.alignment = Alignment(horizontal="center", vertical="top")


def _page_setup(ws: Worksheet) -> None:
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def battle_map_workbook(data: BattleMap) -> Workbook:
    """One sheet: merged title, header, one row per task in the map's group order."""
    wb = Workbook()
    ws = wb.active
    ws.title = "挂图作战"
    _write_title(ws, sheet_title(data))
    _write_header(ws)
    line = ws.max_row
    for group in data.groups:
        for row in group.rows:
            line += 1
            _write_row(ws, line, row)
    _page_setup(ws)
    return wb


def export_filename(data: BattleMap) -> str:
    return f"{data.campaign}挂图作战表-{data.as_of:%Y%m%d}.xlsx"


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment header with an ASCII fallback and the real name per RFC 5987/6266."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
