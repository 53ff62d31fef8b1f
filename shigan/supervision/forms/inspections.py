"""Forms for inspections, findings, verifications and spot checks, and their list filters.

The services check every rule again; the forms give the messages next to the fields.
"""

from django import forms

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.core.forms import (
    DateField,
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    date_input,
)
from shigan.orgs.models import Person, Unit
from shigan.orgs.scope import subtree_ids
from shigan.tasks.models import TaskOrigin

from ..draw import MAX_SHARE, MIN_SHARE
from ..models import InspectionKind, Severity, VerificationResult
from ..status import FindingStatus
from .common import (
    UNKNOWN_UNIT,
    CampaignField,
    DistrictChoices,
    FilterForm,
    UnitField,
    reason_field,
)


class InspectionFilterForm(DistrictChoices, FilterForm):
    unit_fields = ("unit",)
    campaign = CampaignField(required=False, empty_label="全部")
    kind = forms.ChoiceField(
        label="督查方式", choices=[("", "全部")] + InspectionKind.choices, required=False
    )
    unit = UnitField(required=False, label="被督查单位", empty_label="全部")
    date_from = DateField(label="起始日期", required=False, widget=date_input())
    date_to = DateField(label="截止日期", required=False, widget=date_input())
    q = forms.CharField(label="督查主题", required=False, max_length=100)

    def lookups(self) -> dict:
        data = self.values()
        found = {
            "campaign": data.get("campaign"),
            "kind": data.get("kind"),
            "date__gte": data.get("date_from"),
            "date__lte": data.get("date_to"),
            "topic__icontains": data.get("q", "").strip(),
        }
        if data.get("unit"):
            found["id__in"] = data["unit"].inspections.values("id")
        return {k: v for k, v in found.items() if v}


class InspectionForm(DistrictChoices, forms.Form):
    unit_fields = ("units",)
    inspector_fields = ("inspectors",)
    campaign = CampaignField(empty_label=None)
    topic = forms.CharField(label="督查主题", max_length=200)
    kind = forms.ChoiceField(
        label="督查方式", choices=InspectionKind.choices, widget=forms.RadioSelect
    )
    date = DateField(label="督查日期", widget=date_input())
    inspectors = ModelMultipleChoiceField(
        Person.objects.none(), label="督查人员", widget=forms.CheckboxSelectMultiple
    )
    units = ModelMultipleChoiceField(
        Unit.objects.none(),
        label="被督查单位",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": UNKNOWN_UNIT},
    )
    summary = forms.CharField(
        label="督查情况", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].initial = campaign_for_user(self.user)
        self.fields["date"].initial = clock.today()
        if person is not None:
            self.fields["inspectors"].initial = [person.pk]


class InspectionEditForm(InspectionForm):
    """The entry form filled with the inspection as recorded, plus the reason (更正原因)."""

    reason = reason_field()

    def __init__(self, *args, inspection, **kwargs):
        initial = {
            "campaign": inspection.campaign_id,
            "topic": inspection.topic,
            "kind": inspection.kind,
            "date": inspection.date,
            "inspectors": [p.pk for p in inspection.inspectors.all()],
            "units": [u.pk for u in inspection.units.all()],
            "summary": inspection.summary,
        }
        super().__init__(*args, initial=initial, **kwargs)


class FindingForm(forms.Form):
    unit = UnitField(label="问题所在单位", empty_label="请选择")
    problem = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(
        label="严重程度",
        choices=Severity.choices,
        initial=Severity.GENERAL,
        widget=forms.RadioSelect,
    )
    requirement = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = DateField(label="整改时限", widget=date_input())

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.fields["unit"].queryset = inspection.units.all()
        self.fields["unit"].error_messages["invalid_choice"] = "该单位不在本次督查的被督查单位中。"

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < self.inspection.date:
            raise forms.ValidationError(f"整改时限{deadline}早于督查日期{self.inspection.date}。")
        return deadline


class FindingEditForm(FindingForm):
    """The entry form filled with the finding as recorded, plus the reason (更正原因)."""

    reason = reason_field()

    def __init__(self, *args, finding, **kwargs):
        initial = {
            "unit": finding.unit_id,
            "problem": finding.problem,
            "severity": finding.severity,
            "requirement": finding.requirement,
            "deadline": finding.deadline,
        }
        super().__init__(*args, inspection=finding.inspection, initial=initial, **kwargs)


class FindingFilterForm(DistrictChoices, FilterForm):
    unit_fields = ("unit",)
    campaign = CampaignField(required=False, empty_label="全部")
    unit = UnitField(required=False, label="单位", empty_label="全部")
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部")] + FindingStatus.choices, required=False
    )
    severity = forms.ChoiceField(
        label="严重程度", choices=[("", "全部")] + Severity.choices, required=False
    )
    # 下级对比's link: the findings of a level's subtree (narrowing what the user reads only).
    level = forms.IntegerField(
        label="", required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )

    def lookups(self) -> tuple[dict, set[str] | None]:
        data = self.values()
        found = {
            "inspection__campaign": data.get("campaign"),
            "unit": data.get("unit"),
            "severity": data.get("severity"),
        }
        if data.get("level"):
            found["unit_id__in"] = sorted(subtree_ids([data["level"]])) or [0]
        statuses = {data["status"]} if data.get("status") else None
        return {k: v for k, v in found.items() if v}, statuses


class VerificationForm(DistrictChoices, forms.Form):
    inspector_fields = ("verified_by",)
    verified_by = ModelChoiceField(Person.objects.none(), label="核查人", empty_label="请选择")
    date = DateField(label="核查日期", widget=date_input())
    result = forms.ChoiceField(
        label="核查结果", choices=VerificationResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="核查意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="未通过时必填：写明整改不到位的问题",
    )

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = clock.today()
        if person is not None:
            self.fields["verified_by"].initial = person.pk


class SpotCheckForm(DistrictChoices, forms.Form):
    unit_fields = ("unit",)
    campaign = CampaignField(empty_label=None)
    share = IntegerField(
        label="抽查比例（%）",
        min_value=MIN_SHARE,
        max_value=MAX_SHARE,
        error_messages={
            # %-formatted with the limit by Django, hence %%
            "min_value": f"抽查比例须在{MIN_SHARE}%%到{MAX_SHARE}%%之间。",
            "max_value": f"抽查比例须在{MIN_SHARE}%%到{MAX_SHARE}%%之间。",
            "required": "请填写抽查比例。",
            "invalid": "抽查比例须为整数。",
        },
    )
    unit = UnitField(required=False, label="限定牵头单位", empty_label="全部单位")
    origin = forms.ChoiceField(
        label="限定事项来源", choices=[("", "全部来源")] + TaskOrigin.choices, required=False
    )
    seed = forms.CharField(
        label="随机种子", required=False, max_length=64, help_text="留空则由系统随机生成并记录"
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].initial = campaign_for_user(self.user)


class SpotCheckFilterForm(DistrictChoices, FilterForm):
    campaign = CampaignField(required=False, empty_label="全部")
