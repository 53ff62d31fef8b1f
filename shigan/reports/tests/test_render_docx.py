"""The docx renderer, read back with python-docx: GB/T 9704-2012 page, fonts, headings, footer,
signature and date."""

import datetime
import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from shigan.reports.document import Block, BlockKind, Document
from shigan.reports.render.docx import render_docx, text_width
from shigan.reports.tests.render_sample import DATE, SIGNATURE, TITLE, sample_document

SLOTS = ("w:eastAsia", "w:ascii", "w:hAnsi")


@pytest.fixture(scope="module")
def word():
    stream = io.BytesIO()
    render_docx(sample_document(), stream)
    stream.seek(0)
    return docx.Document(stream)


def style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def fonts_of(paragraph) -> dict[str, str]:
    """The font each slot resolves to through the paragraph's style chain."""
    found: dict[str, str] = {}
    for style in style_chain(paragraph.style):
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None:
            for slot in SLOTS:
                found.setdefault(slot, rpr.rFonts.get(qn(slot)))
    return found


def size_of(paragraph):
    return next(s.font.size for s in style_chain(paragraph.style) if s.font.size is not None)


def paragraph_starting(word, prefix: str):
    return next(p for p in word.paragraphs if p.text.startswith(prefix))


def test_page_is_a4_with_the_standard_margins_and_a_22_line_grid(word):
    section = word.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert section.top_margin == Twips(2098)  # 37 mm
    assert section.bottom_margin == Twips(1984)  # 35 mm
    assert section.left_margin == Twips(1588)  # 28 mm
    assert section.right_margin == Twips(1474)  # 26 mm
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"


def test_body_is_3hao_fangsong_justified_with_a_two_character_indent_and_exact_lines(word):
    para = paragraph_starting(word, "年初以来预计完成固定资产投资")
    assert para.style.name == "Normal"
    assert fonts_of(para) == dict.fromkeys(SLOTS, "仿宋_GB2312")
    assert size_of(para) == Pt(16)
    pf = word.styles["Normal"].paragraph_format
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert pf.line_spacing == Twips(579)  # 28.95 pt
    assert pf.first_line_indent == Twips(640)
    ind = word.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"


def test_character_spacing_sits_before_the_size_where_libreoffice_reads_it(word):
    rpr = word.styles["Normal"].element.rPr
    tags = [child.tag for child in rpr]
    spacing = rpr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"  # −0.25 pt: 28 characters a line
    assert tags.index(qn("w:spacing")) < tags.index(qn("w:sz"))


def test_title_is_centred_2hao_xiaobiaosong_followed_by_a_blank_line(word):
    title, after = word.paragraphs[0], word.paragraphs[1]
    assert title.text.replace("\n", "") == TITLE
    assert fonts_of(title) == dict.fromkeys(SLOTS, "方正小标宋简体")
    assert size_of(title) == Pt(22)
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.style.paragraph_format.first_line_indent == 0
    assert after.text == ""


@pytest.mark.parametrize(
    "prefix, family, outline",
    [
        ("一、", "黑体", "0"),
        ("（一）", "楷体_GB2312", "1"),
        ("1.完善", "仿宋_GB2312", "2"),
    ],
)
def test_each_heading_level_has_its_face_at_3hao(word, prefix, family, outline):
    para = paragraph_starting(word, prefix)
    assert fonts_of(para) == dict.fromkeys(SLOTS, family)
    assert size_of(para) == Pt(16)
    assert para.style.paragraph_format.keep_with_next
    assert para.style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == outline


def test_figures_are_plain_text_runs_without_links(word):
    document = sample_document()
    body = [p.text for p in word.paragraphs if p.text]
    body[0] = body[0].replace("\n", "")  # the title's line break
    assert body == document.text.split("\n")
    assert "w:hyperlink" not in word.element.xml
    para = paragraph_starting(word, "年初以来预计完成固定资产投资")
    assert "占年计划55500万元的39.6％" in para.text
    runs = [r.text for r in para.runs]
    assert ["55500万元", "的", "39.6％"] == runs[runs.index("55500万元") :][:3]
    assert all(r._r.rPr is None for r in para.runs)  # formatting comes from the style


def test_footers_carry_a_page_field_between_dashes_right_on_odd_and_left_on_even(word):
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        para = footer.paragraphs[0]
        assert para.text == "— 1 —"  # the field's cached result is 1
        assert "PAGE" in para._p.xml and 'w:fldCharType="begin"' in para._p.xml
        assert para.alignment == align
        assert para._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "280"  # one 4号 character
        assert fonts_of(para) == dict.fromkeys(SLOTS, "宋体")
        assert size_of(para) == Pt(14)


def run_fonts(run) -> dict[str, str]:
    """The font each slot of a run resolves to: its own, its character style's, then its
    paragraph's style chain."""
    found: dict[str, str] = {}
    chain = [run._r] + ([run.style.element] if run.style is not None else [])
    for element in chain:
        rpr = element.rPr
        if rpr is not None and rpr.rFonts is not None:
            for slot in SLOTS:
                if rpr.rFonts.get(qn(slot)):
                    found.setdefault(slot, rpr.rFonts.get(qn(slot)))
    for slot, family in fonts_of(run._parent).items():
        found.setdefault(slot, family)
    return found


def test_run_in_heads_are_set_in_kaiti_and_their_bodies_in_fangsong(word):
    para = paragraph_starting(word, "一是大力实施招商引资。")
    head, *body = para.runs
    assert head.text == "一是大力实施招商引资。"
    assert head.style.name == "段首标题" and head.style.style_id == "GBRunInHead"
    assert run_fonts(head) == dict.fromkeys(SLOTS, "楷体_GB2312")
    assert head.style.font.size == Pt(16) and head.style.font.bold is False
    assert body and all(run_fonts(r) == dict.fromkeys(SLOTS, "仿宋_GB2312") for r in body)
    assert all(r.style.name == "Default Paragraph Font" for r in body)
    # Linked to the second-level heading, as Word links "Heading 2" and "Heading 2 Char".
    link = head.style.element.find(qn("w:link"))
    assert link.get(qn("w:val")) == "GBHeading2"
    heading = word.styles["二级标题"].element.find(qn("w:link"))
    assert heading.get(qn("w:val")) == "GBRunInHead"


def test_the_signature_keeps_only_the_body_s_last_lines_not_its_whole_last_paragraph(word):
    """The last paragraph may break across pages (widow control keeps two of its lines with the
    signature); kept whole with the signature, LibreOffice carried all of it over and left a
    third of the page above empty."""
    texts = [p.text for p in word.paragraphs]
    sig_at = texts.index(SIGNATURE)
    last_body, blank, signature = word.paragraphs[sig_at - 2 : sig_at + 1]
    assert last_body.text.startswith("将“实干年”活动开展情况纳入年度目标考核")
    assert not last_body.paragraph_format.keep_with_next
    assert last_body.paragraph_format.widow_control
    assert not last_body.paragraph_format.keep_together
    assert blank.paragraph_format.keep_with_next and signature.paragraph_format.keep_with_next


def _signed(tmp_path, signature: str, day=datetime.date(2023, 7, 31)):
    document = Document(title="标题", blocks=[], signature=signature, date=day)
    render_docx(document, tmp_path / "signed.docx")
    return docx.Document(str(tmp_path / "signed.docx")).paragraphs[-3:]


def test_the_date_is_right_aligned_four_characters_in_per_7_3_5_1(word):
    texts = [p.text for p in word.paragraphs]
    sig_at = texts.index(SIGNATURE)
    blank, _signature, date = word.paragraphs[sig_at - 1 : sig_at + 2]
    assert blank.text == "" and date.text == "2023年7月31日"
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Twips(4 * 320)  # 右空四字
    assert not date.paragraph_format.left_indent and date.paragraph_format.first_line_indent == 0


def test_the_signature_is_centred_over_the_date(tmp_path):
    """单一机关：以成文日期为准居中编排发文机关署名 — the signature's box is symmetric about the
    date's middle (measured from the right edge: 4 characters + half the date as set)."""
    _blank, signature, date = _signed(tmp_path, "示范区党委政府")
    assert signature.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert signature.paragraph_format.first_line_indent == 0
    type_width = 8844
    left = signature.paragraph_format.left_indent.twips
    right = signature.paragraph_format.right_indent.twips
    middle_of_box = type_width - (left + (type_width - left - right) / 2)  # from the right edge
    middle_of_date = 4 * 320 + text_width(date.text) * 315 / 2
    assert middle_of_box == pytest.approx(middle_of_date, abs=2)
    assert type_width - left - right >= text_width("示范区党委政府") * 315  # no wrap


def test_a_signature_too_long_to_centre_over_the_date_is_flush_right(word):
    """The sample's 20-character signature centred over the date would cross the right margin."""
    signature = word.paragraphs[[p.text for p in word.paragraphs].index(SIGNATURE)]
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert not signature.paragraph_format.right_indent


def test_widths_count_han_and_quotes_as_one_and_digits_as_half():
    assert text_width("2023年7月31日") == 6.5
    assert text_width("“实干年”") == 5


def test_a_document_without_signature_ends_with_its_last_block(tmp_path):
    document = Document(title="标题", blocks=[Block(BlockKind.PARAGRAPH, ["正文。"])])
    render_docx(document, tmp_path / "plain.docx")
    paragraphs = docx.Document(str(tmp_path / "plain.docx")).paragraphs
    assert [p.text for p in paragraphs] == ["标题", "", "正文。"]


def test_a_date_without_signature_is_right_four_characters(tmp_path):
    document = Document(title="标题", blocks=[], date=DATE)
    render_docx(document, tmp_path / "dated.docx")
    last = docx.Document(str(tmp_path / "dated.docx")).paragraphs[-1]
    assert last.text == "2023年7月31日"
    assert last.paragraph_format.right_indent == Twips(4 * 320)


def test_multi_line_titles_break_where_the_title_says(tmp_path):
    document = Document(title="关于作风建设“实干年”活动\n总结及下一步工作计划", blocks=[])
    render_docx(document, tmp_path / "t.docx")
    title = docx.Document(str(tmp_path / "t.docx")).paragraphs[0]
    assert title.text == "关于作风建设“实干年”活动\n总结及下一步工作计划"


def test_core_properties_name_the_title_and_chinese(word):
    props = word.core_properties
    assert props.title == TITLE
    assert props.language == "zh-CN"
    assert props.author == SIGNATURE
    assert props.created.date() >= datetime.date(2024, 1, 1)


def test_long_title_breaks_before_a_whole_word():
    from shigan.reports.render.docx import title_lines

    assert title_lines("关于示范区作风建设“实干年”活动总结及下一步工作计划") == [
        "关于示范区作风建设“实干年”活动",
        "总结及下一步工作计划",
    ]
    assert title_lines("短标题") == ["短标题"]
    assert title_lines("第一行\n第二行") == ["第一行", "第二行"]
