"""The 办实事 item form (its milestones one per line) and the 回访 form."""

from django import forms
from django.core.exceptions import ValidationError

from shigan.core import params
from shigan.core.forms import DateField, date_input
from shigan.tasks.services.tasks import MilestoneInput

from ..models import Satisfaction
from .common import DistrictForm, person_field, unit_field

MILESTONES_HELP = "每行一个节点：日期 节点名称，如“2023-06-30 完成选址”。可不填。"


def parse_milestones(text: str) -> list[MilestoneInput]:
    """Lines "YYYY-MM-DD 名称" as milestones; a bad line is refused naming its number."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        raw_date, _, title = line.partition(" ")
        if not title.strip():
            raise ValidationError(f"节点第{number}行缺少节点名称（格式：日期 节点名称）。")
        try:
            due = params.parse_date(raw_date)
        except params.BadValue as bad:
            raise ValidationError(f"节点第{number}行的日期{bad}") from None
        found.append(MilestoneInput(title=title.strip()[:200], due_date=due))
    return found


class PromiseForm(DistrictForm):
    title = forms.CharField(
        label="办实事事项", max_length=200, widget=forms.TextInput(attrs={"size": 60})
    )
    target = forms.CharField(
        label="内容和目标", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = unit_field("承诺单位")
    leader = person_field("责任领导", required=False)
    start_date = DateField(label="开始日期", widget=date_input())
    due_date = DateField(label="承诺完成时限", widget=date_input())
    milestones = forms.CharField(
        label="节点",
        required=False,
        help_text=MILESTONES_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data.get("milestones", ""))

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", f"承诺完成时限{due}早于开始日期{start}。")
        return data


class FollowUpForm(forms.Form):
    on = DateField(label="回访日期", widget=date_input())
    satisfaction = forms.ChoiceField(
        label="群众满意度",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择群众满意度。", "invalid_choice": "请选择群众满意度。"},
    )
    result = forms.CharField(
        label="回访情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
