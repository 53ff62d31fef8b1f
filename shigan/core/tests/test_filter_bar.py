"""{% filter_bar %}: a list's GET form of a form's fields, with 筛选 and 清除."""

from django import forms
from django.template import Context, Template


class Filters(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), ("a", "甲")], required=False)
    q = forms.CharField(label="名称", required=False)


def render(text: str, **context) -> str:
    return Template("{% load filter_bar %}" + text).render(Context(context))


def test_the_bar_is_a_get_form_of_the_fields_in_their_labels_with_the_chosen_values():
    html = render('{% filter_bar form clear="tasks:task_list" %}', form=Filters({"kind": "a"}))
    assert html.startswith('<form method="get" class="filters no-print">')
    assert '<label>类型 <select name="kind" id="filter-kind">' in html
    assert '<option value="a" selected>甲</option>' in html
    assert '<label>名称 <input type="text" name="q" id="filter-q"></label>' in html
    assert '<button type="submit" class="primary">筛选</button>' in html
    assert '<a class="button" href="/tasks/">清除</a>' in html
    assert 'name="campaign"' not in html


def test_without_clear_there_is_no_link_and_a_campaign_is_kept_hidden():
    html = render("{% filter_bar form campaign=7 %}", form=Filters())
    assert "清除" not in html and "<a " not in html
    assert '<input type="hidden" name="campaign" value="7">' in html


def test_labels_are_escaped():
    form = Filters()
    form.fields["q"].label = "<b>名称</b>"
    assert "<label>&lt;b&gt;名称&lt;/b&gt; <input" in render("{% filter_bar form %}", form=form)
