"""In a real browser: a coordinator opens 报送情况, follows 一键催办, reads the overdue items and
the message, unticks one and sends; the reporter sees the message in his inbox, opens it,
follows the item's line and its page says 已催办1次."""

import datetime
from pathlib import Path

import pytest

from shigan.reminders.models import Message
from shigan.testing import make_task

from .test_browser_chase import login

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_chases_overdue_items_and_the_reporter_opens_one(
    world, browser_page, chromium, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    roads = make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                      title="兴业大道征地拆迁", due=datetime.date(2023, 6, 30))  # fmt: skip
    signs = make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                      title="交通标志更新", due=datetime.date(2023, 7, 14))  # fmt: skip
    make_task(campaign=world.campaign, category=world.category, unit=world.unit_b,
              title="清凉河清淤", due=datetime.date(2023, 7, 1))  # fmt: skip
    page = browser_page
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    login(page, base, "coordinator")
    page.click(".mainnav summary:has-text('更多')")  # a coordinator's 报送情况 is under 更多
    page.click(".mainnav >> text=报送情况")
    page.wait_for_load_state("networkidle")
    page.click("text=一键催办（3项逾期事项）")
    page.wait_for_load_state("networkidle")
    assert "一键催办" in page.inner_text("h1")
    main = page.inner_text("main")
    assert "兴业大道征地拆迁" in main and "清凉河清淤" in main and "逾期20天" in main
    assert page.locator("input[name=items]:checked").count() == 3
    page.uncheck(f"#item-{signs.pk}")
    page.fill("textarea[name=text]", "兴业大道征地拆迁请本周内完成，并上传现场照片。")
    page.screenshot(path=str(ARTIFACTS / "item_chase_preview.png"), full_page=True)
    page.click("text=确认发送催办")
    page.wait_for_load_state("networkidle")
    assert "已催办2项事项，向2个单位的2名填报员发送消息" in page.inner_text(".messages")
    assert Message.objects.filter(recipient=world.reporter_a).count() == 1

    other = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        reporter = other.new_page()
        login(reporter, base, "reporter_a")
        assert reporter.locator(".whoami .unread-count").inner_text() == "1"
        reporter.click(".whoami >> text=消息")
        reporter.wait_for_load_state("networkidle")
        reporter.click("text=催办：兴业大道征地拆迁")
        reporter.wait_for_load_state("networkidle")
        body = reporter.inner_text("main")
        assert "请本周内完成，并上传现场照片" in body and "专班催办" in body
        assert "交通标志更新" not in body and "清凉河清淤" not in body
        reporter.screenshot(path=str(ARTIFACTS / "item_chase_message_phone.png"), full_page=True)
        reporter.click("text=兴业大道征地拆迁（完成时限2023-06-30）")
        reporter.wait_for_load_state("networkidle")
        assert reporter.url.endswith(f"/tasks/{roads.pk}/")
        assert "已催办1次" in reporter.inner_text("h1")
        assert "专班催办（第1次）" in reporter.inner_text("#history")
        reporter.screenshot(path=str(ARTIFACTS / "task_chased_phone.png"), full_page=True)
    finally:
        other.close()
    assert page.requested_hosts and set(page.requested_hosts) == {"127.0.0.1"}
