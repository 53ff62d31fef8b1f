"""The demo's generated report checks itself: `shigan check-report`'s engine finds no figure it
cannot verify (无法核对) and no inconsistency anywhere in the report — the sentences this builder
writes state their bases (已办结的40件中，按时办结32件，按时办结率80.0％; 占年计划55500万元的39.6％，
低于序时进度18.7个百分点) — and its docx sets every run-in head in 楷体, the body in 仿宋."""

import datetime
import io

import docx
import pytest
from docx.oxml.ns import qn

from shigan.reports.checker import check_text
from shigan.reports.checker.results import Status
from shigan.reports.compose import build_summary
from shigan.reports.render.docx import render_docx

AS_OF = datetime.date(2023, 7, 31)


@pytest.fixture
def demo_report(db):
    from shigan.demo.district import load_demo

    demo = load_demo(today=AS_OF)
    return build_summary(campaign=demo.campaign, as_of=AS_OF)


def quotes(result, status) -> list[tuple[str, str]]:
    return [(c.quote, c.reason) for c in result.claims if c.status == status]


def test_the_demo_report_has_no_uncheckable_and_no_inconsistent_figure(demo_report):
    result = check_text(demo_report.text)
    assert quotes(result, Status.UNCHECKABLE) == []
    assert quotes(result, Status.FALSE) == []
    verified = {c.quote for c in result.claims if c.status == Status.OK}
    # This builder's own sentences are among those verified, with the bases they state.
    # the on-time rate verified as 32 of the 40 closed (its quote may start at 已办结40件)
    assert any(q.endswith("已办结的40件中，按时办结32件，按时办结率80.0％") for q in verified)
    assert "回访诉求办理情况40件，群众满意和基本满意40件，满意率100.0％" in verified
    gaps = [q for q in verified if q.endswith("个百分点") and "低于序时进度" in q]
    assert len(gaps) >= 4  # the economy paragraph's and the next-step draft's
    assert len(result.claims) >= 15


def test_the_demo_docx_sets_run_in_heads_in_kaiti_and_bodies_in_fangsong(demo_report):
    stream = io.BytesIO()
    render_docx(demo_report, stream)
    stream.seek(0)
    word = docx.Document(stream)
    heads = [b.head for b in demo_report.blocks if b.head]
    assert len(heads) >= 12  # 一是…四是, the three tasks, （一）…（六）
    found = []
    for para in word.paragraphs:
        if para.runs and para.runs[0].style.name == "段首标题":
            head, *body = para.runs
            found.append(head.text)
            fonts = head.style.element.rPr.rFonts
            assert fonts.get(qn("w:eastAsia")) == "楷体_GB2312"
            assert all(r.style.name == "Default Paragraph Font" for r in body)
            assert all(r._r.rPr is None for r in body)  # the body is Normal's 仿宋
    assert found == heads
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
