"""The task list's filter <select>s are written in Python (tasks.forms.tasks.PlainSelect), not
through a template per option: the same markup as Django's Select, escaping included."""

import pytest
from django import forms

from shigan.tasks.forms.tasks import PlainSelect, TaskFilterForm

CHOICES = [("", "全部<单位>"), (1, "A&B"), (2, 'x"y'), (22, "二十二")]


@pytest.mark.parametrize("value", [None, "", "2", 2, "22", "zz", ["1", "2"]])
@pytest.mark.parametrize(
    "attrs", [{"id": "filter-unit"}, {"id": "f", "required": True, "data-x": "a<b", "off": False}]
)
def test_plain_select_writes_djangos_markup(value, attrs):
    plain = PlainSelect(choices=CHOICES).render("unit", value, attrs)
    assert plain == forms.Select(choices=CHOICES).render("unit", value, attrs)
    assert "全部&lt;单位&gt;" in plain and "x&quot;y" in plain and "A&amp;B" in plain


def test_the_filter_forms_selects_are_plain():
    form = TaskFilterForm({"unit": "2"})
    for name in ("campaign", "category", "unit", "leader", "status"):
        assert isinstance(form.fields[name].widget, PlainSelect), name
    form.fields["unit"].choices = [("", "全部单位"), (2, "区水务局")]
    assert '<option value="2" selected>区水务局</option>' in str(form["unit"])


def test_a_renamed_option_shows_at_once():
    """The escaped options are kept per choice set: a unit renamed (same id) or a leader added
    is a new set, written afresh on the next render, never the one kept."""
    widget = PlainSelect(choices=[("", "全部单位"), (2, "区水务局")])
    assert ">区水务局</option>" in widget.render("unit", "2")
    widget.choices = [("", "全部单位"), (2, "区水利局")]
    plain = widget.render("unit", "2")
    assert '<option value="2" selected>区水利局</option>' in plain and "水务" not in plain
    widget.choices = [("", "全部单位"), (2, "区水利局"), (3, "A&B")]
    assert '<option value="3" selected>A&amp;B</option>' in widget.render("unit", "3")


def test_safe_text_is_not_escaped_as_plain_text():
    """A label marked safe keeps Django's markup (not escaped), even after the same text as
    plain text was kept escaped."""
    from django.utils.safestring import mark_safe

    PlainSelect(choices=[(1, "<b>x</b>")]).render("unit", None)
    safe = [(1, mark_safe("<b>x</b>"))]
    assert PlainSelect(choices=safe).render("unit", None) == forms.Select(choices=safe).render(
        "unit", None
    )
    assert "<b>x</b>" in PlainSelect(choices=safe).render("unit", None)
