"""A Document as a Word file in the GB/T 9704-2012 layout, "公文版式打印稿" mode (no red header).

A4 with the standard's margins; 22 lines of 28 characters; title 2号小标宋, body 3号仿宋, headings
黑体 / 楷体 / 仿宋; page numbers "— 1 —" in 4号宋体; sealed signature and date (7.3.5.1: signature centred over the date, date 右空四字). Fonts are
named as an office PC has them, in the East Asian slot and the Latin slots alike, so digits and
quotes print in the same face. Figures are plain text: the docx carries no links.
"""

import datetime
import os
import unicodedata
from typing import IO

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips

from shigan.reports.document import BlockKind, Document, chinese_date
from shigan.reports.render import fonts
from shigan.reports.render.fonts import Role

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4 in twips
# 5.2.1: top 37 mm, left 28 mm; bottom 35 mm and right 26 mm follow from the 156 × 225 mm type area.
MARGIN_TOP, MARGIN_BOTTOM = 2098, 1984
MARGIN_LEFT, MARGIN_RIGHT = 1588, 1474
# 7.5: the page number's dashes 7 mm below the type area. The number line (exact 18 pt = 6.35 mm,
# dashes near its middle) starts 3.5 mm under the type area: Word stacks the footer up from the footer
# distance, LibreOffice down from the bottom margin, and both land there.
PAGE_NUMBER_GAP = Mm(3.5)
PAGE_NUMBER_LINE = Pt(18)
FOOTER_DISTANCE = Emu(Mm(35) - PAGE_NUMBER_GAP - PAGE_NUMBER_LINE)
# 225 mm / 22 lines = 28.95 pt = 579 twips. LibreOffice breaks Word's lines-and-chars grid (about 14
# characters a line), so the lines come from a line grid plus exact spacing, and the 28 characters
# from −0.25 pt character spacing: 28 × 15.75 pt fits the 442 pt (156 mm) width.
LINE_PITCH = 579
CHAR_SPACING = -5  # twentieths of a point
CHAR = 320  # one 3号 character (16 pt) in twips: the unit of "左空二字" and the like
ADVANCE = 320 + CHAR_SPACING  # a 3号 character as set, −0.25 pt included
TYPE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
PAGE_NUMBER_CHAR = 280  # one 4号 character (14 pt)

STYLE_IDS = {
    fonts.TITLE: ("GBTitle", "公文标题"),
    fonts.HEADING1: ("GBHeading1", "一级标题"),
    fonts.HEADING2: ("GBHeading2", "二级标题"),
    fonts.HEADING3: ("GBHeading3", "三级标题"),
    fonts.PAGE_NUMBER: ("GBPageNumber", "页码"),
}
# The run-in heads of paragraphs (一是…。 （一）…。) take the second-level heading's 楷体 through a
# character style linked to it, as Word links "Heading 2" and "Heading 2 Char".
RUN_IN_STYLE = ("GBRunInHead", "段首标题")
AFTER_LINK = (  # CT_Style's children after w:link, in schema order
    "w:autoRedefine", "w:hidden", "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat",
    "w:locked", "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)  # fmt: skip
BLOCK_ROLES = {
    BlockKind.HEADING1: fonts.HEADING1,
    BlockKind.HEADING2: fonts.HEADING2,
    BlockKind.HEADING3: fonts.HEADING3,
}


def render_docx(document: Document, path_or_stream: str | os.PathLike | IO[bytes]) -> None:
    """Write `document` as a .docx file (a path or a binary stream)."""
    out = docx.Document()
    _set_page(out)
    _set_styles(out)
    _set_footers(out)
    _add_title(out, document.title)
    for block in document.blocks:
        role = BLOCK_ROLES.get(block.kind)
        para = out.add_paragraph(style=STYLE_IDS[role][1] if role else None)
        if block.head:
            para.add_run(block.head, style=RUN_IN_STYLE[1])
        for run in block.runs:
            para.add_run(run if isinstance(run, str) else run.text)
    _add_signature(out, document.signature, document.date)
    _set_properties(out, document)
    out.save(
        os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream
    )


def text_width(text: str) -> float:
    """Width in characters: Han and full-width (and quotes, in Chinese text) 1, Latin/digits ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def _set_page(out: docx.document.Document) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.footer_distance = FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))


def _set_styles(out: docx.document.Document) -> None:
    _set_defaults(out)
    normal = _set_normal(out)
    for role, (style_id, name) in STYLE_IDS.items():
        style = out.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.styleId = style_id
        style.quick_style = True
        if role is fonts.PAGE_NUMBER:
            _page_number_style(style)
            continue
        style.base_style = normal
        style.next_paragraph_style = normal
        _set_font(style, role)
    _run_in_style(out)
    title = out.styles[STYLE_IDS[fonts.TITLE][1]]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_indent(title.element.get_or_add_pPr(), first_line=0)
    # On the grid LibreOffice gives each 2号 line two grid lines; off it, the exact spacing holds.
    _off_grid(title)
    for level, role in enumerate((fonts.HEADING1, fonts.HEADING2, fonts.HEADING3)):
        style = out.styles[STYLE_IDS[role][1]]
        style.paragraph_format.keep_with_next = True
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level))
        style.element.get_or_add_pPr().append(outline)


def _run_in_style(out: docx.document.Document) -> None:
    """段首标题: 3号楷体, not bold, linked to the second-level heading style (二级标题)."""
    style_id, name = RUN_IN_STYLE
    style = out.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.element.styleId = style_id
    _set_font(style, fonts.HEADING2)
    style.font.bold = False
    heading = out.styles[STYLE_IDS[fonts.HEADING2][1]]
    for element, other in ((style.element, heading), (heading.element, style)):
        link = OxmlElement("w:link")
        link.set(qn("w:val"), other.element.styleId)
        element.insert_element_before(link, *AFTER_LINK)


def _set_normal(out: docx.document.Document):
    """The body: 3号仿宋, justified, 左空二字, one grid line per line."""
    normal = out.styles["Normal"]
    _set_font(normal, fonts.BODY, spacing=CHAR_SPACING)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(LINE_PITCH)
    pf.space_before = pf.space_after = Pt(0)
    ppr = normal.element.get_or_add_pPr()
    _set_indent(ppr, first_line=2)
    # No extra space between Han characters and digits (Word adds it by default): "2023年" stays
    # tight and a line holds its 28 characters. LibreOffice 7.4 ignores this setting.
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(name)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(
            el, "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:jc"
        )
    return normal


def _set_defaults(out: docx.document.Document) -> None:
    """Document defaults without theme fonts (they would override the named ones) and in Chinese."""
    rpr = out.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.attrib.clear()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), fonts.BODY.family)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")


def _set_font(style, role: Role, *, spacing: int | None = None) -> None:
    style.font.size = Pt(role.size_pt)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), role.family)
    if spacing is not None:
        # LibreOffice reads the spacing only where the schema puts it: before w:sz.
        el = OxmlElement("w:spacing")
        el.set(qn("w:val"), str(spacing))
        rpr.insert_element_before(el, "w:w", "w:kern", "w:position", "w:sz", "w:szCs")


def _set_indent(ppr, *, first_line: float = 0, left: float = 0, right: float = 0, char=CHAR):
    """Indents in characters, written both in twips (LibreOffice) and in character units (Word)."""
    ind = ppr.get_or_add_ind()
    for attr, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        ind.set(qn(f"w:{attr}"), str(round(chars * char)))
        ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))


def _page_number_style(style) -> None:
    """4号半角宋体 (7.5), single spacing, off the line grid, no character spacing."""
    _set_font(style, fonts.PAGE_NUMBER)
    pf = style.paragraph_format
    pf.space_before, pf.space_after = PAGE_NUMBER_GAP, Pt(0)
    pf.line_spacing = PAGE_NUMBER_LINE
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _off_grid(style)


def _off_grid(style) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    style.element.get_or_add_pPr().insert_element_before(snap, "w:spacing", "w:ind", "w:jc")


def _set_footers(out: docx.document.Document) -> None:
    """Page numbers "— 1 —": odd pages right, one character in; even pages left (7.5)."""
    out.settings.odd_and_even_pages_header_footer = True
    section = out.sections[0]
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, {"right": 1}),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, {"left": 1}),
    ):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        para.style = out.styles[STYLE_IDS[fonts.PAGE_NUMBER][1]]
        para.alignment = align
        _set_indent(para._p.get_or_add_pPr(), char=PAGE_NUMBER_CHAR, **indent)
        para.add_run("— ")
        _add_page_field(para)
        para.add_run(" —")


def _add_page_field(para) -> None:
    """A PAGE field; its stored result 1 is replaced on every page by Word and LibreOffice."""

    def field_char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        para.add_run()._r.append(el)

    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    para.add_run()._r.append(instr)
    field_char("separate")
    para.add_run("1")
    field_char("end")


TITLE_CHARS_PER_LINE = 20  # 156 mm type area at 2号 (22 pt)
# Where a long title may break, in order of preference: keeps words whole (7.3.1: 回行时要做到词意完整).
TITLE_BREAKS = ("总结及", "及下一步", "工作", "的", "关于")


def title_lines(title: str) -> list[str]:
    """The title's lines: explicit line breaks kept; a one-line title longer than a line is
    broken before a preferred word rather than wherever the line happens to fill."""
    if "\n" in title or len(title) <= TITLE_CHARS_PER_LINE:
        return title.split("\n")
    for word in TITLE_BREAKS:
        at = title.rfind(word, 0, TITLE_CHARS_PER_LINE + 1)
        if at >= TITLE_CHARS_PER_LINE // 2:
            return [title[:at], title[at:]]
    return [title]


def _add_title(out: docx.document.Document, title: str) -> None:
    """The title centred on the first line of the type area, then one blank line (7.3.1, 7.3.2)."""
    para = out.add_paragraph(style=STYLE_IDS[fonts.TITLE][1])
    lines = title_lines(title)
    for i, line in enumerate(lines):
        run = para.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    out.add_paragraph()


def _add_signature(out, signature: str, date: datetime.date | None) -> None:
    """Sealed (GB/T 9704 7.3.5.1: the report goes out under the office's seal): one blank line
    after the body, the signature centred over the date, the date right-aligned 右空四字.

    The body's last paragraph may break across the page (widow/orphan control keeps at least two
    of its lines with the signature); it is not kept whole with the signature, which would carry
    the whole paragraph over and leave the page above it part empty.
    """
    date_text = chinese_date(date) if date else ""
    if not (signature or date_text):
        return
    if out.paragraphs:
        out.paragraphs[-1].paragraph_format.keep_with_next = False
        out.paragraphs[-1].paragraph_format.widow_control = True
    out.add_paragraph().paragraph_format.keep_with_next = True
    if signature:
        alignment, left, right = signature_box(signature, date_text)
        _signature_line(out, signature, alignment, left=left, right=right)
    if date_text:
        _signature_line(out, date_text, WD_ALIGN_PARAGRAPH.RIGHT, right=DATE_RIGHT)


DATE_RIGHT = 4.0  # 成文日期右空四字 (7.3.5.1)


def signature_box(signature: str, date: str) -> tuple[int, float, float]:
    """(alignment, left, right indents in characters) that centre the signature over the date:
    a centred paragraph whose box is symmetric about the date's middle, wide enough for the
    longer of the two; flush right (右空0字) when the signature is too long to centre there."""
    middle = DATE_RIGHT * CHAR + text_width(date) * ADVANCE / 2  # from the right edge, twips
    half = max(text_width(signature), text_width(date)) * ADVANCE / 2 + CHAR
    right, left = middle - half, TYPE_WIDTH - middle - half
    if right < 0 or left < 0:
        return WD_ALIGN_PARAGRAPH.RIGHT, 0.0, 0.0
    return WD_ALIGN_PARAGRAPH.CENTER, left / CHAR, right / CHAR


def _signature_line(out, text: str, alignment, **indent: float) -> None:
    para = out.add_paragraph(text)
    para.alignment = alignment
    para.paragraph_format.keep_with_next = True
    _set_indent(para._p.get_or_add_pPr(), **indent)


def _set_properties(out: docx.document.Document, document: Document) -> None:
    props = out.core_properties
    props.title = document.title.replace("\n", "")
    props.author = props.last_modified_by = document.signature or "实干"
    props.language = "zh-CN"
    props.comments = ""
    props.keywords = ""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.revision = 1
