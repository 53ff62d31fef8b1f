"""Every upload that opens an xlsx or docx refuses a hostile one before parsing it, with a Chinese
message naming the bound, in well under a second: 3 million cells in a few hundred KB, a cell at
XFD1048576, a merge over the whole sheet, 500 sheets, 150 MB of shared strings, a deflate bomb, a
member lying about its size, the billion laughs (shigan.core.ooxml, shigan.core.xlsx.bounds).

Evidence files (progress, monthly, meeting and visit attachments) are not parsed at all: only their
first bytes are sniffed (shigan.core.files), so they are not listed here."""

import functools
import json
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shigan.core import ooxml
from shigan.core.tests import hostile_ooxml as hostile
from shigan.core.xlsx import bounds, reading

XLSX_REFUSALS = {
    "wide_cells": "单元格（含合并单元格）超过200000个",
    "sparse_extent": "超过200列",
    "giant_merge": "单元格（含合并单元格）超过200000个",
    "many_sheets": "文件有500个工作表，超过50个的上限",
    "huge_strings": "超过30MB的上限",
    "deflate_bomb": "解压后过大",
    "lying_size": "文件已损坏或不是有效的Excel（.xlsx）文件",
    "entity_expansion": "含有文档类型定义（DTD）",
}
DOCX_REFUSALS = {
    "docx_paragraphs": "段落和表格单元格超过100000个",
    "docx_table": "横跨超过64列",
    "docx_bomb": "超过200倍的上限",
    "docx_lying_size": "文件已损坏或不是有效的 docx 文件",
}


@functools.cache
def hostile_file(shape: str) -> bytes:
    return (hostile.XLSX_SHAPES | hostile.DOCX_SHAPES)[shape]()


def _indicators(world):
    return world.reporter_a, "/indicators/import/", {}


def _task_list(world):
    return world.coordinator, reverse("tasks:task_list_import"), {"campaign": world.campaign.pk}


def _org(world):
    return world.coordinator, "/setup/org/import/", {}


def _concerns(world):
    return world.coordinator, reverse("grassroots:concern_import"), {}


def _timebank(world):
    return world.reporter_a, reverse("timebank:service_import"), {"unit": world.unit_a.pk}


XLSX_PATHS = {
    "indicator import": _indicators,
    "task list import": _task_list,
    "org import": _org,
    "concern import": _concerns,
    "time-bank import": _timebank,
}


def test_the_documented_bounds():
    """The numbers the README states."""
    assert (bounds.MAX_ROWS, bounds.MAX_COLUMNS, bounds.MAX_CELLS, bounds.MAX_SHEETS) == (
        20_000,
        200,
        200_000,
        50,
    )
    assert (ooxml.MAX_PART, ooxml.MAX_UNPACKED, ooxml.MAX_RATIO) == (30 << 20, 200 << 20, 200)
    assert (ooxml.MAX_DOCX_BLOCKS, ooxml.MAX_DOCX_SPAN) == (100_000, 64)


@pytest.mark.parametrize("path", XLSX_PATHS)
@pytest.mark.parametrize("shape", XLSX_REFUSALS)
def test_every_workbook_upload_refuses_a_hostile_workbook_before_parsing(
    shape, path, world, client_for, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to load a hostile workbook")

    monkeypatch.setattr(reading, "load_workbook", never)
    user, url, fields = XLSX_PATHS[path](world)
    upload = SimpleUploadedFile(f"{shape}.xlsx", hostile_file(shape))
    client = client_for(user)
    assert client.get(url).status_code == 200  # templates and URLs loaded before timing
    started = time.monotonic()
    response = client.post(url, {**fields, "file": upload})
    assert time.monotonic() - started < 3  # the whole request, on a shared CI machine
    assert response.status_code == 200
    assert XLSX_REFUSALS[shape] in response.content.decode()


@pytest.mark.parametrize("shape", DOCX_REFUSALS)
def test_the_checker_refuses_a_hostile_docx_before_parsing(shape, world, client_for, monkeypatch):
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx was called"))
    upload = SimpleUploadedFile(f"{shape}.docx", hostile_file(shape))
    client = client_for(world.coordinator)
    assert client.get(reverse("reports:check")).status_code == 200
    started = time.monotonic()
    response = client.post(reverse("reports:check"), {"file": upload})
    assert time.monotonic() - started < 3  # the whole request, on a shared CI machine
    assert response.status_code == 200
    assert DOCX_REFUSALS[shape] in response.content.decode()


def test_a_workbook_at_the_bounds_is_read():
    """20,000 rows of 10 columns (200,000 cells): within every bound; one more cell is not."""
    rows = [hostile.HEADER.encode()] + [
        f'<row r="{r}">'.encode()
        + b"".join(f'<c r="{c}{r}"><v>1</v></c>'.encode() for c in "ABCDEFGHIJ")
        + b"</row>"
        for r in range(2, 20_001)
    ]
    with pytest.raises(reading.Unreadable, match="超过200000个"):
        reading._check_zip(
            hostile.workbook([b"".join(rows).replace(b"</row>", b'<c r="K1"/></row>', 1)])
        )
    rows[0] = b'<row r="1">' + b"".join(f'<c r="{c}1"/>'.encode() for c in "ABCDEFGHIJ") + b"</row>"
    reading._check_zip(hostile.workbook([b"".join(rows)]))


MEASURE = """
import io, json, resource, sys, time
from shigan.core.xlsx.reading import Unreadable, open_book
data = sys.stdin.buffer.read()
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = cpu()
try:
    open_book(io.BytesIO(data))
    outcome = "read"
except Unreadable as refused:
    outcome = str(refused)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": cpu() - started, "grew_kb": after - before, "outcome": outcome}))
"""


def test_the_three_million_cell_workbook_costs_little_time_and_memory():
    """The finding's shape, measured in a fresh process: refused in under a second of CPU (wall
    time depends on the machine's load), the peak resident memory growing by less than 64 MB
    (it took 40 s and 2.2 GB)."""
    data = hostile_file("wide_cells")
    assert len(data) < 300_000
    run = subprocess.run(
        [sys.executable, "-c", MEASURE], input=data, capture_output=True, check=True, timeout=60
    )
    figures = json.loads(run.stdout)
    assert XLSX_REFUSALS["wide_cells"] in figures["outcome"]
    assert figures["seconds"] < 1
    assert figures["grew_kb"] < 64 * 1024
