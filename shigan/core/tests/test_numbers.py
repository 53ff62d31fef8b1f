"""core.numbers: the one rounding rule, and the names the layers above use for it."""

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shigan.core.numbers import round_pct, round_to
from shigan.indicators import calc
from shigan.reports.checker import numbers as checker_numbers

D = Decimal


@pytest.mark.parametrize(
    "raw, places, rounded",
    [
        ("28.25", 1, "28.3"),  # a tie goes up …
        ("-28.25", 1, "-28.3"),  # … away from zero
        ("44.45", 1, "44.5"),
        ("8.449", 1, "8.4"),  # rounded once from the raw value, not via 8.45
        ("39.6396", 1, "39.6"),
        ("2.5", 0, "3"),  # half-even would give 2
        ("0.125", 2, "0.13"),
        ("1234.5", 0, "1235"),
        ("7", 1, "7.0"),
    ],
)
def test_round_to_is_half_up(raw, places, rounded):
    assert str(round_to(D(raw), places)) == rounded


def test_another_habit_only_when_asked():
    assert round_to(D("2.5"), 0, ROUND_HALF_EVEN) == D(2)


def test_round_pct_keeps_one_place_and_lets_none_through():
    assert str(round_pct(D("58.333"))) == "58.3"
    assert str(round_pct(100)) == "100.0"
    assert round_pct(None) is None


def test_the_layers_use_this_rule():
    assert calc.round_pct is round_pct
    assert checker_numbers.round_to is round_to
    assert calc.PCT_QUANTUM == D("0.1")  # the legend states one decimal place


@given(st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=4))
def test_round_pct_is_round_to_one_place_within_half_a_tenth(value):
    assert round_pct(value) == round_to(value, 1)
    assert abs(round_pct(value) - value) <= D("0.05")
