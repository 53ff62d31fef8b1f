"""The one cleaning of typed text: whitespace and invisible format characters at either end
are dropped, so a text that holds nothing visible is empty — and refused as empty, with the
form's own message for an empty field. Inside a text, the format characters are dropped too,
save a zero-width joiner between two emoji.

Python's str.strip() (which Django's CharField and the services use) keeps a zero-width space
(U+200B), a byte-order mark (U+FEFF), a word joiner (U+2060) and the other format characters
(Unicode category Cf): pasted from a chat or a web page, such a "text" passed every required
check.

Inside a text they are dropped as well (every Cf character of the Basic Multilingual Plane):
- the bidirectional controls (U+202A–U+202E embeddings and overrides, U+2066–U+2069
  isolates, U+200E/U+200F marks, U+061C the Arabic letter mark): "道路\u202e硬化工程" was
  stored, listed and exported (CSV, xlsx) reading 道路程工化硬 — a known spoofing vector
  (Trojan Source, a file name's extension reversed), of no use in this government's Chinese
  text, which is written left to right;
- the zero-width characters U+200B, U+2060, U+FEFF, U+200C, the soft hyphen U+00AD and the
  invisible operators U+2061–U+2064: "张\u200b三" shows as 张三 but is another name — it
  escapes a duplicate check, a filter, a workbook's matching of unit and person names, and
  Chinese needs no hint where a line may break (it breaks between any two characters);
- a zero-width joiner (U+200D) except between two emoji: 👩\u200d💻 (a technologist) and
  ❤️\u200d🔥 are one picture each, kept in free text as typed; between two Chinese
  characters or letters it joins nothing and only makes 完\u200d成 differ from 完成.
Characters outside the Basic Multilingual Plane are left as they are (the tag characters of
a subdivision flag's emoji, 🏴 + U+E0067…, are format characters too).

Applied once for every form field (install(), from core's AppConfig.ready: Django's
CharField.to_python strips with clean_text instead of str.strip), for every API body
(api.body.body_parsed) and for every workbook cell read as text (core.xlsx.cells.text)."""

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
ZWJ = "\u200d"
# The format characters dropped inside a text: every one of the BMP but the zero-width joiner,
# which _joiners keeps between two emoji.
_FORMAT = "".join(ch for ch in map(chr, range(0x10000)) if unicodedata.category(ch) == "Cf")
_INSIDE = re.compile(f"[{re.escape(_FORMAT.replace(ZWJ, ''))}]+")
_VS16 = "\ufe0f"  # the variation selector that makes ❤ an emoji, before its joiner


def _is_emoji(ch: str) -> bool:
    """A picture an emoji sequence joins (a symbol, U+2640 ♀ and 🏳 included), or what may end
    one before its joiner: the emoji variation selector, a skin-tone modifier."""
    return unicodedata.category(ch) == "So" or ch == _VS16 or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _joiners(value: str) -> str:
    """`value` with each zero-width joiner kept only between an emoji and an emoji."""
    parts = value.split(ZWJ)
    joined = parts[0]
    for part in parts[1:]:
        if joined and part and _is_emoji(joined[-1]) and unicodedata.category(part[0]) == "So":
            joined += ZWJ
        joined += part
    return joined


def clean_text(value: str) -> str:
    """`value` without whitespace and invisible characters at either end ("" when nothing
    visible is left), and without format characters inside — bidirectional controls,
    zero-width spaces — save a joiner between two emoji (the module's docstring says why)."""
    value = _EDGES.sub("", value)
    if value.isascii():
        return value
    value = _INSIDE.sub("", value)
    return _joiners(value) if ZWJ in value else value


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
