"""Forms of concerns: a concern's fields (the concern form and each row of a visit's concern
formset), the step form, the list's filters, categories and the import upload."""

from django import forms
from django.core.exceptions import ValidationError

from shigan.campaigns.access import narrow_choices
from shigan.core import clock, params
from shigan.core.forms import DateField, IntegerField, ModelChoiceField, date_input
from shigan.core.masking import mask_id_number, mask_phone
from shigan.orgs.models import Unit
from shigan.orgs.scope import district_units

from ..access import concern_units_visible_to
from ..models import (
    ConcernCategory,
    ConcernKind,
    ConcernSource,
    ConcernStep,
    ReceptionDay,
    Satisfaction,
)
from ..services.concerns import ConcernInput, contact_problems
from ..steps import ConcernStatus
from .common import reason_field

UNKNOWN = "选项不存在，请重新选择。"
HAND_SOURCES = [(s.value, s.label) for s in ConcernSource if s != ConcernSource.VISIT]


def _choice(queryset, label, *, required=True):
    return ModelChoiceField(
        queryset, label=label, required=required, error_messages={"invalid_choice": UNKNOWN}
    )


class ConcernFieldsForm(forms.Form):
    """One concern's fields; the user's district gives the categories and units."""

    kind = forms.ChoiceField(label="类型", choices=ConcernKind.choices, initial=ConcernKind.REQUEST)
    category = _choice(ConcernCategory.objects.none(), "类别")
    requester_name = forms.CharField(label="诉求人", max_length=50)
    requester_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    requester_id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    content = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 3}))
    parties = forms.CharField(
        label="纠纷当事人", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="矛盾纠纷必填：各方当事人姓名及关系。",
    )  # fmt: skip
    assigned_unit = _choice(Unit.objects.none(), "承办单位", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ConcernCategory.objects.filter(
            district_id__in=district_units(user).values("district_id")
        )
        self.fields["assigned_unit"].queryset = district_units(user)

    def clean_requester_phone(self):
        phone = self.cleaned_data["requester_phone"]
        if problems := contact_problems(phone, ""):
            raise ValidationError(problems)
        return phone

    def clean_requester_id_number(self):
        id_number = self.cleaned_data["requester_id_number"]
        if problems := contact_problems("", id_number):
            raise ValidationError(problems)
        return id_number

    def clean(self):
        data = super().clean()
        if data.get("kind") == ConcernKind.DISPUTE and not (data.get("parties") or "").strip():
            self.add_error("parties", "矛盾纠纷须填写纠纷当事人。")
        return data

    def concern_input(self) -> ConcernInput:
        data = self.cleaned_data
        return ConcernInput(**{k: data[k] for k in ConcernInput.__dataclass_fields__ if k in data})


class ConcernForm(ConcernFieldsForm):
    """A concern received otherwise than on a visit (热线, 来信, 信访接待日 …)."""

    source = forms.ChoiceField(label="来源", choices=HAND_SOURCES)
    received_on = DateField(label="受理日期", widget=date_input())
    reception_day = _choice(ReceptionDay.objects.none(), "接待日", required=False)

    field_order = ["source", "received_on", "reception_day"]

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        days = ReceptionDay.objects.filter(campaign=campaign).select_related("leader")
        self.fields["reception_day"].queryset = days

    def clean_received_on(self):
        # The service refuses it too (concerns_create), on the whole form: here it is named on
        # its field, for the page and for the API's 422 (field received_on, not the body).
        received_on = self.cleaned_data["received_on"]
        if received_on > clock.today():
            raise ValidationError("受理日期不能晚于今天。")
        return received_on

    def clean(self):
        data = super().clean()
        day, received_on = data.get("reception_day"), data.get("received_on")
        if data.get("source") == ConcernSource.RECEPTION and not day:
            self.add_error("reception_day", "来源为信访接待日时须选择接待日。")
        elif day and received_on and day.date != received_on:
            self.add_error(
                "received_on",
                f"所选接待日为{day.date}：接待日收到的诉求，受理日期即接待日。",
            )
        if day and data.get("source") != ConcernSource.RECEPTION:
            self.add_error("reception_day", "只有来源为信访接待日的诉求才选择接待日。")
        return data


class ConcernStepForm(forms.Form):
    step = forms.ChoiceField(label="环节", choices=ConcernStep.choices)
    on = DateField(label="办理日期", widget=date_input())
    note = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 3}))
    to_unit = _choice(Unit.objects.none(), "转办至", required=False)
    satisfaction = forms.ChoiceField(
        label="满意度（回访）", choices=[("", "—")] + Satisfaction.choices, required=False
    )

    def __init__(self, *args, user, next_step: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = district_units(user)
        if next_step is not None:
            # The page offers the one step that may follow, with only the fields it needs.
            self.fields["step"].widget = forms.HiddenInput()
            self.fields["step"].initial = next_step
            if next_step != ConcernStep.ASSIGNED:
                del self.fields["to_unit"]
            if next_step != ConcernStep.FOLLOWED_UP:
                del self.fields["satisfaction"]
            if next_step == ConcernStep.CLOSED:
                self.fields["note"].label = "办结情况（矛盾纠纷写明处理结果）"

    def clean(self):
        data = super().clean()
        data.setdefault("to_unit", None)
        data.setdefault("satisfaction", "")
        return data


class ConcernFilterForm(forms.Form):
    """The list's filters: unknown values are ignored rather than refused."""

    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部")] + ConcernKind.choices, required=False
    )
    step = forms.ChoiceField(
        label="环节", choices=[("", "全部")] + ConcernStep.choices, required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部")] + ConcernStatus.choices, required=False
    )
    category = _choice(ConcernCategory.objects.none(), "类别", required=False)
    unit = _choice(Unit.objects.none(), "承办单位", required=False)
    month = forms.CharField(
        label="受理月份", required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        narrow_choices(self, user)
        self.fields["category"].queryset = ConcernCategory.objects.filter(
            district_id__in=district_units(user).values("district_id")
        )
        self.fields["unit"].queryset = concern_units_visible_to(user)
        self.fields["unit"].empty_label = "全部"

    def values(self) -> dict:
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        if "month" in data:
            data["month"] = params.period_or_none(data["month"])
        return data


class ConcernCategoryForm(forms.Form):
    name = forms.CharField(label="类别", max_length=50)
    time_limit_workdays = IntegerField(
        label="办理时限（工作日）", min_value=0, max_value=250,
        help_text="0为当日办结（马上就办）。",
    )  # fmt: skip
    sort_order = IntegerField(label="排序", min_value=0, max_value=9999, initial=0, required=False)


class ConcernImportForm(forms.Form):
    file = forms.FileField(label="热线诉求表（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(f"文件“{upload.name}”不是 .xlsx 文件：请使用下载的模板填写。")
        return upload


NUMBER_KEPT = "不修改请留空（完整号码不在此显示）；勾选“清空”则删除已登记的号码。"


class ConcernEditForm(ConcernFieldsForm):
    """A concern's facts as recorded, plus the reason (更正原因). The requester's numbers are
    never filled in (the page would show them in full): shown masked as a hint, left blank to
    keep them, typed anew to replace them, or cleared by a tick."""

    clear_phone = forms.BooleanField(label="清空联系电话", required=False)
    clear_id_number = forms.BooleanField(label="清空身份证号", required=False)
    reason = reason_field()

    field_order = [
        "kind", "category", "requester_name", "requester_phone", "clear_phone",
        "requester_id_number", "clear_id_number", "content", "parties", "reason",
    ]  # fmt: skip

    def __init__(self, *args, concern, **kwargs):
        initial = {
            "kind": concern.kind,
            "category": concern.category_id,
            "requester_name": concern.requester_name,
            "content": concern.content,
            "parties": concern.parties,
        }
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["assigned_unit"]
        self.fields[
            "category"
        ].help_text = "更改类别将按新类别的办理时限，从受理日期起按本区工作日历重新计算办理时限。"
        for name, clear, masked in (
            ("requester_phone", "clear_phone", mask_phone(concern.requester_phone)),
            ("requester_id_number", "clear_id_number", mask_id_number(concern.requester_id_number)),
        ):
            self.fields[name].help_text = NUMBER_KEPT if masked else "未登记，可在此补录。"
            self.fields[name].widget.attrs["placeholder"] = masked or "未登记"
            self.fields[name].widget.attrs["autocomplete"] = "off"
            if not masked:
                del self.fields[clear]  # nothing to clear

    def correction(self) -> dict:
        """The service's keywords: None for a number left blank (kept), "" for one cleared."""
        data = self.cleaned_data
        fields = {k: data[k] for k in ("kind", "category", "requester_name", "content", "reason")}
        fields["parties"] = data.get("parties") or ""
        for name, clear in (("requester_phone", "clear_phone"),
                            ("requester_id_number", "clear_id_number")):  # fmt: skip
            typed = (data.get(name) or "").strip()
            fields[name] = "" if data.get(clear) else (typed or None)
        return fields
