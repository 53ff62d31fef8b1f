"""`shigan check-report FILE [--json]` without Django: the checker needs no database or settings,
so it also runs on a PC that only has the package installed.

Exit status: 0 when every checkable claim holds, 1 when any does not, 2 when the file cannot be
read. Uncheckable claims are listed but never fail the check.

`shigan check-report --corpus [corpus|heldout|DIR] [--summary]` and `shigan check-report
--corpus-dir DIR [--summary]` measure the checker on an annotated corpus instead (measure.py)."""

import argparse
import sys
from typing import TextIO

from . import measure
from .engine import check_file
from .output import render_json, render_json_error, render_text
from .readers import ReportReadError

DESCRIPTION = (
    "核对报告文本（txt、md、docx）中的数字表述：占比、完成率、增减、合计与分项、序时进度等，"
    "按文中自身给出的数字重算。退出码：0 全部一致，1 有不一致，2 文件无法读取。"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments, shared with the Django management command."""
    parser.add_argument("file", help="报告文件（.txt、.md 或 .docx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出全部核对结果")


def run(path: str, *, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    """Check one file and print the findings; returns the exit status."""
    try:
        result = check_file(path)
    except ReportReadError as exc:
        if as_json:
            stdout.write(render_json_error(path, str(exc)) + "\n")
        stderr.write(f"无法读取报告：{exc}\n")
        return 2
    render = render_json if as_json else render_text
    stdout.write(render(result, file=path) + "\n")
    return result.exit_status


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--corpus"]:
        return measure.main(argv[1:])
    if argv[:1] == ["--corpus-dir"]:
        return measure.main(argv)
    parser = argparse.ArgumentParser(prog="shigan check-report", description=DESCRIPTION)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args.file, as_json=args.json, stdout=sys.stdout, stderr=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
