"""The battle map as an xlsx workbook (挂图作战表), ready to print on A3 landscape, and as a CSV
of the same columns and rows. A campaign's 10,000 rows are streamed (core.xlsx.stream) with
looks made once (core.xlsx.styles): under a second, where a style per cell took eight."""

from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shigan.core import palette
from shigan.core.csv_export import csv_bytes
from shigan.core.xlsx import put
from shigan.core.xlsx.stream import RowStream
from shigan.core.xlsx.styles import Look, stamp
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
DATE_FORMAT = "yyyy-mm-dd"
TITLE_LOOK = Look(
    font=Font(size=16, bold=True), alignment=Alignment(horizontal="center", vertical="center")
)
HEADER_LOOK = Look(
    font=Font(bold=True),
    fill=PatternFill("solid", fgColor="F0F1F3"),
    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    border=BORDER,
)
CELL_LOOK = Look(border=BORDER, alignment=Alignment(vertical="top", wrap_text=True))
DATE_LOOK = CELL_LOOK.but(number_format=DATE_FORMAT)
STATUS_LOOKS = {
    status: CELL_LOOK.but(
        fill=PatternFill("solid", fgColor=STATUS_FILLS[status]),
        font=Font(bold=True, color="000000" if status in DARK_TEXT else "FFFFFF"),
        alignment=Alignment(horizontal="center", vertical="top"),
    )
    for status in TaskStatus
}
# The looks of a row's cells but the status one (STATUS_COLUMN, by the row's status).
ROW_LOOKS = [DATE_LOOK if col in DATE_COLUMNS else CELL_LOOK for col in range(1, len(COLUMNS) + 1)]


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
    stamp(put(ws, 1, 1, title), TITLE_LOOK)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = 30


def _write_header(ws: Worksheet) -> None:
    for col, (name, width) in enumerate(COLUMNS, start=1):
        stamp(put(ws, 2, col, name), HEADER_LOOK)
        ws.column_dimensions[get_column_letter(col)].width = width


def _row_looks(status: TaskStatus) -> list[Look]:
    looks = list(ROW_LOOKS)
    looks[STATUS_COLUMN - 1] = STATUS_LOOKS[status]
    return looks


def map_rows(data: BattleMap):
    """The map's rows in its group order, as the export writes them."""
    for group in data.groups:
        yield from group.rows


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
    stream = RowStream(ws, first_row=3)
    looks = {status: _row_looks(status) for status in TaskStatus}
    for row in map_rows(data):
        stream.append(row_values(row), looks[row.status])
    _page_setup(ws)
    return wb


def battle_map_csv(data: BattleMap) -> bytes:
    """The workbook's header and rows as a CSV (no title row: the file name says it)."""
    header = [name for name, _ in COLUMNS]
    rows = (row_values(row) for row in map_rows(data))
    return csv_bytes(header, rows)


def export_filename(data: BattleMap, extension: str = "xlsx") -> str:
    return f"{data.campaign}挂图作战表-{data.as_of:%Y%m%d}.{extension}"


def content_disposition(filename: str, fallback: str) -> str:
    """An attachment header with an ASCII fallback and the real name per RFC 5987/6266."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
