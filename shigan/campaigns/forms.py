"""Forms of the campaign's set-up pages. The forms parse (core.forms' fields: ids, dates and
numbers read as core.params reads them); the services hold the rules and their messages."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from shigan.core.forms import DateField, IntegerField, ModelChoiceField, date_input
from shigan.core.params import YEAR_RANGE
from shigan.orgs.models import LeadingGroup, Unit
from shigan.orgs.scope import district_id_of, district_units

from .models import PlanSectionKind


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed messages on their fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _required(what: str) -> dict:
    return {"required": f"请填写{what}。"}


def leading_groups_for(user):
    """Leading groups a coordinator may attach: those with a member in his district or used by a
    campaign of it, and groups nobody uses yet."""
    district_id = district_id_of(user)
    groups = LeadingGroup.objects.order_by("name", "id")
    if district_id is None:
        return groups
    return groups.filter(
        Q(members__person__unit__district_id=district_id)
        | Q(campaigns__organiser__district_id=district_id)
        | Q(members__isnull=True, campaigns__isnull=True)
    ).distinct()


class CampaignForm(forms.Form):
    year = IntegerField(
        label="年度",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
        error_messages={
            **_required("年度"),
            "min_value": f"年度应在{YEAR_RANGE[0]}—{YEAR_RANGE[1]}之间。",
            "max_value": f"年度应在{YEAR_RANGE[0]}—{YEAR_RANGE[1]}之间。",
        },
    )
    name = forms.CharField(
        label="活动名称",
        max_length=100,
        error_messages={**_required("活动名称"), "max_length": "活动名称最多100个字。"},
    )
    slogan = forms.CharField(
        label="口号",
        max_length=200,
        required=False,
        error_messages={"max_length": "口号最多200个字。"},
    )
    organiser = ModelChoiceField(
        Unit.objects.none(),
        label="主办单位",
        error_messages={
            "required": "请选择主办单位。",
            "invalid_choice": "所选主办单位不是本区（县）的单位，请重新选择。",
        },
    )
    leading_group = ModelChoiceField(
        LeadingGroup.objects.none(),
        label="领导小组",
        required=False,
        empty_label="（暂不设置）",
        error_messages={"invalid_choice": "所选领导小组不存在，请重新选择。"},
    )
    start_date = DateField(
        label="开始日期", widget=date_input(), error_messages=_required("开始日期")
    )
    end_date = DateField(
        label="结束日期", widget=date_input(), error_messages=_required("结束日期")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = district_units(user)
        self.fields["leading_group"].queryset = leading_groups_for(user)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class PlanSectionForm(forms.Form):
    kind = forms.ChoiceField(
        label="章节",
        choices=PlanSectionKind.choices,
        error_messages={"required": "请选择章节。", "invalid_choice": "请选择章节。"},
    )
    body = forms.CharField(
        label="内容", widget=forms.Textarea(attrs={"rows": 12}), error_messages=_required("内容")
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]


class PhaseForm(forms.Form):
    name = forms.CharField(
        label="阶段名称",
        max_length=50,
        error_messages={**_required("阶段名称"), "max_length": "阶段名称最多50个字。"},
    )
    start_date = DateField(
        label="开始日期", widget=date_input(), error_messages=_required("开始日期")
    )
    end_date = DateField(
        label="结束日期", widget=date_input(), error_messages=_required("结束日期")
    )
