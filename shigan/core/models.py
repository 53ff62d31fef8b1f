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
    REMIND = "remind", "提醒"
    CHASE = "chase", "催办"
    ESCALATE = "escalate", "督办"
    VIEW = "view", "查看"


class AuditSource(models.TextChoices):
    """Who wrote an entry when no user did: the author's name shown for entries without actor."""

    USER = "user", "用户"
    SYSTEM = "system", "系统"
    IMPORT = "import", "数据导入"
    DEMO = "demo", "演示数据"


def user_display_name(user) -> str:
    """How the pages name a user: his person's name, else his login name; 系统 for none.

    Templates call this through the `user_name` filter instead of chaining
    `user.person.name|default:user.username`, which fails where a link is missing."""
    if user is None:
        return AuditSource.SYSTEM.label
    person = getattr(user, "person", None)  # the reverse one-to-one raises when absent
    return getattr(person, "name", "") or user.get_username() or AuditSource.SYSTEM.label


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
    source = models.CharField(
        "来源", max_length=16, choices=AuditSource.choices, default=AuditSource.USER
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

    @property
    def author(self) -> str:
        """The name of who made the change: the user, else 系统 / 数据导入 / 演示数据."""
        if self.actor_id is not None:
            return user_display_name(self.actor)
        if self.source == AuditSource.USER:
            return AuditSource.SYSTEM.label
        return AuditSource(self.source).label
