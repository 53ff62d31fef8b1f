"""The reception rota's day form."""

from django import forms

from shigan.core.forms import DateField, IntegerField, date_input

from .common import PEOPLE_MAX, DistrictForm, person_field


class ReceptionDayForm(DistrictForm):
    date = DateField(label="接待日期", widget=date_input())
    leader = person_field("接待领导")
    place = forms.CharField(label="接待地点", max_length=100)
    held = forms.BooleanField(label="已开展", required=False)
    visitors = IntegerField(
        label="接待群众（人次）", required=False, min_value=0, max_value=PEOPLE_MAX
    )
    note = forms.CharField(
        label="情况说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_visitors(self):
        return self.cleaned_data.get("visitors") or 0
