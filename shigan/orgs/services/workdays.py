"""工作日历: a coordinator's overrides of the working-day calendar for his district, each write
audited on the override (its reason is the entry's note). Removing keeps the row inactive, so a
date's history stays in one place."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core.audit import audit_record, snapshot
from shigan.core.models import AuditAction
from shigan.core.workdays import national_is_workday

from ..models import WorkdayOverride

REASON_MAX = 200


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写原因（如“区运动会放假一天”）。")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"原因最多{REASON_MAX}个字（现有{len(reason)}个）。")
    return reason


def _differs(day: datetime.date, is_workday: bool) -> None:
    if national_is_workday(day) == is_workday:
        state = "工作日" if is_workday else "休息日"
        raise ValidationError(f"{day:%Y-%m-%d}按国家日历已是{state}，无需调整。")


@transaction.atomic
def workday_override_add(
    *, district_id: int, day: datetime.date, is_workday: bool, reason: str, by
) -> WorkdayOverride:
    """The district's override of `day`. Refused (ValidationError) when the date already has one
    or when it would say what the national calendar says; a removed one of that date comes back
    with the new values."""
    reason = _reason(reason)
    _differs(day, is_workday)
    row = WorkdayOverride.objects.select_for_update().filter(district_id=district_id, date=day)
    existing = row.first()
    if existing is not None and existing.active:
        raise ValidationError(f"{day:%Y-%m-%d}已有调整，请在列表中修改。")
    if existing is None:
        override = WorkdayOverride.objects.create(
            district_id=district_id, date=day, is_workday=is_workday, reason=reason
        )
        audit_record(actor=by, obj=override, action=AuditAction.CREATE, note=reason)
        return override
    before = snapshot(existing)
    existing.is_workday, existing.reason, existing.active = is_workday, reason, True
    existing.save(update_fields=["is_workday", "reason", "active", "updated_at"])
    audit_record(actor=by, obj=existing, action=AuditAction.CREATE, before=before, note=reason)
    return existing


@transaction.atomic
def workday_override_change(
    *, override: WorkdayOverride, is_workday: bool, reason: str, by
) -> bool:
    """Change an active override's kind and reason; False when nothing changed."""
    reason = _reason(reason)
    _differs(override.date, is_workday)
    if (override.is_workday, override.reason) == (is_workday, reason):
        return False
    before = snapshot(override)
    override.is_workday, override.reason = is_workday, reason
    override.save(update_fields=["is_workday", "reason", "updated_at"])
    audit_record(actor=by, obj=override, action=AuditAction.UPDATE, before=before, note=reason)
    return True


@transaction.atomic
def workday_override_remove(*, override: WorkdayOverride, reason: str, by) -> None:
    """The date follows the national calendar again; the row stays, inactive, with its history."""
    reason = _reason(reason)
    before = snapshot(override)
    override.active = False
    override.save(update_fields=["active", "updated_at"])
    audit_record(actor=by, obj=override, action=AuditAction.DELETE, before=before, note=reason)
