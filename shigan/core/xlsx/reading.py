"""Opening an uploaded workbook and finding its header: merged two-level headers resolved into
header paths ("本月完成/数值"), formulas told apart from values, Chinese date formats known.

Files saved by Chinese-locale Excel or WPS use built-in number formats 27-36 and 50-58 for dates
(e.g. 31 = yyyy"年"m"月"d"日") that openpyxl does not list, so their dates would read as serial
numbers. They are registered below, once per process; the cell parsers also convert serials
where a date is expected, for files whose format says nothing.

An .xlsx is a zip: its size on disk says little about what it unpacks to or how many cells it
holds. The package (shigan.core.ooxml) and the worksheets' counts (rows, cells, columns, merged
ranges, sheets, strings: shigan.core.xlsx.bounds) are checked before openpyxl reads anything.
"""

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shigan.core.ooxml import Refused, open_package
from shigan.core.progress import tick

from .bounds import LABEL, check_workbook
from .layout import norm

CHINESE_DATE_FORMATS = {
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"',
    35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}
for _id, _code in CHINESE_DATE_FORMATS.items():
    BUILTIN_FORMATS.setdefault(_id, _code)

HEADER_SCAN_ROWS = 15
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_BYTES = 20 * 1024 * 1024


class Unreadable(Exception):
    """The file is not a workbook we can open; the message says why, in Chinese."""


def _bytes(path_or_file) -> bytes:
    if isinstance(path_or_file, str | os.PathLike):
        try:
            return Path(path_or_file).read_bytes()
        except OSError as exc:
            raise Unreadable(f"无法读取文件“{path_or_file}”：{exc.strerror or exc}") from None
    if hasattr(path_or_file, "seek"):
        path_or_file.seek(0)
    return path_or_file.read()


def _check_bytes(data: bytes, max_bytes: int) -> None:
    if not data:
        raise Unreadable("文件是空的（0字节），不是有效的Excel文件。")
    if len(data) > max_bytes:
        raise Unreadable(f"文件超过{max_bytes // (1024 * 1024)}MB，无法导入。")
    if data.startswith(OLE_SIGNATURE):
        raise Unreadable("这是旧版Excel（.xls）文件，请在Excel或WPS中另存为.xlsx后再导入。")
    if not data.startswith(b"PK"):
        raise Unreadable("文件不是有效的Excel（.xlsx）文件，无法读取。")


def _check_zip(data: bytes) -> None:
    """Refuse a package or workbook past the bounds of core.ooxml and core.xlsx.bounds."""
    try:
        check_workbook(open_package(data, LABEL))
    except Refused as refused:
        raise Unreadable(str(refused)) from None


@dataclass
class Book:
    """The workbook twice: cached values (data_only) and formulas."""

    values: Workbook
    formulas: Workbook


def open_book(path_or_file, *, max_bytes: int = MAX_BYTES) -> Book:
    """Both views of an .xlsx file; raises Unreadable for anything that is not one."""
    data = _bytes(path_or_file)
    _check_bytes(data, max_bytes)
    _check_zip(data)
    try:
        return Book(
            values=load_workbook(io.BytesIO(data), data_only=True),
            formulas=load_workbook(io.BytesIO(data), data_only=False),
        )
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise Unreadable("文件已损坏或不是有效的Excel（.xlsx）文件，无法读取。") from None


@dataclass
class Sheet:
    """A worksheet with its header located: `columns` maps normalised header paths to column
    numbers; data starts at `data_start`."""

    values: Worksheet
    formulas: Worksheet
    columns: dict[str, int]
    data_start: int
    header_row: int = 0

    def has(self, key: str) -> bool:
        return norm(key) in self.columns

    def column(self, key: str) -> int | None:
        return self.columns.get(norm(key))

    def data_rows(self) -> Iterator[int]:
        """Row numbers below the header with anything in them."""
        wanted = set(self.columns.values())
        for cells in self.values.iter_rows(min_row=self.data_start):
            tick(cells[0].row)
            if any(c.value not in (None, "") for c in cells if c.column in wanted):
                yield cells[0].row

    def hidden(self, row: int) -> bool:
        """A row hidden in Excel (its own flag, or inside a hidden outline group)."""
        dimension = self.values.row_dimensions.get(row)
        return bool(dimension is not None and dimension.hidden)


def merged_values(ws: Worksheet, rows: range) -> dict[tuple[int, int], object]:
    """Cell values of `rows`, each merged range's value spread over all its cells."""
    grid = {}
    for r in rows:
        for c in range(1, ws.max_column + 1):
            grid[(r, c)] = ws.cell(row=r, column=c).value
    for merged in ws.merged_cells.ranges:
        if merged.max_row < rows.start or merged.min_row >= rows.stop:
            continue
        value = ws.cell(row=merged.min_row, column=merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r in rows:
                    grid[(r, c)] = value
    return grid


def _header_row(ws: Worksheet, keys: set[str]) -> int | None:
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, HEADER_SCAN_ROWS)):
        if any(norm(cell.value) in keys for cell in row):
            return row[0].row
    return None


def _depth(ws: Worksheet, row: int) -> int:
    spans = (m.min_row == row and m.max_row > row for m in ws.merged_cells.ranges)
    return 2 if any(spans) else 1


def _header_paths(ws: Worksheet, row: int, depth: int) -> dict[str, int]:
    grid = merged_values(ws, range(row, row + depth))
    columns: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        parts: list[str] = []
        for r in range(row, row + depth):
            part = norm(grid[(r, c)])
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        if parts:
            columns.setdefault("/".join(parts), c)
    return columns


def find_sheet(book: Book, *keys: str, skip: tuple[str, ...] = ()) -> Sheet | None:
    """The first worksheet with a header cell reading one of `keys` (e.g. “指标名称”) within its
    first rows; worksheets titled as in `skip` (a 说明 sheet quoting the headers) are passed by."""
    wanted = {norm(k) for k in keys}
    for ws in book.values.worksheets:
        if ws.title in skip:
            continue
        row = _header_row(ws, wanted)
        if row is None:
            continue
        depth = _depth(ws, row)
        return Sheet(
            values=ws,
            formulas=book.formulas[ws.title],
            columns=_header_paths(ws, row, depth),
            data_start=row + depth,
            header_row=row,
        )
    return None
