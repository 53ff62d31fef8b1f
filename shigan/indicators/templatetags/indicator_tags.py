"""Figures as Chinese statistics write them: no separators, no trailing zeros on values,
percentages as rounded by calc.round_pct (one decimal kept), an em dash where there is none."""

from decimal import Decimal

from django import template

from shigan.indicators.calc import pct_number, pct_text, plain

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
    """A percentage's number, one decimal kept (44.5, 100.0, 0.0); None → —."""
    return NONE if _missing(value) else pct_number(value)


@register.filter
def percent(value) -> str:
    """A percentage with the pages' one sign (calc.pct_text): 33.3%, 100.0%; None → —."""
    return NONE if _missing(value) else pct_text(value)


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
    text = pct_number(abs(Decimal(value)))
    if value > 0:
        return f"+{text}"
    return f"−{text}" if value < 0 else text


@register.filter
def gap(value) -> str:
    """超2.3 / 低于13.8 / 持平 (百分点) for completion minus time progress."""
    if _missing(value):
        return NONE
    if value > 0:
        return f"超{pct_number(value)}"
    return f"低于{pct_number(abs(Decimal(value)))}" if value < 0 else "持平"
