"""Creating, revoking and recording the use of personal API tokens."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction

from .models import ApiToken, TokenScope
from .tokens import token_hash, token_new

DEFAULT_DAYS = 90  # a new token's validity unless its owner picks another date
MAX_DAYS = 365  # the longest a token may be valid
TOUCH_EVERY = datetime.timedelta(minutes=1)  # last_used_at is written at most this often


def token_expiry_errors(expires_on: datetime.date, today: datetime.date) -> list[str]:
    if expires_on < today:
        return [f"有效期至{expires_on}早于今天（{today}）。"]
    if expires_on > today + datetime.timedelta(days=MAX_DAYS):
        return [f"有效期最长一年（至{today + datetime.timedelta(days=MAX_DAYS)}）。"]
    return []


@transaction.atomic
def token_create(
    *, user, name: str, scope: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """A new token of `user`'s: returns it and the raw token, which is shown once and never
    stored (only its hash is). Expires after DEFAULT_DAYS unless `expires_on` (at most MAX_DAYS
    ahead) is given. Audited. Raises ValidationError (Chinese messages) and writes nothing on a
    blank name, an unknown scope or an expiry out of bounds."""
    today = timezone.localdate()
    expires_on = expires_on or today + datetime.timedelta(days=DEFAULT_DAYS)
    errors = [] if name.strip() else ["请填写令牌名称。"]
    if scope not in TokenScope.values:
        errors.append("权限只能是只读或读写。")
    errors += token_expiry_errors(expires_on, today)
    if errors:
        raise ValidationError(errors)
    prefix, raw = token_new()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=prefix,
        secret_hash=token_hash(raw),
        expires_on=expires_on,
    )
    audit_record(actor=user, obj=token, action=AuditAction.CREATE)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke `token` (from now on it authenticates nobody); revoking twice changes nothing.
    Audited."""
    if token.revoked_at is not None:
        return token
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=by, obj=token, action=AuditAction.UPDATE, before=before, note="撤销")
    return token


def token_touch(token: ApiToken) -> None:
    """Record the token's use: one UPDATE at most every TOUCH_EVERY, not one per request (the
    conditional update keeps two workers from both writing)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    stale = ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - TOUCH_EVERY)
    stale.update(last_used_at=now)
    token.last_used_at = now
