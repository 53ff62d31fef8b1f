"""A number typed into a form, read by core.params (ASCII digits, thousands in groups of three):
"三万" or "３００" is refused naming the field and the value."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from shigan.core import params

from ..calc import plain


class AmountField(forms.CharField):
    """A decimal number; `places` decimals at most, not negative unless `signed`."""

    def __init__(self, *, places: int = 4, signed: bool = False, **kwargs):
        self.places, self.signed = places, signed
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            number = params.parse_number(text)
        except params.BadValue as bad:
            raise ValidationError(f"{self.label}{bad}", code="invalid") from None
        if number < 0 and not self.signed:
            raise ValidationError(f"{self.label}“{params.shown(text)}”不能为负数", code="invalid")
        if number.normalize().as_tuple().exponent < -self.places:
            raise ValidationError(f"{self.label}最多保留{self.places}位小数", code="invalid")
        return number

    def prepare_value(self, value):
        return plain(value) if isinstance(value, Decimal) else value
