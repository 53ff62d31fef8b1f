"""Names typed by users never run as script (issue 14): an indicator, a unit, a task, a task
category, a milestone, a key project and a progress report named with markup are shown on every
charted page; hovering each chart's bars and points opens no dialog and the browser reports no
Content-Security-Policy violation (the policy allows no inline script, so an injected handler
would also show up as one)."""

import datetime
from decimal import Decimal

import pytest

from shigan.indicators.models import Indicator, IndicatorYear
from shigan.indicators.tests.conftest import make_indicator
from shigan.indicators.tests.page_data import months_of, project
from shigan.orgs.models import Unit
from shigan.tasks.models import ProgressReport, TaskCategory
from shigan.testing import PASSWORD

HOSTILE = [
    "指标<img src=x onerror=alert(1)>",
    '名称"><svg onload=alert(2)>',
    "标题</script><script>alert(3)</script>",
    "事项<iframe src=javascript:alert(4)>",
]
CHART_PAGES_SELECTOR = "[id^=chart-]"
# Every securitypolicyviolation event of the page, collected before any of its scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""
# The centre of each bar or point of each series of a chart (scrolled into view), in the
# window's coordinates.
POINTS = """(id) => {
  const el = document.getElementById(id);
  el.scrollIntoView({ block: 'center' });
  const chart = echarts.getInstanceByDom(el);
  const box = el.getBoundingClientRect();
  const found = [];
  chart.getOption().series.forEach(function (series, s) {
    (series.data || []).forEach(function (item, i) {
      const value = item !== null && typeof item === 'object' ? item.value : item;
      if (value === null || value === undefined) { return; }
      const horizontal = chart.getOption().yAxis[0].type === 'category';
      const at = horizontal ? [value / 2, i] : [i, value / 2];
      const p = chart.convertToPixel({ seriesIndex: s }, at);
      if (p) { found.push([box.left + p[0], box.top + p[1]]); }
    });
  });
  return found;
}"""


def seed(world):
    names = iter(HOSTILE * 3)
    Unit.objects.filter(pk=world.unit_a.pk).update(name=next(names))
    TaskCategory.objects.filter(pk=world.category.pk).update(name=next(names))
    world.task_a.title = next(names)
    world.task_a.save(update_fields=["title"])
    world.task_a.milestones.filter(done_on=None).update(title=next(names))
    ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        text=next(names),
        submitted_by=world.reporter_a,
    )
    for i, name in enumerate(HOSTILE):
        indicator = make_indicator(name, world.unit_a if i % 2 else world.unit_b, sort_order=i)
        IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=Decimal(1200))
        months_of(indicator, [100 * m for m in range(1, 8)], estimate_last=i == 0)
        project(name, world.unit_a, task=world.task_a, actual_start=datetime.date(2023, 3, 1))


def login(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def hover_every_chart(page) -> int:
    """Moves the mouse over every bar and point of every chart drawn; returns how many."""
    hovered = 0
    charts = page.eval_on_selector_all(CHART_PAGES_SELECTOR, "els => els.map(e => e.id)")
    for chart in charts:
        page.wait_for_selector(f"#{chart}[data-rendered='1']", timeout=15000)
        for x, y in page.evaluate(POINTS, chart):
            page.mouse.move(x, y)
            page.wait_for_timeout(60)
            hovered += 1
    return hovered


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hostile_names_on_every_charted_page_never_run(
    world, browser_page, live_server, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")
    seed(world)
    page, base = browser_page, live_server.url
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(LISTEN)
    login(page, base, "coordinator")

    indicators = Indicator.objects.filter(name__in=HOSTILE)
    pages = ["/indicators/", *(f"/indicators/{i.pk}/" for i in indicators)]
    pages += ["/map/", "/map/?view=timeline", "/map/cockpit/", f"/tasks/{world.task_a.pk}/"]
    hovered = 0
    for path in pages:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        hovered += hover_every_chart(page)
        tip = page.locator("#chart-completion > div").filter(has_text="完成率")
        if path == "/indicators/":
            assert tip.count() >= 1, "the completion chart's tooltip was shown"
            assert tip.locator("img, svg, iframe, script").count() == 0
            assert any(name in tip.first.text_content() for name in HOSTILE)  # shown as text
        assert page.evaluate("window.__violations") == [], path
    # 4 bars of the completion chart, 4 rates, the trend's 7 bars and 7 + 7 line points …
    assert hovered >= 4 + 4 + 5 * 7
    assert dialogs == []
    assert [e for e in errors if "Content Security Policy" in e or "alert" in e] == []
    assert set(page.requested_hosts) == {"127.0.0.1"}
