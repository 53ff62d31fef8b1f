"""What the supervision forms share: campaign and unit fields, unit and people choices from the
user's district, the list filters' base, the reason (更正原因) every correction page asks for."""

from django import forms

from shigan.campaigns.access import narrow_choices
from shigan.campaigns.models import Campaign
from shigan.core.forms import ModelChoiceField
from shigan.orgs.models import Role, Unit
from shigan.orgs.scope import district_people, district_units

UNKNOWN_UNIT = "单位不存在，请重新选择。"


def inspector_people(user):
    return district_people(user).filter(role__in=[Role.INSPECTOR, Role.COORDINATOR])


REASON_HELP = "写明录错了什么、依据什么更正；记入历史记录。"


def reason_field() -> forms.CharField:
    """更正原因: required on every correction page, kept as the history entry's note."""
    return forms.CharField(
        label="更正原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
        error_messages={"required": "请填写更正原因。"},
    )


class CampaignField(ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "活动")
        kwargs.setdefault("error_messages", {"invalid_choice": "活动不存在，请重新选择。"})
        super().__init__(Campaign.objects.all(), **kwargs)


class UnitField(ModelChoiceField):
    """A unit of the user's district: the form's `user` sets the choices (DistrictChoices)."""

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_UNIT})
        super().__init__(queryset if queryset is not None else Unit.objects.none(), **kwargs)


class DistrictChoices:
    """Every choice of the form is the user's district's (campaigns.access.narrow_choices: units
    are unique per district, not across the database, and no record is filed under another
    district's campaign, unit or person): `unit_fields` get district_units(user),
    `people_fields` its people, `inspector_fields` its inspectors and coordinators. `user` stays
    on the form (`self.user`).

    The forms of a formset share one `choices` dict (form_kwargs): the options are read once for
    all of them, so a page's queries do not grow with its forms."""

    unit_fields: tuple[str, ...] = ()
    people_fields: tuple[str, ...] = ()
    inspector_fields: tuple[str, ...] = ()

    def __init__(self, *args, user, choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        narrow_choices(self, user)
        sources = {
            **dict.fromkeys(self.unit_fields, district_units),
            **dict.fromkeys(self.people_fields, district_people),
            **dict.fromkeys(self.inspector_fields, inspector_people),
        }
        for name, source in sources.items():
            field = self.fields[name]
            field.queryset = source(user)
            if choices is not None:
                if name not in choices:
                    choices[name] = list(field.choices)
                field.choices = choices[name]


class FilterForm(forms.Form):
    """A list filter: unknown values are ignored rather than refused."""

    def values(self) -> dict:
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
