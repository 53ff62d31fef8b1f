from django import template

from shigan.core.words import days_left_words, no_progress_words

register = template.Library()


@register.filter
def due_words(days) -> str:
    """{{ row.days_left|due_words }}: 剩N天 / 今天到期 / 逾期N天 (docs/style.md)."""
    return days_left_words(None if days in (None, "") else int(days))


@register.filter
def no_progress(state) -> str:
    """{{ row.task.state|no_progress }}: 尚无进展 for an active task (state "active", or none
    given), 未填报进展 for a completed or cancelled one (docs/style.md, 尚无 / 暂无)."""
    return no_progress_words(finished=str(state or "active") != "active")
