"""Template filters of the battle map."""

from django import template

from ..queries import days_left_text

register = template.Library()


@register.filter
def days_left(row) -> str:
    """“剩N天” / “今天到期” / “逾期N天” / “—” for a TaskRow."""
    return days_left_text(row)


@register.filter
def pct(value) -> str:
    """A percentage for an inline style, never localised (3 decimals and a % sign)."""
    return f"{float(value):.3f}%"
