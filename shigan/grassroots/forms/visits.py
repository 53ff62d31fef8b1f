"""Forms of visits: the visit's fields with its photos, the concerns raised (a formset of
ConcernFieldsForm), the list's filters."""

from django import forms

from shigan.core import params
from shigan.core.files import MultipleFileField
from shigan.core.forms import DateField, ModelChoiceField, ModelMultipleChoiceField, date_input
from shigan.orgs.models import Person, Unit, UnitKind
from shigan.orgs.scope import district_people, district_units, own_unit_id

from ..access import pairings_visible_to
from ..models import Pairing, PlaceKind, VisitKind
from ..services.visits import pairing_problem
from .common import reason_field
from .concerns import UNKNOWN, ConcernFieldsForm

PAIRING_UNKNOWN = "所选结对帮扶不存在或无权查看，请重新选择。"

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
    pairing = forms.ModelChoiceField(
        Pairing.objects.none(), label="结对帮扶", required=False, empty_label="（不属于结对帮扶）",
        help_text="本组织单位干部的结对、走访日期在结对期间的，可选；选后列入该结对的走访。",
        error_messages={"invalid_choice": PAIRING_UNKNOWN},
    )  # fmt: skip
    people_met = forms.CharField(
        label="走访对象", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    what_done = forms.CharField(label="工作内容", widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label="照片", required=False, help_text="JPG、PNG 图片，可多选。")

    def __init__(self, *args, user, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_id = campaign.pk if campaign is not None else None
        self.fields["unit"].queryset = visit_units(user)
        if own_unit_id(user) is not None:
            self.fields["unit"].empty_label = None  # a reporter records his own unit's visits
        self.fields["cadres"].queryset = district_people(user)
        villages = district_units(user).filter(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
        self.fields["place_unit"].queryset = villages
        self.fields["pairing"].queryset = visit_pairings(user, campaign)
        self.fields["pairing"].label_from_instance = pairing_label

    def visit_unit_id(self) -> int | None:
        unit = self.cleaned_data.get("unit")
        return unit.pk if unit is not None else None

    def clean(self):
        """A pairing chosen must fit the visit (services.visits.pairing_problem): of its
        campaign, its cadre of the organising unit, in force on the visit's day."""
        data = super().clean()
        pairing = data.get("pairing")
        if pairing is not None and "date" in data and self.campaign_id is not None:
            problem = pairing_problem(
                pairing, campaign_id=self.campaign_id, unit_id=self.visit_unit_id(),
                date=data["date"],
            )  # fmt: skip
            if problem:
                self.add_error("pairing", problem)
        return data


def visit_pairings(user, campaign):
    """The pairings a visit may be recorded under, as the form offers them: the campaign's that
    the user reads (a reporter's: his unit's cadres'), by unit and cadre; those ended too (a
    visit made before the end may be entered late), the rule checked on the visit's unit and
    day (services.visits.pairing_problem)."""
    if campaign is None:
        return Pairing.objects.none()
    pairings = pairings_visible_to(user, Pairing.objects.filter(campaign=campaign))
    return pairings.select_related("cadre__unit").order_by(
        "cadre__unit__sort_order", "cadre__sort_order", "cadre_id", "started_on", "id"
    )


def pairing_label(pairing: Pairing) -> str:
    ended = f"，{pairing.ended_on:%Y-%m-%d} 结束" if pairing.ended_on else ""
    return (
        f"{pairing.cadre.unit.name} {pairing.cadre.name} ↔ {pairing.target_name}"
        f"（{pairing.started_on:%Y-%m-%d} 起{ended}）"
    )


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
            "pairing": visit.pairing_id,
        }
        self.visit = visit
        super().__init__(*args, initial=initial, campaign=visit.campaign, **kwargs)
        del self.fields["unit"], self.fields["photos"]

    def visit_unit_id(self) -> int | None:
        return self.visit.unit_id
