"""Writes a user makes to delivery: a coordinator's unit robots and 重新发送 of a failed
delivery, a person's own 提醒方式. Each one transaction, each audited (core.audit) — with the
robot's secret and the webhook's token masked in the audit trail, which others may read."""

import datetime
import re

from django.db import transaction

from shigan.core.audit import audit_entry, diff, snapshot
from shigan.core.models import AuditAction
from shigan.orgs.models import Unit

from ..models import Delivery, DeliveryPreference, DeliveryState, UnitRobot

SECRET_FIELD = str(UnitRobot._meta.get_field("secret").verbose_name)
WEBHOOK_FIELD = str(UnitRobot._meta.get_field("webhook").verbose_name)
TOKEN = re.compile(r"((?:access_token|key)=)([^&#]+)")


def mask_secret(secret: str) -> str:
    """A secret as shown back: its first and last four characters when long enough."""
    if not secret:
        return ""
    if len(secret) < 12:
        return "已设置（" + "*" * 6 + "）"
    return f"{secret[:4]}{'*' * 8}{secret[-4:]}"


def mask_webhook(webhook: str) -> str:
    """A webhook with its access_token / key (the robot's credential) masked."""
    return TOKEN.sub(lambda m: m.group(1) + mask_secret(m.group(2)), webhook or "")


def _masked(snap: dict) -> dict:
    masked = dict(snap)
    if masked.get(SECRET_FIELD):
        masked[SECRET_FIELD] = mask_secret(masked[SECRET_FIELD])
    if masked.get(WEBHOOK_FIELD):
        masked[WEBHOOK_FIELD] = mask_webhook(masked[WEBHOOK_FIELD])
    return masked


def _audit_robot(*, by, robot: UnitRobot, action: str, before: dict | None = None, note=""):
    entry = audit_entry(actor=by, obj=robot, action=action, note=note)
    after = _masked(snapshot(robot))
    if action == AuditAction.UPDATE:
        entry.changes = diff(_masked(before or {}), after)
    else:
        filled = {k: v for k, v in after.items() if v not in ("", None)}
        deleted = action == AuditAction.DELETE
        entry.changes = {k: [v, None] if deleted else [None, v] for k, v in filled.items()}
    entry.save()


@transaction.atomic
def robot_create(
    *, by, unit: Unit, channel: str, webhook: str, secret: str, enabled: bool
) -> UnitRobot:
    """A unit's group robot, audited."""
    robot = UnitRobot.objects.create(
        unit=unit, channel=channel, webhook=webhook, secret=secret, enabled=enabled
    )
    _audit_robot(by=by, robot=robot, action=AuditAction.CREATE)
    return robot


@transaction.atomic
def robot_update(
    *, by, robot: UnitRobot, unit: Unit, channel: str, webhook: str, secret: str | None,
    enabled: bool,
) -> UnitRobot:  # fmt: skip
    """A robot changed (`secret` None keeps the one it has), audited with what changed."""
    before = snapshot(robot)
    robot.unit, robot.channel, robot.webhook, robot.enabled = unit, channel, webhook, enabled
    if secret is not None:
        robot.secret = secret
    robot.save()
    _audit_robot(by=by, robot=robot, action=AuditAction.UPDATE, before=before)
    return robot


@transaction.atomic
def robot_delete(*, by, robot: UnitRobot) -> None:
    """A robot removed with its delivery log (Delivery.robot cascades), audited."""
    count = robot.deliveries.count()
    _audit_robot(by=by, robot=robot, action=AuditAction.DELETE, note=f"外发记录{count}条一并删除")
    robot.delete()


@transaction.atomic
def delivery_resend(*, by, delivery: Delivery, now: datetime.datetime) -> Delivery:
    """A failed delivery queued again from its first attempt (sent by the next run), audited."""
    before = snapshot(delivery)
    delivery.state, delivery.attempts = DeliveryState.PENDING, 0
    delivery.next_attempt_at, delivery.last_error = now, ""
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "last_error"])
    entry = audit_entry(
        actor=by, obj=delivery, action=AuditAction.UPDATE, before=before, note="重新发送"
    )
    entry.save()
    return delivery


def _hhmm(value):
    """A time as the audit trail stores it (core.audit writes dates, not times of day)."""
    return value.strftime("%H:%M") if isinstance(value, datetime.time) else value


@transaction.atomic
def delivery_preference_save(
    *, user, email: str, email_enabled: bool, robot_mention: bool,
    quiet_start: datetime.time | None, quiet_end: datetime.time | None,
) -> DeliveryPreference:  # fmt: skip
    """A person's 提醒方式 and his email address (User.email), audited on his preference."""
    preference = DeliveryPreference.objects.filter(user=user).first()
    created = preference is None
    preference = preference or DeliveryPreference(user=user)
    before = None if created else snapshot(preference)
    preference.email, preference.robot_mention = email_enabled, robot_mention
    preference.quiet_start, preference.quiet_end = quiet_start, quiet_end
    preference.save()
    old_email = user.email
    if email != old_email:
        user.email = email
        user.save(update_fields=["email"])
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    entry = audit_entry(actor=user, obj=preference, action=action, before=before)
    entry.changes = {k: [_hhmm(a), _hhmm(b)] for k, (a, b) in entry.changes.items()}
    if email != old_email:
        entry.changes["邮箱地址"] = [old_email or None, email or None]
    if entry.changes:
        entry.save()
    return preference
