"""A district's first day, in a real browser against a real install (issue 11).

On an empty install — `shigan migrate`, `shigan createcoordinator` (password from SHIGAN_PASSWORD),
`shigan serve` on a free port, each a child process in a fresh data folder, as the README's
install block runs them — the new coordinator logs in and, through the pages and their links only:
follows 初始化 to 组织架构导入, downloads the filled example from the page, uploads it, checks the
preview and confirms; creates the 2023 campaign with the district's top unit as organiser; imports
the filled example task list (preview, 确认导入); creates everyone's accounts (asked to confirm),
reads the initial passwords shown once and downloads the sheet once (a second download is
refused). A reporter of a unit that leads a task logs in with his initial password, is held on
修改密码 until he changes it, lands on his unit's 月度填报 and files July's progress. The
coordinator's battle map then shows that progress, and its 本月填报 panel the unit as filed.

"Today" is pinned to 2023-07-31 (SHIGAN_TODAY in the served process). With DATABASE_URL set, the
install runs on a fresh PostgreSQL database created on that server for the test (and dropped
after). SHIGAN_SCREENSHOTS=DIR saves a screenshot of every step at 1280 px and 390 px."""

import os
import re
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from openpyxl import load_workbook

from shigan.demo.tests.test_cli import free_port
from shigan.demo.tests.test_install import SHIGAN, Browser, clean_env, shigan
from shigan.orgs.xlsx import layout as L
from shigan.orgs.xlsx.example import EXAMPLE

TODAY = "2023-07-31"
COORDINATOR = "zhuanban"
COORDINATOR_PASSWORD = "Lanqiao-install-2023"
# The district as the README's install block names it; the organisation example downloaded from
# the page carries the coordinator's own district in its top row.
DISTRICT = "示范区党委政府"
REPORTER = "杨帆"  # 单位填报员 of 交通建设办公室 in the organisation example
REPORTER_UNIT = "交通建设办公室"
REPORTER_UNIT_LABEL = "交通建设办"  # its 简称, as lists show it
TASK = "兴业大道建设项目"  # led by 交通建设办公室 in the task-list example
REPORTER_PASSWORD = "Qingliang-river-2023"
GROUP = "作风建设“实干年”活动领导小组"  # the organisation example's leading group
PROGRESS = "兴业大道整体方案初稿已完成，7月完成专家评审。"


# --- the install ---------------------------------------------------------------------------


@contextmanager
def fresh_database_url():
    """Nothing (SQLite in the data folder), or — when the test run has DATABASE_URL — the URL of a
    new empty database on that PostgreSQL server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        yield ""
        return
    parts = urlsplit(url)
    name = f"shigan_first_day_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def installed_and_served(root: Path, database_url: str):
    """The README's install in `root` on a free port; yields the base URL while `shigan serve`
    runs, then stops it and checks its log holds no traceback."""
    env = clean_env(root, SHIGAN_TODAY=TODAY)
    if database_url:
        env["DATABASE_URL"] = database_url
    for args, extra in [
        (["migrate"], {}),
        (
            ["createcoordinator", "--username", COORDINATOR, "--name", "张专班",
             "--unit-name", DISTRICT, "--noinput"],
            {"SHIGAN_PASSWORD": COORDINATOR_PASSWORD},
        ),
    ]:  # fmt: skip
        result = shigan(*args, cwd=root, env={**env, **extra})
        assert result.returncode == 0, f"shigan {' '.join(args)}\n{result.stdout}{result.stderr}"
    # SQLite in the data folder, or none there when the install runs on PostgreSQL.
    assert (root / "shigan-data" / "shigan.sqlite3").exists() == (not database_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = root / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(SHIGAN), "serve", "--port", str(port)], cwd=root, env=env, stdout=log, stderr=log
        )
        try:
            Browser(base, "127.0.0.1").wait("/accounts/login/", proc)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert "Traceback" not in log_path.read_text(), log_path.read_text()


# --- the browser ---------------------------------------------------------------------------


class User:
    """One browser page, with the steps a user takes and (SHIGAN_SCREENSHOTS=DIR) a screenshot
    of each step at 1280 px and 390 px."""

    def __init__(self, page, base: str, downloads: Path):
        self.page = page
        self.base = base
        self.downloads = downloads
        self.shots = os.environ.get("SHIGAN_SCREENSHOTS", "")
        self.count = 0

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def at(self, path: str) -> None:
        assert self.path == path, f"expected {path}, at {self.page.url}"

    def main(self) -> str:
        return self.page.inner_text("main")

    def messages(self) -> str:
        box = self.page.locator(".messages")
        return box.inner_text() if box.count() else ""

    def shot(self, name: str) -> None:
        if not self.shots:
            return
        folder = Path(self.shots)
        folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        for width, height in [(1280, 900), (390, 844)]:
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.screenshot(
                path=str(folder / f"{self.count:02d}-{name}-{width}.png"), full_page=True
            )
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def click(self, selector: str) -> None:
        """Click and wait for the page it opens."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.page.wait_for_load_state("networkidle")

    def download(self, selector: str) -> Path:
        with self.page.expect_download() as info:
            self.page.click(selector)
        download = info.value
        assert download.failure() is None, download.failure()
        target = self.downloads / download.suggested_filename
        download.save_as(target)
        return target

    def log_in(self, username: str, password: str) -> None:
        self.page.goto(f"{self.base}/")
        self.at("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.click("main button[type=submit]")

    def log_out(self) -> None:
        self.click(".whoami button:has-text('退出')")
        self.page.goto(f"{self.base}/")
        self.at("/accounts/login/")

    def to_guide(self) -> None:
        """初始化, from the top navigation (under 更多)."""
        self.page.click("nav.mainnav summary:has-text('更多')")
        self.click("nav.mainnav a:has-text('初始化')")
        self.at("/setup/")


def guide_step(user: User, title: str):
    return user.page.locator("li.setup-step", has=user.page.locator("h2", has_text=title))


@pytest.mark.browser
def test_a_new_district_sets_up_and_a_reporter_files_his_month(chromium, tmp_path):
    root, downloads = tmp_path / "district", tmp_path / "downloads"
    root.mkdir()
    downloads.mkdir()
    with fresh_database_url() as database_url, installed_and_served(root, database_url) as base:
        context = chromium.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        hosts = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
        user = User(page, base, downloads)
        try:
            coordinator_sets_the_district_up(user)
            reporter = reporter_credentials(user)
            user.log_out()
            reporter_files_his_month(user, *reporter)
            user.log_out()
            battle_map_shows_the_filing(user)
        except Exception:
            print(f"Failed at {page.url}:\n{page.inner_text('body')}")
            raise
        finally:
            context.close()
    assert hosts == {"127.0.0.1"}  # nothing fetched from elsewhere


def coordinator_sets_the_district_up(user: User) -> None:
    # 1. The coordinator's first login: / opens 初始化, organisation first.
    user.log_in(COORDINATOR, COORDINATOR_PASSWORD)
    user.at("/setup/")
    assert "下一步：组织架构" in user.main()
    assert "尚未建立活动" in guide_step(user, "活动").inner_text()
    user.shot("guide-empty")

    # 2. 组织架构导入: the filled example from the page, uploaded, previewed, confirmed.
    user.click("li.setup-step a:has-text('导入组织架构')")
    user.at("/setup/org/import/")
    user.shot("org-import")
    example = user.download("main a:has-text('下载填写示例')")
    assert {"单位", "人员", "分管", "领导小组"} <= set(load_workbook(example).sheetnames)
    user.page.set_input_files("main input[type=file][name=file]", str(example))
    user.click("main button:has-text('上传并预览')")
    preview = user.page.inner_text("#preview")
    assert "单位：新增" in preview and REPORTER_UNIT in preview
    assert "人员：新增10人" in preview and REPORTER in preview
    user.shot("org-preview")
    user.click("main button:has-text('确认导入')")
    assert "导入成功" in user.page.inner_text("#import-result")
    user.shot("org-imported")

    # The units and people exist: 初始化 counts them, 账号管理 lists them by unit.
    user.to_guide()
    org = guide_step(user, "组织架构").inner_text()
    units, people = len(EXAMPLE[L.UNITS]), len(EXAMPLE[L.PEOPLE]) + 1  # and 张专班
    assert "✓ 已完成" in org, org
    assert f"{units}个单位" in org and f"{people}名人员" in org, org
    assert "下一步：人员与账号" in user.main()

    # 3. The campaign, from the guide's 新建活动: 2023, the district's top unit as organiser.
    user.click("li.setup-step a:has-text('新建活动')")
    user.at("/campaigns/new/")
    page = user.page
    page.fill("input[name=year]", "2023")
    page.fill("input[name=name]", "作风建设“实干年”活动")
    organisers = page.locator("select[name=organiser] option").all_inner_texts()
    assert {DISTRICT, REPORTER_UNIT, "财政所"} <= set(organisers), organisers  # imported units
    page.select_option("select[name=organiser]", label=DISTRICT)
    page.select_option("select[name=leading_group]", label=GROUP)  # the imported group
    page.fill("input[name=start_date]", "2023-01-01")
    page.fill("input[name=end_date]", "2023-12-31")
    user.shot("campaign-form")
    user.click("main button:has-text('保存')")
    assert "活动“2023年作风建设“实干年”活动”已新建" in user.messages()
    assert DISTRICT in user.main() and "2023年1月1日至2023年12月31日" in user.main()
    user.shot("campaign-created")

    # 4. 任务清单导入, from the guide: the filled example, preview, 确认导入.
    user.to_guide()
    assert "✓ 已完成" in guide_step(user, "活动").inner_text()
    user.click("li.setup-step a:has-text('导入任务清单')")
    user.at("/tasks/import/")
    user.shot("task-import")
    example = user.download("main a:has-text('下载填写示例')")
    page.set_input_files("main input[type=file][name=file]", str(example))
    user.click("main button:has-text('上传并预览')")
    result = page.inner_text("#import-result")
    assert "导入预览（尚未导入）" in result, result
    assert "将新增任务（3项）" in result and TASK in result
    user.shot("task-preview")
    user.click("main button:has-text('确认导入')")
    result = page.inner_text("#import-result")
    assert "导入成功" in result and "新增任务（3项）" in result, result
    user.shot("task-imported")

    # The district has tasks now: / opens the battle map, listing them.
    page.goto(f"{user.base}/")
    user.at("/map/")
    assert TASK in page.inner_text("main table")


def reporter_credentials(user: User) -> tuple[str, str]:
    """5. 账号管理 from 初始化: 为所有人创建账号 (asked first), the initial passwords shown once,
    the sheet downloaded once. Returns the reporter's login name and initial password."""
    page = user.page
    user.to_guide()
    user.click("li.setup-step a:has-text('账号管理')")
    user.at("/setup/accounts/")
    assert REPORTER in page.inner_text("table.account-table")
    user.shot("accounts")
    user.click("main button:has-text('一键创建账号')")
    assert re.search(r"为以下\d+位人员创建账号？", page.inner_text("h1"))
    confirm_list = page.inner_text("table.account-table")
    assert REPORTER in confirm_list and "单位填报员" in confirm_list
    user.shot("accounts-confirm")
    user.click("main button:has-text('确认创建')")
    assert re.search(r"已创建\d+个账号", page.inner_text("h1"))
    row = page.locator("table.initial-passwords tr", has_text=REPORTER)
    username = row.locator("td.username").inner_text().strip()
    password = row.locator("code.initial-password").inner_text().strip()
    assert username and len(password) >= 10
    user.shot("initial-passwords")
    sheet = user.download("main button:has-text('下载密码表')")
    cells = [
        str(c) for r in load_workbook(sheet).active.iter_rows(values_only=True) for c in r if c
    ]
    assert username in cells and password in cells
    # The page is still there; a second download is refused with a message.
    user.click("main button:has-text('下载密码表')")
    user.at("/setup/accounts/")
    assert "初始密码表只能下载一次" in user.messages()
    assert password not in page.content()
    user.shot("sheet-refused")
    return username, password


def reporter_files_his_month(user: User, username: str, initial: str) -> None:
    """6. The reporter: initial password → 修改密码 (nothing else opens) → his unit's 月度填报."""
    page = user.page
    user.log_in(username, initial)
    user.at("/accounts/password/")
    assert "您正在使用初始密码" in user.main()
    page.goto(f"{user.base}/map/")
    user.at("/accounts/password/")
    user.shot("password-change")
    page.fill("input[name=old_password]", initial)
    page.fill("input[name=new_password1]", REPORTER_PASSWORD)
    page.fill("input[name=new_password2]", REPORTER_PASSWORD)
    user.click("main button[type=submit]")
    user.at("/tasks/report/")
    assert "密码已修改" in user.messages()
    assert f"{REPORTER_UNIT} · 2023年7月月报" in page.inner_text("h1")
    card = page.locator("details.mr-card", has=page.locator(".mr-title", has_text=TASK))
    card.locator("textarea[name$='-text']").fill(PROGRESS)
    user.shot("monthly-report")
    user.click("main button:has-text('提交月报')")
    assert "已提交1项任务的2023年7月进展" in user.messages()
    card = page.locator("details.mr-card", has=page.locator(".mr-title", has_text=TASK))
    assert card.get_attribute("open") is None  # filed this month: folded to one line
    assert PROGRESS in card.locator(".mr-last").text_content()
    user.shot("monthly-filed")


def battle_map_shows_the_filing(user: User) -> None:
    """7. The coordinator's battle map: the task with the month's progress; 本月填报 names the
    reporter's unit among those that filed."""
    page = user.page
    user.log_in(COORDINATOR, COORDINATOR_PASSWORD)
    user.at("/map/")
    row = page.locator("main table tr", has_text=TASK)
    assert PROGRESS in row.inner_text()
    filing = page.locator("section.filing")
    assert "7月填报" in filing.locator("h2").inner_text()
    missing = filing.locator("ul.filing-missing").inner_text()
    assert "水务站" in missing and REPORTER_UNIT_LABEL not in missing, missing
    filing.locator("details summary").click()
    assert REPORTER_UNIT_LABEL in filing.locator("details").inner_text()
    assert "已填报的单位（1）" in filing.inner_text()
    user.shot("battle-map")
