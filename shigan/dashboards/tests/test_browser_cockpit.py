"""The cockpit in Debian's Chromium at desktop and phone width; screenshots for review."""

from pathlib import Path

import pytest

from .bulk import bulk_tasks
from .cockpit_data import activities
from .test_browser_battle_map import login

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def signed_in(world, browser_page, live_server, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    activities(world)
    bulk_tasks(world, 8)
    login(browser_page, live_server.url, "coordinator")
    ARTIFACTS.mkdir(exist_ok=True)
    return browser_page, live_server.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cockpit_reads_at_desktop_and_phone_width(signed_in):
    page, base = signed_in
    page.goto(f"{base}/map/cockpit/")
    assert page.locator(".ck-card").count() == 13  # 马上就办 and 督办事项 (none) included
    tasks = page.locator("[data-card=tasks]")
    assert tasks.locator("[data-value]").inner_text() == "14"
    page.screenshot(path=str(ARTIFACTS / "cockpit.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/map/cockpit/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "cockpit-phone.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "cockpit-phone-top.png"))
    assert set(page.requested_hosts) == {"127.0.0.1"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clicking_a_status_line_opens_the_filtered_battle_map(signed_in):
    page, base = signed_in
    page.goto(f"{base}/map/cockpit/")
    page.click("[data-card=tasks] .ck-items a:has-text('滞后')")
    page.wait_for_load_state("networkidle")
    assert "/map/?" in page.url and "status=behind" in page.url
    assert page.locator(".battle-table tbody tr.row-behind").count() >= 1
    assert page.locator(".battle-table tbody tr.row-on_track").count() == 0
