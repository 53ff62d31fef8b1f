from django import template

register = template.Library()


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（空）"
    return str(value)


@register.filter
def before_value(pair) -> str:
    """The 'before' half of an audit change pair [before, after]."""
    return _show(pair[0])


@register.filter
def after_value(pair) -> str:
    return _show(pair[1])
