"""The cockpit opens with what matters: the status band (逾期 / 滞后 / 临期, 督办, headline
indicators behind 序时进度) and the district's headline figures, worst first, before the other
cards (issue 15)."""

import pytest

from .cockpit_data import activities

URL = "/map/cockpit/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def data(world):
    activities(world)
    return world


def test_band_counts_worst_first_with_their_links(data, client_for):
    response = client_for(data.coordinator).get(URL)
    band = response.context["data"].band
    assert [(b.key, b.label, b.count) for b in band] == [
        ("overdue", "逾期", 2),
        ("behind", "滞后", 1),
        ("nearing", "临期", 0),  # shown at zero: the band reads the same every day
        ("escalations", "督办", 0),
        ("ind-red", "指标明显滞后", 1),
        ("ind-yellow", "指标略低于序时", 1),
    ]
    assert band[0].url.startswith("/map/?") and "status=overdue" in band[0].url
    html = response.content.decode()
    assert (
        html.index("data-band")
        < html.index('data-card="indicators"')
        < html.index('data-card="tasks"')
    )
    assert html.count('data-card="indicators"') == 1  # not repeated in the grid


def test_headline_figures_list_every_indicator_worst_first(data, client_for):
    card = next(
        c
        for c in client_for(data.coordinator).get(URL).context["data"].cards
        if c.key == "indicators"
    )
    assert card.title == "主要指标"
    assert [(f.name, f.status) for f in card.figures] == [
        ("固定资产投资", "red"),
        ("规模以上工业总产值", "yellow"),
        ("生猪存栏", "green"),
    ]
    first = card.figures[0]
    assert first.completion.startswith("完成") and first.benchmark.startswith("序时")
    assert first.url.startswith("/indicators/") and first.url.endswith("?year=2023")
    assert card.scope_tag == ""  # his page is the district's already
    assert not any(f.mine for f in card.figures)


def test_a_reporter_sees_the_districts_figures_his_units_marked(data, client_for):
    """Issue 15 review: a unit's cockpit said 暂无指标数据 while the district had indicators."""
    cards = {c.key: c for c in client_for(data.reporter_a).get(URL).context["data"].cards}
    assert {f.name: f.mine for f in cards["indicators"].figures} == {
        "固定资产投资": True,
        "规模以上工业总产值": False,
        "生猪存栏": True,
    }
    assert cards["indicators"].scope_tag == "全区"


def test_no_indicators_says_why_and_who_sets_them(world, client_for):
    html = client_for(world.leader).get(URL).content.decode()
    assert "2023年暂无指标数据：指标及年度目标由专班在「指标」页设置，各单位每月填报。" in html
    assert 'data-count="ind-red"' not in html  # no indicator counts without indicators
    assert 'data-count="overdue"' in html
