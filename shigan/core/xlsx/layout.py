"""The 台账 layout of every downloadable workbook (templates and exports): a merged title row, an
optional note row, two-level merged headers, bordered cells, frozen panes, print set-up. An app
lists its columns (`Column`, by header path) once; its importer reads them back by the same paths."""

import io
import re
import unicodedata
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shigan.core.xlsx import put
from shigan.core.xlsx.stream import splice, streams_of
from shigan.core.xlsx.styles import Look, stamp

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REFERENCE_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MONTH_FORMAT = 'yyyy"年"m"月"'
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMAT = "0.####"
PCT_FORMAT = "0.0"

TITLE_LOOK = Look(
    font=Font(name="宋体", size=16, bold=True),
    alignment=Alignment(horizontal="center", vertical="center"),
)
NOTE_LOOK = Look(
    font=Font(size=9, color="595959"), alignment=Alignment(vertical="center", wrap_text=True)
)
HEADER_LOOK = Look(font=Font(bold=True), fill=HEADER_FILL, border=BORDER, alignment=CENTER)
CELL_LOOK = Look(border=BORDER, alignment=Alignment(vertical="center", wrap_text=True))


@dataclass(frozen=True)
class Column:
    """A column by its header path ("本月完成/数值": a merged group header over a sub-header;
    a one-part path is merged over both header rows). `label` names it in error messages;
    `reference` columns are prefilled for the reader's information and ignored on import."""

    key: str
    width: int = 12
    label: str = ""
    reference: bool = False
    number_format: str | None = None

    @property
    def parts(self) -> list[str]:
        return self.key.split("/")

    @property
    def name(self) -> str:
        return self.label or self.parts[-1]


def norm(text: object) -> str:
    """A header as compared: NFKC (full-width to half-width), without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


def write_title(ws: Worksheet, title: str, width: int, *, row: int = 1) -> None:
    put(ws, row, 1, title)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    stamp(ws.cell(row=row, column=1), TITLE_LOOK)
    ws.row_dimensions[row].height = 32


def write_note(ws: Worksheet, text: str, width: int, *, row: int) -> None:
    put(ws, row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    stamp(ws.cell(row=row, column=1), NOTE_LOOK)
    ws.row_dimensions[row].height = 30


def _header_cell(ws: Worksheet, row: int, col: int, value: str | None) -> None:
    stamp(put(ws, row, col, value), HEADER_LOOK)


def write_headers(ws: Worksheet, columns: list[Column], *, row: int) -> int:
    """Two header rows from the columns' paths; returns the first data row."""
    col = 1
    while col <= len(columns):
        parts = columns[col - 1].parts
        if len(parts) == 1:
            _header_cell(ws, row, col, parts[0])
            _header_cell(ws, row + 1, col, None)
            ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            col += 1
            continue
        end = col
        while end < len(columns) and columns[end].parts[0] == parts[0]:
            end += 1
        for c in range(col, end + 1):
            _header_cell(ws, row, c, parts[0] if c == col else None)
            _header_cell(ws, row + 1, c, columns[c - 1].parts[-1])
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=end)
        col = end + 1
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.row_dimensions[row + 1].height = 20
    return row + 2


_COLUMN_LOOKS: dict[tuple[str | None, bool], Look] = {}


def column_look(column: Column) -> Look:
    """A data cell of the column: bordered, wrapped, its number format, grey when `reference`."""
    key = (column.number_format, column.reference)
    if key not in _COLUMN_LOOKS:
        fill = REFERENCE_FILL if column.reference else None
        _COLUMN_LOOKS[key] = CELL_LOOK.but(number_format=column.number_format, fill=fill)
    return _COLUMN_LOOKS[key]


def write_row(ws: Worksheet, row: int, columns: list[Column], values: list) -> None:
    for col, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        stamp(put(ws, row, col, value), column_look(column))


def finish(ws: Worksheet, *, first_data_row: int, frozen_column: str = "C") -> None:
    """Frozen title, headers and the first columns; headers repeated on every printed page."""
    ws.freeze_panes = f"{frozen_column}{first_data_row}"
    ws.print_title_rows = f"1:{first_data_row - 1}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def column_letter(columns: list[Column], column: Column) -> str:
    return get_column_letter(columns.index(column) + 1)


def workbook_bytes(wb: Workbook) -> bytes:
    """The file of a downloadable workbook. No workbook the app hands out holds a formula: a cell
    written other than through `put` whose text starts with "=" is turned back into text here
    (rows of a core.xlsx.stream RowStream are text already, and spliced in after saving)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    wb.save(buffer)
    streams = streams_of(wb)
    return splice(buffer.getvalue(), streams) if streams else buffer.getvalue()
