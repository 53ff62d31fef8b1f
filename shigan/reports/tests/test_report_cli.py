"""`shigan report`: writes html, md, txt and docx (pdf where LibreOffice is installed); without
--campaign it reports on the current campaign, as every page picks it."""

import datetime
import io
import os
import shutil
import zipfile

import pytest
from django.core.management import CommandError, call_command

from shigan.campaigns.models import Campaign

from .reportdata import add_indicator


def run(*args) -> None:
    call_command("report", *args)


@pytest.fixture
def figures(world):
    add_indicator("工业总产值", world.unit_a, target=55500, values={7: 22000})
    return world


@pytest.mark.parametrize("fmt", ["html", "md", "txt"])
def test_the_command_writes_text_formats(figures, tmp_path, fmt, capsys):
    out = tmp_path / f"report.{fmt}"
    run("--as-of", "2023-07-31", "--format", fmt, "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "作风建设“实干年”活动总结及下一步工作计划" in text and "39.6％" in text
    assert "个数字均有来源记录" in capsys.readouterr().out


def test_the_format_comes_from_the_file_name_and_options_apply(figures, tmp_path):
    out = tmp_path / "report.md"
    run(
        "--campaign",
        str(figures.campaign.pk),
        "--as-of",
        "2023-07-31",
        "-o",
        str(out),
        "--percent",
        "%",
        "--appendix",
    )
    text = out.read_text(encoding="utf-8")
    assert "39.6%" in text and "％" not in text
    assert "## 附：数据来源" in text and "indicators.actual:" in text


def test_the_command_writes_a_word_file(figures, tmp_path):
    out = tmp_path / "report.docx"
    run("--as-of", "2023-07-31", "--format", "docx", "-o", str(out))
    with zipfile.ZipFile(out) as docx:
        assert "22000万元" in docx.read("word/document.xml").decode()


def test_the_command_writes_a_pdf_and_names_the_real_fonts(figures, tmp_path):
    if shutil.which("soffice") is None:
        if os.environ.get("SHIGAN_REQUIRE_BROWSER") == "1":
            pytest.fail("LibreOffice (soffice) is missing; scripts/setup installs it")
        pytest.skip("LibreOffice is not installed here")
    out = tmp_path / "report.pdf"
    printed = io.StringIO()
    call_command(
        "report", "--as-of", "2023-07-31", "--format", "pdf", "-o", str(out), stdout=printed
    )
    assert out.read_bytes()[:5] == b"%PDF-"
    text = printed.getvalue()
    assert "字体（角色 → 文档字体 → 实际字体）" in text
    assert "仿宋_GB2312 → " in text and "方正小标宋简体 → " in text


def test_without_campaign_the_current_one_is_reported(figures, tmp_path, capsys):
    newer = Campaign.objects.create(
        year=2024, name="营商环境提升年", organiser=figures.district,
        start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 12, 31),
    )  # fmt: skip
    run("--as-of", "2024-03-31", "-o", str(tmp_path / "r.md"))
    assert str(newer) in capsys.readouterr().out
    assert "营商环境提升年" in (tmp_path / "r.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("raw", ["999", "²", "9223372036854775808", "abc"])
def test_an_unknown_or_malformed_campaign_lists_the_existing_ones(figures, tmp_path, raw):
    with pytest.raises(CommandError, match="没有编号为") as error:
        run("--campaign", raw, "-o", str(tmp_path / "r.md"))
    assert "实干年" in str(error.value)


def test_no_campaign_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="还没有活动"):
        run("--as-of", "2023-07-31", "-o", str(tmp_path / "r.md"))


def test_an_unknown_campaign_lists_the_existing_ones(figures, tmp_path):
    with pytest.raises(CommandError, match="没有编号为 999 的活动"):
        run("--campaign", "999", "-o", str(tmp_path / "r.md"))


def test_a_bad_date_or_format_is_a_clear_error(figures, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--as-of", "31/07/2023", "-o", str(tmp_path / "r.md"))
    with pytest.raises(CommandError, match="年份范围"):
        run("--as-of", "9999-12-31", "-o", str(tmp_path / "r.md"))
    with pytest.raises(CommandError, match="--format"):
        run("--as-of", "2023-07-31", "-o", str(tmp_path / "r.xyz"))


def test_a_missing_office_renderer_is_a_clear_error(figures, tmp_path, monkeypatch):
    from shigan.reports import writers

    monkeypatch.setitem(
        writers.OFFICE_RENDERERS, "docx", ("shigan.reports.render.absent", "render_docx")
    )
    with pytest.raises(CommandError, match="DOCX 导出不可用"):
        run("--as-of", "2023-07-31", "--format", "docx", "-o", str(tmp_path / "r.docx"))
