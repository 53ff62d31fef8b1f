"""Screenshots of the demo's key pages, every role, at the three sizes people look at them
(issue 15): the meeting-room screen (1920×1080), a desk (1440×900) and a phone (390×844).

    scripts/screenshots [OUT_DIR] [--only SUBSTRING] [--sizes wall,desk,phone] [--url URL]

Builds a fresh demo in a scratch folder, serves it on a free port ("today" pinned to the demo's
date), logs in as each demo account in headless Chromium and saves one full-page PNG per page,
account and size: OUT_DIR/<size>/<account>-<page>.png (default ./screenshots). With --url it
photographs a demo already running there instead (its accounts and password must be the demo's).
Prints each file and any page that did not answer 200."""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = {"wall": (1920, 1080), "desk": (1440, 900), "phone": (390, 844)}
PASSWORD = "shigan-demo-2023"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=zh-CN"]

# (account, name, path): the pages people look at most, as the roles that look at them.
# A path of the form "link:PAGE|CSS" opens PAGE and follows the first link matching CSS.
PAGES = [
    ("lingdao", "home", "/"),
    ("lingdao", "cockpit", "/map/cockpit/"),
    ("lingdao", "map", "/map/"),
    ("lingdao", "map-wall", "/map/?view=wall"),
    ("lingdao", "indicators", "/indicators/"),
    ("zhuanban", "cockpit", "/map/cockpit/"),
    ("zhuanban", "map", "/map/"),
    ("zhuanban", "map-timeline", "/map/?view=timeline"),
    ("zhuanban", "map-wall", "/map/?view=wall"),
    ("zhuanban", "map-screen", "/map/?view=wall&screen=1"),
    ("zhuanban", "tasks", "/tasks/"),
    ("zhuanban", "task", "link:/tasks/?status=overdue|table a[href^='/tasks/'][href$='/']"),
    ("zhuanban", "approvals", "/tasks/requests/"),
    ("zhuanban", "indicators", "/indicators/"),
    ("zhuanban", "meetings", "/meetings/"),
    ("zhuanban", "supervision", "/supervision/"),
    ("zhuanban", "publicity", "/publicity/"),
    ("zhuanban", "grassroots", "/grassroots/"),
    ("zhuanban", "concerns", "/grassroots/concerns/"),
    ("zhuanban", "report", "/reports/"),
    ("zhuanban", "filing", "/reminders/filing/"),
    ("zhuanban", "admin", "/admin/"),
    ("zhuanban", "admin-tasks", "/admin/tasks/task/"),
    ("ducha", "supervision", "/supervision/"),
    ("tianbao", "monthly", "/tasks/report/"),
    ("tianbao4", "monthly", "/tasks/report/"),
    ("tianbao5", "monthly", "/tasks/report/"),  # nine indicators (农业农村办)
    ("tianbao", "tasks", "/tasks/"),
    ("tianbao", "indicators-unit", "/indicators/"),
    ("cunbao", "cockpit-unit", "/map/cockpit/"),
    ("cunbao", "timebank", "/timebank/"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"shigan serve exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {seconds:.0f}s")


def serve_fresh_demo(workdir: Path) -> tuple[str, subprocess.Popen]:
    """`shigan demo --no-serve` then `shigan serve` in workdir; returns (base URL, process)."""
    shigan = str(Path(sys.executable).with_name("shigan"))
    data = workdir / "data"
    env = dict(os.environ, SHIGAN_DATA_DIR=str(data))
    env.pop("DATABASE_URL", None)
    print("正在创建演示数据……", flush=True)
    subprocess.run(
        [shigan, "demo", "--data-dir", str(data), "--no-serve"],
        cwd=workdir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env["SHIGAN_TODAY"] = (data / "demo_today").read_text().split()[0]  # then campaign=ID
    port = free_port()
    log = (workdir / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            shigan,
            "serve",
            "--data-dir",
            str(data),
            "--port",
            str(port),
            "--workers",
            "2",
            "--no-worker",
        ],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/accounts/login/", proc)
    return base, proc


def log_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def photograph(base: str, out: Path, only: str, sizes: list[str]) -> int:
    """Launches Chromium and photographs the pages; returns the number of problems."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            return photograph_with(browser, base, out, only, sizes)
        finally:
            browser.close()


def photograph_with(browser, base: str, out: Path, only: str, sizes: list[str]) -> int:
    """One full-page PNG per page, account and size into out/<size>/; prints each file, with
    the pages that did not answer 200 or scroll sideways; returns how many did."""
    problems = 0
    accounts = sorted({a for a, _, _ in PAGES})
    for size in sizes:
        width, height = SIZES[size]
        (out / size).mkdir(parents=True, exist_ok=True)
        for account in accounts:
            wanted = [(n, p) for a, n, p in PAGES if a == account and only in f"{a}-{n}"]
            if not wanted:
                continue
            context = browser.new_context(
                locale="zh-CN",
                viewport={"width": width, "height": height},
                device_scale_factor=1,
                is_mobile=size == "phone",
                has_touch=size == "phone",
            )
            page = log_in(context, base, account)
            for name, path in wanted:
                problems += shoot(page, base, out / size / f"{account}-{name}.png", path)
            context.close()
    return problems


def shoot(page, base: str, file: Path, path: str) -> int:
    """One page's screenshot; 1 when it did not answer 200 or scrolls sideways, else 0."""
    if path.startswith("link:"):
        start, selector = path[5:].split("|", 1)
        page.goto(base + start)
        link = page.locator(selector).first
        if not link.count():
            print(f"{file}  {start}上没有链接 {selector}")
            return 1
        path = link.get_attribute("href")
    response = page.goto(base + path)
    page.wait_for_load_state("networkidle")
    status = response.status if response else 0
    page.screenshot(path=str(file), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    note = f"  HTTP {status}" if status != 200 else ""
    note += "  横向滚动" if wide else ""
    print(f"{file}{note}")
    return 1 if note else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default="screenshots")
    parser.add_argument("--only", default="", help="只拍账号-页面名中含此文字的页面")
    parser.add_argument("--sizes", default="wall,desk,phone")
    parser.add_argument("--url", default="", help="已在运行的演示地址")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"未知尺寸：{'、'.join(unknown)}（可选{'、'.join(SIZES)}）")
    out = Path(args.out).resolve()
    if args.url:
        return 1 if photograph(args.url.rstrip("/"), out, args.only, sizes) else 0
    workdir = Path(tempfile.mkdtemp(prefix="shigan-shots-"))
    proc = None
    try:
        base, proc = serve_fresh_demo(workdir)
        problems = photograph(base, out, args.only, sizes)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        log = workdir / "serve.log"
        if log.exists() and re.search(r"Traceback", log.read_text()):
            print(log.read_text()[-3000:])
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
