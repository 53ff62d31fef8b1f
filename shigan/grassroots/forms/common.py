"""What the grassroots forms share: unit and people choices from the user's district (a forged
id from another district reads as 不存在, campaigns.access.narrow_choices)."""

from django import forms

from shigan.campaigns.access import narrow_choices
from shigan.core.forms import ModelChoiceField
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import district_people, district_units

UNKNOWN_UNIT = "单位不存在，请重新选择。"
UNKNOWN_PERSON = "人员不存在，请重新选择。"
# A count of people on one day or at one event: far above any real one, and within the 32-bit
# integer column PostgreSQL gives a PositiveIntegerField (a larger number would be a 500 there).
PEOPLE_MAX = 1_000_000


def unit_field(label: str, *, required: bool = True) -> ModelChoiceField:
    return ModelChoiceField(
        Unit.objects.none(),
        label=label,
        required=required,
        error_messages={"invalid_choice": UNKNOWN_UNIT, "required": f"请选择{label}。"},
    )


def person_field(label: str, *, required: bool = True) -> ModelChoiceField:
    return ModelChoiceField(
        Person.objects.none(),
        label=label,
        required=required,
        error_messages={"invalid_choice": UNKNOWN_PERSON, "required": f"请选择{label}。"},
    )


class DistrictForm(forms.Form):
    """A form whose unit and person fields offer the user's district's."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model is Unit:
                field.queryset = district_units(user)
            elif model is Person:
                field.queryset = district_people(user)
        narrow_choices(self, user)


def reason_field() -> forms.CharField:
    """更正原因: required on every correction page, kept as the history entry's note."""
    return forms.CharField(
        label="更正原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明录错了什么、依据什么更正；与改前改后的内容一起记入历史记录。",
        error_messages={"required": "请填写更正原因。"},
    )
