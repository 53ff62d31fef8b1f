"""下级汇总 on a county's indicator page in Chromium at 1280 and 390 px wide: the section is
there with its incomplete mark and links down to each district's indicator, no sideways
scrolling; screenshots in test-artifacts/."""

from pathlib import Path

import pytest

from shigan.testing import PASSWORD

from .test_pages_lower import levels  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _open(chromium, base: str, username: str, width: int):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("width", [1280, 390])
def test_lower_section_at_desk_and_phone_width(levels, chromium, live_server, width):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = _open(chromium, live_server.url, "county_coord", width)
    page.goto(f"{live_server.url}/indicators/{levels.upper.pk}/?year=2023")
    page.wait_for_load_state("networkidle")
    section = page.locator("#lower")
    assert section.is_visible()
    assert "1个区未报" in section.inner_text()
    links = section.locator("a[href^='/indicators/']")
    assert links.count() >= 2  # each district's indicator, and the entry it came from
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    section.screenshot(path=str(ARTIFACTS / f"indicator-lower-{width}.png"))
    context.close()
