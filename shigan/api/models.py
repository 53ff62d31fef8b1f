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


from .webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription  # noqa: E402, F401
