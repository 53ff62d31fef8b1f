"""The PDF renderer: LibreOffice converts the official-layout docx; Chinese must come out in the
mapped free fonts, laid out on the GB/T 9704 grid. Needs soffice, poppler-utils and the fonts from
scripts/install-fonts: skipped without them, except in CI (SHIGAN_REQUIRE_BROWSER=1) where they fail.
"""

import os
import re
import shutil
import subprocess
import time
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from shigan.reports.document import Block, BlockKind, Document
from shigan.reports.render import fonts
from shigan.reports.render.docx import render_docx
from shigan.reports.render.pdf import ReportRenderError, convert_docx_to_pdf, render_pdf
from shigan.reports.tests.render_sample import SIGNATURE, sample_document

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
TOOLS = ("soffice", "pdftotext", "pdftoppm", "pdffonts", "pdfinfo", "fc-match")
MM = 72 / 25.4  # points
PAGE_HEIGHT = 841.89
TYPE_TOP, TYPE_BOTTOM = 37 * MM, PAGE_HEIGHT - 35 * MM
TYPE_LEFT, TYPE_RIGHT = 28 * MM, (210 - 26) * MM


def missing_toolchain() -> list[str]:
    missing = [f"{tool} 未安装" for tool in TOOLS if not shutil.which(tool)]
    if shutil.which("fc-match"):
        missing += fonts.font_report().problems()
    return missing


@pytest.fixture(scope="module")
def toolchain():
    missing = missing_toolchain()
    if missing:
        message = "PDF 工具或字体缺失（" + "；".join(missing) + "），请运行 scripts/setup"
        if os.environ.get("SHIGAN_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def rendered(toolchain, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    started = time.monotonic()
    report = render_pdf(sample_document(), path)
    print(f"render_pdf took {time.monotonic() - started:.1f} s\n{report}")
    return path, report


def normalised(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(path: Path) -> str:
    """The PDF's text, page numbers ("— 1 —") left out."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return re.sub(r"—\d+—", "", normalised(text))


def pdf_lines(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) of each line of a page, in points from the top left."""
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
    ).stdout
    pattern = r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>'
    return [
        (*map(float, m.groups()[:4]), "".join(re.findall(r">([^<]+)</word>", m.group(5))))
        for m in re.finditer(pattern, html, re.S)
    ]


def test_pdf_text_is_the_document_text(rendered):
    path, _ = rendered
    text = pdf_text(path)
    assert text == normalised(sample_document().text)
    assert "关于示范区作风建设“实干年”活动总结及下一步工作计划" in text
    assert normalised("占年计划55500万元的39.6％") in text
    assert normalised("年初以来预计完成固定资产投资33000万元，占年计划的44.5％") in text


def test_every_role_is_filled_by_its_free_font_and_embedded(rendered):
    _, report = rendered
    assert report.problems() == []
    for role in report.roles:
        assert role.real.chinese, role
        assert role.in_pdf, role
    title = str(report).splitlines()[0]
    assert title == "标题：方正小标宋简体 → Noto Serif CJK SC Bold，已嵌入 PDF"


def test_pdf_embeds_only_cjk_fonts_and_no_dejavu(rendered):
    path, report = rendered
    names = {f.name for f in report.pdf_fonts}
    assert all(f.embedded for f in report.pdf_fonts)
    assert not [n for n in names if "DejaVu" in n or "Liberation" in n]
    assert {"FandolFang-Regular", "FandolKai-Regular"} <= names
    assert any(n.startswith("NotoSerifCJK") for n in names)  # title, page numbers
    assert any(n.startswith("NotoSansCJK") for n in names)  # 一、 headings


def test_page_one_holds_22_lines_of_at_most_28_characters_inside_the_type_area(rendered):
    path, _ = rendered
    lines = [line for line in pdf_lines(path, 1) if line[1] < TYPE_BOTTOM]
    title, body = lines[0], lines[2:]
    assert title[1] == pytest.approx(TYPE_TOP, abs=5)
    # Every line on the 28.95 pt grid (line boxes differ a little between faces), none skipped.
    for i, line in enumerate(body):
        assert line[1] - body[0][1] == pytest.approx(i * 28.95, abs=1.5), line
    assert round((body[-1][1] - title[1]) / 28.95) + 1 == 22
    full = [t for x0, _, x1, _, t in body if x0 < TYPE_LEFT + 2 and x1 > TYPE_RIGHT - 3]
    han_only = [t for t in full if t.isascii() is False and not re.search(r"[0-9.]", t)]
    assert han_only
    for text in han_only:  # a closing mark may hang past the margin
        assert len(text) == 28 or (len(text) == 29 and text[-1] in "，。、；：”）"), text


def test_page_numbers_sit_under_the_type_area_right_on_odd_left_on_even(rendered):
    path, _ = rendered
    odd = [line for line in pdf_lines(path, 1) if line[1] > TYPE_BOTTOM]
    even = [line for line in pdf_lines(path, 2) if line[1] > TYPE_BOTTOM]
    assert [line[4] for line in odd] == ["—1—"] and [line[4] for line in even] == ["—2—"]
    (_, y0, x1, y1, _), (ex0, *_) = odd[0], even[0]
    assert TYPE_RIGHT - x1 == pytest.approx(14, abs=2)  # 右空一字 (4号)
    assert ex0 - TYPE_LEFT == pytest.approx(14, abs=2)  # 左空一字
    assert (y0 + y1) / 2 - TYPE_BOTTOM == pytest.approx(7 * MM, abs=1.5 * MM)


def test_the_date_is_right_four_and_the_long_signature_flush_right_7_3_5_1(rendered):
    """As printed: the date's last character ends 4 characters (64 pt) before the type area's
    right edge; the sample's 20-character signature, too long to centre over the date, ends at
    the edge; the date on the next line."""
    path, _ = rendered
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(path)).group(1))
    lines = {line[4]: line for line in pdf_lines(path, pages)}
    signature, date = lines[SIGNATURE], lines["2023年7月31日"]
    assert TYPE_RIGHT - date[2] == pytest.approx(4 * 16, abs=2)
    assert TYPE_RIGHT - signature[2] == pytest.approx(0, abs=2)
    assert date[1] - signature[1] == pytest.approx(28.95, abs=0.5)


def _pdfinfo(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout


def test_first_page_renders_to_png_for_a_look(rendered):
    path, _ = rendered
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report_page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(path), target],
        check=True,
    )
    assert (ARTIFACTS / "report_page1.png").stat().st_size > 20_000


def test_run_in_heads_bring_the_kaiti_face_into_the_pdf(toolchain, tmp_path):
    """No second-level heading paragraph here: FandolKai can only come from the run-in heads."""
    p = BlockKind.PARAGRAPH
    document = Document(
        title="关于示范区作风建设“实干年”活动总结",
        blocks=[
            Block(BlockKind.HEADING1, ["一、活动开展情况"]),
            Block(p, ["按照统一要求，制定了实施方案。"], head="一是提高思想认识，加强领导。"),
            Block(p, ["坚持把学习放到重要位置。"], head="（一）强化理论学习，提升政治站位。"),
        ],
    )
    path = tmp_path / "run-in.pdf"
    report = render_pdf(document, path)
    names = {f.name for f in report.pdf_fonts}
    assert {"FandolKai-Regular", "FandolFang-Regular"} <= names
    assert pdf_text(path) == normalised(document.text)


def test_two_conversions_at_once_both_succeed(toolchain, tmp_path):
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda p: render_pdf(sample_document(), p), paths))
    expected = normalised(sample_document().text)
    assert [pdf_text(p) for p in paths] == [expected, expected]


def test_a_corrupt_docx_gives_a_clear_error(toolchain, tmp_path):
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    with pytest.raises(ReportRenderError, match=r"^PDF 转换失败：LibreOffice 未生成 PDF"):
        convert_docx_to_pdf(broken, tmp_path / "broken.pdf")
    assert not (tmp_path / "broken.pdf").exists()


def test_a_conversion_that_hangs_is_stopped_with_a_clear_error(toolchain, tmp_path):
    source = tmp_path / "report.docx"
    render_docx(sample_document(), source)
    with pytest.raises(ReportRenderError, match="PDF 转换失败：LibreOffice 超过0.2秒未完成"):
        convert_docx_to_pdf(source, tmp_path / "report.pdf", timeout=0.2)


def test_a_file_that_is_not_a_docx_is_refused(tmp_path):
    text = tmp_path / "notes.docx"
    text.write_text("只是文本")
    with pytest.raises(ReportRenderError, match="PDF 转换失败：notes.docx 不是有效的 Word 文档"):
        convert_docx_to_pdf(text, tmp_path / "notes.pdf")


def test_missing_libreoffice_says_to_run_setup(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReportRenderError) as error:
        render_pdf(sample_document(), tmp_path / "x.pdf")
    assert str(error.value) == "PDF 转换失败：未找到 LibreOffice（soffice），请运行 scripts/setup"
