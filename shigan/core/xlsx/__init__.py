"""Workbooks (.xlsx) in one place: writing a downloadable cell here (`put`); the 台账 layout in
`layout`, opening an upload and finding its header in `reading`, reading a cell in `cells`, a data
row with every problem collected in `rows`. Apps keep only their own column lists.

Writing cells of the workbooks the app offers for download:

Text typed by a user (a progress report, a note, a task title) must come back as the same text,
and must never become a live formula in the reader's spreadsheet ("=HYPERLINK(...)",
"=cmd|' /C calc'!A0"): openpyxl turns a str starting with "=" into a formula and "#N/A" into an
error value unless the cell's type is set to string.

The rule, shared with the CSV exports (core.csv_export): a value that is text is text. In a
workbook `put` stores it with the string type, so "=1+1" stays "=1+1"; a CSV has no types, so
text a spreadsheet would take for a formula (`formula_like`: starting with = + - @, a tab or a
CR) is written there behind an apostrophe. Numbers and dates are never text, so -5 stays -5.
"""

import re

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# Characters XML cannot hold, and a literal "_xHHHH_" (its underscore escaped, as Excel does),
# are stored as _xHHHH_ (ECMA-376 ST_Xstring); cells.text() undoes it on reading.
OOXML_UNSAFE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# What Excel, WPS and LibreOffice read as the start of a formula when a cell is not typed text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Text that an untyped cell (a CSV field) would turn into a formula."""
    return text.startswith(FORMULA_START)


def ooxml_escape(text: str) -> str:
    return OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one cell of a downloadable workbook: text stays text, other values as they are."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = ooxml_escape(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell
