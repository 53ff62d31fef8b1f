"""The form that creates an API token (API令牌)."""

import datetime

from django import forms
from django.utils import timezone

from shigan.core.forms import DateField

from .models import TokenScope
from .services import DEFAULT_DAYS, MAX_DAYS


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="名称",
        max_length=60,
        help_text="用途，如“大屏数据接口”",
        error_messages={"required": "请填写令牌名称。", "max_length": "名称最多60个字。"},
    )
    scope = forms.ChoiceField(
        label="权限",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择权限。", "invalid_choice": "权限只能是只读或读写。"},
    )
    expires_on = DateField(label="有效期至", help_text=f"默认{DEFAULT_DAYS}天，最长一年")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=DEFAULT_DAYS)
        self.fields["expires_on"].widget.attrs["max"] = (
            today + datetime.timedelta(days=MAX_DAYS)
        ).isoformat()
