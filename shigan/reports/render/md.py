"""The report as Markdown: the title as `#`, first-level headings as `##`, second-level as
`###`, paragraphs as they are; figures as plain text. The optional appendix is a table of every
figure with its sources (label, stored value, link, record)."""

from shigan.reports.document import BlockKind, Document, chinese_date

PREFIX = {BlockKind.HEADING1: "## ", BlockKind.HEADING2: "### ", BlockKind.HEADING3: "#### "}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _source(src) -> str:
    label = _cell(f"{src.label}：{src.value}")
    return f"[{label}]({src.url})" if src.url else label


def appendix_md(document: Document) -> list[str]:
    lines = ["## 附：数据来源", "", "| 序号 | 数字 | 来源 | 记录 |", "| --- | --- | --- | --- |"]
    for number, fig in enumerate(document.figures, start=1):
        sources = "<br>".join(_source(s) for s in fig.sources)
        records = "<br>".join(f"`{s.record}`" for s in fig.sources if s.record)
        lines.append(f"| {number} | {_cell(fig.text)} | {sources} | {records} |")
    return lines


def render_md(document: Document, *, appendix: bool = False) -> str:
    lines = [f"# {document.title}", ""]
    for block in document.blocks:
        lines += [PREFIX.get(block.kind, "") + block.text, ""]
    if document.signature:
        lines += [document.signature, ""]
    if document.date:
        lines += [chinese_date(document.date), ""]
    if appendix:
        lines += appendix_md(document) + [""]
    return "\n".join(lines)
