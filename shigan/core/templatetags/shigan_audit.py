from django import template

from shigan.core.models import user_display_name

register = template.Library()


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return _record(value)
    if isinstance(value, list):
        return "、".join(_record(v) if isinstance(v, dict) else str(v) for v in value) or "（空）"
    return str(value)


def _record(value: dict) -> str:
    """A stored record such as a milestone reached: its title, and its date when it has one."""
    label = value.get("title") or value.get("name")
    if not label:
        return "；".join(f"{k}：{v}" for k, v in value.items() if k != "id")
    day = value.get("done_on") or value.get("date")
    return f"{label}（{day}）" if day else str(label)


@register.filter
def before_value(pair) -> str:
    """The 'before' half of an audit change pair [before, after]."""
    return _show(pair[0])


@register.filter
def after_value(pair) -> str:
    return _show(pair[1])


@register.filter
def user_name(user) -> str:
    """A user's name as the pages show it (his person's name, else his login; 系统 for none)."""
    return user_display_name(user)
