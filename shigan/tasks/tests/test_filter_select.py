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
