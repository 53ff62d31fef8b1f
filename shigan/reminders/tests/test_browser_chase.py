"""In a real browser: a coordinator opens 报送情况 from the battle map, sends 催报 after reading
the message; the reporter logs in, sees the unread count, opens the message in his inbox,
follows it to 月度填报 and files; the board then shows his unit 已报."""

from pathlib import Path

import pytest

from shigan.reminders.models import Message
from shigan.testing import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def unit_status(page, unit: str) -> str:
    return page.locator("table.filing-board tr", has_text=unit).locator("td").nth(1).inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_chases_and_the_reporter_files_from_his_inbox(
    world, browser_page, chromium, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    page = browser_page
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    login(page, base, "coordinator")
    page.click("text=报送情况 / 催报")
    page.wait_for_load_state("networkidle")
    assert "2023年7月" in page.inner_text("h1")
    assert unit_status(page, "区交通局") == "未报"
    page.click("text=一键催报")
    page.wait_for_load_state("networkidle")
    text = page.locator("textarea[name=text]")
    assert text.input_value() == "请于8月7日前报送7月工作进展。"
    assert "王填报" in page.inner_text("main") and "赵填报" in page.inner_text("main")
    text.fill("请于8月7日前报送7月工作进展，兴业大道请附现场照片。")
    page.screenshot(path=str(ARTIFACTS / "chase_preview.png"), full_page=True)
    page.click("text=确认发送催报")
    page.wait_for_load_state("networkidle")
    assert "已向2个单位的2名填报员发送催报" in page.inner_text(".messages")
    assert "已催报1次" in page.locator("table.filing-board tr", has_text="区交通局").inner_text()
    page.screenshot(path=str(ARTIFACTS / "filing_board.png"), full_page=True)

    other = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        reporter = other.new_page()
        login(reporter, base, "reporter_a")
        assert reporter.locator(".whoami .unread-count").inner_text() == "1"
        reporter.click(".whoami >> text=消息")
        reporter.wait_for_load_state("networkidle")
        reporter.screenshot(path=str(ARTIFACTS / "inbox_phone.png"), full_page=True)
        reporter.click("text=催报：2023年7月工作进展")
        reporter.wait_for_load_state("networkidle")
        assert "兴业大道请附现场照片" in reporter.inner_text("main")
        assert reporter.locator(".whoami .unread-count").count() == 0  # read now
        reporter.click("text=前往处理")
        reporter.wait_for_load_state("networkidle")
        assert reporter.url.endswith("/tasks/report/?period=2023-07")
        reporter.fill(f"textarea[name=task-{world.task_a.pk}-text]", "兴业大道路基完成八成。")
        reporter.click("text=提交月报")
        reporter.wait_for_load_state("networkidle")
        assert reporter.locator(".messages").count() == 1
    finally:
        other.close()

    page.reload()
    page.wait_for_load_state("networkidle")
    assert unit_status(page, "区交通局") == "已报"
    assert "王填报" in page.locator("table.filing-board tr", has_text="区交通局").inner_text()
    assert unit_status(page, "区水务局") == "未报"
    assert Message.objects.filter(recipient=world.reporter_b).count() == 1
    assert page.requested_hosts and set(page.requested_hosts) == {"127.0.0.1"}
