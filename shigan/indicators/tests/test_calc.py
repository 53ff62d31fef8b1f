import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from shigan.indicators import calc
from shigan.indicators.calc import IndicatorStatus, round_pct

D = Decimal
amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)
positive = st.decimals(min_value=D("0.0001"), max_value=10**9, places=4, allow_nan=False)
percents = st.decimals(min_value=-500, max_value=500, places=6, allow_nan=False)
months = st.integers(min_value=1, max_value=12)


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("28.25", "28.3"),
        ("44.45", "44.5"),
        ("39.55", "39.6"),
        ("-28.25", "-28.3"),
        ("8.5346", "8.5"),
        ("8.449", "8.4"),
        ("0.05", "0.1"),
        ("99.95", "100.0"),
    ],
)
def test_round_pct_rounds_half_up_to_one_place(raw, rounded):
    assert round_pct(D(raw)) == D(rounded)
    assert str(round_pct(D(raw))) == rounded


def test_rounding_is_done_once_from_the_raw_value():
    raw = D("8.449")
    via_two_places = round_pct(raw.quantize(D("0.01"), rounding=ROUND_HALF_UP))
    assert via_two_places == D("8.5")  # the double rounding the rule forbids
    assert round_pct(raw) == D("8.4")


def test_printed_gap_is_the_difference_of_the_printed_figures_not_the_rounded_raw_one():
    completion, time = D("44.46"), calc.time_progress(7)
    assert calc.printed_gap(completion, time) == D("-13.8")  # 44.5 − 58.3, as the page reads
    assert round_pct(calc.gap_points(completion, time)) == D("-13.9")  # the raw difference


def test_seed_figures():
    assert round_pct(calc.completion_share(D(22000), D(55500))) == D("39.6")
    assert round_pct(calc.completion_share(D(2500), D(8800))) == D("28.4")
    assert round_pct(calc.time_progress(7)) == D("58.3")
    assert calc.change_vs_same_period(D(7272), D(7081)) == (D(191), D(191) / 7081 * 100)


@given(amounts)
def test_round_pct_is_within_half_a_tenth_and_has_one_place(value):
    rounded = round_pct(value)
    assert abs(rounded - value) <= D("0.05")
    assert rounded.as_tuple().exponent == -1


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_exact_ties_go_away_from_zero(hundredths_base):
    tie = D(hundredths_base) / 10 + D("0.05") * (1 if hundredths_base >= 0 else -1)
    assert abs(round_pct(tie)) > abs(tie)


@given(amounts, positive)
def test_completion_share_is_actual_over_target(actual, target):
    assert calc.completion_share(actual, target) == actual / target * 100


@given(positive)
def test_completion_of_the_target_itself_is_100(target):
    assert calc.completion_share(target, target) == 100


@given(amounts)
def test_completion_share_is_none_without_a_target(actual):
    assert calc.completion_share(actual, None) is None
    assert calc.completion_share(actual, D(0)) is None


@given(positive, positive, positive)
def test_completion_grows_with_the_actual(a, b, target):
    assume(a < b)
    assert calc.completion_share(a, target) < calc.completion_share(b, target)


@given(amounts, amounts)
def test_change_vs_same_period(actual, last):
    difference, pct = calc.change_vs_same_period(actual, last)
    assert difference == actual - last
    if last == 0:
        assert pct is None
    else:
        assert pct == difference / abs(last) * 100
        assert (pct > 0) == (actual > last)


def test_change_is_none_without_a_figure():
    assert calc.change_vs_same_period(None, D(5)) == (None, None)
    assert calc.change_vs_same_period(D(5), None) == (None, None)


@given(months)
def test_time_progress_by_months(month):
    assert calc.time_progress(month) == D(month) / 12 * 100
    assert 0 < calc.time_progress(month) <= 100


def test_time_progress_examples():
    assert calc.time_progress(6) == 50
    assert calc.time_progress(9) == 75
    assert calc.time_progress(12) == 100
    assert round_pct(calc.time_progress(8)) == D("66.7")
    with pytest.raises(ValueError):
        calc.time_progress(13)


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_time_progress_by_days_is_day_of_year_over_year_length(day):
    pct = calc.time_progress_days(day)
    assert 0 < pct <= 100
    assert (pct == 100) == (day.month == 12 and day.day == 31)


def test_time_progress_by_days_counts_leap_years():
    assert calc.time_progress_days(datetime.date(2023, 7, 31)) == D(212) / 365 * 100
    assert calc.time_progress_days(datetime.date(2024, 7, 31)) == D(213) / 366 * 100
    assert calc.time_progress_for(2023, 7, mode="days") == D(212) / 365 * 100
    assert calc.time_progress_for(2023, 7) == calc.time_progress(7)


@given(percents, percents)
def test_gap_points_is_the_difference(completion, time):
    assert calc.gap_points(completion, time) == completion - time


@pytest.mark.parametrize(
    ("completion", "time", "status"),
    [
        ("58.4", "58.3", IndicatorStatus.GREEN),
        ("58.3", "58.3", IndicatorStatus.GREEN),
        ("53.3", "58.3", IndicatorStatus.YELLOW),
        ("53.2", "58.3", IndicatorStatus.RED),
        ("44.5", "58.3", IndicatorStatus.RED),
    ],
)
def test_status_higher_is_better(completion, time, status):
    assert calc.indicator_status(D(completion), D(time)) == status


def test_status_follows_the_printed_gap():
    # −5.04 is printed as −5.0 points: the colour is the yellow that figure reads as.
    assert calc.indicator_status(D("53.26"), D("58.3")) == IndicatorStatus.YELLOW


def test_status_grey_without_completion():
    assert calc.indicator_status(None, D(50)) == IndicatorStatus.GREY


@given(percents, percents)
def test_lower_is_better_mirrors_higher_is_better(completion, time):
    mirrored = calc.indicator_status(time, completion)
    assert calc.indicator_status(completion, time, lower_is_better=True) == mirrored


@given(percents, percents)
def test_status_green_exactly_when_not_behind(completion, time):
    """Judged on the gap as printed: the printed completion minus the printed time progress
    (the derived-figure rule), not the raw gap rounded (−0.05 vs −0.000001 prints −0.1 − 0.0)."""
    green = calc.indicator_status(completion, time) == IndicatorStatus.GREEN
    assert green == (round_pct(completion) - round_pct(time) >= 0)


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=1000))
def test_rate_pct(numerator, denominator):
    rate = calc.rate_pct(numerator, denominator)
    assert rate == D(numerator) / D(denominator) * 100
    assert (rate <= 100) == (numerator <= denominator)


def test_rate_is_none_when_nothing_is_due():
    assert calc.rate_pct(3, 0) is None
    assert calc.rate_pct(D(0), D(0)) is None


def test_every_rate_has_a_definition():
    assert [r.name for r in calc.PROJECT_RATES] == ["履约率", "资金到位率", "开工率", "竣工投产率"]
    assert all("÷" in r.definition for r in calc.PROJECT_RATES)


@pytest.mark.parametrize(
    ("value", "text"), [(D("33000.0000"), "33000"), (D("0.5000"), "0.5"), (D("-0"), "0")]
)
def test_plain_writes_figures_without_trailing_zeros(value, text):
    assert calc.plain(value) == text
