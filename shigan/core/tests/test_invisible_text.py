"""A text holding nothing visible (a zero-width space, a byte-order mark, a word joiner …) is
empty: core.text.clean_text, applied to every form field and every API body."""

import pytest
from django import forms

from shigan.core.text import clean_text
from shigan.core.xlsx.cells import text

INVISIBLE = ["\u200b", "\ufeff", "\u2060", " \u200b\u3000", "\u200e\u00ad"]


@pytest.mark.parametrize("raw", INVISIBLE)
def test_a_text_of_invisible_characters_is_empty(raw):
    assert clean_text(raw) == ""


def test_visible_text_keeps_its_inner_characters():
    assert clean_text("\ufeff完成\u200d路基\u200b ") == "完成\u200d路基"


@pytest.mark.parametrize("raw", INVISIBLE)
def test_a_required_form_field_refuses_it_with_the_forms_message(raw):
    class Form(forms.Form):
        text = forms.CharField(label="本月进展", error_messages={"required": "请填写进展。"})

    form = Form({"text": raw})
    assert not form.is_valid()
    assert form.errors["text"] == ["请填写进展。"]


def test_a_password_is_not_cleaned():
    field = forms.CharField(strip=False)
    assert field.clean("\u200bsecret") == "\u200bsecret"


@pytest.mark.parametrize("raw", INVISIBLE)
def test_a_workbook_cell_of_invisible_characters_is_blank(raw):
    assert text(raw) == "" and text(f"{raw}路灯不亮{raw}") == "路灯不亮"
