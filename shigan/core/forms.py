"""Form fields that read typed values with core.params, the one parser of ids, dates and numbers.

Django's own DateField accepts any year from 1 to 9999 (so date arithmetic downstream overflows)
and its number fields accept Arabic-Indic digits; these accept what core.params accepts and
name the value in the error."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from . import params

ISO_DATE = "%Y-%m-%d"


def date_input() -> forms.DateInput:
    """The browser's date picker, showing and sending YYYY-MM-DD."""
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


class DateField(forms.DateField):
    """A date as YYYY-MM-DD in ASCII digits within params.YEAR_RANGE.

    `what` starts the message ("节点“…”的完成日期"); by default the field's label."""

    widget = forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)

    def __init__(self, *, what: str = "", **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def to_python(self, value) -> datetime.date | None:
        if value in self.empty_values:
            return None
        try:
            return params.parse_date(value)
        except params.BadValue as bad:
            raise ValidationError(
                f"{self.what or self.label or '日期'}{bad}", code="invalid"
            ) from None


class IntegerField(forms.IntegerField):
    """A whole number in ASCII digits ("٣" and "²" are refused, unlike Django's field)."""

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        try:
            number = params.parse_number(value)
        except params.BadValue as bad:
            raise ValidationError(f"{self.label or '数值'}{bad}", code="invalid") from None
        if number != number.to_integral_value():
            raise ValidationError(f"{self.label or '数值'}应为整数", code="invalid")
        return int(number)


def _checked_ids(field, values) -> None:
    """Refuse a posted id that is no record id (core.params) before the database sees it: a
    number past 64 bits made SQLite raise OverflowError in the `__in` lookup of a multi-select."""
    for value in values:
        if params.id_or_none(value) is None and value not in field.empty_values:
            raise ValidationError(
                field.error_messages["invalid_choice"]
                if "invalid_pk_value" not in field.error_messages
                else field.error_messages["invalid_pk_value"],
                code="invalid_choice",
                params={"pk": params.shown(value), "value": params.shown(value)},
            )


class ModelChoiceField(forms.ModelChoiceField):
    """A record chosen by id; anything but an id is an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            _checked_ids(self, [value])
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen by id; anything but an id is an invalid choice."""

    def _check_values(self, value):
        _checked_ids(self, [v for v in value if not isinstance(v, self.queryset.model)])
        return super()._check_values(value)


# Control characters a typed text may not hold (what a paste from another program can carry):
# the C0 set and DEL, but tab and line breaks. Django's own CharField refuses only NUL, and its
# Chinese message for it is wrong (core/locale overrides it).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_error(label: str, text: str, part: str = "段") -> str | None:
    """The Chinese message naming the field (and the paragraph, in a text of several lines: 第N段,
    or 第N条 for a list of one item a line) when `text` holds a control character, else None."""
    found = CONTROL_CHARACTERS.search(text or "")
    if found is None:
        return None
    where = ""
    if "\n" in text:
        where = f"第{text.count(chr(10), 0, found.start()) + 1}{part}"
    return f"“{label}”{where}含有不可见的控制字符，请删除后再保存。"
