"""The one cleaning of typed text: whitespace and invisible format characters at either end
are dropped, so a text that holds nothing visible is empty — and refused as empty, with the
form's own message for an empty field.

Python's str.strip() (which Django's CharField and the services use) keeps a zero-width space
(U+200B), a byte-order mark (U+FEFF), a word joiner (U+2060) and the other format characters
(Unicode category Cf): pasted from a chat or a web page, such a "text" passed every required
check. Inside a text they stay (a zero-width joiner belongs to an emoji).

Applied once for every form field (install(), from core's AppConfig.ready: Django's
CharField.to_python strips with clean_text instead of str.strip) and for every API body
(api.body.body_parsed)."""

import re
import unicodedata

from django import forms

# Whitespace and the format characters (category Cf) of the Basic Multilingual Plane, plus the
# Hangul fillers, which render as nothing; computed once.
_INVISIBLE = "".join(
    ch
    for ch in map(chr, range(0x10000))
    if unicodedata.category(ch) == "Cf" or ch.isspace() or ch in "\u115f\u1160\u3164\uffa0"
)
_EDGES = re.compile(f"^[{re.escape(_INVISIBLE)}]+|[{re.escape(_INVISIBLE)}]+$")


def clean_text(value: str) -> str:
    """`value` without whitespace and invisible characters at either end ("" when nothing
    visible is left)."""
    return _EDGES.sub("", value)


def _char_field_to_python(self, value):
    """django.forms.CharField.to_python, stripping with clean_text."""
    if value not in self.empty_values:
        value = str(value)
        if self.strip:
            value = clean_text(value)
    if value in self.empty_values:
        return self.empty_value
    return value


def install() -> None:
    """Every form's text field strips with clean_text (its subclasses too: EmailField, the
    project's own)."""
    forms.CharField.to_python = _char_field_to_python
