"""Report files as text: txt and md (UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GB18030) and
docx (paragraphs and table cells in document order). Line breaks become "\\n"."""

import codecs
import io
import zipfile
from pathlib import Path

from shigan.core.ooxml import MAX_RATIO, MAX_UNPACKED, Refused, check_docx

TEXT_SUFFIXES = {"", ".txt", ".md", ".markdown", ".text"}
ZIP_MAGIC = b"PK\x03\x04"


class ReportReadError(Exception):
    """The file is missing, not a valid docx, or not decodable text (message in Chinese)."""


def read_report(path: str | Path) -> str:
    """The text of a file on disk; ReportReadError when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportReadError(f"文件不存在：{path}") from None
    except OSError as exc:
        raise ReportReadError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    return text_from_bytes(data, path.name)


def text_from_bytes(data: bytes, filename: str) -> str:
    """The text of an uploaded or read file, by its suffix (a zip is read as docx)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".docx" or (suffix not in TEXT_SUFFIXES and data.startswith(ZIP_MAGIC)):
        return unify_newlines(docx_text(data))
    if suffix == ".doc":
        raise ReportReadError("不支持旧版 .doc 文件，请在 Word 中另存为 .docx 后再核对")
    if suffix not in TEXT_SUFFIXES:
        raise ReportReadError(f"不支持的文件类型 {suffix}（支持 txt、md、docx）")
    return unify_newlines(decode_text(data))


def unify_newlines(text: str) -> str:
    """CRLF and CR become LF, so a line break is one character in every span."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(data: bytes) -> str:
    """UTF-16 when it has a BOM, else UTF-8 (with or without BOM), else GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise ReportReadError(
                "文件含有不可见的控制字符（NUL）：可能不是文本文件，或是不带字节顺序标记的"
                " UTF-16 编码；请另存为 UTF-8 文本后再核对"
            )
        return text
    raise ReportReadError("无法识别文本编码（已尝试 UTF-8、UTF-8-SIG、GB18030），或不是文本文件")


def docx_text(data: bytes) -> str:
    """Paragraphs one per line; a table row's cells separated by tabs, one row per line."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    check_package_size(data)
    try:
        check_docx(data)  # bounds on the package and its paragraphs before python-docx parses
    except Refused as refused:
        raise ReportReadError(str(refused)) from None
    try:
        document = Document(io.BytesIO(data))
        return "\n".join(block_lines(document))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReportReadError(f"不是有效的 docx 文件（{exc.__class__.__name__}）") from None
    except Exception as exc:  # lxml and python-docx raise many kinds for a malformed document
        raise ReportReadError(f"无法读取该 docx 文件（{exc.__class__.__name__}）") from None


def size_text(size: int) -> str:
    """A byte count as a reader says it: 12KB, 3.4MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}KB"
    return f"{size / (1024 * 1024):.1f}MB"


def check_package_size(data: bytes) -> None:
    """The docx's unpacked size and compression ratio within the bounds, the refusal saying
    which bound and by how much (a small file of many empty paragraphs is refused for its
    ratio, not its size). A package that is no zip is left to check_docx."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED:
        raise ReportReadError(
            f"文件解压后约{size_text(unpacked)}，超过{size_text(MAX_UNPACKED)}的上限，已拒绝读取；"
            "请分成几个文件。"
        )
    if unpacked / packed > MAX_RATIO:
        raise ReportReadError(
            f"文件的压缩比为{unpacked // packed}倍（{size_text(len(data))}的文件解压后为"
            f"{size_text(unpacked)}），超过{MAX_RATIO}倍的上限：内容高度重复（如大量空段落），"
            "不像正常的 docx 文件，已拒绝读取。"
        )


def block_lines(container) -> list[str]:
    """Lines of a document body or table cell, nested tables included, in order."""
    from docx.table import Table

    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(table_lines(block))
        else:
            lines.append(block.text)
    return lines


def table_lines(table) -> list[str]:
    """One line per row, cells separated by tabs, merged cells once."""
    lines = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(block_lines(cell)))
        lines.append("\t".join(cells))
    return lines
