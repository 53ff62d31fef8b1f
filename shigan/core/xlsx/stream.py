"""The data rows of a big sheet (a campaign's 10,000 tasks) written straight as sheet XML.

openpyxl builds a Cell object per cell and an lxml element per cell when saving: 2–3 s for
140,000 plain cells, whatever the styles. A sheet's title, headers, merges and page set-up are
still written by openpyxl (few cells); its data rows are appended to a `RowStream` and
`core.xlsx.layout.workbook_bytes` splices them into the saved sheet, in the XML openpyxl itself
writes for such cells (inline strings, dates as serial numbers under a date format, the cell
format `s` of each cell's Look). The file reads back cell for cell as if written by `put`:
text is always text (never a formula, never an error value), escaped as `put` escapes it.
"""

import datetime
import io
import re
import weakref
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

from . import ooxml_escape
from .styles import Look, style_id

DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?"\s*/>')
SHEET_DATA_END = b"</sheetData>"
SHEET_DATA_EMPTY = b"<sheetData/>"
CR = {"\r": "&#13;"}  # a literal CR would be read back as LF (XML end-of-line handling)


class RowStream:
    """Rows appended below the sheet's last openpyxl row, one Look per column."""

    def __init__(self, ws: Worksheet, first_row: int):
        if first_row <= ws.max_row:
            raise ValueError(f"row {first_row} already written by openpyxl")
        self.ws, self.first_row, self.next_row = ws, first_row, first_row
        self.parts: list[str] = []
        self.width = 0
        self._letters: list[str] = []
        self._ids: dict[int, tuple[Look, str]] = {}  # the look kept: its id stays its own
        _STREAMS[ws] = self

    def _style(self, look: Look) -> str:
        found = self._ids.get(id(look))
        if found is None:
            found = self._ids[id(look)] = (look, str(style_id(self.ws, look)))
        return found[1]

    def append(self, values: list, looks: list[Look]) -> None:
        row = self.next_row
        self.next_row += 1
        if len(values) > len(self._letters):
            self._letters = [get_column_letter(i) for i in range(1, len(values) + 1)]
        self.width = max(self.width, len(values))
        cells = [f'<row r="{row}">']
        for letter, value, look in zip(self._letters, values, looks, strict=False):
            cells.append(_cell(f"{letter}{row}", self._style(look), value))
        cells.append("</row>")
        self.parts.append("".join(cells))

    def xml(self) -> bytes:
        return "".join(self.parts).encode()

    @property
    def last_row(self) -> int:
        return self.next_row - 1


def _cell(ref: str, s: str, value: object) -> str:
    if value is None:
        return f'<c r="{ref}" s="{s}"/>'
    if value == "":
        return f'<c r="{ref}" s="{s}" t="inlineStr"/>'  # as openpyxl writes put's ""
    if isinstance(value, str):
        text = ooxml_escape(value)
        space = ' xml:space="preserve"' if text != text.strip() and text.strip() else ""
        return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{escape(text, CR)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{s}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{s}" t="n"><v>{safe_string(to_excel(value))}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}" s="{s}" t="n"><v>{safe_string(value)}</v></c>'
    raise TypeError(f"a streamed cell cannot hold {type(value).__name__}")


_STREAMS: "weakref.WeakKeyDictionary[Worksheet, RowStream]" = weakref.WeakKeyDictionary()


def streams_of(wb) -> dict[str, RowStream]:
    """The row streams of the workbook's sheets, by the sheet's part name in the package."""
    found = {}
    for index, ws in enumerate(wb.worksheets, start=1):
        if ws in _STREAMS:
            found[f"xl/worksheets/sheet{index}.xml"] = _STREAMS[ws]
    return found


def splice(package: bytes, streams: dict[str, RowStream]) -> bytes:
    """The saved package with each stream's rows added to its sheet and the sheet's dimension
    widened to them."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if (stream := streams.get(info.filename)) is not None and stream.parts:
                data = _with_rows(data, stream)
            target.writestr(info.filename, data)
    return out.getvalue()


def _with_rows(sheet: bytes, stream: RowStream) -> bytes:
    rows = stream.xml()
    if SHEET_DATA_END in sheet:
        head, _, tail = sheet.partition(SHEET_DATA_END)
        sheet = head + rows + SHEET_DATA_END + tail
    else:
        head, _, tail = sheet.partition(SHEET_DATA_EMPTY)
        sheet = head + b"<sheetData>" + rows + SHEET_DATA_END + tail
    width = max(stream.width, stream.ws.max_column)
    ref = f'<dimension ref="A1:{get_column_letter(width)}{stream.last_row}"/>'.encode()
    return DIMENSION.sub(ref, sheet, count=1)
