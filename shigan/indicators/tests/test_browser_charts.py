"""The indicator dashboard's charts draw in a real browser, from the app's own static files."""

import datetime
from pathlib import Path

import pytest

from shigan.testing import PASSWORD

from .page_data import months_of, project, record

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHARTS = ["chart-trend", "chart-completion", "chart-rates"]

# Counts the pixels a chart's canvas has painted (alpha > 0).
PAINTED = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) { return -1; }
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { painted += 1; } }
  return painted;
}"""


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def wait_for_charts(page):
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=15000)


def seed(world, ind):
    months_of(ind.investment, [4000, 9000, 14000, 19000, 24000, 28000, 33000], estimate_last=True)
    months_of(ind.output, [3000, 6200, 9300, 12500, 15600, 18800, 22000])
    record(ind.hogs, 7, 13631)
    started = datetime.date(2023, 3, 10)
    project("零傲新材料", world.unit_a, task=world.task_a, actual_start=started)
    project("佳仑智能制造", world.unit_b, completed_investment_this_year=3000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_charts_render_with_no_request_leaving_the_host(
    world, ind, browser_page, live_server
):
    seed(world, ind)
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, base, "coordinator")

    page.goto(f"{base}/indicators/")
    wait_for_charts(page)
    for chart in CHARTS:
        assert page.evaluate(PAINTED, chart) > 2000, chart
    assert page.locator("tr", has_text="固定资产投资").locator(".estimate").count() == 1
    page.screenshot(path=str(ARTIFACTS / "indicator_dashboard.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # charts follow the window
    page.wait_for_function(
        "() => document.querySelector('#chart-rates canvas').getBoundingClientRect().width < 380"
    )
    assert page.evaluate(PAINTED, "chart-rates") > 1000
    page.screenshot(path=str(ARTIFACTS / "indicator_dashboard_phone.png"), full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.select_option("select[name=indicator]", label="规模以上工业总产值")
    page.wait_for_url("**indicator=*")
    wait_for_charts(page)
    assert "月度走势：规模以上工业总产值" in page.inner_text("#trend h2")

    page.goto(f"{base}/indicators/{ind.investment.pk}/")
    page.wait_for_selector("#chart-trend[data-rendered='1']", timeout=15000)
    assert page.evaluate(PAINTED, "chart-trend") > 2000

    assert page.requested_hosts and set(page.requested_hosts) == {"127.0.0.1"}
