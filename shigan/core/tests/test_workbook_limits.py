"""What core.xlsx.reading refuses before openpyxl reads a workbook: a worksheet of more than
20,000 rows (counted in its XML as it streams), whatever the file's size on disk. The other
bounds, over every upload path: shigan/tests/test_hostile_uploads.py."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from shigan.core.xlsx import bounds, reading
from shigan.core.xlsx.reading import Unreadable, open_book


def _rows(n: int, *, sheets: int = 1) -> bytes:
    wb = Workbook(write_only=True)
    for s in range(sheets):
        ws = wb.create_sheet(f"表{s}")
        ws.append(["单位编码", "单位名称"])
        for i in range(n - 1):
            ws.append([str(i), "单位"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_documented_limit_is_20000_rows_a_sheet():
    assert bounds.MAX_ROWS == 20_000
    reading._check_zip(_rows(20_000))  # at the limit: read
    with pytest.raises(Unreadable, match="超过20000行"):
        reading._check_zip(_rows(20_001))


def test_a_small_file_of_many_rows_is_refused_before_it_is_loaded(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ROWS", 50)
    data = _rows(51, sheets=2)
    assert len(data) < 20_000  # a few KB on disk
    loaded = []
    monkeypatch.setattr(reading, "load_workbook", lambda *a, **k: loaded.append(1))
    with pytest.raises(Unreadable, match="超过50行"):
        open_book(io.BytesIO(data))
    assert loaded == []
    book = _rows(50, sheets=2)
    monkeypatch.undo()
    monkeypatch.setattr(bounds, "MAX_ROWS", 50)
    assert open_book(io.BytesIO(book)).values.sheetnames == ["表0", "表1"]


def test_rows_and_cells_are_counted_across_the_streams_chunks(monkeypatch):
    """A tag cut by a chunk boundary (a megabyte) is counted once."""
    monkeypatch.setattr(bounds, "MAX_ROWS", 1_000_000)
    monkeypatch.setattr(bounds, "MAX_CELLS", 1_000_000)
    data = _rows(30_000)
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = next(m for m in archive.infolist() if bounds.WORKSHEET.fullmatch(m.filename))
    assert member.file_size > 3 * (1 << 20)  # several chunks
    extent = bounds.sheet_extent(archive, member, title="表0", budget=1_000_000)
    assert (extent.rows, extent.cells, extent.last_row, extent.last_column) == (
        30_000,
        60_000,
        30_000,
        2,
    )


def _sheet(body: str) -> bytes:
    from shigan.core.tests.hostile_ooxml import HEADER, workbook

    return workbook([(HEADER + body).encode()])


def test_a_sheets_rectangle_is_its_last_cell_not_an_empty_styled_row():
    """openpyxl fills the rectangle from A1 to the last cell when a sheet is read row by row; a
    row element without cells (a styled row) creates none, so it does not count."""
    reading._check_zip(_sheet('<row r="900000" s="1" customFormat="1"/>'))
    reading._check_zip(_sheet('<row r="20000"><c r="J20000"><v>1</v></c></row>'))  # 200,000
    with pytest.raises(Unreadable, match="第20001行、第10列，范围超过200000个单元格"):
        reading._check_zip(_sheet('<row r="20001"><c r="J20001"><v>1</v></c></row>'))


def test_cells_without_a_reference_are_placed_by_their_row():
    """A cell without r follows the one before in its row, numbered or not."""
    with pytest.raises(Unreadable, match="第1048576行、第2列"):
        reading._check_zip(_sheet('<row r="1048576"><c><v>1</v></c></row>'))
    with pytest.raises(Unreadable, match="超过200列"):
        reading._check_zip(_sheet("<row>" + "<c/>" * 201 + "</row>"))
