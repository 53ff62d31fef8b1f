"""The checker on the seed, on planted errors of each kind, and on its edge rules."""

import io
import time
from pathlib import Path

import pytest

from shigan.reports.checker import ReportReadError, Status, check_file, check_text, text_from_bytes
from shigan.reports.checker.output import highlight_segments, render_text

FIXTURES = Path(__file__).parent / "fixtures"
HALF_WIDTH = str.maketrans({"％": "%", "，": ",", "；": ";", "：": ":", "（": "(", "）": ")"})

# (fixture, kind, the stated figure, a part of the claim's quote, recomputed)
PLANTED = [
    ("planted_share.txt", "plan_share", "38.6％", "22000万元，占年计划55500万元的38.6％", "39.6％"),
    ("planted_plan.txt", "plan_share", "39.6％", "占年计划45500万元的39.6％", "48.4％"),
    ("planted_share_halfwidth.txt", "plan_share", "38.6%", "22000万元,占年计划55500万元的38.6%", "39.6%"),
    ("planted_change.txt", "change", "181吨", "7272吨，比去年同期的7081吨增加181吨", "191吨"),
    ("planted_growth.txt", "growth", "3.7％", "同比增长3.7％", "2.7％"),
    ("planted_parts_sum.txt", "total", "50件", "确定事项50件，已完成30件，占60％；正在办理18件", "48件"),
    ("planted_part_share.txt", "part_share", "50％", "达进度36个，占总任务的50％", "60％"),
    ("planted_gap.txt", "time_progress_gap", "低于序时进度17.7个百分点", "39.6％，低于序时进度17.7", "低于序时进度18.7个百分点"),
    ("planted_direction.txt", "time_progress_gap", "超序时进度29.9个百分点", "28.4％，超序时进度29.9", "低于序时进度29.9个百分点"),
    ("planted_list.txt", "growth", "7.9％", "139头", "6.9％"),
    ("planted_rate.txt", "rate", "80％", "20个，已开工17个，开工率80％", "85％"),
    ("planted_points.txt", "points", "5.0个百分点", "由60.0％提高到75.0％，提高5.0个百分点", "15.0个百分点"),
]  # fmt: skip


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def statuses(result) -> dict[str, int]:
    return {status.value: len(result.with_status(status)) for status in Status}


def test_seed_has_no_inconsistency():
    result = check_file(FIXTURES / "seed.txt")
    assert result.inconsistencies == []
    assert result.exit_status == 0
    assert statuses(result) == {"ok": 2, "false": 0, "uncheckable": 3}


def test_seed_share_without_plan_figure_is_uncheckable_not_a_failure():
    result = check_file(FIXTURES / "seed.txt")
    claim = next(c for c in result.claims if c.stated == "44.5％")
    assert claim.status == Status.UNCHECKABLE
    assert claim.reason == "未给出计划数"


def test_seed_change_without_last_year_is_uncheckable():
    result = check_file(FIXTURES / "seed.txt")
    claim = next(c for c in result.claims if c.stated == "191吨")
    assert claim.status == Status.UNCHECKABLE
    assert claim.reason == "未给出去年数值，无法核对增量"
    assert claim.quote == "夏粮实产预计完成7272吨，比去年增加191吨"


def test_seed_checked_shares_hold():
    result = check_file(FIXTURES / "seed.txt")
    held = {c.stated: c.recomputed for c in result.with_status(Status.OK)}
    assert held == {"39.6％": "39.6％", "28.4％": "28.4％"}


def test_seed_paid_marks_are_ignored_and_spans_stay_in_the_original():
    text = read("seed.txt")
    assert "##paidbegin##" in text
    result = check_text(text)
    for claim in result.claims:
        assert text[claim.span[0] : claim.span[1]] == claim.quote
        assert text[claim.stated_span[0] : claim.stated_span[1]] == claim.stated


def test_seed_half_width_gives_the_same_findings():
    full, half = check_file(FIXTURES / "seed.txt"), check_file(FIXTURES / "seed_halfwidth.txt")
    assert [(c.kind, c.status, c.span) for c in full.claims] == [
        (c.kind, c.status, c.span) for c in half.claims
    ]


def test_correct_report_of_every_kind_has_no_inconsistency():
    result = check_file(FIXTURES / "correct.txt")
    assert result.inconsistencies == []
    kinds = {c.kind.value for c in result.with_status(Status.OK)}
    assert kinds >= {
        "plan_share", "part_share", "rate", "total", "change", "growth", "points", "time_progress_gap",
    }  # fmt: skip


@pytest.mark.parametrize(("fixture", "kind", "stated", "quote", "recomputed"), PLANTED)
def test_planted_error_is_found_with_its_span(fixture, kind, stated, quote, recomputed):
    text = read(fixture)
    result = check_text(text)
    assert len(result.inconsistencies) == 1, render_text(result)
    claim = result.inconsistencies[0]
    assert (claim.kind.value, claim.stated, claim.recomputed) == (kind, stated, recomputed)
    assert text[claim.stated_span[0] : claim.stated_span[1]] == stated
    assert text[claim.span[0] : claim.span[1]] == claim.quote
    assert quote in claim.quote
    assert claim.reason
    assert "\n" not in claim.reason


@pytest.mark.parametrize(("fixture", "kind", "stated", "quote", "recomputed"), PLANTED)
def test_planted_error_is_found_in_half_width_text(fixture, kind, stated, quote, recomputed):
    result = check_text(read(fixture).translate(HALF_WIDTH))
    assert [c.kind.value for c in result.inconsistencies] == [kind]
    assert result.inconsistencies[0].stated == stated.translate(HALF_WIDTH)


def test_full_width_digits_and_spaces_are_read():
    text = "完成工业总产值２２０００ 万元，占年计划５５５００万元的３８．６％。"
    claim = check_text(text).claims[0]
    assert claim.status == Status.FALSE
    assert claim.stated == "３８．６％"
    assert claim.recomputed == "39.6％"


def test_wrong_direction_reason_names_it():
    claim = check_file(FIXTURES / "planted_direction.txt").inconsistencies[0]
    assert "方向写反" in claim.reason
    assert "“超”" in claim.reason


def test_gap_with_only_a_rounded_completion_accepts_either_possible_rounding():
    base = "1-7月完成投资33000万元，占年计划的44.5％，低于序时进度{}个百分点。"
    for gap in ("13.8", "13.9"):
        assert check_text(base.format(gap)).inconsistencies == []
    assert check_text(base.format("14.0")).inconsistencies


@pytest.mark.parametrize(
    ("period", "months"),
    [("1-6月", 6), ("上半年", 6), ("截至7月底", 7), ("1—8月", 8), ("前三季度", 9), ("一季度", 3)],
)
def test_periods_give_months_elapsed(period, months):
    # completion 50% against months/12
    gap = 50 - months * 100 / 12
    word = "超" if gap >= 0 else "低于"
    text = f"{period}，完成投资500万元，占年计划1000万元的50.0％，{word}序时进度{abs(gap):.1f}个百分点。"
    claims = check_text(text).claims
    assert [c.status for c in claims if c.kind.value == "time_progress_gap"] == [Status.OK]


def test_gap_without_period_is_uncheckable():
    claim = check_text("完成投资500万元，占年计划1000万元的50％，超序时进度8.3个百分点。").claims[
        -1
    ]
    assert claim.status == Status.UNCHECKABLE
    assert "统计期" in claim.reason


def test_units_convert_between_yi_and_wan():
    assert check_text("完成投资3.3亿元，占年计划74000万元的44.6％。").inconsistencies == []
    assert check_text("完成投资3.3亿元，占年计划74000万元的4.5％。").inconsistencies


def test_different_units_are_uncheckable():
    claim = check_text("完成造林300亩，占年计划500吨的60％。").claims[0]
    assert claim.status == Status.UNCHECKABLE
    assert "单位不一致" in claim.reason


def test_approximate_figures_are_uncheckable():
    claim = check_text("已整地400多亩，占年计划2000亩的20％。").claims[0]
    assert claim.status == Status.UNCHECKABLE
    assert "约数" in claim.reason


def test_half_up_tie_holds_and_half_even_reading_is_explained():
    # 113 ÷ 400 = 28.25% exactly: half-up 28.3, half-even 28.2
    assert check_text("完成113万元，占年计划400万元的28.3％。").inconsistencies == []
    claim = check_text("完成113万元，占年计划400万元的28.2％。").inconsistencies[0]
    assert "五成双" in claim.reason
    assert claim.recomputed == "28.3％"


def test_more_or_fewer_decimals_follow_the_stated_precision():
    assert check_text("完成22000万元，占年计划55500万元的40％。").inconsistencies == []
    assert check_text("完成22000万元，占年计划55500万元的39.64％。").inconsistencies == []
    assert check_text("完成22000万元，占年计划55500万元的39.63％。").inconsistencies


def test_shares_adjusted_by_hand_to_total_100_are_warned_not_failed():
    result = check_file(FIXTURES / "correct.txt")
    warned = [c for c in result.claims if c.warning]
    assert [c.stated for c in warned] == ["33.4％"]
    assert warned[0].status == Status.OK
    assert "未予更正" in warned[0].warning


def test_growth_from_change_and_current_value():
    text = "夏油实产325吨，比去年增加100吨，同比增长44.4％。"
    assert [c.status for c in check_text(text).claims] == [Status.UNCHECKABLE, Status.OK]
    assert check_text(text.replace("44.4", "30.8")).inconsistencies


def test_decrease_and_wrong_direction_in_changes():
    assert check_text("产量7000吨，比去年同期的7081吨减少81吨。").inconsistencies == []
    claim = check_text("产量7000吨，比去年同期的7081吨增加81吨。").inconsistencies[0]
    assert "实为减少" in claim.reason


def test_from_to_with_wrong_direction_word():
    claim = check_text("企业由18家减少到21家。").inconsistencies[0]
    assert claim.kind.value == "change"
    assert "实为增加" in claim.reason


def test_points_stated_as_percent_is_explained():
    claim = check_text("占比由20.8％下降到18.2％，下降2.6％。").inconsistencies[0]
    assert "百分点" in claim.reason


def test_list_of_different_lengths_cannot_be_paired():
    text = "分别达到13631头、139头、581头，分别比同期增长4.9％、6.9％。"
    claim = check_text(text).inconsistencies[0]
    assert claim.kind.value == "list"
    assert "无法一一对应" in claim.reason


def test_list_rates_without_increments_are_uncheckable():
    text = "分别达到13631头、139头，分别比同期增长4.9％、6.9％。"
    assert [c.status for c in check_text(text).claims] == [Status.UNCHECKABLE] * 2


def test_parts_total_stated_after_the_parts():
    assert check_text("已完成3项，正在办理2项，共计5项。").inconsistencies == []
    claim = check_text("已完成3项，正在办理2项，共计6项。").inconsistencies[0]
    assert claim.kind.value == "total"
    assert claim.stated == "6项"


def test_share_of_total_tasks_finds_the_total_in_an_earlier_sentence():
    text = "截至7月底，共有任务60个。欠进度12个，占总任务的25％。"
    claim = check_text(text).inconsistencies[0]
    assert claim.recomputed == "20％"


def test_plain_text_without_figures_has_no_claims():
    result = check_text("作风建设永远在路上，只有起点，没有终点。2023年2月8日召开动员会。")
    assert result.claims == []
    assert result.exit_status == 0


def test_highlight_segments_rebuild_the_text():
    text = read("planted_share.txt")
    result = check_text(text)
    segments = highlight_segments(result)
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.claim and s.claim.status == Status.FALSE] == ["38.6％"]


def test_markdown_emphasis_does_not_hide_figures():
    text = "完成工业总产值**22000万元**，占年计划`55500`万元的**38.6％**。"
    claim = check_text(text).inconsistencies[0]
    assert claim.stated == "38.6％"
    assert claim.recomputed == "39.6％"


def docx_bytes(paragraphs: list[str], rows: list[list[str]] = ()) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_docx_paragraphs_and_table_cells_are_read_in_order():
    data = docx_bytes(
        ["一、经济指标", "完成工业总产值22000万元，占年计划55500万元的39.6％。"],
        [["指标", "说明"], ["社零", "完成2500万元，占目标任务8800万元的38.4％"]],
    )
    text = text_from_bytes(data, "report.docx")
    assert text.index("39.6％") < text.index("38.4％")
    result = check_text(text)
    assert [c.stated for c in result.inconsistencies] == ["38.4％"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_encodings_are_detected(encoding):
    text = read("planted_share.txt")
    assert text_from_bytes(text.encode(encoding), "report.txt") == text


def test_crlf_line_breaks_become_newlines():
    assert text_from_bytes("甲\r\n乙\r丙".encode(), "a.md") == "甲\n乙\n丙"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not a zip", "report.docx", "docx"),
        (b"PK\x03\x04broken", "report.docx", "docx"),
        (b"\xff\xfe\x00\xd8" + b"\x80" * 7, "report.txt", "编码"),
        ("文本".encode() + b"\x00\x01", "report.txt", "编码"),
        (b"x", "report.doc", ".docx"),
        (b"%PDF-1.4", "report.pdf", "不支持"),
    ],
)
def test_unreadable_files_raise(data, name, message):
    with pytest.raises(ReportReadError, match=message):
        text_from_bytes(data, name)


def test_missing_file_raises(tmp_path):
    with pytest.raises(ReportReadError, match="不存在"):
        check_file(tmp_path / "none.txt")


def test_long_text_without_sentence_breaks_is_checked_quickly():
    text = read("correct.txt").replace("。", "，").replace("\n", "，") * 100
    started = time.perf_counter()
    result = check_text(text)
    assert time.perf_counter() - started < 10
    assert len(result.claims) > 1000
