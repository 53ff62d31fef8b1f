"""Forms of practice activities and their events."""

from django import forms

from shigan.core.forms import DateField, IntegerField, ModelChoiceField, date_input

from ..models import PracticeActivity, Visit
from .common import PEOPLE_MAX, DistrictForm, unit_field


class PracticeActivityForm(forms.Form):
    name = forms.CharField(label="实践活动名称", max_length=100)
    description = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PracticeEventForm(DistrictForm):
    """`activities` the campaign's; `units` those the user may enter events for; `visits` the
    campaign's that he reads."""

    activity = ModelChoiceField(
        PracticeActivity.objects.none(),
        label="实践活动",
        error_messages={"invalid_choice": "实践活动不存在，请重新选择。"},
    )
    date = DateField(label="活动日期", widget=date_input())
    place = forms.CharField(label="活动地点", max_length=100)
    organiser = unit_field("组织单位")
    participants = IntegerField(label="参与人数", min_value=1, max_value=PEOPLE_MAX)
    beneficiaries = IntegerField(
        label="受益群众（人次）", required=False, min_value=0, max_value=PEOPLE_MAX
    )
    summary = forms.CharField(
        label="活动内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    visit = ModelChoiceField(
        Visit.objects.none(),
        label="关联走访",
        required=False,
        help_text="活动中走访群众的，可选择已录入的走访记录（照片和诉求随之关联）。",
        error_messages={"invalid_choice": "走访记录不存在，请重新选择。"},
    )

    def __init__(self, *args, activities, units, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["organiser"].queryset = units
        self.fields["visit"].queryset = visits.order_by("-date", "-id")
        if units.count() == 1:
            self.fields["organiser"].empty_label = None

    def clean_beneficiaries(self):
        return self.cleaned_data.get("beneficiaries") or 0
