"""The pairing form."""

from django import forms

from shigan.core.forms import DateField, date_input

from ..models import PairingTargetKind
from .common import DistrictForm, person_field, unit_field


class PairingForm(DistrictForm):
    cadre = person_field("结对干部")
    target_kind = forms.ChoiceField(
        label="结对对象类型",
        choices=PairingTargetKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择结对对象类型。"},
    )
    target_name = forms.CharField(
        label="结对对象", max_length=100, widget=forms.TextInput(attrs={"size": 40})
    )
    place_unit = unit_field("所在村（社区）", required=False)
    started_on = DateField(label="结对日期", widget=date_input())
    note = forms.CharField(
        label="帮扶内容", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PairingEditForm(forms.Form):
    target_name = forms.CharField(
        label="结对对象", max_length=100, widget=forms.TextInput(attrs={"size": 40})
    )
    note = forms.CharField(
        label="帮扶内容", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    ended_on = DateField(
        label="结束日期",
        required=False,
        widget=date_input(),
        help_text="结对结束的，填写结束日期。",
    )
