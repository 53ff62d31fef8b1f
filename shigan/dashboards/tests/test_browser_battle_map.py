"""The battle map in Debian's Chromium: phone width, the status tiles, print page size."""

import re

import pytest

from shigan.testing import PASSWORD

from .bulk import bulk_tasks

A3_LANDSCAPE = (1191, 842)  # points
A4_LANDSCAPE = (842, 595)


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def pdf_page_size(pdf: bytes) -> tuple[int, int]:
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return round(float(box.group(1))), round(float(box.group(2)))


def scrolls_sideways(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "el => el.scrollWidth > el.clientWidth + 1")


@pytest.fixture
def signed_in(world, browser_page, live_server, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    bulk_tasks(world, 6)
    login(browser_page, live_server.url, "coordinator")
    return browser_page, live_server.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_only_the_table_and_timeline_scroll_sideways(signed_in):
    page, base = signed_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/map/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    # The table scrolls inside its frame, or (app.js on phones) is laid out as cards.
    assert scrolls_sideways(page, ".table-wrap") or page.locator("table.card-rows").count() == 1
    page.goto(f"{base}/map/?view=timeline")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert scrolls_sideways(page, ".gantt-wrap")
    assert page.locator(".gantt .bar").count() == 8
    assert set(page.requested_hosts) == {"127.0.0.1"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clicking_a_status_tile_filters_the_map(signed_in):
    page, base = signed_in
    page.goto(f"{base}/map/")
    page.click(".status-tiles [data-status=behind]")
    page.wait_for_load_state("networkidle")
    assert "status=behind" in page.url
    assert page.locator("tbody tr.row-behind").count() == 1
    assert page.locator("tbody tr.row-on_track").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_map_prints_on_a3_or_a4_landscape_without_filters(signed_in):
    page, base = signed_in
    page.goto(f"{base}/map/?view=timeline")
    page.emulate_media(media="print")
    assert not page.locator(".map-filters").is_visible()
    assert page.locator(".gantt .bar").first.is_visible()
    assert pdf_page_size(page.pdf(prefer_css_page_size=True)) == A3_LANDSCAPE
    page.goto(f"{base}/map/?paper=a4")
    assert pdf_page_size(page.pdf(prefer_css_page_size=True)) == A4_LANDSCAPE
