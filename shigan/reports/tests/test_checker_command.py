"""`shigan check-report FILE [--json]`: exit statuses 0/1/2 and the JSON shape."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from shigan.reports.checker import cli

FIXTURES = Path(__file__).parent / "fixtures"
CLAIM_KEYS = {
    "kind", "kind_label", "span", "stated_span", "quote", "stated", "recomputed", "status",
    "status_label", "reason", "warning", "operands",
}  # fmt: skip


def run(*args) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("check-report", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def test_seed_exits_0_and_lists_uncheckable_claims():
    status, output = run(str(FIXTURES / "seed.txt"))
    assert status == 0
    assert "不一致0处" in output
    assert "未给出计划数" in output


def test_planted_error_exits_1_and_names_the_figure():
    status, output = run(str(FIXTURES / "planted_share.txt"))
    assert status == 1
    assert "【不一致】" in output
    assert "文中：38.6％；重算：39.6％" in output


def test_missing_file_is_exit_status_2(tmp_path):
    status, output = run(str(tmp_path / "none.txt"))
    assert status == 2
    assert "文件不存在" in output


def test_invalid_docx_is_exit_status_2(tmp_path):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a docx")
    status, output = run(str(broken))
    assert status == 2
    assert "不是有效的 docx 文件" in output


def test_checker_cli_prints_and_returns_the_status(capsys):
    assert cli.main([str(FIXTURES / "planted_gap.txt")]) == 1
    assert "低于序时进度18.7个百分点" in capsys.readouterr().out
    assert cli.main([str(FIXTURES / "seed.txt"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exit_status"] == 0


def test_checker_cli_runs_without_django_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHIGAN_", "DJANGO_"))}
    command = [sys.executable, "-m", "shigan.reports.checker.cli"]
    checked = subprocess.run(
        [*command, str(FIXTURES / "planted_direction.txt")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 1, checked.stderr
    assert "方向写反" in checked.stdout


def test_docx_and_md_files_are_checked(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("完成工业总产值22000万元，占年计划55500万元的38.6％。")
    document.save(tmp_path / "report.docx")
    assert run(str(tmp_path / "report.docx"))[0] == 1
    markdown = tmp_path / "report.md"
    markdown.write_text(
        "## 指标\n\n完成**22000万元**，占年计划55500万元的**39.6%**。", encoding="utf-8"
    )
    assert run(str(markdown)) == (0, run(str(markdown))[1])
    assert "一致1处" in run(str(markdown))[1]


def test_json_output_shape():
    status, output = run(str(FIXTURES / "planted_share.txt"), "--json")
    data = json.loads(output)
    assert status == 1 == data["exit_status"]
    assert data["summary"] == {
        "claims": 5, "ok": 1, "false": 1, "uncheckable": 3, "warnings": 0,
    }  # fmt: skip
    assert data["file"].endswith("planted_share.txt")
    for claim in data["claims"]:
        assert set(claim) == CLAIM_KEYS
        assert claim["status"] in {"ok", "false", "uncheckable"}
        assert len(claim["span"]) == len(claim["stated_span"]) == 2
    wrong = [c for c in data["claims"] if c["status"] == "false"]
    text = (FIXTURES / "planted_share.txt").read_text(encoding="utf-8")
    start, end = wrong[0]["stated_span"]
    assert text[start:end] == wrong[0]["stated"] == "38.6％"
    assert wrong[0]["recomputed"] == "39.6％"
    # the numbers used, each with where the text states it
    used = {o["text"]: o["span"] for o in wrong[0]["operands"]}
    assert set(used) == {"22000万元", "55500万元"}
    assert all(text[s:e] == t for t, (s, e) in used.items())


def shigan(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHIGAN_TESTING": "1", "DJANGO_SETTINGS_MODULE": "shigan.settings"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "shigan.cli", "check-report", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_shigan_command_exit_statuses_in_a_real_process(tmp_path):
    assert shigan(str(FIXTURES / "seed.txt")).returncode == 0
    assert shigan(str(FIXTURES / "planted_parts_sum.txt")).returncode == 1
    missing = shigan(str(tmp_path / "none.txt"))
    assert missing.returncode == 2
    assert "不存在" in missing.stderr
    undecodable = tmp_path / "bad.txt"
    undecodable.write_bytes(b"\x81\x30\xff\xff\xff")
    assert shigan(str(undecodable)).returncode == 2


def test_json_for_unreadable_file_in_a_real_process(tmp_path):
    result = shigan(str(tmp_path / "none.txt"), "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["exit_status"] == 2
