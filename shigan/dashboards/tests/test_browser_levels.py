"""下级对比 in Chromium at a desk (1280 px) and a phone (390 px), as the county's task force:
the table at 1280 px with a row per level, cards on a phone (app.js labels each cell with its
column; app.css lays a row out as a card), no sideways scrolling at either width; screenshots
in test-artifacts/ (issue 17)."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from .levels_world import COUNTY, TODAY, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def county(monkeypatch, settings):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY)
    settings.SHIGAN_TODAY = TODAY
    return build_world()[COUNTY]


def open_as(chromium, base: str, user, size):
    """A browser context logged in as `user` (his session cookie, no password form)."""
    client = Client()
    client.force_login(user)
    phone = size["width"] < 640
    context = chromium.new_context(
        locale="zh-CN", viewport=size, is_mobile=phone, has_touch=phone, device_scale_factor=1
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return context, context.new_page()


@pytest.mark.parametrize("name", list(SIZES))
def test_levels_page_at_desk_and_phone(county, chromium, live_server, name):
    ARTIFACTS.mkdir(exist_ok=True)
    size = SIZES[name]
    context, page = open_as(chromium, live_server.url, county.users["coordinator"], size)
    page.goto(f"{live_server.url}/map/levels/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("甲县党委政府")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], (name, width)
    assert page.locator("[data-levels] tbody tr").count() == 4  # 本级, 东区, 西区, 合计
    carded = page.locator("table.card-rows[data-levels]").count()
    if name == "phone":
        assert carded == 1
        label = page.locator("[data-row=total] [data-cell=tasks]").get_attribute("data-label")
        assert label == "任务合计"
        # Each card is headed by its level's name (its first link), not by a count.
        titles = page.locator("[data-levels] .card-title").all_inner_texts()
        assert titles == ["本级", "东区党委政府", "西区党委政府"], titles
        box = page.locator("[data-levels] tbody tr").first.bounding_box()
        assert box["width"] <= size["width"]
    page.screenshot(path=str(ARTIFACTS / f"levels-county-{name}.png"), full_page=True)
    context.close()
