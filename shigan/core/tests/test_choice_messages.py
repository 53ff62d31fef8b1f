"""Django's own Simplified Chinese messages for a value outside a field's choices read
"选择一个有效的选项。 visit 不在可用的选项中。" (a stray space, the raw value) and
"选择一个有效的选项： 该选择不在可用的选项中。"; core/locale words them for the whole project."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from shigan.core.forms import ModelChoiceField
from shigan.orgs.models import Unit


def _refusal(field, value) -> list[str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


def test_a_value_outside_the_choices_is_named_in_quotes_without_a_stray_space():
    field = forms.ChoiceField(choices=[("hotline", "热线")])
    assert _refusal(field, "visit") == ["“visit”不是可选的值，请从列表中选择。"]
    multiple = forms.MultipleChoiceField(choices=[("hotline", "热线")])
    assert _refusal(multiple, ["hotline", "visit"]) == ["“visit”不是可选的值，请从列表中选择。"]


@pytest.mark.django_db
def test_a_record_outside_the_choices_is_refused_in_plain_chinese():
    field = ModelChoiceField(queryset=Unit.objects.all())
    assert _refusal(field, "999999") == ["所选项不存在或不可选，请重新选择。"]
    assert _refusal(field, "abc") == ["所选项不存在或不可选，请重新选择。"]
