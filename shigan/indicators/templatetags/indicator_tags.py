"""Figures as Chinese statistics write them: no separators, no trailing zeros on values,
percentages as rounded by calc.round_pct (one decimal kept), an em dash where there is none."""

from decimal import Decimal

from django import template

from shigan.indicators.calc import plain

register = template.Library()

NONE = "—"


def _missing(value) -> bool:
    """None, or the empty string a template gives for a missing attribute (a.b of a None a)."""
    return value is None or value == ""


@register.filter
def num(value) -> str:
    """33000.0000 → 33000; None → —."""
    return NONE if _missing(value) else plain(value)


@register.filter
def pct(value) -> str:
    """A rounded percentage as stored (44.5, 10.0); None → —."""
    return NONE if _missing(value) else f"{Decimal(value):f}"


@register.filter
def signed(value) -> str:
    """+3000 / −200 / 0 for a change; None → —."""
    if _missing(value):
        return NONE
    text = plain(abs(Decimal(value)))
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text


@register.filter
def signed_pct(value) -> str:
    if _missing(value):
        return NONE
    text = f"{abs(Decimal(value)):f}"
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text


@register.filter
def gap(value) -> str:
    """超2.3 / 低于13.8 / 持平 (百分点) for completion minus time progress."""
    if _missing(value):
        return NONE
    if value > 0:
        return f"超{value:f}"
    return f"低于{abs(value):f}" if value < 0 else "持平"
