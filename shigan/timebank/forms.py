"""Forms of the time bank's pages. Hours are checked by models.hours_problem, the one rule the
services and the workbook import apply too."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings

from shigan.core import params
from shigan.core.files import max_upload_bytes
from shigan.core.forms import DateField, ModelChoiceField
from shigan.grassroots.models import PracticeActivity
from shigan.orgs.models import Person, Unit

from .models import (
    HOUR_UNITS,
    MAX_REDEMPTION_HOURS,
    MAX_SERVICE_HOURS,
    hours_example,
    hours_problem,
    hours_text,
)


class HoursField(forms.CharField):
    """Hours as typed (ASCII digits, the unit 小时/h after them allowed), a positive multiple of
    0.5 up to `maximum`."""

    def __init__(self, *, maximum: Decimal = MAX_SERVICE_HOURS, **kwargs):
        self.maximum = maximum
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
        super().__init__(**kwargs)

    def clean(self, value) -> Decimal:
        text = super().clean(value)
        try:
            hours = params.parse_number(text, units=HOUR_UNITS, example=hours_example(self.maximum))
        except params.BadValue as bad:
            raise forms.ValidationError(f"{self.label}{bad}") from None
        except InvalidOperation:  # pragma: no cover - parse_number admits only decimals
            raise forms.ValidationError(f"{self.label}不是数字") from None
        if problem := hours_problem(hours, maximum=self.maximum):
            raise forms.ValidationError(f"{self.label}“{text}”{problem}。")
        return hours


def _text(label: str, *, max_length: int, rows: int = 0, required: bool = True):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={"required": f"请填写{label}。"},
    )


class AccountForm(forms.Form):
    """A new volunteer's account: a cadre chosen from the people, or a resident by name."""

    person = ModelChoiceField(
        Person.objects.none(), label="干部（选择则按其姓名、电话、单位开户）", required=False
    )
    name = _text("姓名", max_length=50, required=False)
    phone = _text("联系电话", max_length=30, required=False)
    unit = ModelChoiceField(Unit.objects.none(), label="所在村（社区）/单位", required=False)
    opened_on = DateField(label="开户日期")

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("person") is None:
            if not (data.get("name") or "").strip():
                self.add_error("name", "居民开户请填写姓名（干部开户请选择干部）。")
            if data.get("unit") is None:
                self.add_error("unit", "居民开户请选择所在村（社区）。")
        return data


class ServiceForm(forms.Form):
    date = DateField(label="服务日期")
    hours = HoursField(
        label="服务时长（小时）", help_text="0.5小时为单位，如0.5、1、1.5，最多24小时"
    )
    activity = ModelChoiceField(
        PracticeActivity.objects.none(), label="实践活动", required=False, empty_label="（无）"
    )
    beneficiary = _text("服务对象", max_length=100)
    content = _text("服务内容", max_length=2000, rows=3)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class ResubmitForm(ServiceForm):
    """A returned record as entered, to correct, with what was corrected (更正说明)."""

    reason = _text("更正说明", max_length=300, rows=2)

    def __init__(self, *args, record, **kwargs):
        initial = {
            "date": record.date,
            "hours": hours_text(record.hours),
            "activity": record.activity_id,
            "beneficiary": record.beneficiary,
            "content": record.content,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["reason"].help_text = "写明按退回原因更正了什么；记入历史记录。"


class ReturnForm(forms.Form):
    reason = _text("退回原因", max_length=300)


class RedemptionForm(forms.Form):
    date = DateField(label="兑换日期")
    hours = HoursField(label="兑换时长（小时）", maximum=MAX_REDEMPTION_HOURS)
    item = _text("兑换内容", max_length=200)


class ReversalForm(forms.Form):
    date = DateField(label="冲正日期")
    reason = _text("冲正原因", max_length=250, rows=2)


class ImportForm(forms.Form):
    unit = ModelChoiceField(
        Unit.objects.none(),
        label="村（社区）/单位",
        empty_label=None,
        error_messages={"required": "请选择服务记录所属的村（社区）。"},
    )
    file = forms.FileField(
        label="Excel文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的Excel文件。"},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(f"文件超过{settings.MAX_UPLOAD_MB}MB，无法导入。")
        return upload
