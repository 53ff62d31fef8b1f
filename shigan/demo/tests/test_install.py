"""A fresh install as an operator makes it: `.venv/bin/shigan` in child processes, in empty
folders, with a clean environment (no SHIGAN_* variable, no DATABASE_URL, HOME in tmp_path).

The README's block for installing a district is parsed out of README.md and executed line by line,
so the README and the behaviour cannot drift apart."""

import http.cookiejar
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from shigan.demo.tests.test_cli import PROJECT_ROOT, free_port

README = Path(PROJECT_ROOT) / "README.md"
INSTALL_HEADING = "### Installing a district"
SHIGAN = Path(sys.executable).with_name("shigan")
PASSWORD = "Lanqiao-install-2023"  # passes the policy: not the login name, ≥ 10 characters
HELP_COMMANDS = [
    ["--help"],
    ["help"],
    ["demo", "--help"],
    ["serve", "--help"],
    ["migrate", "--help"],
    ["createsuperuser", "--help"],
    ["createcoordinator", "--help"],
    ["report", "--help"],
    ["import", "--help"],
    ["check-report", "--help"],
    ["--data-dir", "elsewhere", "import", "--help"],
]


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SHIGAN_", "DJANGO_")) and key not in {"DATABASE_URL", "PYTHONPATH"}
    }
    return {**env, "HOME": str(home), **extra}


def shigan(*args: str, cwd: Path, env: dict[str, str] | None = None):
    command = [str(SHIGAN)] if SHIGAN.exists() else [sys.executable, "-m", "shigan.cli"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=env or clean_env(cwd),
        capture_output=True,
        text=True,
        timeout=120,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_one_chinese_line(result, *expected: str) -> str:
    """Exit status ≠ 0, no traceback, one line on stderr holding every expected piece."""
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, output
    for piece in expected:
        assert piece in lines[0], output
    return lines[0]


@pytest.mark.parametrize("args", HELP_COMMANDS, ids=" ".join)
def test_help_of_every_command_works_in_an_empty_directory(tmp_path, args):
    result = shigan(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "usage:" in result.stdout or "Type 'shigan help" in result.stdout, result.stdout
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_migrate_in_an_empty_directory_creates_the_data_folder_key_and_database_owner_only(
    tmp_path,
):
    result = shigan("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "shigan-data"
    assert mode(folder) == 0o700
    assert mode(folder / "secret_key") == 0o600
    assert len((folder / "secret_key").read_text().strip()) >= 50
    assert mode(folder / "shigan.sqlite3") == 0o600
    key = (folder / "secret_key").read_text()
    again = shigan("migrate", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (folder / "secret_key").read_text() == key


def test_migrate_under_a_file_says_which_folder_and_what_to_set(tmp_path):
    (tmp_path / "occupied").write_text("")
    env = clean_env(tmp_path, SHIGAN_DATA_DIR=str(tmp_path / "occupied" / "data"))
    result = shigan("migrate", cwd=tmp_path, env=env)
    assert_one_chinese_line(
        result, f"无法创建数据目录 {tmp_path / 'occupied' / 'data'}", "SHIGAN_DATA_DIR"
    )


@pytest.mark.parametrize(
    ("database_url", "to_set"),
    [("", "SHIGAN_DATA_DIR"), ("postgres://u@127.0.0.1:1/x", "SHIGAN_SECRET_KEY")],
    ids=["sqlite", "postgresql"],
)
def test_migrate_in_a_folder_it_may_not_write_says_what_to_set(database_url, to_set):
    """Run as an unprivileged account (root writes anywhere) on a folder it may only read."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("needs setpriv to drop root")
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    with tempfile.TemporaryDirectory() as root:
        root = Path(root)
        root.chmod(0o755)
        folder = root / "locked"
        folder.mkdir(mode=0o555)
        env = clean_env(root, DATABASE_URL=database_url)
        result = subprocess.run(
            [*(nobody if os.geteuid() == 0 else []), str(SHIGAN), "migrate"],
            cwd=root,
            env={**env, "SHIGAN_DATA_DIR": str(folder)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert_one_chinese_line(result, f"数据目录 {folder} 中写入文件（没有写入权限）", to_set)
        assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["report", "-o", "report.md"],
        ["import", "actuals.xlsx"],
        ["createsuperuser", "--noinput", "--username", "zhuanban"],
        ["createcoordinator", "--noinput", "--username", "zhuanban"],
        ["serve", "--port", "8999"],
    ],
    ids=" ".join,
)
def test_commands_before_an_install_name_the_folder_and_shigan_migrate(tmp_path, args):
    result = shigan(*args, cwd=tmp_path)
    assert_one_chinese_line(result, str(tmp_path / "shigan-data"), "shigan migrate")
    assert not (tmp_path / "shigan-data").exists()


def test_commands_with_a_key_but_no_database_say_to_run_migrate_and_create_nothing(tmp_path):
    env = clean_env(tmp_path, SHIGAN_SECRET_KEY="set-by-the-operator")
    result = shigan("report", "-o", "report.md", cwd=tmp_path, env=env)
    database = tmp_path / "shigan-data" / "shigan.sqlite3"
    assert_one_chinese_line(result, f"数据库 {database} 不存在", "shigan migrate")
    assert not database.exists()


@pytest.mark.parametrize(
    "args", [["migrate"], ["report", "-o", "r.md"], ["serve", "--port", "8999"]], ids=" ".join
)
def test_an_unreachable_database_server_is_a_chinese_line_without_the_password(tmp_path, args):
    url = f"postgres://shigan:hush-hush@127.0.0.1:{free_port()}/district"
    env = clean_env(tmp_path, DATABASE_URL=url, SHIGAN_SECRET_KEY="set-by-the-operator")
    line = assert_one_chinese_line(shigan(*args, cwd=tmp_path, env=env), "无法使用数据库 district")
    assert "DATABASE_URL" in line
    assert "hush-hush" not in line


def test_an_unrecognised_database_url_is_a_chinese_line(tmp_path):
    env = clean_env(tmp_path, DATABASE_URL="postgress://u:hush-hush@db/x")
    line = assert_one_chinese_line(
        shigan("migrate", cwd=tmp_path, env=env), "DATABASE_URL 无法识别"
    )
    assert "hush-hush" not in line


def readme_install_block() -> list[str]:
    """The shell lines of the first ```sh block under the README's install heading."""
    text = README.read_text(encoding="utf-8")
    assert INSTALL_HEADING in text, f"README.md has no {INSTALL_HEADING!r} section"
    section = text.split(INSTALL_HEADING, 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, f"no ```sh block under {INSTALL_HEADING!r}"
    return [line for line in block.group(1).splitlines() if line.strip()]


class Session:
    """Runs README lines the way the operator's shell would, inside tmp_path."""

    def __init__(self, root: Path):
        self.root = root
        self.cwd = root
        self.env = clean_env(root)
        self.ran: list[str] = []
        self.coordinator = ""

    def local(self, path: str) -> Path:
        return self.root / path.lstrip("/") if path.startswith("/") else self.cwd / path

    def run(self, line: str) -> None:
        words = shlex.split(line, comments=True)
        assignments = {}
        while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
            key, value = words.pop(0).split("=", 1)
            assignments[key] = value
        command, args = words[0], words[1:]
        if command == "mkdir" and args[0] == "-p":
            for path in args[1:]:
                self.local(path).mkdir(parents=True, exist_ok=True)
        elif command == "cd":
            self.cwd = self.local(args[0])
        elif command == "export":
            self.env.update(arg.split("=", 1) for arg in args)
        elif command == "shigan":
            self.shigan(args, {**self.env, **assignments})
            self.ran.append(args[0])
        else:
            pytest.fail(f"README install line the test cannot run: {line}")

    def shigan(self, args: list[str], env: dict[str, str]) -> None:
        if args[0] == "serve":
            serve_and_log_in(args, cwd=self.cwd, env=env, username=self.coordinator)
            return
        if args[0] == "createcoordinator":
            self.coordinator = args[args.index("--username") + 1]
            args = [*args, "--noinput"]
            env = {**env, "SHIGAN_PASSWORD": PASSWORD}
        result = shigan(*args, cwd=self.cwd, env=env)
        assert result.returncode == 0, f"shigan {' '.join(args)}\n{result.stdout}{result.stderr}"


class Browser:
    """urllib with cookies, sending the Host header of the server's public name."""

    def __init__(self, base: str, host: str):
        self.base = base
        self.host = host
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, form: dict[str, str] | None = None):
        data = urllib.parse.urlencode(form).encode() if form else None
        request = urllib.request.Request(self.base + path, data=data, headers={"Host": self.host})
        return self.opener.open(request, timeout=30)

    def wait(self, path: str, proc: subprocess.Popen, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"shigan serve exited with {proc.returncode}"
            try:
                return self.open(path)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError(f"{path} did not answer within {seconds}s")


def serve_and_log_in(args: list[str], *, cwd: Path, env: dict[str, str], username: str) -> None:
    """Start `shigan serve` on a free port, log in as the coordinator (he lands on 初始化: nothing
    is set up yet), open the map, the admin and the accounts page, then stop the server."""
    port = free_port()
    position = args.index("--port")
    args = [*args[: position + 1], str(port), *args[position + 2 :]]
    host = env.get("SHIGAN_ALLOWED_HOSTS", "127.0.0.1").split(",")[0]
    browser = Browser(f"http://127.0.0.1:{port}", host)
    log_path = cwd / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([str(SHIGAN), *args], cwd=cwd, env=env, stdout=log, stderr=log)
        try:
            login_page = browser.wait("/accounts/login/", proc).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)[1]
            form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
            assert browser.open("/accounts/login/", form).url.endswith("/setup/")
            for path in ("/map/", "/admin/", "/setup/accounts/", "/setup/org/import/"):
                page = browser.open(path)
                assert page.status == 200, path
                assert "/accounts/login/" not in page.url, path
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


def test_readme_install_block_gives_a_district_whose_coordinator_opens_the_map_and_admin(
    tmp_path,
):
    session = Session(tmp_path)
    for line in readme_install_block():
        session.run(line)
    assert session.ran == ["migrate", "createcoordinator", "serve"]
    data = session.cwd / "shigan-data"
    assert mode(data / "secret_key") == 0o600
    assert mode(data / "shigan.sqlite3") == 0o600
