"""Write a built Document to a file in any format: html, md and txt here; docx and pdf through
render/docx.py and render/pdf.py, imported only when asked for, so a server without the Word
renderer still writes the others."""

import importlib
from pathlib import Path

from .document import Document
from .render.html import render_html
from .render.md import render_md
from .render.text import render_text

TEXT_RENDERERS = {"html": render_html, "md": render_md, "txt": render_text}
OFFICE_RENDERERS = {
    "docx": ("shigan.reports.render.docx", "render_docx"),
    "pdf": ("shigan.reports.render.pdf", "render_pdf"),
}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
FORMATS = [*TEXT_RENDERERS, *OFFICE_RENDERERS]


class RendererMissing(Exception):
    """The docx or PDF renderer is not installed, or cannot run here."""


def office_renderer(fmt: str):
    module_name, function = OFFICE_RENDERERS[fmt]
    try:
        module = importlib.import_module(module_name)
        return getattr(module, function)
    except (ImportError, AttributeError) as exc:
        raise RendererMissing(f"{fmt.upper()} 导出不可用：{exc}") from exc


def render_error_class() -> type[Exception] | None:
    """render/pdf.py's ReportRenderError (a conversion that failed, with a reason), if present."""
    try:
        module = importlib.import_module(OFFICE_RENDERERS["pdf"][0])
    except ImportError:
        return None
    return getattr(module, "ReportRenderError", None)


def write_report(document: Document, path: Path | str, *, fmt: str, appendix: bool = False):
    """Write `document` to `path` as `fmt`. The appendix of sources goes with html, md and txt;
    the docx and PDF are the document to print. Returns what the renderer reports: for a PDF,
    the FontReport naming the real font that filled each role; otherwise None."""
    if fmt in TEXT_RENDERERS:
        Path(path).write_text(TEXT_RENDERERS[fmt](document, appendix=appendix), encoding="utf-8")
        return None
    if fmt not in OFFICE_RENDERERS:
        raise ValueError(f"unknown format {fmt!r}")
    renderer = office_renderer(fmt)
    failure = render_error_class()
    try:
        return renderer(document, str(path))
    except Exception as exc:
        if failure is not None and isinstance(exc, failure):  # pdf.py's message is for users
            raise RendererMissing(str(exc)) from exc
        raise
