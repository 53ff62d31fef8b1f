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


def test_visible_text_keeps_its_inner_spaces_and_an_emojis_joiner():
    assert clean_text("\ufeff完成 路基\u3000施工\u200b ") == "完成 路基\u3000施工"
    assert clean_text("走访很顺利👩\u200d💻❤️\u200d🔥") == "走访很顺利👩\u200d💻❤️\u200d🔥"
    assert clean_text("🧑🏽\u200d🤝\u200d🧑🏻") == "🧑🏽\u200d🤝\u200d🧑🏻"


# Bidirectional controls: embeddings and overrides, isolates, marks, the Arabic letter mark.
BIDI = [*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"]
# Zero-width and other invisible format characters, and a joiner between two Chinese characters.
ZERO_WIDTH = ["\u200b", "\ufeff", "\u2060", "\u200c", "\u00ad", "\u2062", "\u200d"]


@pytest.mark.parametrize("mark", BIDI + ZERO_WIDTH)
def test_a_format_character_inside_a_text_is_dropped(mark):
    """ "道路\u202e硬化工程" was stored as typed and shown reversed (道路程工化硬) on the pages and
    in the exports; "张\u200b三" shows as 张三 but was another name."""
    assert clean_text(f"道路{mark}硬化工程") == "道路硬化工程"
    assert clean_text(f" 张{mark}三{mark}{mark}丰 ") == "张三丰"


def test_a_joiner_that_joins_no_two_emoji_is_dropped():
    assert clean_text("👍\u200d完成") == "👍完成" and clean_text("完成\u200d👍") == "完成👍"
    assert clean_text("\u200d👍\u200d") == "👍"


@pytest.mark.parametrize("mark", ["\u202e", "\u200b", "\u2066"])
def test_a_form_field_and_a_workbook_cell_drop_it_inside(mark):
    assert forms.CharField().clean(f"道路{mark}硬化工程") == "道路硬化工程"
    assert text(f"道路{mark}硬化工程") == "道路硬化工程"


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
