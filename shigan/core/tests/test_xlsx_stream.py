"""core.xlsx.stream and core.xlsx.styles: rows streamed as sheet XML read back exactly as the
same rows written cell by cell through `put` and the same looks — values, types, styles — and
the sheet's size is known to a read-only reader."""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from shigan.core.xlsx import put
from shigan.core.xlsx.layout import workbook_bytes
from shigan.core.xlsx.stream import RowStream
from shigan.core.xlsx.styles import Look, stamp

THIN = Side(style="thin", color="808080")
PLAIN = Look(border=Border(left=THIN, right=THIN), alignment=Alignment(wrap_text=True))
DATE = PLAIN.but(number_format="yyyy-mm-dd")
LOUD = PLAIN.but(font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor="C00000"))
ROWS = [
    ["=1+1", datetime.date(2023, 7, 31), 3, Decimal("12.50"), None, True],
    [" 前后空格 ", datetime.date(1999, 12, 31), -2.5, 0, "", False],
    ["a & b < c > d\r\n第二行\t制表", None, 10**12, Decimal("-0.0001"), "#N/A", None],
    ["控制\x01字符_x0041_", datetime.datetime(2023, 7, 31, 8, 30), 0.1 + 0.2, 1, "@SUM(A1)", 1],
]
LOOKS = [PLAIN, DATE, LOUD, PLAIN, PLAIN, PLAIN]


def _book(streamed: bool) -> bytes:
    wb = Workbook()
    ws = wb.active
    stamp(put(ws, 1, 1, "标题"), LOUD)
    ws.merge_cells("A1:F1")
    if streamed:
        stream = RowStream(ws, first_row=2)
        for values in ROWS:
            stream.append(values, LOOKS)
    else:
        for row, values in enumerate(ROWS, start=2):
            for col, (value, look) in enumerate(zip(values, LOOKS, strict=True), start=1):
                stamp(put(ws, row, col, value), look)
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)


def _cells(data: bytes) -> list:
    ws = load_workbook(io.BytesIO(data)).active
    return [
        (c.coordinate, c.value, c.data_type, c.number_format, repr(c.font), repr(c.fill),
         repr(c.border), repr(c.alignment))
        for row in ws.iter_rows() for c in row
    ]  # fmt: skip


def test_streamed_rows_read_back_as_cells_written_one_by_one():
    streamed, written = _cells(_book(True)), _cells(_book(False))
    assert streamed == written
    values = {coordinate: value for coordinate, value, *_ in streamed}
    assert values["A2"] == "=1+1" and values["E4"] == "#N/A" and values["E5"] == "@SUM(A1)"
    assert values["A3"] == " 前后空格 " and values["A4"] == "a & b < c > d\r\n第二行\t制表"
    assert values["B2"] == datetime.datetime(2023, 7, 31) and values["D2"] == 12.5


def test_a_read_only_reader_sees_every_streamed_row():
    ws = load_workbook(io.BytesIO(_book(True)), read_only=True).active
    assert (ws.max_row, ws.max_column) == (len(ROWS) + 1, 6)
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)][:2] == ["=1+1", " 前后空格 "]


def test_a_look_is_stamped_as_a_copy_of_one_style():
    wb = Workbook()
    ws = wb.active
    for row in range(1, 50):
        stamp(ws.cell(row=row, column=1), LOUD)
    assert (len(wb._fonts), len(wb._fills)) == (2, 3)  # openpyxl's defaults and LOUD's
    assert ws["A7"]._style == ws["A8"]._style and ws["A7"]._style is not ws["A8"]._style
    assert ws["A7"].font.b and ws["A7"].fill.fgColor.rgb.endswith("C00000")
    ws["A7"].font = Font(italic=True)  # one cell changed later leaves the others
    assert ws["A8"].font.b and not ws["A8"].font.i
