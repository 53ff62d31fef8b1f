"""The cockpit's 主要指标 card states the gap to 序时进度 beside the completion and the time
progress it is derived from, as their printed difference (the derived-figure rule of
shigan.core.numbers): the demo's 44.5 and 58.3 give 差13.8个百分点, not the raw 13.9; the page
prints the two figures and the colour that gap reads as."""

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shigan.core.numbers import round_pct
from shigan.dashboards.cockpit.figures import _indicator_item
from shigan.indicators import calc
from shigan.indicators.calc import IndicatorStatus

from .cockpit_data import indicator

URL = "/map/cockpit/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def numbers_of(item) -> tuple[Decimal, Decimal, Decimal]:
    """(completion, benchmark, gap) as the item prints them."""
    completion, benchmark = re.fullmatch(r"完成(-?[\d.]+)%，\D*?(-?[\d.]+)%", item.hint).groups()
    gap = re.fullmatch(r"差([\d.]+)个百分点", item.value).group(1)
    return Decimal(completion), Decimal(benchmark), Decimal(gap)


def test_cockpit_prints_the_gap_of_its_printed_figures(world, client_for):
    investment = indicator(world, "固定资产投资", world.unit_a, 74200, 0, sort_order=1)
    investment.actuals.filter(month=6).update(month=7, value=33000)
    response = client_for(world.coordinator).get(URL)
    card = next(c for c in response.context["data"].cards if c.key == "indicators")
    [item] = card.items
    assert (item.hint, item.value) == ("完成44.5%，序时进度58.3%", "差13.8个百分点")
    html = re.sub(r"\s+", " ", response.content.decode())
    assert "完成44.5% / 序时58.3%" in html and "13.9" not in html


@settings(deadline=None)
@given(
    st.decimals(min_value=0, max_value=300, places=4, allow_nan=False),
    st.integers(min_value=1, max_value=12),
    st.booleans(),
)
def test_every_cockpit_item_prints_a_gap_a_reader_recomputes(completion, month, cumulative):
    benchmark = calc.time_progress(month) if cumulative else calc.HUNDRED
    row = SimpleNamespace(
        indicator=SimpleNamespace(name="指标"),
        display_name="指标",
        completion_pct=round_pct(completion),
        time_progress_pct=round_pct(benchmark) if cumulative else None,
        gap_points=calc.printed_gap(completion, benchmark),
        status=IndicatorStatus.RED,
    )
    printed_completion, printed_benchmark, gap = numbers_of(_indicator_item(row))
    assert gap == abs(printed_completion - printed_benchmark)
