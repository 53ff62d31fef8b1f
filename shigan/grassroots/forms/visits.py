"""Forms of visits: the visit's fields with its photos, the concerns raised (a formset of
ConcernFieldsForm), the list's filters."""

from django import forms

from shigan.core import params
from shigan.core.files import MultipleFileField
from shigan.core.forms import DateField, ModelChoiceField, ModelMultipleChoiceField, date_input
from shigan.orgs.models import Person, Unit, UnitKind
from shigan.orgs.scope import district_people, district_units, own_unit_id

from ..models import PlaceKind, VisitKind
from .common import reason_field
from .concerns import UNKNOWN, ConcernFieldsForm

ConcernFormSet = forms.formset_factory(ConcernFieldsForm, extra=0, max_num=50, validate_max=True)


def visit_units(user):
    """The units a visit may be recorded for: a reporter's own, the district's otherwise."""
    unit_id = own_unit_id(user)
    units = district_units(user)
    return units.filter(pk=unit_id) if unit_id is not None else units


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=VisitKind.choices, initial=VisitKind.VISIT)
    date = DateField(label="日期", widget=date_input())
    unit = ModelChoiceField(
        Unit.objects.none(), label="组织单位", error_messages={"invalid_choice": UNKNOWN}
    )
    cadres = ModelMultipleChoiceField(
        Person.objects.none(), label="走访干部",
        error_messages={"invalid_choice": "所选干部不存在，请重新选择。", "required": "请选择走访干部。"},
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    place_kind = forms.ChoiceField(label="地点类型", choices=PlaceKind.choices)
    place = forms.CharField(label="地点", max_length=100)
    place_unit = ModelChoiceField(
        Unit.objects.none(), label="所在村（社区）", required=False,
        error_messages={"invalid_choice": UNKNOWN},
    )  # fmt: skip
    people_met = forms.CharField(
        label="走访对象", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    what_done = forms.CharField(label="工作内容", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="照片", required=False, help_text="JPG、PNG 图片，可多选。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visit_units(user)
        if own_unit_id(user) is not None:
            self.fields["unit"].empty_label = None  # a reporter records his own unit's visits
        self.fields["cadres"].queryset = district_people(user)
        villages = district_units(user).filter(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
        self.fields["place_unit"].queryset = villages


class VisitFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部")] + VisitKind.choices, required=False
    )
    unit = ModelChoiceField(Unit.objects.none(), label="组织单位", required=False)
    month = forms.CharField(
        label="月份", required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = district_units(user)

    def values(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        if "month" in data:
            data["month"] = params.period_or_none(data["month"])
        return data


class VisitEditForm(VisitForm):
    """The visit's facts as recorded, plus the reason (更正原因); its unit and photos stay."""

    reason = reason_field()

    def __init__(self, *args, visit, **kwargs):
        initial = {
            "kind": visit.kind,
            "date": visit.date,
            "cadres": [p.pk for p in visit.cadres.all()],
            "place_kind": visit.place_kind,
            "place": visit.place,
            "place_unit": visit.place_unit_id,
            "people_met": visit.people_met,
            "what_done": visit.what_done,
        }
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["unit"], self.fields["photos"]
