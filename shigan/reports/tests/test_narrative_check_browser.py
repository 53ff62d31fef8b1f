"""In Debian's Chromium: a progress report typing 5 agreements where the records hold 4 shows on
the report page, in the first screen and above the download links; what agrees is folded until
opened. One page load."""

from urllib.parse import quote

import pytest

from shigan.testing import PASSWORD

from .test_narrative_check_pages import REPORT, disagreeing  # noqa: F401 (fixture)


@pytest.mark.browser
def test_the_coordinator_cannot_miss_a_disagreement_before_downloading(
    disagreeing,  # noqa: F811
    browser_page,
    live_server,
):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/?next=" + quote(REPORT.format(pk=disagreeing.campaign.pk)))
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    alert = page.get_by_role("alert")
    assert "叙述中的数字与记录不一致：2处" in alert.inner_text()
    assert "写为 签订协议项目5个" in alert.inner_text() and "记录为 4个" in alert.inner_text()
    assert "记录为 12000万元（折合1.2亿元）" in alert.inner_text()
    box = alert.bounding_box()
    download = page.locator(".report-actions a.button").first.bounding_box()
    assert box["y"] < 900 and box["y"] + box["height"] <= download["y"]
    folded = page.locator("details.nc-ok table")
    assert not folded.is_visible()
    page.click("details.nc-ok summary")
    assert folded.is_visible() and "外出招商4次" in folded.inner_text()
    assert page.requested_hosts and set(page.requested_hosts) <= {"localhost", "127.0.0.1"}
