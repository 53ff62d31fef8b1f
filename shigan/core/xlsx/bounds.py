"""What a workbook may hold before openpyxl opens it (shigan.core.ooxml bounds the package).

openpyxl builds an object of several hundred bytes for every cell it reads, and for every cell
of a merged range; reading a sheet row by row creates the missing cells of the rectangle from A1
to the last row and column. So each worksheet's XML is streamed and counted first (regular
expressions over a megabyte at a time, stopping at the first bound passed):

- MAX_SHEETS worksheets, each listed once (two sheet entries naming one part would parse it twice);
- MAX_ROWS rows in one worksheet;
- MAX_CELLS cells in the whole workbook, merged cells counted;
- MAX_COLUMNS columns, and MAX_CELLS for one sheet's rectangle (last row × last column);
- MAX_CELLS shared strings.

A district's organisation, task list or indicator table has hundreds to a few thousand rows of
ten to thirty columns: 20,000 rows of 10 columns is the most a file may bring.
"""

import html
import re
import zipfile
from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string

from shigan.core.ooxml import Refused, count, windows

LABEL = "Excel（.xlsx）"
MAX_SHEETS = 50
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 200_000
WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
ROW_AT = re.compile(rb'<(?:\w+:)?row\b[^>]{0,300}?\sr="(\d{1,9})"')
CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
CELL_AT = re.compile(rb'<(?:\w+:)?c\b[^>]{0,300}?\sr="([A-Za-z]{1,3})\d')
CELL_ROW = re.compile(rb'<(?:\w+:)?c\b[^>]{0,300}?\sr="[A-Za-z]{1,3}(\d{1,9})"')
MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]{0,300}?\sref="([A-Za-z]{1,3})(\d{1,9})(?::([A-Za-z]{1,3})(\d{1,9}))?"'
)
SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
ENTRY_ID = re.compile(rb'\s(?:\w+:)?id="([^"]*)"', re.IGNORECASE)
ENTRY_NAME = re.compile(rb'\sname="([^"]*)"')
RELATION = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
TARGET = re.compile(rb'\sTarget="([^"]*)"')
STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")


@dataclass
class Extent:
    """What one worksheet's XML holds."""

    rows: int = 0
    cells: int = 0
    last_row: int = 0  # highest row of a numbered cell or a merged range
    last_listed_row: int = 0  # highest number of a row element (empty styled rows too)
    last_column: int = 0
    merged: int = 0  # cells inside merged ranges


def check_workbook(archive: zipfile.ZipFile) -> None:
    """Refuse (Refused, in Chinese) a workbook that holds more than the bounds allow."""
    sheets = [m for m in archive.infolist() if WORKSHEET.fullmatch(m.filename)]
    titles = _titles(archive, len(sheets))
    cells = 0
    for member in sheets:
        title = titles.get(member.filename, member.filename.rsplit("/", 1)[-1])
        extent = sheet_extent(archive, member, title=title, budget=MAX_CELLS - cells)
        cells += extent.cells + extent.merged
    _check_strings(archive)


def _titles(archive: zipfile.ZipFile, worksheets: int) -> dict[str, str]:
    """Worksheet part → the sheet's title, once the listing is within bounds."""
    entries = SHEET_ENTRY.findall(_small_part(archive, "xl/workbook.xml"))
    relations = RELATION.findall(_small_part(archive, "xl/_rels/workbook.xml.rels"))
    _check_listing(worksheets, entries, relations)
    targets = {}
    for relation in relations:
        rid, target = ENTRY_ID.search(relation), TARGET.search(relation)
        if rid and target:
            path = target.group(1).decode(errors="replace")
            targets[rid.group(1)] = path[1:] if path.startswith("/") else "xl/" + path
    titles = {}
    for entry in entries:
        rid, name = ENTRY_ID.search(entry), ENTRY_NAME.search(entry)
        if rid and name and rid.group(1) in targets:
            title = html.unescape(name.group(1).decode(errors="replace"))
            titles[targets[rid.group(1)]] = title
    return titles


def _check_listing(worksheets: int, entries: list[bytes], relations: list[bytes]) -> None:
    ids = [ENTRY_ID.search(e).group(1) if ENTRY_ID.search(e) else b"" for e in entries]
    targets = [TARGET.search(r).group(1) if TARGET.search(r) else b"" for r in relations]
    if max(worksheets, len(entries)) > MAX_SHEETS:
        raise Refused(
            f"文件有{max(worksheets, len(entries))}个工作表，超过{MAX_SHEETS}个的上限；"
            "请删去无关的工作表，或分成几个文件导入。"
        )
    if len(set(ids)) < len(ids) or len(set(targets)) < len(targets):
        raise Refused("文件的工作表目录有重复项，结构异常，已拒绝读取。")


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return b"".join(
            text[:limit] for text, limit in windows(archive, archive.getinfo(name), LABEL)
        )
    except KeyError:
        return b""


def sheet_extent(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, title: str, budget: int
) -> Extent:
    """The worksheet's counts, streamed; Refused as soon as one passes its bound (`budget`:
    the cells the workbook may still hold)."""
    extent = Extent()
    numbered_rows = numbered_cells = 0
    for text, limit in windows(archive, member, LABEL):
        extent.rows += count(ROW, text, limit)
        extent.cells += count(CELL, text, limit)
        # findall and set run in C: a window of 50,000 cells costs milliseconds. Matches past
        # `limit` are seen again in the next window: harmless to a maximum, subtracted from counts.
        numbers = ROW_AT.findall(text)
        numbered_rows += len(numbers) - len(ROW_AT.findall(text, limit))
        extent.last_listed_row = max([extent.last_listed_row, *map(int, set(numbers))])
        extent.last_row = max([extent.last_row, *map(int, set(CELL_ROW.findall(text)))])
        letters = CELL_AT.findall(text)
        numbered_cells += len(letters) - len(CELL_AT.findall(text, limit))
        extent.last_column = max([extent.last_column, *map(_column, set(letters))])
        for match in MERGE.finditer(text):
            if match.start() < limit:
                extent.merged += _merge_area(extent, match)
        _check(extent, budget, numbered_rows, numbered_cells, title)
    return extent


def _column(letters: bytes) -> int:
    try:
        return column_index_from_string(letters.decode().upper())
    except ValueError:  # beyond XFD
        return 1 << 20


def _merge_area(extent: Extent, match: re.Match) -> int:
    first_col, first_row = _column(match.group(1)), int(match.group(2))
    last_col = _column(match.group(3)) if match.group(3) else first_col
    last_row = int(match.group(4)) if match.group(4) else first_row
    extent.last_row = max(extent.last_row, last_row)
    extent.last_column = max(extent.last_column, last_col)
    return (abs(last_row - first_row) + 1) * (abs(last_col - first_col) + 1)


def _check(
    extent: Extent, budget: int, numbered_rows: int, numbered_cells: int, sheet: str
) -> None:
    # openpyxl places a cell by its own reference; one without follows the cell before, in its
    # row element (numbered, or following the row before): count those past the last numbers.
    # An empty row element (a styled row) creates no cell, so it does not widen the rectangle.
    last_row = extent.last_row
    last_column = extent.last_column + (extent.cells - numbered_cells)
    if extent.cells > numbered_cells:
        last_row = max(last_row, extent.last_listed_row) + (extent.rows - numbered_rows)
    if extent.rows > MAX_ROWS:
        raise Refused(
            f"文件中有工作表超过{MAX_ROWS}行，超出一次导入的上限；"
            "请删去无关的行或工作表，或分成几个文件导入。"
        )
    if extent.cells + extent.merged > budget:
        raise Refused(
            f"文件的单元格（含合并单元格）超过{MAX_CELLS}个，超出一次导入的上限（约{MAX_ROWS}行×10列）；"
            "请删去无关的行、列或工作表，或分成几个文件导入。"
        )
    if last_column > MAX_COLUMNS:
        raise Refused(
            f"工作表“{sheet}”超过{MAX_COLUMNS}列，超出上限；请删去表格右侧无关的列后再导入。"
        )
    if last_row * max(last_column, 1) > MAX_CELLS:
        raise Refused(
            f"工作表“{sheet}”的内容从第1行铺到第{last_row}行、第{last_column}列，"
            f"范围超过{MAX_CELLS}个单元格的上限；请删去远处的零散内容后再导入。"
        )


def _check_strings(archive: zipfile.ZipFile) -> None:
    try:
        member = archive.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return
    strings = 0
    for text, limit in windows(archive, member, LABEL):
        strings += count(STRING, text, limit)
        if strings > MAX_CELLS:
            raise Refused(f"文件中的文本超过{MAX_CELLS}条，超出一次导入的上限，已拒绝读取。")
