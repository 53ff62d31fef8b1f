from django.conf import settings
from django.db import models, transaction
from django.urls import reverse


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


# Called with the saved entries after AuditEntry.save() and AuditEntry.objects.bulk_create():
# shigan.core.chain links them into the tamper-evident chain (registered in CoreConfig.ready,
# since the chain module needs these models).
AUDIT_SAVED_HOOKS: list = []


class AuditEntryQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        for hook in AUDIT_SAVED_HOOKS:
            hook(created)
        return created


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

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.record_repr}"

    def save(self, *args, **kwargs):
        # Every way an entry is written must reach the chain, and entries are written from many
        # services (some save the entry audit_entry built): saving is the one place they share.
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)
            for hook in AUDIT_SAVED_HOOKS:
                hook([self])

    @property
    def author(self) -> str:
        """The name of who made the change: the user, else 系统 / 数据导入 / 演示数据."""
        if self.actor_id is not None:
            return user_display_name(self.actor)
        if self.source == AuditSource.USER:
            return AuditSource.SYSTEM.label
        return AuditSource(self.source).label


class ChainLink(models.Model):
    """One link of a district's hash chain (shigan.core.chain): a digest of one record's content
    as written by the app, chained to the link before it.

    `hash` covers the district, `seq`, the record's type and id, `digest` and `prev_hash`;
    `digest` covers `fields`, a hash of each field's canonical value (so a verifier names the
    field that changed). A record changed by the app gets a new link; the latest one is the
    record's expected content. `district` is the district unit's id (0: no district, e.g.
    writes by the system or an operator) and is not a foreign key: core sits below orgs, and a
    link must outlive what it describes."""

    district = models.BigIntegerField("区县")
    seq = models.BigIntegerField("序号")
    record_type = models.CharField("记录类型", max_length=64)
    record_id = models.BigIntegerField("记录编号")
    task_id = models.BigIntegerField("所属任务", null=True, blank=True, db_index=True)
    fields = models.JSONField("字段摘要", default=dict)
    digest = models.CharField("内容摘要", max_length=64)
    prev_hash = models.CharField("前一环哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "防篡改链环"
        verbose_name_plural = "防篡改链环"
        constraints = [
            models.UniqueConstraint(fields=["district", "seq"], name="uniq_chain_link_seq")
        ]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.district}#{self.seq} {self.record_type}:{self.record_id}"


class ChainHead(models.Model):
    """The last link of a district's chain: locked to append (serialising a district's
    writers on PostgreSQL), compared by the verifier to catch links cut off the end."""

    district = models.BigIntegerField("区县", unique=True)
    seq = models.BigIntegerField("序号", default=0)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "防篡改链头"
        verbose_name_plural = "防篡改链头"

    def __str__(self) -> str:
        return f"{self.district}#{self.seq}"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportJob(models.Model):
    """A large import run by a worker (core/jobs.py): who asked, which import, the staged file,
    its state and progress, and what came of it (summary lines, or the errors by row and column)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_jobs", verbose_name="提交人"
    )
    district_id = models.BigIntegerField("区县", null=True, blank=True)
    kind = models.CharField("导入类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict)
    state = models.CharField("状态", max_length=10, choices=JobState, default=JobState.QUEUED)
    done = models.PositiveIntegerField("已处理行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    lines = models.JSONField("结果", default=list)
    errors = models.JSONField("错误", default=list)
    back_url = models.CharField("返回地址", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台导入"
        verbose_name_plural = "后台导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("job", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.state in {JobState.QUEUED, JobState.RUNNING}
