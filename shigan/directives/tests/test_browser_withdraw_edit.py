"""撤回, 催办 and 修改文件 in a real browser: the county's coordinator withdraws one hand-down
from 下级落实情况 with a reason, the district sees it 已撤回 in its inbox and 交办已撤回 in its
messages, and the directive's edit page holds its points and files. No sideways scroll at
1440 and 390 px; screenshots to $SHIGAN_SHOTS when set."""

import datetime

import pytest

from shigan.directives.models import HandDown, HandDownState
from shigan.directives.services import directive_create, handdown_create
from shigan.directives.tests.factories import build_county
from shigan.directives.tests.test_browser import log_in, shoot

TODAY = datetime.date(2023, 7, 31)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_withdraw_chase_and_edit_pages(chromium, live_server, monkeypatch, settings, tmp_path):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())
    settings.MEDIA_ROOT = tmp_path / "media"
    county = build_county()
    first, second = county.districts
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年的通知", issued_on=TODAY, points=["一、优化营商环境", "二、清单管理"],
    )  # fmt: skip
    handdown_create(by=county.coordinator, upper_task=county.upper_task,
                    units=[first.unit, second.unit], point=directive.points.first(),
                    today=datetime.date(2023, 7, 21))  # fmt: skip
    base = live_server.url
    page = log_in(chromium, base, county.coordinator.username)
    page.goto(f"{base}/directives/task/{county.upper_task.pk}/")
    assert "已等待6个工作日" in page.content()
    page.fill(f"#withdraw-{HandDown.objects.get(unit=first.unit).pk}", "交办对象有误")
    page.locator("button", has_text="撤回交办").first.click()
    page.wait_for_load_state("networkidle")
    assert "已撤回交办给第1区党委政府" in page.content()
    assert HandDown.objects.get(unit=first.unit).state == HandDownState.WITHDRAWN
    page.locator("button", has_text="催办").first.click()
    page.wait_for_load_state("networkidle")
    assert "已向第2区党委政府专班的1人发送催办" in page.content()
    page.context.close()
    problems: list[str] = []
    shoot(chromium, base, county.coordinator.username, [
        (f"/directives/task/{county.upper_task.pk}/", "withdraw-upper-task"),
        (f"/directives/{directive.pk}/edit/", "directive-edit"),
    ], problems)  # fmt: skip
    shoot(chromium, base, first.coordinator.username, [
        ("/directives/inbox/", "withdraw-inbox"), ("/inbox/", "withdraw-messages"),
    ], problems)  # fmt: skip
    shoot(chromium, base, second.coordinator.username, [
        (f"/map/cockpit/?campaign={second.campaign.pk}", "handdown-cockpit"),
    ], problems)  # fmt: skip
    assert problems == []
