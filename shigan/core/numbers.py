"""The project's one rounding rule, for every layer that shows or checks a figure.

Half-up (ROUND_HALF_UP: a tie goes away from zero, 28.25 → 28.3, −28.25 → −28.3), applied once
to the raw value — never to an already rounded figure (8.449 → 8.4, not 8.45 → 8.5).
Percentages and 百分点 keep one decimal place (`round_pct`); a report text that states a figure
with other decimals is checked with `round_to` at those decimals. GB/T 8170's 四舍六入五成双
differs only on exact ties; the statistics texts the project follows round half-up.

Derived figures (the page is consistent with itself): a figure obtained by subtracting or adding
figures that are printed beside it — the gap to 序时进度 (完成44.5％、序时进度58.3％、低于13.8个
百分点), 提高N个百分点 between two printed rates, 高于目标N个百分点 — is computed from those
figures as printed, i.e. from their rounded values (`printed_difference`), so that a reader who
recomputes it from the page gets the same number; real documents do the same ("占年计划74%，超
序时进度7.33个百分点" is 74 − 8/12). Its raw value may round differently (44.474 − 58.333 =
−13.86 → 13.9): the page prints 13.8, and anything judged on the gap (the status colour) is
judged on the printed 13.8. Ratios (shares, rates, 同比%) are still computed from raw values and
rounded once.
"""

from decimal import ROUND_HALF_UP, Decimal

ROUNDING = ROUND_HALF_UP
PCT_PLACES = 1


def round_to(value: Decimal | int, places: int, rounding: str = ROUNDING) -> Decimal:
    """`value` rounded to `places` decimals by the project's rule (another `rounding` only to
    show what a different habit would have given)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=rounding)


def round_pct(value: Decimal | int | None) -> Decimal | None:
    """A percentage or 百分点 as shown: one decimal place, half-up; None stays None."""
    if value is None:
        return None
    return round_to(value, PCT_PLACES)


def printed_difference(
    minuend: Decimal | int | None, subtrahend: Decimal | int | None
) -> Decimal | None:
    """`minuend` − `subtrahend` in 百分点 as a reader recomputes it from the page: each raw
    percentage rounded as printed (`round_pct`), then subtracted (exact at one decimal).
    None when either is missing."""
    if minuend is None or subtrahend is None:
        return None
    return round_pct(minuend) - round_pct(subtrahend)


# The one percent sign of the pages (half-width, as most pages and the Excel exports write it;
# the report keeps its own --percent option). Every page prints a percentage through `pct_text`.
PERCENT_SIGN = "%"


def pct_number(value: Decimal | int | None) -> str:
    """A percentage or 百分点 as a page prints it, without a sign: one decimal kept (100.0, 33.3,
    0.0), rounded once by round_pct (a no-op on a figure already rounded); "" for None."""
    if value is None:
        return ""
    text = f"{round_pct(value):f}"
    return "0.0" if text == "-0.0" else text


def pct_text(value: Decimal | int | None) -> str:
    """A percentage as a page prints it: 33.3%, 100.0%, 0.0%; "—" for None."""
    return "—" if value is None else f"{pct_number(value)}{PERCENT_SIGN}"
