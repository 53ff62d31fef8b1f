"""Form fields for choosing units and people, with messages that name what was not found; the
forms of 账号管理 and 修改密码."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from shigan.core.forms import DateField, ModelChoiceField, ModelMultipleChoiceField

from .models import Person, Role, Unit
from .services.login import login_failure_record
from .throttle import login_lock

UNIT_ERRORS = {
    "invalid_choice": "所选单位不存在，请重新选择。",
    "invalid_pk_value": "“%(pk)s”不是有效的单位编号。",
}


def lead_unit_field(*, required_message: str = "请选择牵头单位。") -> ModelChoiceField:
    return ModelChoiceField(
        Unit.objects.all(),
        label="牵头单位",
        error_messages={**UNIT_ERRORS, "required": required_message},
    )


def supporting_units_field(*, size: int = 8) -> ModelMultipleChoiceField:
    return ModelMultipleChoiceField(
        Unit.objects.all(),
        required=False,
        label="配合单位",
        widget=forms.SelectMultiple(attrs={"size": size}),
        error_messages={
            "invalid_choice": "配合单位中有不存在的单位（编号 %(value)s），请重新选择。",
            "invalid_pk_value": "“%(pk)s”不是有效的单位编号。",
        },
    )


def leader_field() -> ModelChoiceField:
    return ModelChoiceField(
        Person.objects.all(),
        required=False,
        label="责任领导",
        error_messages={"invalid_choice": "所选责任领导不存在，请重新选择。"},
    )


# --- 账号管理 and 修改密码 ----------------------------------------------------------------------

NO_ROLE = ("", "无（不能使用系统）")
ROLE_ERRORS = {"invalid_choice": "所选角色不存在，请重新选择。"}


class AccountCreateForm(forms.Form):
    """A login name; for a person without a role also the role he gets with the account (an
    account without a role reads nothing)."""

    username = forms.CharField(
        label="用户名",
        max_length=30,
        error_messages={"required": "请填写用户名。", "max_length": "用户名最多30个字符。"},
    )
    role = forms.ChoiceField(
        label="系统角色",
        choices=[("", "请选择"), *Role.choices],
        error_messages={**ROLE_ERRORS, "required": "该人员还没有系统角色：请同时选择系统角色。"},
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        if person.role:
            del self.fields["role"]


class PersonAssignForm(forms.Form):
    """A person's role in Shigan and his unit (账号管理 › 修改), a unit of the user's district."""

    role = forms.ChoiceField(
        label="系统角色",
        choices=[NO_ROLE, *Role.choices],
        required=False,
        error_messages=ROLE_ERRORS,
    )
    unit = ModelChoiceField(
        Unit.objects.none(),
        label="所在单位",
        error_messages={**UNIT_ERRORS, "required": "请选择所在单位。"},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AccountFilterForm(forms.Form):
    """账号管理's list: the people of one unit of the user's district (all when none)."""

    unit = ModelChoiceField(
        Unit.objects.none(),
        label="单位",
        required=False,
        empty_label="全部单位",
        error_messages=UNIT_ERRORS,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with Chinese labels and messages whatever the browser's language; the new
    password must differ from the current one (an initial password kept is no change)."""

    error_messages = {
        "password_mismatch": "两次输入的新密码不一致。",
        "password_incorrect": "当前密码不正确，请重新输入。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": "当前密码",
            "new_password1": "新密码",
            "new_password2": "再次输入新密码",
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = f"请填写{label}。"
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()
        self.fields["new_password2"].help_text = ""

    def clean_old_password(self):
        """The current password is a password tried like a sign-in (orgs.throttle): refused
        while the account is locked, a wrong one counted against it — a session left open
        gives no unbounded guessing."""
        username = self.user.get_username()
        if (lock := login_lock(username, "")) is not None:
            raise ValidationError(lock.message(), code="locked")
        try:
            return super().clean_old_password()
        except ValidationError:
            login_failure_record(username=username, address="")
            raise

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")
        return new


WORKDAY_CHOICES = [("0", "休息（本地节假日）"), ("1", "上班（本地工作日）")]


class WorkdayOverrideForm(forms.Form):
    """工作日历: one date's local override (the date only when adding one)."""

    date = DateField(label="日期")
    is_workday = forms.TypedChoiceField(
        label="调整为", choices=WORKDAY_CHOICES, coerce=lambda v: v == "1",
        error_messages={"required": "请选择调整为上班还是休息。",
                        "invalid_choice": "“%(value)s”不是可选的调整方式。"},
    )  # fmt: skip
    reason = forms.CharField(
        label="原因", max_length=200, error_messages={"required": "请填写原因。"}
    )

    def __init__(self, *args, with_date: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_date:
            del self.fields["date"]


class WorkdayRemoveForm(forms.Form):
    reason = forms.CharField(
        label="删除原因", max_length=200, error_messages={"required": "请填写删除原因。"}
    )
