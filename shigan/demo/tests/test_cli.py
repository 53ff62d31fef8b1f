"""The `shigan` command run as operators run it: in a child process, on a fresh SQLite folder.

The demo is always SQLite, so the child environment drops DATABASE_URL (and every SHIGAN_*
variable) whatever the test run itself uses."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

import shigan
from shigan.demo.data.org import ACCOUNTS, DEMO_PASSWORD
from shigan.demo.district import EXTRA_ACCOUNTS

PROJECT_ROOT = str(Path(shigan.__file__).resolve().parent.parent)


# The demo district's own list tasks (the county above it and 高新区 beside it have theirs).
DISTRICT_LIST_TASKS = (
    "origin = 'list' AND campaign_id IN (SELECT c.id FROM campaigns_campaign c "
    "JOIN orgs_unit u ON c.organiser_id = u.id WHERE u.short_name = '示范区')"
)


def child_env(**extra: str) -> dict[str, str]:
    """The test run's environment without Shigan's configuration; shigan importable from here."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHIGAN_") and key != "DATABASE_URL"
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [PROJECT_ROOT, env.get("PYTHONPATH")]))
    return {**env, **extra}


def shigan(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "shigan.cli", *args],
        cwd=cwd,
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def demo_campaign_id(folder: Path) -> int:
    """The demo district's (示范区) campaign, read from the database, not from the marker."""
    with sqlite3.connect(folder / "shigan.sqlite3") as db:
        [(pk,)] = db.execute(
            "SELECT c.id FROM campaigns_campaign c JOIN orgs_unit u ON c.organiser_id = u.id "
            "WHERE u.short_name = '示范区'"
        ).fetchall()
    return pk


def count(database: Path, table: str, where: str = "1=1") -> int:
    with sqlite3.connect(database) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"shigan serve exited with {proc.returncode}")
        try:
            return urllib.request.urlopen(url, timeout=5)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds}s")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """`shigan demo --no-serve` once for the module, without options, in an empty folder:
    (data folder, completed process). The data folder is ./shigan-data, every command's default."""
    cwd = tmp_path_factory.mktemp("demo")
    result = shigan("demo", "--no-serve", cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return cwd / "shigan-data", result


def test_demo_creates_the_database_and_prints_the_url_and_accounts(demo_run):
    folder, result = demo_run
    assert (folder / "shigan.sqlite3").exists()
    assert (folder / "secret_key").read_text().strip()
    assert (folder / "demo_today").read_text().split() == [
        "2023-07-31", f"campaign={demo_campaign_id(folder)}"
    ]  # fmt: skip
    assert "http://127.0.0.1:8000/" in result.stdout
    assert DEMO_PASSWORD in result.stdout
    for username in ACCOUNTS:
        assert username in result.stdout
    assert count(folder / "shigan.sqlite3", "tasks_task", DISTRICT_LIST_TASKS) == 3
    assert "启动服务：shigan serve --port 8000" in result.stdout


def test_report_and_check_report_find_the_demo_without_options(demo_run):
    folder, _ = demo_run
    result = shigan("report", "--as-of", "2023-07-31", "-o", "report.md", cwd=folder.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已生成 report.md" in result.stdout
    checked = shigan("check-report", "report.md", cwd=folder.parent)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_start_banner_counts_the_tasks_the_battle_map_counts(demo_run):
    folder, result = demo_run
    pk = demo_campaign_id(folder)
    database = folder / "shigan.sqlite3"
    tasks = count(database, "tasks_task", f"campaign_id = {pk}")
    assert tasks > count(database, "tasks_task", DISTRICT_LIST_TASKS)  # not the list's alone
    # The map's own count (dashboards.queries.battle_map_build) in the demo's folder.
    code = (
        "from django.contrib.auth.models import User; from shigan.campaigns.models import Campaign; "
        "from shigan.dashboards.queries import battle_map_build, MapFilters; "
        "from shigan.core.clock import today; "
        f"m = battle_map_build(User.objects.get(username='zhuanban'), Campaign.objects.get(pk={pk}), "
        "MapFilters(), today()); print('total=%d' % m.total)"
    )
    shown = shigan("shell", "-c", code, cwd=folder.parent)
    assert shown.returncode == 0, shown.stderr
    assert f"total={tasks}" in shown.stdout
    assert f"（作战图共{tasks}项任务、" in result.stdout


def test_report_and_import_take_the_demo_districts_campaign_without_options(demo_run, tmp_path):
    """The demo holds three levels' campaigns (the county's, 示范区's, 高新区's, the newest):
    without --campaign the commands take 示范区's, as the demo's marker records it; --user takes
    that account's own level's; every line naming the campaign names the one used."""
    folder, _ = demo_run
    pk = demo_campaign_id(folder)
    env = child_env(SHIGAN_TODAY="2023-07-31")  # as the README's example sets it
    out = tmp_path / "r.md"
    result = shigan("report", "--as-of", "2023-07-31", "-o", str(out), cwd=folder.parent, env=env)
    assert result.returncode == 0, result.stderr
    assert f"（活动{pk}：2023年作风建设“实干年”活动（示范区），截至" in result.stdout
    assert "高新区" not in out.read_text(encoding="utf-8")
    other = shigan("report", "--user", "gaoxinzhuanban", "-o", str(out), cwd=folder.parent, env=env)
    assert other.returncode == 0, other.stderr
    assert "高新区），截至" in other.stdout and f"活动{pk}：" not in other.stdout
    # 示范区's own list, exported as the page /tasks/import/export/?campaign= does, goes back
    # in unchanged, with or without its coordinator.
    export = tmp_path / "tasks-export.xlsx"
    code = (
        "from shigan.campaigns.models import Campaign; "
        "from shigan.tasks.xlsx.exporter import task_list_workbook; "
        f"task_list_workbook(Campaign.objects.get(pk={pk})).save({str(export)!r})"
    )
    assert shigan("shell", "-c", code, cwd=folder.parent).returncode == 0
    for user in ([], ["--user", "zhuanban"]):
        imported = shigan("import", str(export), *user, cwd=folder.parent, env=env)
        assert imported.returncode == 0, imported.stderr
        assert imported.stdout.startswith(f"活动{pk}：2023年作风建设“实干年”活动（示范区）：")
        assert "：未作任何更改：" in imported.stdout, imported.stdout
    # 高新区's coordinator imports into 高新区's campaign: 示范区's units are not his.
    refused = shigan("import", str(export), "--user", "gaoxinzhuanban", cwd=folder.parent, env=env)
    assert refused.returncode == 1
    assert "高新区" in refused.stderr.splitlines()[-1] and f"活动{pk}：" not in refused.stderr


def test_a_command_error_is_printed_in_chinese_alone(demo_run, tmp_path):
    folder, _ = demo_run
    result = shigan("report", "--campaign", "999", "-o", str(tmp_path / "r.md"), cwd=folder.parent)
    assert result.returncode == 1
    assert result.stderr.startswith("没有编号为 999 的活动。")
    assert "CommandError" not in result.stderr
    package = tmp_path / "bad.zip"
    package.write_bytes(b"not a package")
    refused = shigan("exchange", "import", str(package), cwd=folder.parent)
    assert refused.returncode != 0 and refused.stderr.strip()
    assert "CommandError" not in refused.stderr and not refused.stderr[0].isascii()
    traced = shigan("report", "--campaign", "999", "-o", "r.md", "--traceback", cwd=folder.parent)
    assert "CommandError" in traced.stderr  # the trace, when asked for


def test_import_finds_the_demo_without_options(demo_run):
    """An unknown account is looked up in the demo's database before the file is read."""
    folder, _ = demo_run
    result = shigan("import", "none.xlsx", "--user", "nobody", cwd=folder.parent)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "账号“nobody”不存在或已停用" in result.stderr


def test_data_dir_option_works_with_django_commands_from_any_folder(demo_run, tmp_path):
    folder, _ = demo_run
    code = (
        "from shigan.demo.data.org import ACCOUNTS; from django.contrib.auth.models import User; "
    )
    code += "print('users=%d' % User.objects.filter(username__in=ACCOUNTS).count())"
    result = shigan("shell", "--data-dir", str(folder), "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"users={len(ACCOUNTS)}" in result.stdout
    assert not (tmp_path / "shigan-data").exists()


def test_demo_database_runs_in_wal_mode(demo_run):
    """WAL is a property of the database file, set by the connection's init command."""
    folder, _ = demo_run
    with sqlite3.connect(folder / "shigan.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_connections_queue_writers_instead_of_failing():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the suite runs on PostgreSQL here")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_running_demo_twice_gives_a_fresh_database(demo_run):
    folder, _ = demo_run
    key = (folder / "secret_key").read_text()
    again = shigan("demo", "--no-serve", "--data-dir", str(folder), cwd=folder.parent)
    assert again.returncode == 0, again.stderr
    database = folder / "shigan.sqlite3"
    assert count(database, "tasks_task", DISTRICT_LIST_TASKS) == 3
    assert count(database, "publicity_mediareport") == 13
    # 示范区's, 高新区's and the county's: once each, not twice.
    assert count(database, "campaigns_campaign") == 3
    assert count(database, "auth_user") == len(ACCOUNTS) + len(EXTRA_ACCOUNTS)
    assert (folder / "secret_key").read_text() == key


def test_demo_refuses_a_folder_holding_a_database_that_is_not_a_demo(tmp_path):
    (tmp_path / "shigan.sqlite3").write_bytes(b"")
    result = shigan("demo", "--no-serve", "--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode != 0
    assert "不是演示数据目录" in result.stderr
    assert (tmp_path / "shigan.sqlite3").exists()


def test_demo_refuses_the_default_folder_of_a_real_install(tmp_path):
    (tmp_path / "shigan-data").mkdir()
    (tmp_path / "shigan-data" / "shigan.sqlite3").write_bytes(b"real")
    result = shigan("demo", "--no-serve", cwd=tmp_path)
    assert result.returncode != 0
    assert f"{tmp_path / 'shigan-data'} 中已有数据库，但不是演示数据目录" in result.stderr
    assert (tmp_path / "shigan-data" / "shigan.sqlite3").read_bytes() == b"real"


def test_serve_answers_the_login_page_and_static_files_of_the_demo_without_options(
    demo_run, tmp_path
):
    folder, _ = demo_run
    # As after an upgrade that added a static file: the collected manifest does not know it yet,
    # and a page naming it would answer 500 unless serve collects again.
    manifest = folder / "static" / "staticfiles.json"
    collected = json.loads(manifest.read_text())
    del collected["paths"]["shigan/favicon.svg"]
    manifest.write_text(json.dumps(collected))
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shigan.cli", "serve", "--port", str(port)],
        cwd=folder.parent,
        env=child_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        login = wait_for(f"http://127.0.0.1:{port}/accounts/login/", proc)
        assert login.status == 200
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/shigan/app.css", timeout=5)
        assert css.status == 200
        assert css.headers["Content-Type"].startswith("text/css")
    finally:
        proc.terminate()
        returncode = proc.wait(timeout=30)
        log.close()
    assert returncode == 0, (tmp_path / "serve.log").read_text()
    assert "GET /accounts/login/" in (tmp_path / "serve.log").read_text()


def test_serve_refuses_a_database_with_unapplied_migrations(tmp_path):
    (tmp_path / "secret_key").write_text("test-secret")
    (tmp_path / "shigan.sqlite3").write_bytes(b"")
    result = shigan("serve", "--data-dir", str(tmp_path), "--port", str(free_port()), cwd=tmp_path)
    assert result.returncode != 0
    assert "shigan migrate" in result.stderr


def test_api_schema_needs_no_database_and_writes_the_committed_schema(tmp_path):
    """The README's regeneration command, from a clone with no data folder yet."""
    out = tmp_path / "openapi.json"
    result = shigan("api_schema", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "shigan-data" / "shigan.sqlite3").exists()
    committed = Path(PROJECT_ROOT) / "docs" / "api" / "openapi.json"
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        committed.read_text(encoding="utf-8")
    )


def test_django_commands_pass_through(demo_run):
    folder, _ = demo_run
    result = shigan("check", cwd=folder, env=child_env(SHIGAN_DATA_DIR=str(folder)))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_commands_on_a_demo_folder_compute_as_of_the_demo_day(demo_run):
    folder, _ = demo_run
    code = (
        "from shigan.core.clock import today; from django.utils import timezone; "
        "print('today=' + today().isoformat()); print('now=' + timezone.localdate().isoformat())"
    )
    result = shigan("shell", "-c", code, cwd=folder, env=child_env(SHIGAN_DATA_DIR=str(folder)))
    assert result.returncode == 0, result.stderr
    assert "today=2023-07-31" in result.stdout
    # what is saved in the demo is dated on its day too (shigan.core.clock's demo clock)
    assert "now=2023-07-31" in result.stdout


def test_nothing_in_the_demo_is_dated_after_its_day(demo_run):
    """The demo's build ran on its clock: no audit entry, progress report or record stamped
    with the real date (UTC stored: 2023-07-31 in Shanghai ends at 16:00 UTC)."""
    folder, _ = demo_run
    with sqlite3.connect(folder / "shigan.sqlite3") as db:
        for table, column in (
            ("core_auditentry", "at"),
            ("tasks_progressreport", "submitted_at"),
            ("orgs_unit", "created_at"),
            ("orgs_unit", "updated_at"),
        ):
            (latest,) = db.execute(f"SELECT MAX({column}) FROM {table}").fetchone()
            assert latest is not None and latest < "2023-07-31 16:00", (table, latest)


def test_help_lists_demo_serve_and_the_django_commands(tmp_path):
    result = shigan("--help", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("demo", "serve", "Django", "migrate"):
        assert word in result.stdout


def _children(pid: int) -> dict[int, str]:
    """The command lines of a process's children (Linux /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found[int(stat.parent.name)] = (
                    (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                )
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_starts_shigan_worker_as_its_child_and_stops_it(demo_run, tmp_path):
    folder, _ = demo_run
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shigan.cli", "serve", "--port", str(port)],
        cwd=folder.parent, env=child_env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/login/", proc)
        workers = [pid for pid, cmd in _children(proc.pid).items() if "shigan.cli worker" in cmd]
        assert len(workers) == 1, _children(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    deadline = time.monotonic() + 20
    while Path(f"/proc/{workers[0]}").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not Path(f"/proc/{workers[0]}/cmdline").exists() or not (
        Path(f"/proc/{workers[0]}/cmdline").read_bytes()
    ), "the worker outlived serve"
    assert "后台任务进程已启动（shigan worker" in (tmp_path / "serve.log").read_text()


def test_serve_no_worker_starts_none(demo_run, tmp_path):
    folder, _ = demo_run
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "shigan.cli", "serve", "--port", str(port), "--no-worker"],
        cwd=folder.parent, env=child_env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/accounts/login/", proc)
        assert not [c for c in _children(proc.pid).values() if "shigan.cli worker" in c]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
