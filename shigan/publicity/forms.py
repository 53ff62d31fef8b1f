"""The media report form (duplicates refused before the service is asked) and the list filter."""

from django import forms

from shigan.campaigns.access import campaign_for_user, narrow_choices
from shigan.campaigns.models import Campaign
from shigan.core.forms import DateField, ModelChoiceField, date_input
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task

from .models import MediaLevel, MediaReport
from .queries import PERIOD_LABELS
from .services import duplicate_error


class TaskChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.title}（{obj.lead_unit.label}）"


class MediaReportForm(forms.Form):
    campaign = ModelChoiceField(Campaign.objects.all(), label="活动", empty_label=None)
    title = forms.CharField(label="标题", max_length=200)
    outlet = forms.CharField(label="媒体", max_length=100, help_text="如：人民网、省日报")
    level = forms.ChoiceField(label="媒体级别", choices=MediaLevel.choices)
    date = DateField(label="发表日期", widget=date_input())
    link = forms.URLField(
        label="链接",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "链接格式不正确，请填写完整网址。"},
    )
    task = TaskChoiceField(
        Task.objects.select_related("lead_unit").order_by("campaign_id", "id"),
        label="相关任务",
        required=False,
        empty_label="（无）",
    )
    activity = forms.CharField(
        label="相关活动", required=False, max_length=200, help_text="报道的不是清单任务时填写"
    )

    def __init__(self, *args, user, report: MediaReport | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        narrow_choices(self, user)
        self.fields["task"].queryset = tasks_visible_to(user, self.fields["task"].queryset)
        self.fields["campaign"].initial = campaign_for_user(user)

    def clean(self):
        data = super().clean()
        if {"campaign", "title", "outlet"} <= data.keys():
            problem = duplicate_error(
                campaign=data["campaign"],
                title=data["title"],
                outlet=data["outlet"],
                link=data.get("link") or "",
                exclude=self.report.pk if self.report is not None else None,
            )
            if problem:
                raise forms.ValidationError(problem)
        return data


class MediaReportEditForm(MediaReportForm):
    """The entry form filled with the report as recorded, plus the reason (更正原因)."""

    reason = forms.CharField(
        label="更正原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明录错了什么、依据什么更正；记入历史记录。",
        error_messages={"required": "请填写更正原因。"},
    )

    def __init__(self, *args, report: MediaReport, **kwargs):
        fields = ["campaign", "title", "outlet", "level", "date", "link", "task", "activity"]
        initial = {name: getattr(report, name) for name in fields}
        initial["campaign"], initial["task"] = report.campaign_id, report.task_id
        super().__init__(*args, report=report, initial=initial, **kwargs)


class MediaReportFilterForm(forms.Form):
    """Filters of the list; dates also bound the counts. Unknown values are ignored."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_choices(self, user)

    campaign = ModelChoiceField(
        Campaign.objects.all(), label="活动", required=False, empty_label="全部"
    )
    level = forms.ChoiceField(
        label="媒体级别", choices=[("", "全部")] + MediaLevel.choices, required=False
    )
    date_from = DateField(label="起始日期", required=False, widget=date_input())
    date_to = DateField(label="截止日期", required=False, widget=date_input())
    period = forms.ChoiceField(
        label="统计周期",
        choices=[(k, f"按{v}") for k, v in PERIOD_LABELS.items()],
        required=False,
    )

    def values(self) -> dict:
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
