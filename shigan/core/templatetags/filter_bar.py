"""{% filter_bar form clear="app:list" %}: the filter bar above a list, written once."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("_filter_bar.html")
def filter_bar(form, clear: str = "", campaign=None) -> dict:
    """A GET form of `form`'s fields, each in its label, with 筛选 and, when `clear` names a URL,
    清除 back to the unfiltered list. `campaign` (an id) is kept as a hidden field, for a list
    whose campaign is chosen elsewhere on the page. The inputs' ids are filter-<name>, so that a
    form of the same fields on the page (the create form below a list) keeps its own."""
    fields = [
        (field.label, field.as_widget(attrs={"id": f"filter-{field.html_name}"})) for field in form
    ]
    return {"fields": fields, "clear_url": reverse(clear) if clear else "", "campaign": campaign}
