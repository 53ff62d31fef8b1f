"""Webhooks out (数据推送): a coordinator's subscriptions to events of his own level, and the
log of every delivery. Imported by models.py so that Django finds the models."""

from django.conf import settings
from django.db import models


class WebhookEvent(models.TextChoices):
    PROGRESS_FILED = "progress.filed", "进展填报"
    STATUS_CHANGED = "task.status_changed", "状态变化"
    CHANGE_APPROVED = "change_request.approved", "申请批准"


class WebhookSubscription(models.Model):
    """Where and on which events one level's changes are POSTed. `district` is the owner's level
    (district_id_of): the events are those of the tasks its units lead. `secret` signs each
    body (HMAC-SHA256); it is shown once and left out of the audit (not editable). The sweep
    reads audit entries after `last_audit_id`, and compares task statuses with `statuses`, the
    statuses it saw last (task id → status), so an event is created once."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        "orgs.Unit", verbose_name="层级", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=60)
    url = models.URLField("推送地址", max_length=500)
    events = models.JSONField("推送事件", default=list)
    secret = models.CharField("签名密钥", max_length=64, editable=False)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_audit_id = models.BigIntegerField("已处理的操作记录", default=0, editable=False)
    statuses = models.JSONField("上次所见的任务状态", default=dict, editable=False)
    statuses_seen = models.BooleanField("已记录任务状态", default=False, editable=False)

    class Meta:
        verbose_name = "Webhook订阅"
        verbose_name_plural = "Webhook订阅"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def event_labels(self) -> list[str]:
        labels = dict(WebhookEvent.choices)
        return [labels.get(event, event) for event in self.events]


class WebhookDelivery(models.Model):
    """One event for one subscription, and how sending it went (the delivery log). `key` names
    what it reports (an audit entry, or a task's status change on a day), unique per
    subscription: sweeping twice creates nothing new."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name="订阅",
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField("事件", max_length=40, choices=WebhookEvent.choices)
    key = models.CharField("事件键", max_length=80, editable=False)
    payload = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField("产生时间", auto_now_add=True)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_status_code = models.PositiveIntegerField("最近状态码", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    failed_at = models.DateTimeField("失败时间", null=True, blank=True)

    class Meta:
        verbose_name = "Webhook推送记录"
        verbose_name_plural = "Webhook推送记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "key"], name="webhook_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} #{self.pk}"

    @property
    def state_label(self) -> str:
        if self.delivered_at:
            return "已送达"
        if self.failed_at:
            return "失败"
        return "待重试" if self.attempts else "待发送"
