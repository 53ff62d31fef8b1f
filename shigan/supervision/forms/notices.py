"""Forms for notices (通报) and the exemplars (典型) they name: entry, correction, list filter."""

from django import forms
from django.db.models import Q

from shigan.campaigns.access import campaign_for_user
from shigan.core.forms import DateField, ModelMultipleChoiceField, date_input
from shigan.orgs.models import Person, Unit

from ..models import Exemplar, Notice, NoticeKind, Polarity
from ..services.notices import ExemplarInput, doc_number_error, normalise_doc_number
from .common import (
    UNKNOWN_UNIT,
    CampaignField,
    DistrictChoices,
    FilterForm,
    reason_field,
)


class NoticeForm(DistrictChoices, forms.Form):
    campaign = CampaignField(empty_label=None)
    doc_number = forms.CharField(label="文号", max_length=60, help_text="如：示作风办〔2023〕3号")
    date = DateField(label="印发日期", widget=date_input())
    title = forms.CharField(label="标题", max_length=200)
    kind = forms.ChoiceField(label="通报类别", choices=NoticeKind.choices)
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, notice: Notice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["campaign"].initial = campaign_for_user(self.user)

    def clean_doc_number(self):
        doc_number = normalise_doc_number(self.cleaned_data["doc_number"])
        exclude = self.notice.pk if self.notice is not None else None
        if problem := doc_number_error(doc_number, exclude=exclude):
            raise forms.ValidationError(problem)
        return doc_number


class NoticeEditForm(NoticeForm):
    """The entry form filled with the notice as recorded, plus the reason (更正原因)."""

    reason = reason_field()

    def __init__(self, *args, notice: Notice, **kwargs):
        initial = {
            "campaign": notice.campaign_id,
            "doc_number": notice.doc_number,
            "date": notice.date,
            "title": notice.title,
            "kind": notice.kind,
            "body": notice.body,
        }
        super().__init__(*args, notice=notice, initial=initial, **kwargs)


class ExemplarForm(DistrictChoices, forms.Form):
    unit_fields = ("units",)
    people_fields = ("people",)
    # An initial value, so that an untouched extra form counts as unchanged and is skipped.
    polarity = forms.ChoiceField(
        label="典型类别", choices=Polarity.choices, initial=Polarity.POSITIVE
    )
    title = forms.CharField(label="典型名称", max_length=200)
    description = forms.CharField(
        label="事迹/问题", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    units = ModelMultipleChoiceField(
        Unit.objects.none(),
        label="涉及单位",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": UNKNOWN_UNIT},
    )
    people = ModelMultipleChoiceField(
        Person.objects.none(),
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


class ExemplarEditForm(ExemplarForm):
    """An exemplar on the notice's correction page: an existing one (its id hidden) can be
    changed or taken off the notice; an empty extra form adds one."""

    exemplar = forms.IntegerField(widget=forms.HiddenInput, required=False)
    remove = forms.BooleanField(label="从通报中移除该典型", required=False)

    def __init__(self, *args, exemplars: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.exemplars = exemplars
        if not self.initial.get("exemplar"):
            del self.fields["remove"]

    def clean_exemplar(self):
        pk = self.cleaned_data.get("exemplar")
        if pk is not None and pk not in self.exemplars:
            raise forms.ValidationError("该典型不属于本通报，请刷新页面后重试。")
        return pk

    def exemplar_input(self) -> ExemplarInput:
        found = super().exemplar_input()
        found.exemplar = self.exemplars.get(self.cleaned_data.get("exemplar"))
        found.remove = bool(self.cleaned_data.get("remove"))
        return found


ExemplarFormSet = forms.formset_factory(ExemplarForm, extra=3)
ExemplarEditFormSet = forms.formset_factory(ExemplarEditForm, extra=2)


def exemplar_initial(exemplars) -> list[dict]:
    """The initial data of an ExemplarEditFormSet: one form per exemplar of the notice."""
    return [
        {
            "exemplar": e.pk,
            "polarity": e.polarity,
            "title": e.title,
            "description": e.description,
            "units": [u.pk for u in e.units.all()],
            "people": [p.pk for p in e.people.all()],
        }
        for e in exemplars
    ]


def exemplar_inputs(formset) -> list[ExemplarInput]:
    """The filled exemplar forms of a valid formset (blank extra forms and untouched existing
    exemplars are skipped)."""
    return [f.exemplar_input() for f in formset.forms if f.has_changed()]


class NoticeFilterForm(DistrictChoices, FilterForm):
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
