from django import template

from shigan.core.words import days_left_words

register = template.Library()


@register.filter
def due_words(days) -> str:
    """{{ row.days_left|due_words }}: 剩N天 / 今天到期 / 逾期N天 (docs/style.md)."""
    return days_left_words(None if days in (None, "") else int(days))
