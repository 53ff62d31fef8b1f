"""The form of a webhook subscription (数据推送)."""

from django import forms

from .webhooks import WebhookEvent


class WebhookForm(forms.Form):
    name = forms.CharField(
        label="名称",
        max_length=60,
        help_text="接收方，如“12345平台”",
        error_messages={"required": "请填写名称。", "max_length": "名称最多60个字。"},
    )
    url = forms.CharField(
        label="推送地址",
        max_length=500,
        help_text="http:// 或 https:// 开头，不接受内网和本机地址",
        error_messages={"required": "请填写推送地址。", "max_length": "推送地址最多500个字符。"},
    )
    events = forms.MultipleChoiceField(
        label="推送事件",
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一个推送事件。",
            "invalid_choice": "未知的推送事件：%(value)s。",
        },
    )


class WebhookEditForm(WebhookForm):
    active = forms.BooleanField(label="启用", required=False)
