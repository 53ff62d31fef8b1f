"""Form fields for choosing units and people, with messages that name what was not found."""

from django import forms

from shigan.core.forms import ModelChoiceField, ModelMultipleChoiceField

from .models import Person, Unit

UNIT_ERRORS = {
    "invalid_choice": "所选单位不存在，请重新选择。",
    "invalid_pk_value": "“%(pk)s”不是有效的单位编号。",
}


def lead_unit_field(*, required_message: str = "请选择牵头单位。") -> ModelChoiceField:
    return ModelChoiceField(
        Unit.objects.all(),
        label="牵头单位",
        error_messages={**UNIT_ERRORS, "required": required_message},
    )


def supporting_units_field(*, size: int = 8) -> ModelMultipleChoiceField:
    return ModelMultipleChoiceField(
        Unit.objects.all(),
        required=False,
        label="配合单位",
        widget=forms.SelectMultiple(attrs={"size": size}),
        error_messages={
            "invalid_choice": "配合单位中有不存在的单位（编号 %(value)s），请重新选择。",
            "invalid_pk_value": "“%(pk)s”不是有效的单位编号。",
        },
    )


def leader_field() -> ModelChoiceField:
    return ModelChoiceField(
        Person.objects.all(),
        required=False,
        label="责任领导",
        error_messages={"invalid_choice": "所选责任领导不存在，请重新选择。"},
    )
