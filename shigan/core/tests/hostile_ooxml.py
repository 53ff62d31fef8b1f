"""Hostile xlsx and docx files, built as raw zips in milliseconds: what an upload must refuse
before any parser inflates it. Each builder returns the file's bytes; SHAPES names them.

The padding member (stored random bytes) lowers a file's overall compression ratio, so a shape is
not refused by the ratio check alone: what is tested is the bound named by the shape."""

import io
import os
import zipfile
import zlib

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c></row>'


def _zip(members: dict[str, bytes], *, pad: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if pad:
            archive.writestr("xl/media/padding.bin", os.urandom(pad), zipfile.ZIP_STORED)
    return buffer.getvalue()


def workbook(sheets: list[bytes], *, shared: bytes | None = None, pad: int = 0) -> bytes:
    """An xlsx of the given worksheet XML bodies (each inside <worksheet><sheetData>…)."""
    n = len(sheets)
    members = {
        "[Content_Types].xml": CONTENT_TYPES.format(
            sheets="".join(SHEET_TYPE.format(n=i + 1) for i in range(n))
            + (SHARED_TYPE if shared is not None else "")
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{REL}"><Relationship Id="rId1" '
            f'Type="{OFFICE}officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}" xmlns:r="{R}"><sheets>'
            + "".join(
                f'<sheet name="表{i + 1}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(n)
            )
            + "</sheets></workbook>"
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{REL}">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" Type="{OFFICE}worksheet" '
                f'Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(n)
            )
            + (
                f'<Relationship Id="rIdS" Type="{OFFICE}sharedStrings" Target="sharedStrings.xml"/>'
                if shared is not None
                else ""
            )
            + "</Relationships>"
        ).encode(),
    }
    for i, body in enumerate(sheets):
        members[f"xl/worksheets/sheet{i + 1}.xml"] = (
            f'<worksheet xmlns="{NS}"><sheetData>'.encode() + body + b"</sheetData></worksheet>"
        )
    if shared is not None:
        members["xl/sharedStrings.xml"] = shared
    return _zip(members, pad=pad)


def wide_cells() -> bytes:
    """3 million cells in 183 rows of 16,384 columns (the finding's shape): a few hundred KB."""
    row = b"<c/>" * 16_384
    body = HEADER.encode() + b"".join(b"<row>" + row + b"</row>" for _ in range(183))
    return workbook([body], pad=200_000)


def sparse_extent() -> bytes:
    """Two cells: A1 and XFD1048576. Reading the rows between them would create 17 billion."""
    return workbook([(HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>').encode()])


def giant_merge() -> bytes:
    """One merged range over the whole sheet (openpyxl creates a cell object for each)."""
    data = io.BytesIO(workbook([HEADER.encode()]))
    members = {}
    with zipfile.ZipFile(data) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>',
    )
    return _zip(members)


def many_sheets() -> bytes:
    """500 worksheets of one cell each."""
    return workbook([HEADER.encode()] * 500)


def huge_strings() -> bytes:
    """150 MB of shared strings in a file of about 1 MB."""
    shared = f'<sst xmlns="{NS}"><si><t>'.encode() + b"x" * 150_000_000 + b"</t></si></sst>"
    return workbook([HEADER.encode()], shared=shared, pad=800_000)


def deflate_bomb() -> bytes:
    """A worksheet that honestly declares 100 MB of XML (a few MB of zip)."""
    body = HEADER.encode() + b" " * 100_000_000
    return workbook([body])


def lying_size() -> bytes:
    """A worksheet declaring 200 bytes whose data inflates to 100 MB."""
    real = HEADER.encode() + b" " * 100_000_000
    data = workbook([HEADER.encode()])
    return _replace_member(data, "xl/worksheets/sheet1.xml", real, declared=200)


def entity_expansion() -> bytes:
    """The billion laughs in a worksheet's XML."""
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
        )
        + b"]>"
    )
    data = workbook([b'<row r="2"><c r="A2" t="inlineStr"><is><t>&j;</t></is></c></row>'])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    return _replace_member(data, "xl/worksheets/sheet1.xml", doctype + sheet)


def _replace_member(
    data: bytes, name: str, content: bytes, *, declared: int | None = None
) -> bytes:
    """The zip with `name` replaced by `content`; `declared` makes its headers lie about its size."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            members[member] = archive.read(member)
    members[name] = content
    if declared is None:
        return _zip(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members.items():
            if member != name:
                archive.writestr(member, body)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = compressor.compress(content) + compressor.flush()
        info.CRC = zlib.crc32(content)
        info.compress_size = len(packed)
        info.file_size = declared
        info.header_offset = buffer.tell()
        buffer.write(info.FileHeader(zip64=False))
        buffer.write(packed)
        archive.filelist.append(info)
        archive.NameToInfo[name] = info
        archive.start_dir = buffer.tell()
    return buffer.getvalue()


def docx(body: bytes, *, pad: int = 0) -> bytes:
    members = {
        "[Content_Types].xml": CONTENT_TYPES.format(sheets="").encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{REL}"><Relationship Id="rId1" '
            f'Type="{OFFICE}officeDocument" Target="word/document.xml"/></Relationships>'
        ).encode(),
        "word/document.xml": f'<w:document xmlns:w="{W}"><w:body>'.encode()
        + body
        + b"</w:body></w:document>",
    }
    return _zip(members, pad=pad)


def docx_paragraphs() -> bytes:
    """3 million empty paragraphs."""
    return docx(b"<w:p/>" * 3_000_000, pad=300_000)


def docx_table() -> bytes:
    """A table of 2,000 rows whose cells each span 10,000 grid columns."""
    row = b'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="10000"/></w:tcPr><w:p/></w:tc></w:tr>'
    return docx(b"<w:tbl>" + row * 2_000 + b"</w:tbl>")


def docx_bomb() -> bytes:
    return docx(b"<w:p><w:r><w:t>" + b"x" * 100_000_000 + b"</w:t></w:r></w:p>")


XLSX_SHAPES = {
    "wide_cells": wide_cells,
    "sparse_extent": sparse_extent,
    "giant_merge": giant_merge,
    "many_sheets": many_sheets,
    "huge_strings": huge_strings,
    "deflate_bomb": deflate_bomb,
    "lying_size": lying_size,
    "entity_expansion": entity_expansion,
}
DOCX_SHAPES = {
    "docx_paragraphs": docx_paragraphs,
    "docx_table": docx_table,
    "docx_bomb": docx_bomb,
    "docx_lying_size": lambda: _replace_member(
        docx(b"<w:p/>"), "word/document.xml", b" " * 100_000_000, declared=100
    ),
}
