"""The in-app inbox (站内消息) and the record of each 催报 a coordinator sends."""

from django.conf import settings
from django.db import models

from shigan.orgs.models import Unit


class MessageKind(models.TextChoices):
    """What a message asks of its reader (glossary: 催报, 催办, 提醒, 督办)."""

    REPORT_CHASE = "report_chase", "催报"
    ITEM_CHASE = "item_chase", "催办"
    REMINDER = "reminder", "提醒"
    ESCALATION = "escalation", "督办"


class Chase(models.Model):
    """One 催报 sent to one unit for one month's report: the text, how many of the unit's
    reporter accounts received it, who sent it and when. Kept as sent, never edited. `batch`
    names one sending (one confirmation of the form), so a resubmitted form sends nothing twice."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    period = models.DateField("所属月份", help_text="该月第一天")
    text = models.TextField("催报内容")
    recipients = models.PositiveIntegerField("接收人数")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发送人", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    batch = models.CharField("发送批次", max_length=32, editable=False)

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["period", "unit"])]
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit"], name="chase_once_per_batch_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period:%Y年%m月}催报"


class Message(models.Model):
    """A message in one user's inbox, about one record (record_type "<app>.<model>" and
    record_id, as core.AuditEntry names records) and linking to its page. Sent by a user or by
    系统 (sender empty). Read once opened; never edited otherwise."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="inbox_messages",
    )
    kind = models.CharField("类型", max_length=16, choices=MessageKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=500, blank=True)
    record_type = models.CharField("记录类型", max_length=64, blank=True)
    record_id = models.BigIntegerField("记录编号", null=True, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # Whether a record's message was written (a hand-down's: reminders.queries.handdowns).
            models.Index(fields=["record_type", "record_id"], name="message_record"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class RuleKind(models.TextChoices):
    """The reminder rules (rules.py defines each; ReminderRule holds a campaign's timing)."""

    NEARING = "nearing", "临期提醒"
    OVERDUE = "overdue", "逾期催办"
    BEHIND = "behind", "滞后提醒"
    REPORT_MISSING = "report_missing", "逾期未报"
    CADENCE_BEHIND = "cadence_behind", "会议频次不足"
    CHANGE_WAITING = "change_waiting", "审批待办"
    ESCALATION = "escalation", "逾期督办"
    MANUAL_CHASE = "manual_chase", "专班催办"  # sent by a coordinator from the board, no rule


class ReminderRule(models.Model):
    """A campaign's timing of one rule, in working days on the district's calendar; a campaign
    without a row uses rules.RULE_DEFAULTS. What `days` and `repeat_days` mean for each kind is
    rules.RULE_DEFAULTS' text."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name="活动",
        on_delete=models.CASCADE,
        related_name="reminder_rules",
    )
    kind = models.CharField("规则", max_length=16, choices=RuleKind.choices)
    enabled = models.BooleanField("启用", default=True)
    days = models.PositiveSmallIntegerField("工作日数")
    repeat_days = models.PositiveSmallIntegerField("重复间隔（工作日，0 为只提醒一次）", default=0)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"
        ordering = ["campaign", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_rule_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.get_kind_display()}"


class Reminder(models.Model):
    """One firing of a rule about one record (a tracked item, a unit's month, a series' period,
    a change request): its round (the 2nd 催办 of an overdue task is round 2), the line it reads
    as in a digest, and who receives it (Notice). Unique per (kind, record, anchor, round), so a
    second run on the same day adds nothing. `anchor` is what the firing is about (a due date, a
    month, a period): when it changes (a due date extended) the rule fires afresh."""

    kind = models.CharField("规则", max_length=16, choices=RuleKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name="活动", on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    record_type = models.CharField("记录类型", max_length=64)
    record_id = models.BigIntegerField("记录编号")
    anchor = models.CharField("所指", max_length=32)
    round = models.PositiveSmallIntegerField("次数", default=1)
    fired_on = models.DateField("日期")
    text = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Notice", related_name="+", verbose_name="接收人"
    )

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-fired_on", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["fired_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_type", "record_id", "anchor", "round"],
                name="reminder_once_per_round",
            )
        ]

    def __str__(self) -> str:
        return self.text


class Digest(models.Model):
    """The one message a person receives per day gathering his reminders (Notice.digest), in
    his inbox (`message`) and by his other channels (Delivery)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    message = models.OneToOneField(
        Message, verbose_name="站内消息", on_delete=models.CASCADE, related_name="digest"
    )

    class Meta:
        verbose_name = "每日汇总"
        verbose_name_plural = "每日汇总"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.recipient}"


class Notice(models.Model):
    """A reminder to one person; gathered into his next day's digest (empty until then)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )

    class Meta:
        verbose_name = "提醒对象"
        verbose_name_plural = "提醒对象"
        constraints = [
            models.UniqueConstraint(fields=["reminder", "recipient"], name="notice_once")
        ]
        indexes = [models.Index(fields=["recipient", "digest"])]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.recipient}"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    DINGTALK = "dingtalk", "钉钉群机器人"
    WECOM = "wecom", "企业微信群机器人"


class UnitRobot(models.Model):
    """A unit's group robot (钉钉 or 企业微信 群机器人): the webhook its messages are posted to and,
    for DingTalk's 加签 security setting, the secret they are signed with."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="robots"
    )
    channel = models.CharField(
        "类型",
        max_length=16,
        choices=[(Channel.DINGTALK, Channel.DINGTALK.label), (Channel.WECOM, Channel.WECOM.label)],
    )
    webhook = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["unit__sort_order", "unit_id", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_channel_display()}"


class DeliveryPreference(models.Model):
    """A person's choice of channels besides the inbox (which cannot be turned off) and his quiet
    hours; a person without a row has the defaults (email on, settings' quiet hours)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="delivery_preference",
    )
    email = models.BooleanField("接收邮件", default=True)
    robot_mention = models.BooleanField("群机器人消息中提及我", default=True)
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)

    class Meta:
        verbose_name = "提醒方式"
        verbose_name_plural = "提醒方式"

    def __str__(self) -> str:
        return str(self.user)


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One message to send by one channel other than the inbox: to a person's email or a unit's
    robot. Retried with backoff (channels.py) until sent or out of attempts; `key` names its
    source ("digest:12:email", "chase:<batch>:robot:3") so nothing is queued twice."""

    key = models.CharField("来源", max_length=100, unique=True)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    robot = models.ForeignKey(
        UnitRobot,
        verbose_name="群机器人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    mentions = models.JSONField("提及手机号", default=list, blank=True)
    state = models.CharField(
        "状态", max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = "外发消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.title}"
