"""A reporter files the monthly report in a real browser; the battle map shows it."""

import datetime
from pathlib import Path

import pytest

from shigan.tasks.models import Milestone
from shigan.testing import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_files_monthly_report_and_battle_map_shows_it(
    world, browser_page, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    late = Milestone.objects.create(
        task=world.task_a, title="完成施工图审查", due_date=datetime.date(2023, 7, 10)
    )
    page = browser_page
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    login(page, base, "reporter_a")
    page.goto(f"{base}/map/")
    row = page.locator("tr", has_text="兴业大道建设")
    assert "滞后" in row.inner_text()
    assert page.locator("text=清凉河治理二期").count() == 0  # another unit's task

    page.set_viewport_size({"width": 390, "height": 844})  # a phone in the field
    page.goto(f"{base}/tasks/report/")
    page.fill(f"textarea[name=task-{world.task_a.pk}-text]", "施工图审查已通过，整体方案初稿完成。")
    page.fill(f"input[name=task-{world.task_a.pk}-ms-{late.pk}]", "2023-07-18")
    page.screenshot(path=str(ARTIFACTS / "monthly_report_phone.png"), full_page=True)
    page.click("text=提交月报")
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages").count() == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/map/")
    row = page.locator("tr", has_text="兴业大道建设")
    text = row.inner_text()
    assert "施工图审查已通过" in text
    assert "滞后" not in text and "正常" in text
    page.screenshot(path=str(ARTIFACTS / "battle_map.png"), full_page=True)

    late.refresh_from_db()
    assert late.done_on == datetime.date(2023, 7, 18)
    assert page.requested_hosts and set(page.requested_hosts) == {"127.0.0.1"}
