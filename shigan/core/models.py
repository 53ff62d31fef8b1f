from django.conf import settings
from django.db import models


class TimeStamped(models.Model):
    """Creation and last-change times, set by the database layer."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    SUBMIT = "submit", "提交"
    APPROVE = "approve", "批准"
    RETURN = "return", "退回"


class AuditEntry(models.Model):
    """One change to one record: who, when, what, and the fields before and after.

    Entries are written by services (never by signals) and are never edited or deleted.
    `record_type` is "<app_label>.<model_name>", so a record's history is one indexed lookup.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=16, choices=AuditAction.choices)
    record_type = models.CharField("记录类型", max_length=64)
    record_id = models.BigIntegerField("记录编号")
    record_repr = models.CharField("记录", max_length=300)
    # The task a record belongs to, so a task's page shows its milestones' and reports' history too.
    task_id = models.BigIntegerField("所属任务", null=True, blank=True, db_index=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.record_repr}"
