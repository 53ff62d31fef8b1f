"""The hand-down flow in a real browser: the county's coordinator hands a directive point down to
both districts, the first district accepts it with a new task, the second returns it with a
reason, and the upper task's page rolls the result up. Screenshots at 1440 and 390 px go to
$SHIGAN_SHOTS (when set) to be looked at."""

import datetime
import os
from pathlib import Path

import pytest

from shigan.directives.models import HandDownState
from shigan.directives.services import directive_create, handdown_create
from shigan.directives.tests.factories import build_county
from shigan.tasks.models import Task
from shigan.testing import PASSWORD

TODAY = datetime.date(2023, 7, 31)
WIDE = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SIZES = {"1440": (1440, 900), "390": (390, 844)}


def log_in(chromium, base, username, width=1440, height=900):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, is_mobile=width < 500
    )
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def shoot(chromium, base, username, pages, problems):
    """Each size, each page: no sideways scroll; a full-page PNG when SHIGAN_SHOTS names a
    folder."""
    folder = os.environ.get("SHIGAN_SHOTS")
    for size, (width, height) in SIZES.items():
        page = log_in(chromium, base, username, width, height)
        for path, name in pages:
            page.goto(base + path)
            if (overflow := page.evaluate(WIDE)) > 0:
                problems.append(f"{size} {path}: scrolls sideways by {overflow}px")
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{folder}/{name}-{size}.png", full_page=True)
        page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hand_down_accept_return_and_roll_up(chromium, live_server, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    county = build_county()
    first, second = county.districts
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于<script>alert(1)</script>深化实干年的通知", issued_on=TODAY,
        points=["一、开展优化营商环境专项行动", "二、推行任务清单管理"],
    )  # fmt: skip
    base = live_server.url
    problems: list[str] = []

    page = log_in(chromium, base, "county_coord")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/directives/{directive.pk}/")
    page.click(f"#point-{directive.points.first().pk} >> text=交办下级")
    page.fill("input[name=title]", "营商环境攻坚")
    page.select_option("select[name=category]", str(county.category.pk))
    page.fill("input[name=due_date]", "2023-10-31")
    for district in (first, second):
        page.check(f"input[name=units][value='{district.unit.pk}']")
    page.click("button:has-text('交办')")
    page.wait_for_load_state("networkidle")
    assert "下级落实情况" in page.inner_text("h1")
    assert page.locator("td >> text=待接收").count() == 2
    page.context.close()

    page = log_in(chromium, base, first.coordinator.username)
    page.goto(f"{base}/directives/inbox/")
    page.click("text=接收（新建任务/关联已有任务）")
    page.select_option("select[name=category]", str(first.category.pk))
    page.select_option("select[name=lead_unit]", str(first.bureau.pk))
    page.click("button:has-text('接收')")
    page.wait_for_load_state("networkidle")
    assert "上级任务" in page.content(), page.inner_text("main")
    page.context.close()

    page = log_in(chromium, base, second.coordinator.username)
    page.goto(f"{base}/directives/inbox/")
    page.fill("textarea[name=reason]", "该事项由县直部门统一办理")
    page.click("button:has-text('退回')")
    page.wait_for_load_state("networkidle")
    assert "已退回" in page.content()
    page.context.close()

    upper = Task.objects.get(title="营商环境攻坚", upper_task__isnull=True)
    child = Task.objects.get(upper_task=upper)
    assert child.campaign == first.campaign
    assert set(upper.handdowns.values_list("state", flat=True)) == {
        HandDownState.ACCEPTED,
        HandDownState.RETURNED,
    }
    page = log_in(chromium, base, "county_coord")
    page.goto(f"{base}/directives/task/{upper.pk}/")
    # The roll-up (one child accepted, one hand-down returned) sits beside the task's own
    # status, each labelled, under the heading (本级 · 下级汇总), not in the h1.
    statuses = page.locator(".task-statuses").inner_text()
    assert "下级汇总：正常" in statuses, statuses
    assert statuses.startswith("本级："), statuses
    assert "下级任务完成0/1" in page.inner_text("main")
    assert "该事项由县直部门统一办理" in page.inner_text("main")
    page.click(f"a[href='/tasks/{child.pk}/']")
    page.wait_for_load_state("networkidle")
    assert child.title in page.inner_text("h1")
    page.context.close()

    # A second hand-down waiting in the first district's inbox, for the pictures.
    handdown_create(by=county.coordinator, upper_task=county.upper_task, units=[first.unit],
                    note="请于8月底前报送落实方案", today=TODAY)  # fmt: skip
    shoot(chromium, base, "county_coord", [
        (f"/directives/{directive.pk}/", "directive"),
        (f"/directives/handdown/new/?point={directive.points.last().pk}", "handdown"),
        (f"/directives/task/{upper.pk}/", "upper-task"),
        (f"/tasks/{upper.pk}/", "task-detail"),
        (f"/map/?campaign={county.campaign.pk}", "battle-map"),
    ], problems)  # fmt: skip
    shoot(chromium, base, first.coordinator.username, [("/directives/inbox/", "inbox")], problems)
    assert dialogs == [] and problems == []
