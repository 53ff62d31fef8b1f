"""A control character typed or pasted into a text (a NUL byte from another program) is refused
with a Chinese message that says so and names the field — Django's own zh_Hans message for NUL
says 不允许是用空字符串, which is not what happened (shigan/core/locale overrides it)."""

from django import forms
from django.utils import translation

from shigan.core.forms import control_error


class Named(forms.Form):
    name = forms.CharField(label="名称")


def test_any_char_field_names_a_nul_byte_as_a_control_character_in_chinese():
    with translation.override("zh-hans"):
        form = Named({"name": "水务\x00站"})
        assert not form.is_valid()
        assert form.errors["name"] == ["含有不可见的控制字符（NUL），请删除后再保存。"]


def test_control_error_names_the_field_and_the_paragraph_of_a_longer_text():
    assert control_error("标题", "清凉河治理") is None
    assert control_error("标题", "清凉河\x07治理") == "“标题”含有不可见的控制字符，请删除后再保存。"
    text = "第一段。\n第二段。\n第三\x00段。"
    assert control_error("正文", text) == "“正文”第3段含有不可见的控制字符，请删除后再保存。"
    # tab and line breaks are text, DEL and the C0 set are not
    assert control_error("正文", "甲\t乙\r\n丙") is None
    assert (
        control_error("正文", "甲\x7f") is not None and control_error("正文", "甲\x1f") is not None
    )
