"""Forms for inspections, findings, verifications, spot checks and notices, and list filters.

The services check every rule again; the forms give the messages next to the fields.
"""

from django import forms
from django.db.models import Q

from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaign_current
from shigan.core import clock
from shigan.core.forms import (
    DateField,
    IntegerField,
    ModelChoiceField,
    ModelMultipleChoiceField,
    date_input,
)
from shigan.orgs.models import Person, Role, Unit
from shigan.tasks.models import TaskOrigin

from .draw import MAX_SHARE, MIN_SHARE
from .models import Exemplar, InspectionKind, NoticeKind, Polarity, Severity, VerificationResult
from .services.notices import ExemplarInput, doc_number_error, normalise_doc_number
from .status import FindingStatus

UNKNOWN_UNIT = "单位不存在，请重新选择。"


def current_campaign() -> Campaign | None:
    return campaign_current()


def inspector_people():
    roles = [Role.INSPECTOR, Role.COORDINATOR]
    return Person.objects.filter(role__in=roles).select_related("unit")


class CampaignField(ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "活动")
        kwargs.setdefault("error_messages", {"invalid_choice": "活动不存在，请重新选择。"})
        super().__init__(Campaign.objects.all(), **kwargs)


class UnitField(ModelChoiceField):
    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_UNIT})
        super().__init__(queryset if queryset is not None else Unit.objects.all(), **kwargs)


class FilterForm(forms.Form):
    """A list filter: unknown values are ignored rather than refused."""

    def values(self) -> dict:
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


class InspectionFilterForm(FilterForm):
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


class InspectionForm(forms.Form):
    campaign = CampaignField(empty_label=None)
    topic = forms.CharField(label="督查主题", max_length=200)
    kind = forms.ChoiceField(
        label="督查方式", choices=InspectionKind.choices, widget=forms.RadioSelect
    )
    date = DateField(label="督查日期", widget=date_input())
    inspectors = ModelMultipleChoiceField(
        inspector_people(), label="督查人员", widget=forms.CheckboxSelectMultiple
    )
    units = ModelMultipleChoiceField(
        Unit.objects.all(),
        label="被督查单位",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": UNKNOWN_UNIT},
    )
    summary = forms.CharField(
        label="督查情况", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].initial = current_campaign()
        self.fields["date"].initial = clock.today()
        if person is not None:
            self.fields["inspectors"].initial = [person.pk]


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
            raise forms.ValidationError(
                f"整改时限 {deadline} 早于督查日期 {self.inspection.date}。"
            )
        return deadline


class FindingFilterForm(FilterForm):
    campaign = CampaignField(required=False, empty_label="全部")
    unit = UnitField(required=False, label="单位", empty_label="全部")
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部")] + FindingStatus.choices, required=False
    )
    severity = forms.ChoiceField(
        label="严重程度", choices=[("", "全部")] + Severity.choices, required=False
    )

    def lookups(self) -> tuple[dict, set[str] | None]:
        data = self.values()
        found = {
            "inspection__campaign": data.get("campaign"),
            "unit": data.get("unit"),
            "severity": data.get("severity"),
        }
        statuses = {data["status"]} if data.get("status") else None
        return {k: v for k, v in found.items() if v}, statuses


class VerificationForm(forms.Form):
    verified_by = ModelChoiceField(inspector_people(), label="核查人", empty_label="请选择")
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


class SpotCheckForm(forms.Form):
    campaign = CampaignField(empty_label=None)
    share = IntegerField(
        label="抽查比例（%）",
        min_value=MIN_SHARE,
        max_value=MAX_SHARE,
        error_messages={
            # %-formatted with the limit by Django, hence %%
            "min_value": f"抽查比例须在 {MIN_SHARE}%% 到 {MAX_SHARE}%% 之间。",
            "max_value": f"抽查比例须在 {MIN_SHARE}%% 到 {MAX_SHARE}%% 之间。",
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
        self.fields["campaign"].initial = current_campaign()


class SpotCheckFilterForm(FilterForm):
    campaign = CampaignField(required=False, empty_label="全部")


class NoticeForm(forms.Form):
    campaign = CampaignField(empty_label=None)
    doc_number = forms.CharField(label="文号", max_length=60, help_text="如：示作风办〔2023〕3号")
    date = DateField(label="印发日期", widget=date_input())
    title = forms.CharField(label="标题", max_length=200)
    kind = forms.ChoiceField(label="通报类别", choices=NoticeKind.choices)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].initial = current_campaign()

    def clean_doc_number(self):
        doc_number = normalise_doc_number(self.cleaned_data["doc_number"])
        if problem := doc_number_error(doc_number):
            raise forms.ValidationError(problem)
        return doc_number


class ExemplarForm(forms.Form):
    # An initial value, so that an untouched extra form counts as unchanged and is skipped.
    polarity = forms.ChoiceField(
        label="典型类别", choices=Polarity.choices, initial=Polarity.POSITIVE
    )
    title = forms.CharField(label="典型名称", max_length=200)
    description = forms.CharField(
        label="事迹/问题", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    units = ModelMultipleChoiceField(
        Unit.objects.all(),
        label="涉及单位",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": UNKNOWN_UNIT},
    )
    people = ModelMultipleChoiceField(
        Person.objects.select_related("unit"),
        label="涉及人员",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("units") and not data.get("people"):
            raise forms.ValidationError("请至少选择一个涉及的单位或人员。")
        return data

    def exemplar_input(self) -> ExemplarInput:
        data = self.cleaned_data
        return ExemplarInput(
            polarity=data["polarity"],
            title=data["title"],
            description=data["description"],
            units=list(data["units"]),
            people=list(data["people"]),
        )


ExemplarFormSet = forms.formset_factory(ExemplarForm, extra=3)


def exemplar_inputs(formset) -> list[ExemplarInput]:
    """The filled exemplar forms of a valid formset (blank extra forms are skipped)."""
    return [f.exemplar_input() for f in formset.forms if f.has_changed()]


class NoticeFilterForm(FilterForm):
    campaign = CampaignField(required=False, empty_label="全部")
    kind = forms.ChoiceField(
        label="通报类别", choices=[("", "全部")] + NoticeKind.choices, required=False
    )
    polarity = forms.ChoiceField(
        label="典型", choices=[("", "全部")] + Polarity.choices, required=False
    )
    q = forms.CharField(label="标题或文号", required=False, max_length=100)

    def lookups(self) -> tuple[dict, Q]:
        data = self.values()
        found = {
            "campaign": data.get("campaign"),
            "kind": data.get("kind"),
        }
        if data.get("polarity"):
            found["id__in"] = Exemplar.objects.filter(polarity=data["polarity"]).values("notice_id")
        text = data.get("q", "").strip()
        search = Q(title__icontains=text) | Q(doc_number__icontains=text) if text else Q()
        return {k: v for k, v in found.items() if v}, search
