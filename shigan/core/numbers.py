"""The project's one rounding rule, for every layer that shows or checks a figure.

Half-up (ROUND_HALF_UP: a tie goes away from zero, 28.25 → 28.3, −28.25 → −28.3), applied once
to the raw value — never to an already rounded figure (8.449 → 8.4, not 8.45 → 8.5).
Percentages and 百分点 keep one decimal place (`round_pct`); a report text that states a figure
with other decimals is checked with `round_to` at those decimals. GB/T 8170's 四舍六入五成双
differs only on exact ties; the statistics texts the project follows round half-up.
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
