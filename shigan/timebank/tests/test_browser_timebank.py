"""The time bank in Debian's Chromium: a reporter enters a service, the coordinator confirms it
in the queue, the statement shows the hours; the queue reads on a phone."""

import pytest

from shigan.testing import PASSWORD

from .factories import volunteer


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_service_entered_by_one_and_confirmed_by_another_reaches_the_statement(
    world, browser_page, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    page, base = browser_page, live_server.url
    account = volunteer(world, "陈桂兰", phone="13971001021")
    login(page, base, "reporter_a")
    page.goto(f"{base}/timebank/accounts/{account.pk}/services/new/")
    page.fill("input[name=hours]", "1.5")
    page.fill("input[name=beneficiary]", "独居老人王婆婆")
    page.fill("textarea[name=content]", "陪同就医")
    page.click("form.form-card button[type=submit]")
    assert "待他人确认后计入存折" in page.content()
    page.goto(f"{base}/timebank/queue/")
    assert page.locator("text=本人录入，待他人确认").count() == 1
    page.context.clear_cookies()
    login(page, base, "coordinator")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/timebank/queue/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.click("button:has-text('确认')")
    assert "已确认陈桂兰的1.5小时服务" in page.content()
    page.goto(f"{base}/timebank/?year=2023")
    assert "139****1021" in page.content() and "13971001021" not in page.content()
    page.goto(f"{base}/timebank/accounts/{account.pk}/")
    assert page.locator("table").first.locator("tr", has_text="服务：陪同就医").count() == 1
    assert set(page.requested_hosts) == {"127.0.0.1"}
