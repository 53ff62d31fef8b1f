"""Forms for meetings, decisions, study sessions and the meeting list's filters. The forms parse;
the services (services.py) hold the rules and their messages."""

from django import forms
from django.core.exceptions import ValidationError

from shigan.campaigns.access import narrow_choices
from shigan.campaigns.models import Campaign
from shigan.core.files import ACCEPTED_LABEL, MultipleFileField
from shigan.core.forms import DateField, ModelChoiceField, ModelMultipleChoiceField, date_input
from shigan.orgs.forms import lead_unit_field, leader_field, supporting_units_field
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import district_units

from .models import Cadence, MeetingKind, MeetingSeries, StudyKind

PERSON_ERRORS = {"invalid_choice": "所选人员不存在，请重新选择。"}
PEOPLE_ERRORS = {
    "invalid_choice": "所选人员中有不存在的人员（编号 %(value)s），请重新选择。",
    "invalid_pk_value": "“%(pk)s”不是有效的人员编号。",
}


def people_field(label: str) -> ModelMultipleChoiceField:
    return ModelMultipleChoiceField(
        Person.objects.all(),
        required=False,
        label=label,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages=PEOPLE_ERRORS,
        help_text="按住 Ctrl（手机上直接点选）可多选",
    )


def campaign_field() -> ModelChoiceField:
    return ModelChoiceField(
        Campaign.objects.all(),
        label="活动",
        error_messages={
            "invalid_choice": "所选活动不存在，请重新选择。",
            "required": "请选择活动。",
        },
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed messages on their fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


class MeetingFilterForm(forms.Form):
    """The meeting list's filters; an unknown value is ignored rather than refused."""

    series = ModelChoiceField(
        MeetingSeries.objects.none(), required=False, label="会议系列", empty_label="全部"
    )
    kind = forms.ChoiceField(
        choices=[("", "全部")] + MeetingKind.choices, required=False, label="会议类型"
    )
    date_from = DateField(required=False, label="开始日期", widget=date_input())
    date_to = DateField(required=False, label="截止日期", widget=date_input())

    def __init__(self, *args, campaign: Campaign | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = MeetingSeries.objects.filter(campaign=campaign)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in self.fields}


class DistrictForm(forms.Form):
    """A form whose campaign, unit, person and series choices are the user's district's
    (campaigns.access.narrow_choices)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_choices(self, user)
        if "series" in self.fields and "campaign" in self.fields:
            series = self.fields["series"]
            campaigns = self.fields["campaign"].queryset.values("pk")
            series.queryset = series.queryset.filter(campaign__in=campaigns)


class MeetingForm(DistrictForm):
    campaign = campaign_field()
    series = ModelChoiceField(
        MeetingSeries.objects.select_related("campaign"),
        required=False,
        label="会议系列",
        empty_label="（不属于系列的会议，如动员会）",
        error_messages={"invalid_choice": "所选会议系列不存在，请重新选择。"},
    )
    kind = forms.ChoiceField(
        choices=MeetingKind.choices,
        label="会议类型",
        error_messages={"required": "请选择会议类型。", "invalid_choice": "请选择会议类型。"},
    )
    title = forms.CharField(
        label="会议名称", max_length=200, error_messages={"required": "请填写会议名称。"}
    )
    date = DateField(
        label="会议日期", widget=date_input(), error_messages={"required": "请填写会议日期。"}
    )
    chair = ModelChoiceField(
        Person.objects.all(),
        label="主持人",
        error_messages={**PERSON_ERRORS, "required": "请选择会议主持人。"},
    )
    attendees = people_field("参会人员")
    agenda = forms.CharField(
        label="会议议程", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label="会议纪要", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(
        label="会议材料", required=False, help_text=f"可多选，接受 {ACCEPTED_LABEL} 文件"
    )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class DecisionForm(DistrictForm):
    title = forms.CharField(
        label="议定事项", max_length=200, error_messages={"required": "请填写议定事项。"}
    )
    target = forms.CharField(
        label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_unit = lead_unit_field()
    supporting_units = supporting_units_field(size=6)
    leader = leader_field()
    due_date = DateField(
        label="完成时限", widget=date_input(), error_messages={"required": "请填写完成时限。"}
    )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class StudySessionForm(DistrictForm):
    campaign = campaign_field()
    topic = forms.CharField(
        label="学习主题", max_length=200, error_messages={"required": "请填写学习主题。"}
    )
    date = DateField(
        label="学习日期", widget=date_input(), error_messages={"required": "请填写学习日期。"}
    )
    kind = forms.ChoiceField(
        choices=StudyKind.choices,
        label="学习形式",
        error_messages={"required": "请选择学习形式。", "invalid_choice": "请选择学习形式。"},
    )
    attendees = people_field("参加人员")
    notes = forms.CharField(
        label="学习内容及体会", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class StudySessionCorrectForm(StudySessionForm):
    """A recorded study session's values and the reason for correcting them (required)."""

    reason = forms.CharField(
        label="更正原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写更正原因。", "max_length": "更正原因最多500个字。"},
        help_text="必填，记入历史记录",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["campaign"]


class SeriesForm(forms.Form):
    """A meeting series (会议系列): campaign, units and people of the user's district."""

    campaign = campaign_field()
    name = forms.CharField(
        label="名称",
        max_length=100,
        error_messages={"required": "请填写会议系列名称。", "max_length": "名称最多100个字。"},
    )
    cadence = forms.ChoiceField(
        choices=Cadence.choices,
        label="召开频次",
        error_messages={"required": "请选择召开频次。", "invalid_choice": "请选择召开频次。"},
    )
    organiser = ModelChoiceField(
        Unit.objects.none(),
        label="组织单位",
        error_messages={
            "required": "请选择组织单位。",
            "invalid_choice": "所选组织单位不是本区（县）的单位，请重新选择。",
        },
    )
    chair = ModelChoiceField(
        Person.objects.none(),
        label="主持人",
        required=False,
        error_messages=PERSON_ERRORS,
    )
    active_from = DateField(
        label="起始日期", widget=date_input(), error_messages={"required": "请填写起始日期。"}
    )
    active_to = DateField(
        label="截止日期",
        required=False,
        widget=date_input(),
        help_text="留空则至活动结束；填写截止日期即停用本系列，此后不再检查召开频次",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = district_units(user)
        # a series is kept by its own level: a county's coordinator is not offered the
        # campaigns of the districts below him (narrow_choices: his own level's)
        self.fields["campaign"].queryset = Campaign.objects.all()
        narrow_choices(self, user)
        self.fields["organiser"].queryset = units
        self.fields["chair"].queryset = Person.objects.filter(unit__in=units).order_by(
            "sort_order", "id"
        )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
