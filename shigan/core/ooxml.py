"""Bounds on an uploaded Office Open XML file (xlsx, docx), checked before any parser opens it.

An .xlsx or .docx is a zip of XML parts; its size on disk says little about what it unpacks to
or about how many objects a parser builds from it (a 122 KB workbook can hold 3 million cells).
So the package is refused, with a Chinese message, when:

- it is not a readable zip, or has more than MAX_MEMBERS members;
- its members declare more than MAX_UNPACKED bytes in all, or compress more than MAX_RATIO times;
- one XML part declares more than MAX_PART bytes;
- an XML part carries a DTD (<!DOCTYPE: entity expansion; Office never writes one);
- a part streamed here inflates to something other than its declared size (a lying header:
  zipfile stops at the declared size and the checksum then fails).

What the XML holds (cells, rows, paragraphs) is counted by streaming the parts through regular
expressions, a megabyte at a time, stopping as soon as a bound is passed: shigan.core.xlsx.bounds
for workbooks, check_docx here for documents.
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

MAX_MEMBERS = 1_000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_PART = 30 * 1024 * 1024
# A report of fifty pages has a few thousand paragraphs and table cells.
MAX_DOCX_BLOCKS = 100_000
MAX_DOCX_SPAN = 64  # Word's tables have at most 63 columns
MAX_DOCX_VMERGE = 1_000
CHUNK = 1 << 20
OVERLAP = 512  # longer than any match the scans look for
XML_PART = re.compile(r".+\.(?:xml|rels|vml)", re.IGNORECASE)
DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
DOCX_BLOCK = re.compile(rb"<(?:\w+:)?(?:p|tc|tr)[\s>/]")
DOCX_SPAN = re.compile(rb'<(?:\w+:)?gridSpan\b[^>]{0,200}?:?val="(\d+)"')
DOCX_VMERGE = re.compile(rb"<(?:\w+:)?vMerge[\s>/]")


class Refused(Exception):
    """The file is refused before parsing; the message says why, in Chinese."""


def damaged(label: str) -> Refused:
    return Refused(f"文件已损坏或不是有效的{label}文件，无法读取。")


def open_package(data: bytes, label: str) -> zipfile.ZipFile:
    """The zip, once its declared sizes are within bounds and no XML part carries a DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise damaged(label) from None
    if len(members) > MAX_MEMBERS:
        raise Refused(f"文件包含{len(members)}个部件，超过{MAX_MEMBERS}个的上限，已拒绝读取。")
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > MAX_RATIO:
        raise Refused(
            f"文件解压后过大（约{unpacked // (1024 * 1024)}MB，压缩比{unpacked // packed}倍），"
            f"不像正常的{label}文件，已拒绝读取。"
        )
    for member in members:
        if XML_PART.fullmatch(member.filename):
            if member.file_size > MAX_PART:
                raise Refused(
                    f"文件中的部件“{member.filename}”解压后约{member.file_size // (1024 * 1024)}MB，"
                    f"超过{MAX_PART // (1024 * 1024)}MB的上限，已拒绝读取。"
                )
            _refuse_dtd(archive, member, label)
    return archive


def _refuse_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo, label: str) -> None:
    try:
        with archive.open(member) as stream:
            head = stream.read(4096)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise damaged(label) from None
    if DOCTYPE.search(head):
        raise Refused(f"文件中的部件“{member.filename}”含有文档类型定义（DTD），已拒绝读取。")


def windows(archive: zipfile.ZipFile, member: zipfile.ZipInfo, label: str) -> Iterator[tuple]:
    """The part's bytes as (text, limit) windows of about a megabyte: a scan counts the matches
    starting before `limit`; the rest are counted again in the next window (which begins with
    the last OVERLAP bytes). Read to its end, the part's checksum and declared size are checked."""
    tail = b""
    try:
        with archive.open(member) as stream:
            chunk = stream.read(CHUNK)
            while chunk:
                text = tail + chunk
                following = stream.read(CHUNK)
                if not following:
                    yield text, len(text)
                    return
                yield text, len(text) - OVERLAP
                tail, chunk = text[-OVERLAP:], following
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise damaged(label) from None


def count(pattern: re.Pattern, text: bytes, limit: int) -> int:
    """Matches of `pattern` in `text` starting before `limit`."""
    return len(pattern.findall(text)) - len(pattern.findall(text, limit))


def check_docx(data: bytes) -> None:
    """Refuse a .docx whose package or main document exceeds the bounds (Refused)."""
    label = " docx "  # "不是有效的 docx 文件", as the checker has always said
    archive = open_package(data, label)
    try:
        member = archive.getinfo("word/document.xml")
    except KeyError:
        raise damaged(label) from None
    blocks = merges = 0
    for text, limit in windows(archive, member, label):
        blocks += count(DOCX_BLOCK, text, limit)
        merges += count(DOCX_VMERGE, text, limit)
        if blocks > MAX_DOCX_BLOCKS:
            raise Refused(
                f"文件中的段落和表格单元格超过{MAX_DOCX_BLOCKS}个，超出上限，已拒绝读取；"
                "请分成几个文件。"
            )
        if merges > MAX_DOCX_VMERGE:
            raise Refused(f"文件中的纵向合并单元格超过{MAX_DOCX_VMERGE}个，已拒绝读取。")
        spans = (int(m.group(1)) for m in DOCX_SPAN.finditer(text, 0, len(text)))
        if any(span > MAX_DOCX_SPAN for span in spans):
            raise Refused(
                f"文件中有表格单元格横跨超过{MAX_DOCX_SPAN}列，不像正常的Word表格，已拒绝读取。"
            )
