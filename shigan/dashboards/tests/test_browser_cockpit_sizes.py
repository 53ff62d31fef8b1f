"""The cockpit of the demo district (2023-07-31) in Chromium at the meeting-room screen
(1920×1080), a desk (1440×900) and a phone (390×844), as the leader and the task force: no
sideways scrolling, the status band (逾期 n …) and the headline figures inside the first
screen, the band's counts the same as the cards' (issue 15)."""

import datetime
from pathlib import Path

import pytest

from shigan.demo.district import load_demo
from shigan.demo.screenshots import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
SIZES = {
    "wall": {"width": 1920, "height": 1080},
    "desk": {"width": 1440, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    load_demo(today=datetime.date(2023, 7, 31))


def open_as(chromium, base, username, size):
    phone = size["width"] < 640
    context = chromium.new_context(
        locale="zh-CN", viewport=size, is_mobile=phone, has_touch=phone, device_scale_factor=1
    )
    return context, log_in(context, base, username)


def first_screen(page, selector, height) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] < height


@pytest.mark.parametrize("username", ["lingdao", "zhuanban"])
def test_cockpit_status_first_at_every_size(demo, chromium, live_server, username):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in SIZES.items():
        context, page = open_as(chromium, live_server.url, username, size)
        page.goto(f"{live_server.url}/map/cockpit/")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], (username, name, width)

        # The band's counts, whole, inside the first screen, worst first.
        band = page.locator("[data-band]").bounding_box()
        assert band["y"] + band["height"] <= size["height"], (username, name, band)
        labels = page.locator("[data-band] li span").all_inner_texts()
        assert labels[:3] == ["逾期", "滞后", "临期"], labels
        overdue = int(page.locator("[data-count=overdue] b").inner_text())
        card_overdue = page.locator("[data-card=tasks] .ck-items li.ck-overdue b")
        assert overdue == (int(card_overdue.inner_text()) if card_overdue.count() else 0)
        red = int(page.locator("[data-count=ind-red] b").inner_text())
        assert red == page.locator("[data-card=indicators] .ck-fig-red").count() > 0

        # The headline figures start in the first screen; all 12 of the demo are listed.
        assert first_screen(page, "[data-card=indicators] [data-figure]", size["height"]), name
        assert page.locator("[data-card=indicators] [data-figure]").count() == 12
        shown = page.locator("[data-card=indicators] [data-figure]:visible").count()
        assert shown == (6 if name == "phone" else 12), (name, shown)
        if name == "phone":  # the filters fold into one 筛选 button
            assert page.locator("details.filter-fold:not([open]) form.ck-filters").count() == 1
        page.screenshot(path=str(ARTIFACTS / f"cockpit-{username}-{name}.png"), full_page=True)
        context.close()


def test_leader_sees_the_districts_figures_tagged_district_wide(demo, chromium, live_server):
    context, page = open_as(chromium, live_server.url, "lingdao", SIZES["desk"])
    page.goto(f"{live_server.url}/map/cockpit/")
    headline = page.locator("[data-card=indicators]")
    assert headline.locator(".ck-tag").inner_text() == "全区"
    assert "固定资产投资" in headline.locator("[data-figure]").first.inner_text()
    assert "明显滞后" in headline.locator("[data-figure]").first.inner_text()
    context.close()


@pytest.mark.parametrize("name", ["desk", "phone"])
def test_county_cockpit_late_units_card(demo, chromium, live_server, name):
    """云岭县's 专班 (xianzhuanban) at a desk (1440) and a phone (390): the 逾期未报 card is
    in the grid right after the tasks card, whole and without sideways scrolling, and its link
    opens the list of those units, as many rows as its figure. Screenshots for review."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = SIZES[name]
    context, page = open_as(chromium, live_server.url, "xianzhuanban", size)
    page.goto(f"{live_server.url}/map/cockpit/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    keys = page.locator(".ck-grid [data-card]").evaluate_all(
        "cards => cards.map(c => c.dataset.card)"
    )
    assert keys.index("late_reports") == keys.index("tasks") + 1, keys
    card = page.locator("[data-card=late_reports]")
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], box
    count = int(card.locator("[data-value]").inner_text())
    assert count > 0 and card.locator(".ck-tag").inner_text() == "全县"
    card.screenshot(path=str(ARTIFACTS / f"cockpit-late-{name}-card.png"))
    page.screenshot(path=str(ARTIFACTS / f"cockpit-late-{name}.png"), full_page=True)
    card.locator("h2 a").click()
    page.wait_for_load_state("networkidle")
    assert "/map/levels/late/" in page.url
    assert page.locator("[data-cell=missing]").count() == count
    context.close()
