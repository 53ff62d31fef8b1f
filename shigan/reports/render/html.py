"""The report as HTML: the page's preview (a fragment) or a stand-alone file.

Each figure is a link to the page of its first source and, on hover or keyboard focus, shows
every source (label, stored value, link). The optional appendix lists every figure with its
sources and the records they are (app.model:id). Nothing is loaded from elsewhere: the file's
styles are inline.

The preview is shown to one user: `may_open` (a URL -> bool predicate) says which source pages
he may open; the others are plain text, their label and value still shown. Without it (the
files, which are documents rather than pages) every source page is linked.
"""

from collections.abc import Callable

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from shigan.reports.document import Block, BlockKind, Document, Figure, chinese_date

TAGS = {
    BlockKind.HEADING1: "h2",
    BlockKind.HEADING2: "h3",
    BlockKind.HEADING3: "h4",
    BlockKind.PARAGRAPH: "p",
}

STYLE = """
.report-doc { font-family: "FangSong", "STFangsong", "FandolFang R", serif; font-size: 16pt;
  line-height: 1.8; max-width: 44em; margin: 0 auto; background: #fff; padding: 2em 2.5em; }
.report-doc h1 { font-family: "Noto Serif CJK SC", "SimSun", serif; font-size: 22pt;
  text-align: center; font-weight: 700; margin: 0 0 1em; }
.report-doc h2 { font-family: "Noto Sans CJK SC", "SimHei", sans-serif; font-size: 16pt;
  font-weight: 400; text-indent: 2em; margin: 0; }
.report-doc h3 { font-family: "AR PL UKai", "KaiTi", serif; font-size: 16pt; font-weight: 400;
  text-indent: 2em; margin: 0; }
.report-doc p { text-indent: 2em; margin: 0; text-align: justify; }
.report-doc .run-in { font-family: "AR PL UKai", "KaiTi", "FandolKai R", serif; }
.report-doc .signature, .report-doc .date { text-align: right; text-indent: 0; padding-right: 4em; }
.report-doc .signature { margin-top: 2em; }
.fig { position: relative; }
.fig > a, .fig > .fig-text { color: inherit; text-decoration: underline dotted #1e2b3a;
  text-underline-offset: 3px; }
.fig > .fig-text { text-decoration-color: #8a9099; }
.fig-pop { display: none; position: absolute; left: 0; top: 1.6em; z-index: 10; min-width: 20em;
  max-width: 32em; background: #fff; border: 1px solid #c8ccd2; border-radius: 4px;
  box-shadow: 0 2px 8px rgba(0,0,0,.15); padding: .4em .6em; font: 13px/1.5 sans-serif;
  text-indent: 0; text-align: left; }
.fig:hover .fig-pop, .fig:focus-within .fig-pop { display: block; }
.fig-pop .fig-src { display: block; padding-left: 1em; text-indent: -1em; }
.fig-pop .fig-src::before { content: "· "; }
.report-appendix { margin-top: 2em; font: 14px/1.5 sans-serif; }
.report-appendix table { border-collapse: collapse; width: 100%; }
.report-appendix th, .report-appendix td { border: 1px solid #c8ccd2; padding: .25em .5em;
  vertical-align: top; text-align: left; }
.report-appendix code { font-size: 12px; color: #555; }
"""


MayOpen = Callable[[str], bool]


def _everything(url: str) -> bool:
    return True


def source_item(src, tag: str = "li", may_open: MayOpen = _everything) -> SafeString:
    """One source as a list item, or (inside a paragraph, where lists may not go) a span; its
    page linked when the viewer may open it."""
    label = format_html("{}：{}", src.label, src.value)
    linked = src.url and may_open(src.url)
    inner = format_html('<a href="{}">{}</a>', src.url, label) if linked else label
    css = ' class="fig-src"' if tag == "span" else ""
    return format_html("<{}{}>{}</{}>", tag, mark_safe(css), inner, tag)


def figure_html(fig: Figure, number: int, may_open: MayOpen = _everything) -> SafeString:
    first = next((s.url for s in fig.sources if s.url and may_open(s.url)), "")
    items = mark_safe("".join(source_item(s, "span", may_open) for s in fig.sources))
    if first:
        link = format_html('<a href="{}">{}</a>', first, fig.text)
    else:
        link = format_html('<span class="fig-text">{}</span>', fig.text)
    return format_html(
        '<span class="fig" id="fig-{}" data-key="{}" tabindex="0">{}'
        '<span class="fig-pop" role="tooltip"><b>数据来源</b>{}</span></span>',
        number,
        fig.key,
        link,
        items,
    )


def block_html(block: Block, counter: list[int], may_open: MayOpen = _everything) -> SafeString:
    parts = [format_html('<span class="run-in">{}</span>', block.head)] if block.head else []
    for run in block.runs:
        if isinstance(run, Figure):
            counter[0] += 1
            parts.append(figure_html(run, counter[0], may_open))
        else:
            parts.append(escape(run))
    tag = TAGS[block.kind]
    return format_html("<{}>{}</{}>", tag, mark_safe("".join(parts)), tag)


def appendix_html(document: Document, may_open: MayOpen = _everything) -> SafeString:
    rows = []
    for number, fig in enumerate(document.figures, start=1):
        sources = mark_safe("".join(source_item(s, "li", may_open) for s in fig.sources))
        records = format_html_join("<br>", "<code>{}</code>", ((s.record,) for s in fig.sources))
        rows.append(
            format_html(
                '<tr><td><a href="#fig-{}">{}</a></td><td>{}</td><td><ul>{}</ul></td><td>{}</td></tr>',
                number,
                number,
                fig.text,
                sources,
                records,
            )
        )
    return format_html(
        '<section class="report-appendix"><h2>附：数据来源</h2><table><thead><tr>'
        "<th>序号</th><th>数字</th><th>来源</th><th>记录</th></tr></thead><tbody>{}</tbody>"
        "</table></section>",
        mark_safe("".join(rows)),
    )


def render_fragment(
    document: Document, *, appendix: bool = False, may_open: MayOpen | None = None
) -> SafeString:
    """The report as an <article> (for the app's preview page); source pages linked where
    `may_open` allows (every one without it)."""
    may_open = may_open or _everything
    counter = [0]
    body = mark_safe("".join(block_html(b, counter, may_open) for b in document.blocks))
    tail = []
    if document.signature:
        tail.append(format_html('<p class="signature">{}</p>', document.signature))
    if document.date:
        tail.append(format_html('<p class="date">{}</p>', chinese_date(document.date)))
    article = format_html(
        '<article class="report-doc"><h1>{}</h1>{}{}</article>',
        document.title,
        body,
        mark_safe("".join(tail)),
    )
    return article + appendix_html(document, may_open) if appendix else article


def render_html(document: Document, *, appendix: bool = False) -> str:
    """A stand-alone HTML file of the report (inline styles, nothing fetched)."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title><style>{STYLE}</style></head>"
        f"<body>{render_fragment(document, appendix=appendix)}</body></html>\n"
    )
