"""HTML, Markdown and text renderers: figures traceable in HTML, every figure in the appendix,
text escaped, nothing fetched from elsewhere."""

import datetime
import re

from shigan.reports.document import Block, BlockKind, Document, Figure, Source
from shigan.reports.render.html import render_fragment, render_html
from shigan.reports.render.md import render_md
from shigan.reports.render.text import render_text

SOURCES = (
    Source("指标“工业总产值”2023年7月完成值", "22000", "/indicators/1/", "indicators.actual:7"),
    Source(
        "指标“工业总产值”2023年年度目标", "55500", "/indicators/1/", "indicators.indicatoryear:3"
    ),
)


def document() -> Document:
    share = Figure("39.6％", SOURCES, "indicator.1.share")
    value = Figure("22000万元", SOURCES[:1], "indicator.1.value")
    return Document(
        title="关于示范区<工作>总结",
        blocks=[
            Block(BlockKind.HEADING1, ["一、活动开展情况"]),
            Block(
                BlockKind.PARAGRAPH, ["完成工业总产值", value, "，占年计划的", share, "。<script>"]
            ),
        ],
        signature="示范区领导小组办公室",
        date=datetime.date(2023, 7, 31),
        as_of=datetime.date(2023, 7, 31),
    )


def test_each_figure_links_to_its_first_source_and_lists_all_of_them():
    html = str(render_fragment(document()))
    assert '<a href="/indicators/1/">39.6％</a>' in html
    assert html.count('class="fig"') == 2
    assert "指标“工业总产值”2023年年度目标：55500" in html
    assert 'role="tooltip"' in html


def test_sources_the_viewer_may_not_open_are_text_with_their_label_and_value():
    html = str(render_fragment(document(), appendix=True, may_open=lambda url: False))
    assert '<a href="/indicators/' not in html
    assert '<span class="fig-text">39.6％</span>' in html
    assert "指标“工业总产值”2023年年度目标：55500" in html
    assert html.count('<a href="#fig-') == 2


def test_text_is_escaped():
    html = render_html(document())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "关于示范区&lt;工作&gt;总结" in html


def test_the_appendix_lists_every_figure_with_its_records():
    html = str(render_fragment(document(), appendix=True))
    assert "附：数据来源" in html
    assert html.count('<a href="#fig-') == 2
    assert "indicators.indicatoryear:3" in html
    assert "附：数据来源" not in str(render_fragment(document()))


def test_the_html_file_loads_nothing_from_elsewhere():
    html = render_html(document(), appendix=True)
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "<style>" in html and "<link" not in html


def test_markdown_and_text_state_the_same_words():
    md, txt = render_md(document(), appendix=True), render_text(document())
    assert md.startswith("# 关于示范区<工作>总结\n")
    assert "## 一、活动开展情况" in md
    assert "完成工业总产值22000万元，占年计划的39.6％。" in md
    assert "| 2 | 39.6％ |" in md and "`indicators.actual:7`" in md
    assert "\u3000\u3000完成工业总产值22000万元，占年计划的39.6％。<script>" in txt
    assert txt.rstrip().endswith("示范区领导小组办公室\n2023年7月31日")


def test_a_run_in_head_leads_its_paragraph_in_every_format():
    block = Block(BlockKind.PARAGRAPH, ["坚持把学习放到重要位置。"], head="（一）强化理论学习。")
    document = Document(title="标题", blocks=[block])
    assert '<p><span class="run-in">（一）强化理论学习。</span>坚持把学习放到重要位置。</p>' in (
        render_fragment(document)
    )
    assert ".report-doc .run-in { font-family:" in render_html(document)
    assert "（一）强化理论学习。坚持把学习放到重要位置。" in render_md(document)
    assert "\u3000\u3000（一）强化理论学习。坚持把学习放到重要位置。" in render_text(document)
