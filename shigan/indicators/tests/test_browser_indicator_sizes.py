"""The indicator page of the demo district (2023-07-31) in Chromium at 1920×1080, 1440×900 and
390×844, as the leader and the task force: the leader's table has the district's rows (it was
empty), no sideways scrolling, the 序时进度 tiles inside the first screen, and on a phone each
indicator a card whose first line is its state (issue 15)."""

import datetime
from pathlib import Path

import pytest

from shigan.dashboards.tests.test_browser_cockpit_sizes import SIZES, open_as
from shigan.demo.district import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ROWS = "table.ind-table tbody tr[data-indicator]"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))


@pytest.mark.parametrize("username", ["lingdao", "zhuanban"])
def test_indicator_page_at_every_size(demo, chromium, live_server, username):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in SIZES.items():
        context, page = open_as(chromium, live_server.url, username, size)
        page.goto(f"{live_server.url}/indicators/")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], (username, name, width)
        assert page.locator(ROWS).count() == 12, (username, name)
        tiles = page.locator("[data-tiles]").bounding_box()
        assert tiles["y"] + tiles["height"] <= size["height"], (username, name, tiles)
        if name == "phone":
            first = page.locator(ROWS).first
            state = first.locator(".status").bounding_box()
            title = first.locator(".ind-name a").first.bounding_box()
            assert state["y"] < title["y"], (state, title)  # the state before the name
            assert page.locator("details.filter-fold:not([open]) form.ind-filters").count() == 1
        if username == "lingdao":
            assert (
                page.locator("[data-leader-note]").inner_text().startswith("全区主要指标（只读）")
            )
            assert page.locator("a:text-is('指标设置'), a:text-is('Excel导入')").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"indicators-{username}-{name}.png"), full_page=True)
        context.close()
