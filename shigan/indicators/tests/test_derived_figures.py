"""The derived-figure rule (shigan.core.numbers): a gap printed beside the completion and the
序时进度 it is derived from is their difference as printed, on every surface — the indicator
table, the detail page's months, the xlsx export — and the status colour follows that printed
gap. The demo's 33000 of 74200 in July: 44.474 → 44.5, 58.333 → 58.3, gap 13.8 (not the raw
−13.86 → 13.9)."""

import io
import re
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from shigan.core.numbers import printed_difference, round_pct
from shigan.indicators import calc
from shigan.indicators.calc import IndicatorStatus
from shigan.indicators.history import month_row
from shigan.indicators.models import IndicatorYear
from shigan.indicators.queries import _row
from shigan.indicators.xlsx.export import _table_values

from .conftest import make_indicator
from .page_data import record

percents = st.decimals(min_value=-300, max_value=300, places=4, allow_nan=False)
amounts = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False)
targets = st.decimals(min_value=1, max_value=10**7, places=2, allow_nan=False)


def test_the_demo_gap_is_the_printed_completion_minus_the_printed_time_progress():
    completion, progress = calc.completion_share(D(33000), D(74200)), calc.time_progress(7)
    assert (round_pct(completion), round_pct(progress)) == (D("44.5"), D("58.3"))
    assert round_pct(completion - progress) == D("-13.9")  # what the raw difference rounds to
    assert calc.printed_gap(completion, progress) == D("-13.8")


@settings(deadline=None)
@given(percents, percents)
def test_printed_gap_is_printed_completion_minus_printed_benchmark(completion, benchmark):
    gap = calc.printed_gap(completion, benchmark)
    assert gap == round_pct(completion) - round_pct(benchmark)
    assert gap == printed_difference(completion, benchmark)
    assert gap == round_pct(gap)  # one decimal, nothing left to round


@settings(deadline=None)
@given(amounts, targets, st.integers(min_value=1, max_value=12), st.booleans(), st.booleans())
def test_every_month_row_prints_a_gap_a_reader_recomputes(value, target, month, cumulative, low):
    indicator = SimpleNamespace(is_cumulative=cumulative, lower_is_better=low)
    row = month_row(
        indicator, month, actual=SimpleNamespace(value=value), target=target, same_period=None
    )
    benchmark = row.time_progress_pct if cumulative else D(100)
    assert row.gap_points == row.completion_pct - benchmark
    behind = row.gap_points if low else -row.gap_points
    expected = (
        IndicatorStatus.GREEN
        if behind <= 0
        else IndicatorStatus.YELLOW
        if behind <= 5
        else IndicatorStatus.RED
    )
    assert row.status == expected


@pytest.mark.parametrize(
    ("completion", "progress", "status"),
    [
        # printed 53.3 − 58.3 = −5.0: yellow, though the raw −5.08 would round to −5.1
        ("53.26", "58.34", IndicatorStatus.YELLOW),
        # printed 53.2 − 58.3 = −5.1: red, though the raw −5.01 would round to −5.0
        ("53.24", "58.25", IndicatorStatus.RED),
        # printed 58.3 − 58.3: level, green, though the raw −0.09 would round to −0.1
        ("58.25", "58.34", IndicatorStatus.GREEN),
    ],
)
def test_status_colour_agrees_with_the_printed_gap_at_the_band_boundary(
    completion, progress, status
):
    assert calc.YELLOW_BAND_POINTS == 5
    assert calc.indicator_status(D(completion), D(progress)) == status


@pytest.fixture
def demo_investment(world, today):
    """固定资产投资 as the demo has it: 33000 of 74200 in July, an estimate."""
    investment = make_indicator("固定资产投资", world.unit_a, sort_order=1)
    IndicatorYear.objects.create(indicator=investment, year=2023, annual_target=D(74200))
    record(investment, 7, 33000, is_estimate=True)
    return investment


def test_indicator_page_prints_the_gap_of_its_printed_figures(demo_investment, world, client_for):
    response = client_for(world.coordinator).get("/indicators/", {"period": "2023-07"})
    [row] = response.context["rows"]
    assert (row.completion_pct, row.time_progress_pct, row.gap_points) == (
        D("44.5"),
        D("58.3"),
        D("-13.8"),
    )
    html = re.sub(r"\s+", " ", response.content.decode())
    tr = re.search(r'<tr class="ind-row-\w+" data-indicator="\d+">(.*?)</tr>', html).group(1)
    assert "44.5" in tr and "58.3" in tr and "低于13.8" in tr and "13.9" not in tr


def test_detail_page_months_print_the_gap_of_their_printed_figures(
    demo_investment, world, client_for
):
    response = client_for(world.coordinator).get(f"/indicators/{demo_investment.pk}/")
    july = next(m for m in response.context["months"] if m.month == 7)
    assert july.gap_points == july.completion_pct - july.time_progress_pct == D("-13.8")


def test_xlsx_export_states_the_gap_of_its_printed_figures(demo_investment, world, client_for):
    response = client_for(world.coordinator).get(
        "/indicators/export/table.xlsx", {"period": "2023-07"}
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    row = [ws.cell(row=4, column=c).value for c in range(2, 15)]
    assert row[0] == "固定资产投资"
    assert row[6:9] == [44.5, 58.3, -13.8]
    assert D(str(row[6])) - D(str(row[7])) == D(str(row[8]))


@settings(deadline=None)
@given(amounts, targets, st.integers(min_value=1, max_value=12), st.booleans())
def test_every_table_row_and_its_export_row_print_a_gap_a_reader_recomputes(
    value, target, month, cumulative
):
    ind = SimpleNamespace(
        name="指标", actual_value=value, annual_target=target, same_period=None,
        is_cumulative=cumulative, lower_is_better=False, actual_is_estimate=False, actual_id=1,
        get_measure_unit_display=lambda: "万元", responsible_unit=SimpleNamespace(name="单位"),
    )  # fmt: skip
    row = _row(ind, calc.time_progress(month))
    benchmark = row.time_progress_pct if cumulative else D(100)
    assert row.gap_points == row.completion_pct - benchmark
    completion, progress, gap = _table_values(1, row)[7:10]
    assert gap == completion - (progress if cumulative else D(100))
