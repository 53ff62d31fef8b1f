"""In a real browser: a coordinator creates an account in 账号管理 and reads its initial password;
the new user, in another browser context, logs in with it, is made to change it, and lands on his
page (a reporter: his unit's monthly report); the coordinator then resets it, confirming first."""

from pathlib import Path

import pytest

from shigan.orgs.models import Person, Role
from shigan.testing import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
NEW_PASSWORD = "qingliang-river-77"


def login(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_creates_an_account_and_the_new_user_changes_his_password(
    world, browser_page, chromium, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    newcomer = Person.objects.create(name="孙建设", unit=world.unit_a, role=Role.REPORTER)
    page = browser_page
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    login(page, base, "coordinator", PASSWORD)
    assert page.url == f"{base}/map/"  # a coordinator lands on the battle map
    page.click("nav.mainnav summary:has-text('更多')")  # 账号管理 is under 更多
    page.click("nav.mainnav >> text=账号管理")
    row = page.locator("tr", has_text="孙建设")
    assert "未建账号" in row.inner_text()
    assert row.locator("input[name=username]").input_value() == "sunjianshe"
    page.screenshot(path=str(ARTIFACTS / "accounts_list.png"), full_page=True)
    row.locator("text=创建账号").click()
    page.wait_for_load_state("networkidle")
    assert "已为孙建设创建账号" in page.inner_text("h1")
    initial = page.locator("code.initial-password").inner_text().strip()
    page.screenshot(path=str(ARTIFACTS / "accounts_initial_password.png"), full_page=True)

    other = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        newcomer_page = other.new_page()
        login(newcomer_page, base, "sunjianshe", initial)
        assert newcomer_page.url == f"{base}/accounts/password/"
        assert "您正在使用初始密码" in newcomer_page.inner_text("main")
        newcomer_page.goto(f"{base}/map/")  # nothing else opens yet
        assert newcomer_page.url == f"{base}/accounts/password/"
        newcomer_page.fill("input[name=old_password]", initial)
        newcomer_page.fill("input[name=new_password1]", "short")
        newcomer_page.fill("input[name=new_password2]", "short")
        newcomer_page.click("main button[type=submit]")
        newcomer_page.wait_for_load_state("networkidle")
        assert "密码太短：至少10个字符" in newcomer_page.inner_text("main")
        newcomer_page.screenshot(
            path=str(ARTIFACTS / "password_change_refused.png"), full_page=True
        )
        newcomer_page.fill("input[name=old_password]", initial)
        newcomer_page.fill("input[name=new_password1]", NEW_PASSWORD)
        newcomer_page.fill("input[name=new_password2]", NEW_PASSWORD)
        newcomer_page.click("main button[type=submit]")
        newcomer_page.wait_for_load_state("networkidle")
        assert newcomer_page.url == f"{base}/tasks/report/"  # his unit's monthly report
        assert "密码已修改" in newcomer_page.inner_text(".messages")
        assert "兴业大道建设" in newcomer_page.inner_text("main")
        newcomer_page.screenshot(
            path=str(ARTIFACTS / "accounts_new_user_lands.png"), full_page=True
        )
    finally:
        other.close()

    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    page.goto(f"{base}/setup/accounts/{newcomer.pk}/")
    history = page.inner_text("table.history")
    assert "修改了密码" in history and "创建登录账号“sunjianshe”" in history

    # 重置密码 asks first, naming him; only the confirmation resets it.
    page.click("button:has-text('重置密码')")
    page.wait_for_load_state("networkidle")
    assert "重置孙建设（区交通局）的账号“sunjianshe”的密码？" in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / "accounts_reset_confirm.png"), full_page=True)
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    page.click("button:has-text('确认重置密码')")
    page.wait_for_load_state("networkidle")
    assert "已重置孙建设的密码" in page.inner_text("h1")
    assert page.locator("code.initial-password").inner_text().strip()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    assert page.requested_hosts and set(page.requested_hosts) == {"127.0.0.1"}
