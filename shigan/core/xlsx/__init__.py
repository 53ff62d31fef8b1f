"""Workbooks (.xlsx) in one place: writing a downloadable cell here (`put`); the 台账 layout in
`layout`, opening an upload and finding its header in `reading`, reading a cell in `cells`, a data
row with every problem collected in `rows`. Apps keep only their own column lists.

Writing cells of the workbooks the app offers for download:

Text typed by a user (a progress report, a note, a task title) must come back as the same text,
and must never become a live formula in the reader's spreadsheet ("=HYPERLINK(...)",
"=cmd|' /C calc'!A0"): openpyxl turns a str starting with "=" into a formula and "#N/A" into an
error value unless the cell's type is set to string.
"""

import re

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# Characters XML cannot hold, and a literal "_xHHHH_" (its underscore escaped, as Excel does),
# are stored as _xHHHH_ (ECMA-376 ST_Xstring); cells.text() undoes it on reading.
OOXML_UNSAFE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
