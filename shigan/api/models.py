"""Personal API tokens (API令牌): what a program presents in `Authorization: Bearer <token>`."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class TokenScope(models.TextChoices):
    READ = "read", "只读"
    WRITE = "write", "读写"


class ApiToken(models.Model):
    """A user's personal token. Only the SHA-256 of the whole token is stored (`secret_hash`);
    `prefix` is its public part, the key it is looked up by. A token acts as its user, with no
    more than his pages allow, and no writes at all when read-only; it stops working on the day
    after `expires_on` or once revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("名称", max_length=60)
    scope = models.CharField("权限", max_length=8, choices=TokenScope.choices)
    prefix = models.CharField("令牌编号", max_length=16, unique=True, editable=False)
    secret_hash = models.CharField("令牌摘要", max_length=64, editable=False)
    expires_on = models.DateField("有效期至")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}）"

    def is_active(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and today <= self.expires_on

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key` header (api.idempotency): the caller's key, what
    was sent (`fingerprint`: method, path and body) and the first answer, replayed when the
    same key comes again within KEEP_HOURS instead of writing a second record. `caller` is
    the token (token:<id>), or the session's user (user:<id>)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="+",
    )
    caller = models.CharField("调用方", max_length=40)
    key = models.CharField("幂等键", max_length=255)
    fingerprint = models.CharField("请求摘要", max_length=64)
    status = models.PositiveSmallIntegerField("状态码")
    content_type = models.CharField("内容类型", max_length=100)
    body = models.BinaryField("应答")
    created_at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "幂等请求"
        verbose_name_plural = "幂等请求"
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="uniq_api_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.caller} {self.key}"


from .webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription  # noqa: E402, F401
