"""The completion chart (各指标完成率) writes every indicator's name whole, wrapped on as many
lines as its label column needs, at a desktop's width and a phone's: it cut long names with
"…" ("固定资产投资（示…"), which a printed page cannot hover to read."""

from pathlib import Path

import pytest

from shigan.indicators.models import IndicatorYear

from .conftest import make_indicator
from .page_data import months_of, record
from .test_browser_charts import login

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
LONG = "固定资产投资（含示范区、高新区和县直单位重点项目）"

# Each label as the chart lays it out: the axis formatter's lines for each name, the width the
# widest line takes in the axis font, the label column's width and each category's band height.
LABELS = """() => {
  const el = document.getElementById('chart-completion');
  const chart = echarts.getInstanceByDom(el);
  const axis = chart.getOption().yAxis[0];
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = '12px sans-serif';
  const names = axis.data.map(d => (typeof d === 'object' ? d.value : d));
  return names.map(name => {
    const text = axis.axisLabel.formatter(name);
    const lines = text.split('\\n');
    return {
      name, lines, overflow: axis.axisLabel.overflow || '',
      widest: Math.max(...lines.map(l => ctx.measureText(l).width)),
      band: (el.clientHeight - 60) / names.length,
      lineHeight: axis.axisLabel.lineHeight,
    };
  });
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1440, 390])
def test_completion_chart_writes_long_names_whole(world, ind, browser_page, live_server, width):
    long = make_indicator(LONG, world.unit_a, sort_order=0)
    IndicatorYear.objects.create(indicator=long, year=2023, annual_target=1000)
    record(long, 7, 400)
    months_of(ind.investment, [4000, 9000, 14000, 19000, 24000, 28000, 33000])
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    login(page, base, "coordinator")
    page.goto(f"{base}/indicators/")
    page.wait_for_selector("#chart-completion[data-rendered='1']", timeout=15000)
    labels = {label["name"]: label for label in page.evaluate(LABELS)}
    assert LONG in labels and "固定资产投资" in labels
    label = labels[LONG]
    assert "".join(label["lines"]) == LONG  # every character, in order, none cut
    assert "…" not in "".join(label["lines"]) and label["overflow"] != "truncate"
    assert len(label["lines"]) >= 2  # wrapped, not drawn past the chart's left edge
    column = page.evaluate("() => document.getElementById('chart-completion').clientWidth * 0.32")
    assert label["widest"] <= column + 13  # a closing mark may end a line past the column
    assert len(label["lines"]) * label["lineHeight"] <= label["band"]  # no overlap with the next
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#completion").screenshot(path=str(ARTIFACTS / f"completion_labels_{width}.png"))
