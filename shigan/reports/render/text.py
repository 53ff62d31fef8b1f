"""The report as plain text: the title, then each heading and paragraph on its own line led by
two full-width spaces (左空二字), the signature and date; optionally the figures' sources."""

from shigan.reports.document import Document, chinese_date

INDENT = "\u3000\u3000"


def appendix_text(document: Document) -> list[str]:
    lines = ["附：数据来源"]
    for number, fig in enumerate(document.figures, start=1):
        sources = "；".join(f"{s.label}：{s.value}（{s.record}）" for s in fig.sources)
        lines.append(f"{number}. {fig.text} —— {sources}")
    return lines


def render_text(document: Document, *, appendix: bool = False) -> str:
    lines = [document.title, ""]
    lines += [INDENT + block.text for block in document.blocks]
    if document.signature or document.date:
        lines.append("")
    if document.signature:
        lines.append(document.signature)
    if document.date:
        lines.append(chinese_date(document.date))
    if appendix:
        lines += ["", *appendix_text(document)]
    return "\n".join(lines) + "\n"
