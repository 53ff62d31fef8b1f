"""In Debian's Chromium: a reporter records a visit with one concern (added with 添加一件诉求)
and a photo; the coordinator finds the concern on the list, its number masked."""

import pytest

from shigan.testing import PASSWORD

from .concern_helpers import category
from .visit_helpers import PNG


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_reporter_enters_a_visit_and_the_coordinator_sees_its_concern(
    world, browser_page, live_server, monkeypatch, settings, tmp_path
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    settings.MEDIA_ROOT = tmp_path
    category(world, name="道路交通", days=5)
    page, base = browser_page, live_server.url
    login(page, base, "reporter_a")
    page.goto(f"{base}/grassroots/")
    page.click("text=录入走访")
    page.fill("#id_date", "2023-07-28")
    page.select_option("#id_cadres", label="王填报")
    page.select_option("#id_place_kind", label="村")
    page.fill("#id_place", "清凉村三组")
    page.fill("#id_what_done", "入户走访")
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("#add-concern")
    page.select_option("#id_concern-0-category", label="道路交通")
    page.fill("#id_concern-0-requester_name", "王大爷")
    page.fill("#id_concern-0-requester_phone", "13812341234")
    page.fill("#id_concern-0-content", "村道坑洼，雨天积水")
    page.select_option("#id_concern-0-assigned_unit", label="区交通局")
    page.click("#visit-form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    errors = page.locator(".errorlist").all_inner_texts()
    assert "走访已录入，同时登记诉求1件" in page.content(), errors
    assert "现场.png" in page.content()

    page.context.clear_cookies()
    login(page, base, "coordinator")
    page.goto(f"{base}/grassroots/concerns/")
    row = page.locator("tbody tr", has_text="王大爷")
    assert "2023-0001" in row.inner_text() and "138****1234" in row.inner_text()
    assert "13812341234" not in page.content()
    row.locator("a", has_text="2023-0001").click()
    assert "现场.png" in page.content() and "2023-08-04" in page.content()
