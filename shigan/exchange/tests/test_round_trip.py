"""THE round trip between two installations: a county and a district, each its own data folder
and SQLite database, each step a separate `shigan` process (or the set-up script world.py). The
county hands a task down, the district accepts it, files June's progress and figure, and
reports the month up; the county sees the child task's status, the roll-up and the figure.
Then: the same package again changes nothing; a tampered copy, a replayed older package and a
package skipping a month are refused, each with its reason; the skipped month, once its
predecessor is in, is accepted."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from shigan.exchange.package import MAX_BYTES

SQLITE_NAME = "shigan.sqlite3"


def run(
    folder: Path, *args: str, ok: bool = True, today: str = "2023-08-31"
) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"SHIGAN_DATA_DIR": str(folder), "SHIGAN_SECRET_KEY": "round-trip",
            "SHIGAN_TESTING": "1", "SHIGAN_TODAY": today}  # fmt: skip
    command = [sys.executable, "-m", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done


def shigan(folder: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    return run(folder, "shigan.cli", "exchange", *args, ok=ok)


def world(folder: Path, *steps: str, today: str = "2023-08-31") -> dict:
    return json.loads(run(folder, "shigan.exchange.tests.world", *steps, today=today).stdout)


def migrated_folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two data folders holding a migrated, empty database: a copy of the test database on
    SQLite (migrating in a subprocess takes long), else `shigan migrate` once."""
    county, district = tmp_path / "county", tmp_path / "district"
    county.mkdir(mode=0o700)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(county / SQLITE_NAME)
        connection.connection.backup(target)
        target.close()
    else:
        run(county, "shigan.cli", "migrate", "-v0")
    shutil.copytree(county, district)
    return county, district


def pair(county: Path, district: Path) -> None:
    county_id = world(county, "county")["installation"]
    district_id = world(district, "district")["installation"]
    added = shigan(county, "peer", "add", "--name", "第1区", "--installation", district_id,
                   "--side", "lower", "--unit", "第1区党委政府").stdout  # fmt: skip
    key = added.split("：")[-1].strip()
    assert len(key) == 64, added
    shigan(district, "peer", "add", "--name", "示范县", "--installation", county_id,
           "--side", "upper", "--unit", "示范县党委政府", "--key", key)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_round_trip_between_two_installations(tmp_path):
    county, district = migrated_folders(tmp_path)
    pair(county, district)  # the county has handed a task down to 第1区 already
    down = tmp_path / "down-2023-06.txt"
    shigan(county, "export", "--peer", "第1区", "--period", "2023-06", "--out", str(down))
    assert "已接收" in shigan(district, "import", str(down)).stdout
    world(district, "accept")  # answers the hand-down, files June: progress, figure 100
    first, june = tmp_path / "up-a.txt", tmp_path / "up-2023-06.txt"
    for out in (first, june):  # two exports of June: sequence 1 and 2
        shigan(district, "export", "--peer", "示范县", "--period", "2023-06", "--out", str(out))

    assert shigan(county, "import", str(june)).stdout.strip() == "已接收"
    seen = world(county, "show")
    assert seen["children"] == [["第1区优化营商环境", "第1区党委政府", "正常"]]
    assert seen["rollup"] == ["正常", "0/1"]
    assert seen["handdown"] == ["accepted"]
    assert seen["reports"] == ["6月：完成审批流程梳理"]
    assert seen["figures"] == {"第1区地区生产总值/6": "100"}
    assert seen["upper"] == ["地区生产总值"]
    assert seen["log"] == ["accepted"]

    again = shigan(county, "import", str(june))
    assert again.stdout.strip() == "已导入，未作改动"

    tampered = tmp_path / "tampered.txt"
    tampered.write_bytes(june.read_bytes().replace(b'"value":"100', b'"value":"900', 1))
    refused = shigan(county, "import", str(tampered), ok=False)
    assert refused.returncode == 1 and "签名不符" in refused.stderr

    replayed = shigan(county, "import", str(first), ok=False)
    assert "重放或过期的包：序号1不大于已接收的序号2" in replayed.stderr

    world(district, "file", "7", "180", "8", "260")
    july, august = tmp_path / "up-2023-07.txt", tmp_path / "up-2023-08.txt"
    shigan(district, "export", "--peer", "示范县", "--period", "2023-07", "--out", str(july))
    shigan(district, "export", "--peer", "示范县", "--period", "2023-08", "--out", str(august))
    skipped = shigan(county, "import", str(august), ok=False)
    assert "缺少2023年7月的包" in skipped.stderr
    # Nothing of the package imported again or of a refused one is written.
    logged = ["accepted", "unchanged", "refused", "refused", "refused"]
    assert world(county, "show") == seen | {"log": logged}

    shigan(county, "import", str(july))
    shigan(county, "import", str(august))
    final = world(county, "show")
    figures = {f"第1区地区生产总值/{m}": v for m, v in ((6, "100"), (7, "180"), (8, "260"))}
    assert final["figures"] == figures
    assert final["reports"] == [f"{m}月：完成审批流程梳理" for m in (6, 7, 8)]
    assert final["log"] == [*logged, "accepted", "accepted"]


@pytest.mark.django_db(transaction=True)
def test_bad_files_are_refused_in_chinese_without_a_traceback(tmp_path):
    county, _ = migrated_folders(tmp_path)
    cases = {
        b"": "缺少签名行",
        b"{not json\nHMAC-SHA256 00\n": "不是有效的 JSON",
        b'{"format":"other"}\nHMAC-SHA256 00\n': "格式标识不符",
        b'{"format":"shigan-exchange","version":9}\nHMAC-SHA256 00\n': "只支持版本1",
    }
    for index, (raw, reason) in enumerate(cases.items()):
        bad = tmp_path / f"bad{index}.txt"
        bad.write_bytes(raw)
        refused = shigan(county, "import", str(bad), ok=False)
        assert reason in refused.stderr, refused.stderr
    big = tmp_path / "big.txt"
    with big.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)
    assert "文件超过20MB（交换包最大20MB）" in shigan(county, "import", str(big), ok=False).stderr
    missing = shigan(county, "import", str(tmp_path / "none.txt"), ok=False)
    assert f"找不到文件：{tmp_path / 'none.txt'}" in missing.stderr
