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
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
