"""A Document as PDF: the official-layout docx converted by LibreOffice headless.

Each conversion runs with its own LibreOffice profile directory: two conversions sharing a profile
fail silently (exit 1, no PDF), so concurrent requests would break each other. Chinese renders in
the free fonts that scripts/install-fonts maps to the docx's font names; the returned FontReport
says which real font filled each role.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from shigan.reports.document import Document
from shigan.reports.render.docx import render_docx
from shigan.reports.render.fonts import FontReport, font_report

TIMEOUT_SECONDS = 120


class ReportRenderError(Exception):
    """A report could not be rendered; the message says why, in Chinese, for the user."""


def render_pdf(document: Document, path: Path | str) -> FontReport:
    """Write `document` as PDF to `path`; return which real font filled each role."""
    with tempfile.TemporaryDirectory(prefix="shigan-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        render_docx(document, source)
        convert_docx_to_pdf(source, path)
    return font_report(path)


def convert_docx_to_pdf(source: Path | str, path: Path | str, *, timeout: float = TIMEOUT_SECONDS):
    """Convert a .docx file to PDF at `path` with LibreOffice; ReportRenderError on any failure."""
    source = Path(source)
    if not source.is_file():
        raise ReportRenderError(f"PDF 转换失败：找不到源文件 {source}")
    if not zipfile.is_zipfile(source):
        # LibreOffice would import it as plain text and "succeed".
        raise ReportRenderError(f"PDF 转换失败：{source.name} 不是有效的 Word 文档（docx）")
    soffice = shutil.which("soffice")
    if soffice is None:
        raise ReportRenderError("PDF 转换失败：未找到 LibreOffice（soffice），请运行 scripts/setup")
    with tempfile.TemporaryDirectory(prefix="shigan-soffice-") as tmp:
        outdir = Path(tmp) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        result = _run(command, timeout, home=Path(tmp))
        produced = outdir / f"{source.stem}.pdf"
        if result.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            raise ReportRenderError(f"PDF 转换失败：{_reason(result, produced)}")
        shutil.move(produced, path)


def _run(command: list[str], timeout: float, *, home: Path) -> subprocess.CompletedProcess:
    # A private HOME keeps LibreOffice away from the service account's own files; its own session
    # lets a timeout kill soffice.bin too, not only the launcher.
    env = {**os.environ, "HOME": str(home)}
    try:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise ReportRenderError(f"PDF 转换失败：无法启动 LibreOffice（{exc}）") from exc
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ReportRenderError(f"PDF 转换失败：LibreOffice 超过{timeout}秒未完成") from exc
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def _reason(result: subprocess.CompletedProcess, produced: Path) -> str:
    output = " ".join(
        line.strip()
        for line in (result.stderr + "\n" + result.stdout).splitlines()
        if line.strip() and "javaldx" not in line  # a harmless warning on every run
    )
    if result.returncode != 0:
        reason = f"LibreOffice 退出码 {result.returncode}"
    elif not produced.is_file():
        reason = "LibreOffice 未生成 PDF（源文件可能已损坏或不是 Word 文档）"
    else:
        reason = "LibreOffice 生成的 PDF 为空"
    return f"{reason}：{output[-500:]}" if output else reason
