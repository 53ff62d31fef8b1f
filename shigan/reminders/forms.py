"""The 一键催报 and 一键催办 confirmation forms (the text to send, prefilled and editable, the
sending's batch and, when chased today already, the explicit consent to chase again) and the
提醒规则 page's form of one rule."""

import urllib.parse

from django import forms

from shigan.core.forms import IntegerField, ModelChoiceField, control_error
from shigan.orgs.models import Unit

from .channels import normalised_webhook, webhook_refusal
from .models import Channel, RuleKind, UnitRobot
from .rules import MAX_RULE_DAYS, RULE_DEFAULTS, RuleSetting
from .services.rules import RuleValues, rule_value_error

CHASE_TEXT_MAX = 500


class ChaseForm(forms.Form):
    text = forms.CharField(
        label="催报内容",
        max_length=CHASE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写催报内容。",
            "max_length": f"催报内容最多{CHASE_TEXT_MAX}字。",
        },
    )
    batch = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    again = forms.BooleanField(label="今天已催报过的单位，仍再次发送", required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请填写催报内容。")
        return text


# 滞后提醒 fires once a month while an item is 滞后: it has no days to set (rules.py).
RULES_WITHOUT_DAYS = {RuleKind.BEHIND}


def _what(kind: str, label: str) -> str:
    return f"“{RuleKind(kind).label}”的“{label}”："


class RuleForm(forms.Form):
    """One rule's timing on the 提醒规则 page (prefixed by its kind): 启用, its `days` and, for a
    repeating rule, `repeat_days`; whole working days, 0 to rules.MAX_RULE_DAYS, each error
    naming the rule and the field."""

    enabled = forms.BooleanField(label="启用", required=False)
    days = IntegerField(widget=forms.NumberInput(attrs={"min": 0, "max": MAX_RULE_DAYS}))
    repeat_days = IntegerField(widget=forms.NumberInput(attrs={"min": 0, "max": MAX_RULE_DAYS}))

    def __init__(self, data=None, *, kind: str, setting: RuleSetting):
        initial = {"enabled": setting.enabled, "days": setting.days}
        initial["repeat_days"] = setting.repeat_days
        super().__init__(data, prefix=kind, initial=initial)
        self.kind, self.default, self.setting = kind, RULE_DEFAULTS[kind], setting
        for name, label in (("days", self.default.days_label),
                            ("repeat_days", self.default.repeat_label)):  # fmt: skip
            field = self.fields[name]
            field.label = _what(kind, label)
            field.error_messages["required"] = f"请填写{field.label.rstrip('：')}。"
        if kind in RULES_WITHOUT_DAYS:
            del self.fields["days"]
        if self.default.repeat_days is None:
            del self.fields["repeat_days"]

    @property
    def title(self) -> str:
        return RuleKind(self.kind).label

    def _in_range(self, name: str):
        value = self.cleaned_data[name]
        error = rule_value_error(self.kind, name, value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean_days(self):
        return self._in_range("days")

    def clean_repeat_days(self):
        return self._in_range("repeat_days")

    def values(self) -> RuleValues:
        data = self.cleaned_data
        return RuleValues(data["enabled"], data.get("days"), data.get("repeat_days"))


ITEM_CHASE_TEXT_MAX = 500


class ItemChaseForm(forms.Form):
    """一键催办's confirmation: the items ticked (among those overdue now), the text, the
    sending's batch and, when an item was chased today already, the consent to chase again."""

    items = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少勾选一项要催办的事项。",
            "invalid_choice": "所选事项“%(value)s”已不在逾期事项中（可能已办结或延期），请重新勾选。",
        },
    )
    text = forms.CharField(
        label="催办内容",
        max_length=ITEM_CHASE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写催办内容。",
            "max_length": f"催办内容最多{ITEM_CHASE_TEXT_MAX}字。",
        },
    )
    batch = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    again = forms.BooleanField(label="今天已催办过的事项，仍再次催办", required=False)

    def __init__(self, data=None, *, item_ids: list[int], initial=None):
        super().__init__(data, initial=initial)
        self.fields["items"].choices = [(pk, str(pk)) for pk in item_ids]

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请填写催办内容。")
        return text


HANDDOWN_CHASE_MAX_CHARS = 500


class HandDownChaseForm(forms.Form):
    """催办 of a hand-down (the upper task's 下级落实情况, POST /handdowns/{id}/chase): the
    text, optional (blank: the default text), at most HANDDOWN_CHASE_MAX_CHARS characters, no
    control characters; the messages name the field."""

    text = forms.CharField(label="催办内容", required=False, strip=True)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["text"].validators = []  # a NUL byte: control_error names the field

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if problem := control_error("催办内容", text):
            raise forms.ValidationError(problem)
        if len(text) > HANDDOWN_CHASE_MAX_CHARS:
            raise forms.ValidationError(
                f"“催办内容”最多{HANDDOWN_CHASE_MAX_CHARS}字，现有{len(text)}字。"
            )
        return text


ROBOT_CHANNELS = [(Channel.DINGTALK, Channel.DINGTALK.label), (Channel.WECOM, Channel.WECOM.label)]
# The host each robot's webhook lives at (DingTalk's and WeCom's documentation).
CHANNEL_HOSTS = {"oapi.dingtalk.com": Channel.DINGTALK, "qyapi.weixin.qq.com": Channel.WECOM}


class RobotForm(forms.Form):
    unit = ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), error_messages={"required": "请选择单位。"}
    )
    channel = forms.ChoiceField(label="类型", choices=ROBOT_CHANNELS)
    webhook = forms.CharField(
        label="Webhook 地址",
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60, "autocomplete": "off"}),
        error_messages={"required": "请填写 Webhook 地址。", "max_length": "Webhook 地址过长。"},
    )
    secret = forms.CharField(
        label="加签密钥",
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="钉钉“安全设置”选择“加签”时显示的 SEC 开头的字符串；企业微信不需要。",
    )
    clear_secret = forms.BooleanField(label="清除已保存的加签密钥", required=False)
    enabled = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, units, robot: UnitRobot | None = None, **kwargs):
        if robot is not None:
            kwargs.setdefault("initial", {}).update(
                unit=robot.unit, channel=robot.channel, webhook=robot.webhook,
                enabled=robot.enabled,
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        self.robot = robot
        self.fields["unit"].queryset = units
        if robot is None or not robot.secret:
            del self.fields["clear_secret"]
        else:
            self.fields["secret"].help_text = "已保存密钥；留空则保留原密钥，填写则替换。"

    def clean_webhook(self) -> str:
        webhook = self.cleaned_data["webhook"].strip()
        refusal = webhook_refusal(webhook)
        if refusal:
            raise forms.ValidationError(refusal)
        return webhook

    def clean(self):
        data = super().clean()
        channel, webhook = data.get("channel"), data.get("webhook")
        host = urllib.parse.urlsplit(webhook).hostname if webhook else None
        expected = CHANNEL_HOSTS.get(host or "")
        if channel and expected and expected != channel:
            self.add_error("channel", f"这是{Channel(expected).label}的地址，请将类型选为该项。")
        if channel == Channel.WECOM and (data.get("secret") or "").strip():
            self.add_error("secret", "企业微信群机器人没有加签密钥，请留空。")
        unit = data.get("unit")
        if unit is not None and webhook and self._duplicate_of(unit, webhook):
            self.add_error("webhook", f"{unit}已添加过这个 Webhook 地址的群机器人，不能重复添加。")
        return data

    def _duplicate_of(self, unit: Unit, webhook: str) -> bool:
        """Whether another robot of `unit` has the same webhook (normalised: host case and the
        default port do not matter), so it would get every message twice."""
        others = UnitRobot.objects.filter(unit=unit).values_list("pk", "webhook")
        wanted = normalised_webhook(webhook)
        robot_pk = self.robot.pk if self.robot is not None else None
        return any(pk != robot_pk and normalised_webhook(url) == wanted for pk, url in others)

    def secret_value(self) -> str | None:
        """The secret to save: None keeps the robot's (a blank field on edit)."""
        secret = (self.cleaned_data.get("secret") or "").strip()
        if self.cleaned_data.get("channel") == Channel.WECOM or self.cleaned_data.get(
            "clear_secret"
        ):
            return ""
        if secret or self.robot is None:
            return secret
        return None


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": f"{label}应写作 HH:MM，如22:00。"},
    )


class DeliveryPreferenceForm(forms.Form):
    email = forms.EmailField(
        label="邮箱地址",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"size": 36, "autocomplete": "email"}),
        error_messages={
            "invalid": "邮箱地址格式不正确，应形如 name@example.gov.cn。",
            "max_length": "邮箱地址过长。",
        },
    )
    email_enabled = forms.BooleanField(label="接收邮件提醒", required=False)
    robot_mention = forms.BooleanField(label="单位群机器人的消息中提及（@）我", required=False)
    quiet_start = _time_field("免打扰开始时间")
    quiet_end = _time_field("免打扰结束时间")

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if self.errors:
            return data
        if (start is None) != (end is None):
            raise forms.ValidationError(
                "免打扰时段请同时填写开始和结束时间，或都不填（使用系统默认时段）。"
            )
        if start is not None and start == end:
            raise forms.ValidationError("免打扰开始和结束时间不能相同。")
        return data
