"""The monthly form on a phone (issue 15), in a real browser on the demo district: no sideways
scrolling, nine indicators in under two screens, the first refused card brought into view and
focused, and 同上月 carrying last month's figure into this month's without retyping."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from shigan.core.models import AuditEntry
from shigan.indicators.models import Actual, Indicator
from shigan.tasks.models import ProgressReport

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "shigan-demo-2023"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}
FARMING = "tianbao5"  # 农业农村办: nine indicators (夏粮, 夏油, 生猪 …)
ECONOMY = "tianbao4"  # 经济发展办公室: three indicators and its key projects

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(monkeypatch):
    """The demo as of 2023-07-31, looked at in early August: the July figures are in, August's
    form is empty (every card open, the longest the form gets)."""
    from shigan.demo.district import load_demo

    load_demo(today=datetime.date(2023, 7, 31))
    monkeypatch.setenv("SHIGAN_TODAY", "2023-08-05")


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def open_form(page, base, username, size):
    page.set_viewport_size(size)
    login(page, base, username)
    page.goto(f"{base}/tasks/report/")
    page.wait_for_load_state("networkidle")


def shot(page, name, *, full_page=True):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"monthly_{name}.png"), full_page=full_page)


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def indicators_of(username) -> list[Indicator]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    unit = user.person.unit
    return list(Indicator.objects.filter(responsible_unit=unit).order_by("sort_order", "id"))


def in_view(page, selector) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.top < innerHeight && r.bottom > 0; }""",
        selector,
    )


@pytest.mark.parametrize("username", [FARMING, ECONOMY])
def test_nine_indicators_fit_two_phone_screens_without_sideways_scroll(
    demo, browser_page, live_server, username
):
    page = browser_page
    open_form(page, live_server.url, username, PHONE)
    assert sideways_scroll(page) == 0
    count = len(indicators_of(username))
    assert page.locator("#indicators details.mr-ind").count() == count
    assert page.locator("#indicators details.mr-ind[open]").count() == count  # nothing filed yet
    height = page.evaluate("document.getElementById('indicators').scrollHeight")
    print(f"{username}: {count} indicators, #indicators scrollHeight {height}px at 390×844")
    for group in ("tasks", "projects"):  # the other groups too, every card open
        other = page.evaluate(f"document.getElementById('{group}').scrollHeight")
        print(f"{username}: #{group} scrollHeight {other}px")
        assert other <= 2 * 844
    shot(page, f"{username}_august_phone")
    top = page.evaluate("document.getElementById('indicators').offsetTop")
    page.screenshot(
        path=str(ARTIFACTS / f"monthly_{username}_august_indicators.png"),
        clip={"x": 0, "y": top, "width": 390, "height": 844},
        full_page=True,
    )
    assert height <= 2 * 844
    assert page.locator("#indicators .mr-count").first.inner_text() == f"已填0/{count}"
    page.set_viewport_size(DESK)
    assert sideways_scroll(page) == 0


def test_filed_cards_are_collapsed_to_one_line(browser_page, live_server, monkeypatch):
    from shigan.demo.district import load_demo

    load_demo(today=datetime.date(2023, 7, 31))
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    page = browser_page
    open_form(page, live_server.url, FARMING, PHONE)
    assert sideways_scroll(page) == 0
    # Every July figure is in (the demo files on the 26th): nine closed cards, one line each.
    assert page.locator("#indicators details.mr-ind").count() == 9
    assert page.locator("#indicators details.mr-ind[open]").count() == 0
    assert page.locator("#indicators h2 .mr-count").inner_text() == "已填9/9"
    height = page.evaluate("document.getElementById('indicators').scrollHeight")
    print(f"{FARMING} in July, all filed: #indicators scrollHeight {height}px")
    shot(page, f"{FARMING}_july_phone")
    assert height <= 844
    summary = page.locator("#indicators details.mr-ind", has_text="夏粮产量").inner_text()
    assert "本月7272（预计） · 上月6850（预计） 吨" in summary


@pytest.mark.parametrize("size", [PHONE, DESK])
def test_refused_value_in_the_third_indicator_is_brought_into_view_and_focused(
    demo, browser_page, live_server, size
):
    page = browser_page
    open_form(page, live_server.url, FARMING, size)
    third = indicators_of(FARMING)[2]
    page.fill(f"#id_ind-{third.pk}-value", "三万")
    page.click("text=提交月报")
    page.wait_for_load_state("networkidle")

    card = f"#ind-{third.pk}"
    assert page.locator(".mr-alert").count() == 1
    assert page.locator(f"{card}[data-error]").count() == 1  # marked
    assert page.locator(".mr-card[data-error]").count() == 1
    shot(page, f"refused_{size['width']}_first_screen", full_page=False)
    assert in_view(page, card)
    assert page.evaluate("document.activeElement.id") == f"id_ind-{third.pk}-value"
    assert page.evaluate("window.scrollY") > 0 if size is PHONE else True
    link = page.locator(".mr-problem-links a")
    assert link.count() == 1
    assert link.get_attribute("href") == card
    assert link.inner_text().startswith(f"指标第3项 “{third.name}”本月完成：“三万”不是数字")
    assert sideways_scroll(page) == 0
    assert not Actual.objects.filter(year=2023, month=8).exists()

    # The summary's link brings the card back after scrolling away.
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.activeElement.blur()")
    link.click()
    assert in_view(page, card)
    assert page.evaluate("document.activeElement.id") == f"id_ind-{third.pk}-value"
    shot(page, f"refused_{size['width']}")


def test_same_as_last_month_fills_and_saves_last_months_figure(demo, browser_page, live_server):
    page = browser_page
    open_form(page, live_server.url, FARMING, PHONE)
    harvest = Indicator.objects.get(name="夏粮产量")
    july = Actual.objects.filter(indicator=harvest, year=2023, month=7).latest("id")
    assert july.value == Decimal(7272)
    value = page.locator(f"#id_ind-{harvest.pk}-value")
    assert value.input_value() == ""
    estimate = page.locator(f"#id_ind-{harvest.pk}-estimate")
    assert july.is_estimate and not estimate.is_checked()
    page.click(f"#ind-{harvest.pk} .mr-same")
    assert value.input_value() == "7272"
    assert value.get_attribute("readonly") is not None
    assert estimate.is_checked()  # July's 预计 goes with its figure
    page.click(f"#ind-{harvest.pk} .mr-same")  # untick: the box is free again
    assert value.input_value() == "" and value.get_attribute("readonly") is None
    assert not estimate.is_checked()
    page.click(f"#ind-{harvest.pk} .mr-same")
    page.click("text=提交月报")
    page.wait_for_load_state("networkidle")
    assert "已提交1项指标的2023年8月完成值" in page.locator(".messages").inner_text()

    august = Actual.objects.get(indicator=harvest, year=2023, month=8)
    assert august.value == july.value == Decimal(7272)
    assert august.is_estimate  # carried forward as the estimate it was, not a final figure
    audit = AuditEntry.objects.filter(record_type="indicators.actual", record_id=august.pk).get()
    assert audit.note == "同上月：沿用7月的7272"
    # Back on the page: the card is filed, closed, and says so in one line.
    card = page.locator(f"#ind-{harvest.pk}")
    assert card.get_attribute("open") is None
    assert "本月7272（预计） · 上月7272（预计） 吨" in card.inner_text()


def test_same_as_last_month_copies_a_tasks_latest_progress(demo, browser_page, live_server):
    page = browser_page
    open_form(page, live_server.url, "tianbao", PHONE)
    assert page.locator(".mr-same-text").count() >= 1
    button = page.locator(".mr-same-text").first
    target = button.get_attribute("data-target")
    button.click()
    text = button.get_attribute("data-text")
    assert text and page.locator(f"#{target}").input_value() == text
    page.click("text=提交月报")
    page.wait_for_load_state("networkidle")
    assert "已提交1项任务的2023年8月进展" in page.locator(".messages").inner_text()
    task_id = int(target.removeprefix("id_task-").removesuffix("-text"))
    august = ProgressReport.objects.get(task_id=task_id, period=datetime.date(2023, 8, 1))
    assert august.text == text
