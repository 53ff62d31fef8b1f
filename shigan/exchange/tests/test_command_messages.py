"""`shigan exchange` speaks Chinese when it is called wrongly: a missing option, a bad choice or
a missing file is said in Chinese, never in argparse's or the OS's English."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def refusal(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("exchange", *args)
    return str(refused.value)


def test_peer_add_without_its_options_names_them_in_chinese():
    message = refusal("peer", "add", "--name", "第1区")
    assert message == "缺少必填参数：--installation、--side、--unit"
    assert "required" not in message


def test_a_bad_side_and_a_missing_action_are_said_in_chinese():
    bad = refusal(
        "peer", "add", "--name", "x", "--installation", "y", "--unit", "u", "--side", "mid"
    )
    assert bad == "参数“--side”的取值“mid”无效，可选：upper、lower"
    assert refusal() == "缺少必填参数：id、peer、export、import"
    assert refusal("export", "--peer", "x") == "缺少必填参数：--period、--out"


def test_importing_a_missing_file_says_it_is_not_found(tmp_path):
    missing = tmp_path / "none.txt"
    assert refusal("import", str(missing)) == f"找不到文件：{missing}"
    assert refusal("import", str(tmp_path)) == f"这是目录，不是文件：{tmp_path}"


def test_a_file_over_20mb_is_refused_by_the_limit_not_a_wrong_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(60 * 1024 * 1024)
    assert refusal("import", str(big)) == "已拒收：文件超过20MB（交换包最大20MB）。"
