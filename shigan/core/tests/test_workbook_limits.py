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
