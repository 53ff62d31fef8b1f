"""The audit trail: snapshot a record's fields, and write who changed what."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from .models import AuditAction, AuditEntry, AuditSource, user_display_name


def _plain(value: Any) -> Any:
    if isinstance(value, AbstractBaseUser):
        return user_display_name(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys by their display text, users by name),
    JSON-ready. Fields nobody edits (time stamps the entry's own time repeats, derived keys)
    are left out."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable:
            continue
        value = getattr(obj, field.name)
        data[str(field.verbose_name)] = _plain(value)
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}."""
    keys = list(before) + [k for k in after if k not in before]
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_entry(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    note: str = "",
    task_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> AuditEntry:
    """The entry recording one change of `obj`, not yet saved (audit_record saves it; a bulk
    import saves many in one query). For updates pass the `before` snapshot; creates store all
    fields.

    `source` names the author of a change made without a user (系统, 数据导入, 演示数据); an
    entry with an actor is always the user's."""
    after = snapshot(obj)
    if action == AuditAction.DELETE:
        changes = {k: [v, None] for k, v in after.items() if v not in (None, "")}
    elif action == AuditAction.CREATE or before is None:
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
    else:
        changes = diff(before, after)
    actor = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
        actor=actor,
        source=AuditSource.USER if actor is not None else source,
        action=action,
        record_type=obj._meta.label_lower,
        record_id=obj.pk,
        record_repr=str(obj)[:300],
        task_id=task_id,
        changes=changes,
        note=note,
    )
    # The chain (shigan.core.chain) links the record itself when the entry is saved, as it is
    # then: a covered record is audited once it is written.
    entry._chain_record = obj
    entry._chain_deleted = action == AuditAction.DELETE
    return entry


def audit_record(
    *,
    actor,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    note: str = "",
    task_id: int | None = None,
    source: str = AuditSource.SYSTEM,
) -> AuditEntry:
    """Record one change of `obj` (see audit_entry) and return the saved entry."""
    entry = audit_entry(
        actor=actor, obj=obj, action=action, before=before, note=note, task_id=task_id,
        source=source,
    )  # fmt: skip
    entry.save()
    return entry
